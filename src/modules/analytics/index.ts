// Analytics: rollups of the orders kept current by the event log, the analysis read from them; early warnings. The public interface.
export {
  DIMENSIONS, MEASURE_KEYS, rebuildRollups, rollupsState, refreshOrders, rollupsConsumer, rollupSeries, rollupTotals, topMembers, CALLER_GROUPS, callerGroupOf,
  type Dimension, type Grain, type Rebuilt, type Measure, type Measures, type SeriesPoint, type SeriesQuery, type RollupQuery,
} from './rollups.js';
export {
  warningsConsumer, observeReports, poissonTail, expectedInWindow, reportOf, listWarnings, getWarning, acknowledgeWarning, closeWarning,
  maySeeWarningEvent, WARNING_STATUSES, WARNING_OUTCOMES, WARNING_HANDLERS,
  type Report, type WarningView, type WarningStatus, type WarningOutcome, type WarningQuery,
} from './warnings.js';
export { getWarningSettings, updateWarningSettings, DEFAULT_WARNING_SETTINGS, type WarningSettings } from './warning-settings.js';
export { REPORT_TIMER, reportTimer, ensureReportSchedule, nextReportAt, reportsDue } from './report/index.js';
export { analysisReport, reportFile, reportPeriod, REPORT_FORMATS, REPORT_KINDS, REPORT_LANGS, type AnalysisReport, type ReportPeriod, type ReportFormat, type Lang as ReportLang } from './report/index.js';
export { rebuildWarningBaselines, replayWarnings, type ReplayResult } from './warning-replay.js';
export { overview, today, trend, top, callerAnalysis, figuresOf, yearBefore, RATES, RATE_NAMES, TOP_ORDERS, type Overview, type Today, type Trend, type Top, type CallerAnalysis, type Figures, type RateName } from './analysis.js';
export { hotTopicsConsumer, hotTopics, hotTopicOrders, risingWords, clusterRegistrations, HOT_TOPIC_ORDERS, MIN_SIZE, WINDOW_HOURS, type HotTopic } from './hot-topics.js';
