// The module's scheduled work, as durable timers: retraining (weekly by default) and the census of
// keywords that similar-order search starts from (daily). Each timer reschedules itself; training
// starts after the sweep commits, in a worker thread, and its run is recorded whatever happens.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { withTransaction } from '../../db/tx.js';
import { ADVISORY_LOCKS } from '../../db/locks.js';
import { beijingDate, beijingMidnight } from '../../shared/beijing.js';
import { systemActor } from '../auth/index.js';
import { cancelTimers, NO_SUBJECT, pendingTimers, scheduleTimers, type Timer, type TimerHandler } from '../timers/index.js';
import { countKeys } from './similar.js';
import { DEFAULT_TRAINING, startTraining, type ClosedOrders } from './training.js';

export const RETRAIN_TIMER = 'classify.retrain';
export const CENSUS_TIMER = 'classify.census';
/** timers about no order carry this subject */
const DAY = 86_400_000;
const SCHEDULE_LOCK = ADVISORY_LOCKS.classifySchedule;

export interface ClassifySchedule {
  /** retrain every this many days (0: never on a schedule) */
  retrainDays: number;
  /** the newest this many closed orders train a model */
  maxTrainingOrders: number;
}

/** The next time of day hh:mm (Beijing) at least `days` after `from`. */
export function nextAt(from: Date, days: number, hour: number, minute: number): Date {
  const at = beijingMidnight(beijingDate(from.getTime() + days * DAY)).getTime() + (hour * 60 + minute) * 60_000;
  return new Date(at < from.getTime() + days * DAY ? at + DAY : at);
}

/** Schedules the jobs a city lacks (at start; several processes may start at once). */
export async function ensureScheduled(pool: pg.Pool, cityCode: string, schedule: ClassifySchedule, now = new Date()): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEDULE_LOCK]);
    const pending = await pendingTimers(client, cityCode, [RETRAIN_TIMER, CENSUS_TIMER]);
    const has = new Set(pending.map((t) => t.kind));
    // a schedule changed in the configuration replaces the pending retraining
    const retrain = pending.find((t) => t.kind === RETRAIN_TIMER);
    if (retrain && (schedule.retrainDays === 0 || retrain.detail !== JSON.stringify(schedule))) {
      await cancelTimers(client, cityCode, RETRAIN_TIMER);
      has.delete(RETRAIN_TIMER);
    }
    if (schedule.retrainDays > 0 && !has.has(RETRAIN_TIMER)) await scheduleRetrain(client, cityCode, schedule, now);
    if (!has.has(CENSUS_TIMER)) await scheduleTimers(client, [{ cityCode, kind: CENSUS_TIMER, subjectId: NO_SUBJECT, dueAt: nextAt(now, 0, 2, 30) }]);
  });
}

function scheduleRetrain(db: Queryable, cityCode: string, schedule: ClassifySchedule, now: Date): Promise<void> {
  return scheduleTimers(db, [{ cityCode, kind: RETRAIN_TIMER, subjectId: NO_SUBJECT, detail: JSON.stringify(schedule),
    dueAt: nextAt(now, schedule.retrainDays, 3, 0) }]);
}

/** Counts the keywords in the sweep's transaction, then schedules tomorrow's census. */
export async function runCensus(client: Queryable, timer: Timer, now: Date): Promise<void> {
  await countKeys(client, timer.cityCode, now);
  await scheduleTimers(client, [{ cityCode: timer.cityCode, kind: CENSUS_TIMER, subjectId: NO_SUBJECT, dueAt: nextAt(now, 1, 2, 30) }]);
}

/**
 * The retraining timer's handler, learning from `orders`: schedules the next retraining, and starts
 * this one once the sweep has committed.
 */
export function retrainHandler(orders: ClosedOrders): TimerHandler {
  return async (client: Queryable, timer: Timer, now: Date) => {
    const schedule: ClassifySchedule = { retrainDays: 7, maxTrainingOrders: DEFAULT_TRAINING.maxTexts, ...JSON.parse(timer.detail ?? '{}') };
    await scheduleRetrain(client, timer.cityCode, schedule, now);
    return (pool: pg.Pool) => {
      startTraining(pool, systemActor(timer.cityCode), 'schedule',
        { source: { kind: 'history', orders }, settings: { ...DEFAULT_TRAINING, maxTexts: schedule.maxTrainingOrders } })
        .then(({ done }) => done)
        .catch((error: unknown) => console.error('scheduled classifier training could not start:', error));
    };
  };
}
