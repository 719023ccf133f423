// Durable timers, fired by a sweep that any number of processes may run at once.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared, withTransaction } from '../../db/tx.js';
import sql, { type Sql } from 'sql-template-tag';
import type { Plan } from '../../db/plan.js';

/** The subject of a timer about no order (the database's housekeeping, the classifier's jobs). */
export const NO_SUBJECT = '00000000-0000-0000-0000-000000000000';

export interface Timer {
  id: number;
  cityCode: string;
  kind: string;
  subjectId: string;
  ref: number | null;
  detail: string | null;
  dueAt: Date;
  attempts: number;
}

export interface NewTimer {
  cityCode: string;
  kind: string;
  subjectId: string;
  ref?: number | null;
  detail?: string | null;
  dueAt: Date;
}

/**
 * Runs in the sweep's transaction, after the timer row is claimed and deleted. It decides from the
 * current facts whether there is still anything to do (a deadline met since is not overdue).
 * `now` is the sweep's clock. What it returns is called after commit (publishing events, starting
 * work that must not hold the transaction), with the sweep's pool.
 */
export type TimerHandler = (client: Queryable, timer: Timer, now: Date) => Promise<((pool: pg.Pool) => void) | void>;

/** The handler of each kind of timer: given by the platform at start (src/platform.ts), nothing registers itself. */
export type TimerHandlers = Readonly<Record<string, TimerHandler>>;

/** Removes a city's pending timers of a kind (a job rescheduled from the configuration). */
export async function cancelTimers(db: Queryable, cityCode: string, kind: string): Promise<void> {
  await db.query('DELETE FROM timers WHERE city_code = $1 AND kind = $2', [cityCode, kind]);
}

/** A city's pending timers of some kinds (which scheduled jobs are set). */
export async function pendingTimers(db: Queryable, cityCode: string, kinds: readonly string[]): Promise<{ kind: string; detail: string | null; dueAt: Date }[]> {
  const r = await db.query('SELECT kind, detail, due_at FROM timers WHERE city_code = $1 AND kind = ANY($2) ORDER BY due_at',
    [cityCode, kinds]);
  return r.rows.map((row) => ({ kind: row.kind, detail: row.detail, dueAt: row.due_at }));
}

/**
 * Schedules `first` unless a timer of its kind is pending in its city: a recurring timer (its handler
 * schedules the next) started at start-up, once however many processes start together (they take
 * turns on the advisory lock `lock`, one of db/locks.ts).
 */
export async function ensureTimer(pool: pg.Pool, lock: number, first: NewTimer): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [lock]);
    if ((await pendingTimers(tx, first.cityCode, [first.kind])).length === 0) await scheduleTimers(tx, [first]);
  });
}

/**
 * Schedules timers as part of a change written in one statement (src/db/plan.ts); `ref`, when given,
 * is an SQL expression for every timer's reference (the id of a row the same statement inserts).
 */
export function scheduleIn(plan: Plan, timers: NewTimer[], ref?: Sql): void {
  if (timers.length === 0) return;
  plan.add('timers', sql`INSERT INTO timers (city_code, kind, subject_id, ref, detail, due_at)
    SELECT t.city_code, t.kind, t.subject_id, ${ref ?? sql`t.ref`}, t.detail, t.due_at
      FROM unnest(${timers.map((t) => t.cityCode)}::text[], ${timers.map((t) => t.kind)}::text[], ${timers.map((t) => t.subjectId)}::uuid[],
                  ${timers.map((t) => t.ref ?? null)}::bigint[], ${timers.map((t) => t.detail ?? null)}::text[],
                  ${timers.map((t) => t.dueAt)}::timestamptz[]) AS t(city_code, kind, subject_id, ref, detail, due_at)
     WHERE ${plan.guard}`);
}

