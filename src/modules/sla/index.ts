// Deadlines, their rounds and marks, notices, and the figures assessment counts: the public interface.
// The order lifecycle (src/modules/orders/lifecycle) reads an order's latest round with the order
// (latestRoundQuery) and calls the round functions by name as it plans a change; the notices
// consumer and the deadline timers are wired by src/platform.ts.
export {
  DEADLINE_KINDS, WARN_TIMER, DUE_TIMER, roundDeadlines, startRound, resumeRejectedReturn, endRounds, recordSigned, recordReturn, requestExtension,
  approveExtension, denyExtension, pauseClock, resumeClock, recordReply, recordVisit, recordClose, recordUrge, markDeadline, armActiveRounds,
  latestRoundQuery, roundFromJson, type RoundDeadlines, type DeadlineKind, type DeadlineMark, type RoundOrder, type RoundRow, type RoundHolder,
} from './rounds.js';
export { DEFAULT_SLA_SETTINGS, getSlaSettings, updateSlaSettings, type SlaSettings, type DeadlinePolicy } from './settings.js';
export { NOTICE_KINDS, addNotices, listNotices, markNoticeRead, noticesConsumer, type Notice, type NoticeKind } from './notices.js';
export {
  OVERDUE_SQL, WARNING_SQL, orderRounds, alertRounds, alertCounts, pendingRequests, figureCounts, figureRounds, pressingDeadlines, unitPressingCounts, unitOrdersPressing, PRESSING_STATUSES,
  type Round, type Deadline, type PressingDeadline, type PressingStatus, type UnitAlertCount, type PendingRequest, type FigureRound,
} from './reports.js';
export { FIGURES, FIGURE_NAMES, type Figure, type FigureName, type Figures } from './figures.js';
export { roundFactsSql } from './facts.js';
