// Durable timers: the public interface.
export type { Timer, NewTimer, TimerHandler, SweepResult } from './service.js';
export { registerTimerHandler, scheduleTimers, sweepTimers, sweepAllDue, startTimerLoop, timerBacklog } from './service.js';
