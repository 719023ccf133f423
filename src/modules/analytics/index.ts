// Analytics: rollups of the orders kept current by the event log, read by dashboards. The public interface.
export { DIMENSIONS, rebuildRollups, refreshOrders, rollupsConsumer, type Dimension } from './rollups.js';
