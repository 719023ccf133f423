// Durable timers: the public interface.
export type { Timer, NewTimer, TimerHandler, TimerHandlers, SweepResult } from './service.js';
export { NO_SUBJECT, ensureTimer, scheduleTimers, scheduleIn, cancelTimers, pendingTimers, sweepTimers, sweepAllDue, startTimerLoop, timerBacklog } from './service.js';
