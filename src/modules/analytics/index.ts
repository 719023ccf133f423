// Analytics: rollups of the orders kept current by the event log, read by dashboards. The public interface.
export {
  DIMENSIONS, MEASURE_KEYS, rebuildRollups, refreshOrders, rollupsConsumer, rollupSeries, topMembers,
  type Dimension, type Grain, type Measure, type SeriesPoint, type SeriesQuery,
} from './rollups.js';
