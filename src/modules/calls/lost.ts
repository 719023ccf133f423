// Calls whose end never came: a telephony that restarted, a lost post, a bridge down for hours. A
// call heard nothing of for 4 hours is ended where its last event left it, by an event of
// Minsheng's own (`ended`, reason `lost`), so that its record stops counting as live and its
// talk is measured up to what is known. If the telephony's own `ended` comes after all, it is later
// than that event and the record takes it (a call's last `ended` is its end).
import type pg from 'pg';
import { prepared } from '../../db/tx.js';
import { ADVISORY_LOCKS } from '../../db/locks.js';
import { ensureTimer, NO_SUBJECT, scheduleTimers, type TimerHandler } from '../timers/index.js';
import type { CallEvent } from './call-events.js';
import { absorbCallEvents } from './store.js';

/** Heard nothing of for this long, a call not ended is taken as ended (the wall stops counting it then too). */
export const LOST_AFTER_MS = 4 * 3_600_000;
/** How often the sweep runs. */
const SWEEP_EVERY_MS = 15 * 60_000;
/** Calls ended by one sweep at most (the next takes the rest). */
const BATCH = 500;
export const LOST_CALLS_TIMER = 'calls.lost';

/** Ends the calls heard nothing of since `LOST_AFTER_MS` before `now`; returns their ids. */
export async function endLostCalls(pool: pg.Pool, cityCode: string, now = new Date()): Promise<string[]> {
  const before = new Date(now.getTime() - LOST_AFTER_MS);
  const r = await pool.query<{ call_id: string; last_at: Date }>(prepared(
    `SELECT c.call_id, max(e.at) AS last_at FROM calls c JOIN call_events e ON e.city_code = c.city_code AND e.call_id = c.call_id
      WHERE c.city_code = $1 AND c.state <> 'ended' AND (c.offered_at < $2 OR c.offered_at IS NULL)
      GROUP BY c.call_id HAVING max(e.at) < $2 ORDER BY 2 LIMIT ${BATCH}`, [cityCode, before]));
  if (r.rows.length === 0) return [];
  const events: CallEvent[] = r.rows.map((row) => ({ id: `minsheng:lost:${row.call_id}`, callId: row.call_id, type: 'ended',
    at: row.last_at.toISOString(), reason: 'lost' }));
  await absorbCallEvents(pool, cityCode, events, now);
  return r.rows.map((row) => row.call_id);
}

const nextSweep = (cityCode: string, now: Date) =>
  ({ cityCode, kind: LOST_CALLS_TIMER, subjectId: NO_SUBJECT, dueAt: new Date(now.getTime() + SWEEP_EVERY_MS) });

/** Schedules the sweep if it is not (at start, by the processes that sweep timers). */
export const ensureLostCallsSweep = (pool: pg.Pool, cityCode: string, now = new Date()): Promise<void> =>
  ensureTimer(pool, ADVISORY_LOCKS.lostCallsSchedule, nextSweep(cityCode, now));

/** The timer: the next sweep scheduled with it, the calls ended after its commit (they take their own transaction). */
export const lostCallsTimer: TimerHandler = async (tx, timer, now) => {
  await scheduleTimers(tx, [nextSweep(timer.cityCode, now)]);
  return (pool) => {
    endLostCalls(pool, timer.cityCode, now).catch((error: unknown) => console.error('ending lost calls failed:', error));
  };
};