/** Schedules timers in the caller's transaction. */
export async function scheduleTimers(db: Queryable, timers: NewTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await db.query(prepared(
    `INSERT INTO timers (city_code, kind, subject_id, ref, detail, due_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::bigint[], $5::text[], $6::timestamptz[])`,
    [timers.map((t) => t.cityCode), timers.map((t) => t.kind), timers.map((t) => t.subjectId), timers.map((t) => t.ref ?? null),
      timers.map((t) => t.detail ?? null), timers.map((t) => t.dueAt)]));
}

export interface SweepResult {
  /** timers claimed and handled */
  fired: number;
  /** handlers that threw: their timer is kept and retried a minute later */
  failed: number;
}

/** A failing handler is retried, later each time, and never blocks the timers behind it. */
const RETRY_MS = 60_000;

/**
 * Fires the timers due at `now`, up to `batch` of them, in one transaction. Rows locked by another
 * sweeper are skipped, not waited for. Each handler runs under a savepoint: one that fails is
 * rolled back alone and its timer rescheduled with the error recorded.
 */
export async function sweepTimers(pool: pg.Pool, handlers: TimerHandlers, now = new Date(), batch = 50): Promise<SweepResult> {
  const afterCommit: ((pool: pg.Pool) => void)[] = [];
  const result = await withTransaction(pool, async (client) => {
    const claimed = await client.query(prepared(
      `DELETE FROM timers WHERE id IN (
         SELECT id FROM timers WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, city_code, kind, subject_id, ref, detail, due_at, attempts`, [now, batch]));
    let failed = 0;
    for (const r of claimed.rows) {
      const timer: Timer = { id: r.id, cityCode: r.city_code, kind: r.kind, subjectId: r.subject_id, ref: r.ref, detail: r.detail,
        dueAt: r.due_at, attempts: r.attempts };
      const handler = handlers[timer.kind];
      await client.query('SAVEPOINT timer');
      try {
        if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
        const after = await handler(client, timer, now);
        if (after) afterCommit.push(after);
        await client.query('RELEASE SAVEPOINT timer');
      } catch (error) {
        failed++;
        await client.query('ROLLBACK TO SAVEPOINT timer');
        await client.query(
          `INSERT INTO timers (id, city_code, kind, subject_id, ref, detail, due_at, attempts, last_error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [timer.id, timer.cityCode, timer.kind, timer.subjectId, timer.ref, timer.detail,
            new Date(now.getTime() + RETRY_MS * (timer.attempts + 1)), timer.attempts + 1, String((error as Error).message ?? error)]);
      }
    }
    return { fired: claimed.rowCount! - failed, failed };
  });
  for (const after of afterCommit) after(pool);
  return result;
}

/** Sweeps until nothing is due at `now` (bounded by `maxBatches`). */
export async function sweepAllDue(pool: pg.Pool, handlers: TimerHandlers, now = new Date(), batch = 50, maxBatches = 10_000): Promise<SweepResult> {
  const total = { fired: 0, failed: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const result = await sweepTimers(pool, handlers, now, batch);
    total.fired += result.fired;
    total.failed += result.failed;
    if (result.fired + result.failed < batch) break;
  }
  return total;
}

/**
 * Sweeps every `intervalMs` until stopped. One sweep at a time per process; a failing sweep is
 * logged and the next one tries again.
 */
export function startTimerLoop(pool: pg.Pool, handlers: TimerHandlers, intervalMs: number, log: (error: unknown) => void = console.error): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const handle = setInterval(() => {
    running = running.then(() => (stopped ? undefined : sweepAllDue(pool, handlers).catch(log)));
  }, intervalMs);
  handle.unref();
  return async () => {
    stopped = true;
    clearInterval(handle);
    await running;
  };
}

/** How many timers wait, and the earliest due (for health and supervision). */
export async function timerBacklog(db: Queryable, now = new Date()): Promise<{ pending: number; due: number; failing: number }> {
  const r = await db.query(
    `SELECT count(*) AS pending, count(*) FILTER (WHERE due_at <= $1) AS due, count(*) FILTER (WHERE attempts > 0) AS failing FROM timers`,
    [now]);
  return { pending: r.rows[0].pending, due: r.rows[0].due, failing: r.rows[0].failing };
}
