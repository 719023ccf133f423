// Supervision's views: the public interface.
export { getOrderDeadlines, listAlerts, alertSummary, listPendingDecisions, type Alert, type PendingDecision, type Round, type UnitAlertCount } from './service.js';
