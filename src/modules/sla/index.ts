// Deadlines, supervision and notices: the public interface. `installSla` wires the module into the
// order lifecycle (a transition hook) and the timer sweep; the platform calls it at start.
import { registerTransitionHook } from '../orders/index.js';
import { registerTimerHandler } from '../timers/index.js';
import { deadlinesOnTransition, DUE_TIMER, fireDeadlineTimer, WARN_TIMER } from './deadlines.js';

export function installSla(): void {
  registerTransitionHook(deadlinesOnTransition);
  registerTimerHandler(WARN_TIMER, fireDeadlineTimer);
  registerTimerHandler(DUE_TIMER, fireDeadlineTimer);
}

export { DEADLINE_KINDS, type DeadlineKind } from './deadlines.js';
export { DEFAULT_SLA_SETTINGS, getSlaSettings, updateSlaSettings, type SlaSettings, type DeadlinePolicy } from './settings.js';
export { NOTICE_KINDS, listNotices, markNoticeRead, type Notice, type NoticeKind } from './notices.js';
export {
  OVERDUE_SQL, WARNING_SQL, getOrderDeadlines, listAlerts, alertSummary, listPendingDecisions,
  type Round, type Deadline, type Alert, type UnitAlertCount, type PendingDecision,
} from './supervision.js';
