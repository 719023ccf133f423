// Durable consumers: named readers of the event log, each with its stored cursor. A batch runs in
// one transaction that locks the consumer's row (FOR UPDATE SKIP LOCKED: another process running
// the same consumer is skipped, not waited for), hands the batch's events to the handler, and moves
// the cursor past them: the handler's writes and the cursor commit together, so each event takes
// effect once, whatever the number of processes. A handler that throws rolls its batch back; the
// consumer then retries event by event, later each time (1 s, 2 s, 4 s … 5 min), its failure
// recorded on its row and shown on /healthz, and never passes the failing event in silence.
//
// A consumer whose handler thinks as well as writes (hot topics cluster texts) may do its reading
// and thinking in `prepare`, before the transaction: on PGlite one transaction at a time holds the
// engine, and work between its statements holds every request back. The batch is read ahead with
// the cursor as it was, one runner at a time (an advisory lock per consumer, not waited for); the
// transaction takes the prepared work only if the cursor is still there.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { ADVISORY_LOCKS, tryHoldSessionLock } from '../../db/locks.js';
import { prepared, withTransaction } from '../../db/tx.js';
import type { EventType } from './catalog.js';
import { headCursor, HELD_RETRY_MS, isAfter, lastCommitted, LOG_START, readAfter, type Cursor, type StoredEvent } from './log.js';

export interface Consumer<Prepared = unknown> {
  /** a stable name: it keys the consumer's cursor */
  name: string;
  /** the event types it handles; the others pass by */
  types: readonly EventType[];
  /** where a consumer that never ran starts: the head of the log (default) or its start */
  from?: 'head' | 'start';
  /**
   * Reads and works out what a batch needs, outside any transaction; it must not write. What it reads
   * may be changed only by this consumer's own batches, or be fine a moment old: a batch that another
   * runner handled meanwhile moves the cursor, and the batch read again is prepared again, in its transaction.
   */
  prepare?(db: Queryable, events: StoredEvent[]): Promise<Prepared>;
  /** handles a batch in the transaction that moves the cursor past it (with what `prepare` made of it); must only write through `tx` */
  handle(tx: Queryable, events: StoredEvent[], prepared: Prepared): Promise<void>;
}

/** Events read per batch. */
const BATCH = 500;
const MAX_BACKOFF_MS = 300_000;

/** Creates the cursors of consumers that have none: at the head of the log, or at its start. */
export async function ensureConsumers(pool: pg.Pool, consumers: readonly Consumer[]): Promise<void> {
  const head = await headCursor(pool);
  for (const c of consumers) {
    const at = c.from === 'start' ? LOG_START : head;
    await pool.query('INSERT INTO event_consumers (name, tx_id, position) VALUES ($1, $2::xid8, $3) ON CONFLICT (name) DO NOTHING',
      [c.name, at.txId, at.position]);
  }
}

export type BatchOutcome =
  | 'idle' // nothing left to read
  | 'more' // a full batch was handled: read again
  | 'busy' // another process holds the consumer
  | 'waiting' // a failure's back-off is not over
  | 'failed'; // the handler threw: recorded, retried later

/** A batch read and prepared before its transaction, from the cursor as it was then. */
interface Ahead { cursor: Cursor; events: StoredEvent[]; mine: StoredEvent[]; prepared: unknown }

/**
 * Reads a preparing consumer's next batch and prepares it, outside any transaction: null when there
 * is none to prepare (no `prepare`, nothing mine, or a failure being retried one event at a time in its transaction).
 */
async function readAhead(pool: pg.Pool, consumer: Consumer, now: Date): Promise<Ahead | 'idle' | null> {
  if (!consumer.prepare) return null;
  const row = (await pool.query(prepared(`SELECT tx_id::text AS tx_id, position, failures, retry_at FROM event_consumers WHERE name = $1`,
    [consumer.name]))).rows[0];
  if (!row || row.failures > 0 || (row.retry_at && row.retry_at > now)) return null;
  const cursor: Cursor = { txId: row.tx_id, position: Number(row.position) };
  const events = await readAfter(pool, cursor, BATCH);
  if (events.length === 0) return 'idle';
  const mine = events.filter((e) => consumer.types.includes(e.type));
  if (mine.length === 0) return { cursor, events, mine, prepared: undefined };
  try {
    return { cursor, events, mine, prepared: await consumer.prepare(pool, mine) };
  } catch {
    return null; // prepared again in the transaction, where a failure is the handler's: recorded, retried event by event
  }
}

const sameCursor = (a: Cursor, b: Cursor) => a.txId === b.txId && a.position === b.position;

/** Runs one batch of a consumer. */
export async function runBatch(pool: pg.Pool, consumer: Consumer, now = new Date()): Promise<BatchOutcome> {
  if (!consumer.prepare) return batchInTransaction(pool, consumer, now, null);
  // one runner at a time prepares a consumer's batch: another process woken by the same commit
  // would work the batch out only to find it taken
  const release = await tryHoldSessionLock(pool, ADVISORY_LOCKS.consumerPreparing, consumer.name);
  if (!release) return 'busy';
  try {
    const ahead = await readAhead(pool, consumer, now);
    return ahead === 'idle' ? 'idle' : await batchInTransaction(pool, consumer, now, ahead);
  } finally {
    await release();
  }
}

/** A batch in the transaction that moves the cursor past it: the one read ahead if the cursor is still where it was read. */
async function batchInTransaction(pool: pg.Pool, consumer: Consumer, now: Date, ahead: Ahead | null): Promise<BatchOutcome> {
  let failedBatchEnd: number | null = null;
  try {
    return await withTransaction(pool, async (tx) => {
      const row = (await tx.query(prepared(
        `SELECT tx_id::text AS tx_id, position, failures, failed_batch_end, retry_at FROM event_consumers WHERE name = $1
            FOR UPDATE SKIP LOCKED`,
        [consumer.name]))).rows[0];
      if (!row) return 'busy';
      if (row.retry_at && row.retry_at > now) return 'waiting';
      const cursor: Cursor = { txId: row.tx_id, position: Number(row.position) };
      // after a failure, one event at a time: the batch that fails is the one event at fault
      const limit = row.failures > 0 ? 1 : BATCH;
      // read ahead from this cursor, the batch is the same events (the log below its readable head
      // never changes); from another, it is read and prepared again here
      const kept = ahead && row.failures === 0 && sameCursor(ahead.cursor, cursor) ? ahead : null;
      const events = kept ? kept.events : await readAfter(tx, cursor, limit);
      if (events.length === 0) return 'idle';
      const mine = kept ? kept.mine : events.filter((e) => consumer.types.includes(e.type));
      const last = events.at(-1)!;
      failedBatchEnd = last.position;
      if (mine.length > 0) await consumer.handle(tx, mine, kept ? kept.prepared : await consumer.prepare?.(tx, mine));
      // past the batch that failed: the consumer is well again
      const recovered = row.failures === 0 || row.failed_batch_end === null || last.position >= Number(row.failed_batch_end);
      await tx.query(prepared(
        `UPDATE event_consumers SET tx_id = $2::xid8, position = $3, handled = handled + $4, updated_at = $5, retry_at = NULL,
                failures = CASE WHEN $6 THEN 0 ELSE failures END, last_error = CASE WHEN $6 THEN NULL ELSE last_error END,
                failed_batch_end = CASE WHEN $6 THEN NULL ELSE failed_batch_end END
          WHERE name = $1`,
        [consumer.name, last.txId, last.position, mine.length, now, recovered]));
      return events.length === limit ? 'more' : 'idle';
    });
  } catch (error) {
    if (failedBatchEnd === null) throw error; // the database failed, not the handler
    await recordFailure(pool, consumer.name, error, failedBatchEnd, now);
    return 'failed';
  }
}

async function recordFailure(pool: pg.Pool, name: string, error: unknown, batchEnd: number, now: Date): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await pool.query(
    `UPDATE event_consumers SET failures = failures + 1, last_error = $2, failed_at = $3::timestamptz,
            retry_at = $3::timestamptz + make_interval(secs => least($4::float8, 2 ^ failures)),
            failed_batch_end = greatest(failed_batch_end, $5) WHERE name = $1`,
    [name, message.slice(0, 2000), now, MAX_BACKOFF_MS / 1000, batchEnd]);
}

/**
 * Waits for a batch of the consumer in progress and keeps its next one from starting until the
 * caller's transaction ends (its runner skips it meanwhile and comes back in 100 ms): a change the
 * consumer's batches must not meet half-way (an early warning's close).
 */
export async function holdConsumer(tx: Queryable, name: string): Promise<void> {
  await tx.query(prepared('SELECT 1 FROM event_consumers WHERE name = $1 FOR UPDATE', [name]));
}

/**
 * Moves a consumer's cursor forward to `to` (never back) when its work on the events in between was
 * done another way: a rebuild of the rollups counted them from the orders. Only when every event of
 * its types in between is of `cityCode`: another city's still wait for it. Returns whether it moved.
 */
export async function skipTo(pool: pg.Pool, consumer: Consumer, to: Cursor, cityCode: string): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    // waits for a batch in progress, whose cursor commits first
    const row = (await tx.query('SELECT tx_id::text AS tx_id, position FROM event_consumers WHERE name = $1 FOR UPDATE', [consumer.name])).rows[0];
    if (!row || !isAfter(to, { txId: row.tx_id, position: Number(row.position) })) return false;
    const others = await tx.query(`SELECT EXISTS (SELECT 1 FROM events WHERE (tx_id, id) > ($1::xid8, $2::bigint) AND (tx_id, id) <= ($3::xid8, $4::bigint)
      AND city_code <> $5 AND type = ANY($6::text[])) AS others`, [row.tx_id, row.position, to.txId, to.position, cityCode, consumer.types]);
    if (others.rows[0].others === true) return false;
    await tx.query('UPDATE event_consumers SET tx_id = $2::xid8, position = $3, updated_at = now() WHERE name = $1', [consumer.name, to.txId, to.position]);
    return true;
  });
}

/**
 * Whether any of `consumers` has events after its cursor (asked after a pass, in a snapshot of its
 * own; see eventsAfter). Not one backing off after a failure: its retry has its own time.
 */
export async function consumersBehind(db: Queryable, consumers: readonly Consumer[]): Promise<boolean> {
  const last = await lastCommitted(db); // see eventsAfter: a plan that cannot scan the log
  const result = await db.query(prepared(
    `SELECT EXISTS (SELECT 1 FROM event_consumers WHERE name = ANY($1::text[]) AND (retry_at IS NULL OR retry_at <= now())
        AND (tx_id, position) < ($2::xid8, $3::bigint)) AS behind`, [consumers.map((c) => c.name), last.txId, last.position]));
  return result.rows[0].behind === true;
}

/** Runs a consumer until it has caught up (or is held elsewhere, or failing). */
export async function drain(pool: pg.Pool, consumer: Consumer, now?: Date): Promise<BatchOutcome> {
  for (;;) {
    const outcome = await runBatch(pool, consumer, now ?? new Date());
    if (outcome !== 'more') return outcome;
  }
}

/**
 * Drains `consumer` until it has handled every event committed before the call (tests, the CLI).
 * `drain` alone may stop short: another runner holds the consumer ('busy'), or a write transaction
 * still running anywhere on the server (another database's too: PostgreSQL's transaction ids are
 * the server's) keeps the log's readable head below the events committed after it began.
 */
export async function drainCommitted(pool: pg.Pool, consumer: Consumer, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const last = await lastCommitted(pool);
  for (;;) {
    const outcome = await drain(pool, consumer);
    if (outcome === 'failed') throw new Error(`consumer ${consumer.name} failed: see event_consumers`);
    if (outcome === 'waiting') return; // backing off after a failure: /healthz tells
    const place = await pool.query(`SELECT (tx_id, position) >= ($2::xid8, $3::bigint) AS caught FROM event_consumers WHERE name = $1`,
      [consumer.name, last.txId, last.position]);
    if (place.rowCount === 0) throw new Error(`consumer ${consumer.name} is not registered (ensureConsumers)`);
    if (place.rows[0].caught === true) return;
    if (Date.now() > deadline) throw new Error(`consumer ${consumer.name} did not reach the log's last event within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface ConsumerStatus {
  name: string;
  /** the last event handled */
  position: number;
  handled: number;
  /** events after the cursor, counted up to 10,000 */
  behind: number;
  /** the oldest event not yet handled, and how long it has waited (ms) */
  oldestPendingAt: string | null;
  lagMs: number;
  failures: number;
  lastError: string | null;
  retryAt: string | null;
}

/** Every consumer's place, lag and failures (/healthz). */
export async function consumerStatus(db: Queryable, now = new Date()): Promise<ConsumerStatus[]> {
  const result = await db.query(
    `SELECT c.*, p.behind, p.oldest
       FROM event_consumers c
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS behind, min(e.at) AS oldest
           FROM (SELECT at FROM events WHERE (tx_id, id) > (c.tx_id, c.position) ORDER BY tx_id, id LIMIT 10000) e) p
      ORDER BY c.name`);
  return result.rows.map((r) => ({
    name: r.name, position: Number(r.position), handled: Number(r.handled), behind: r.behind,
    oldestPendingAt: r.oldest?.toISOString() ?? null, lagMs: r.oldest ? Math.max(0, now.getTime() - r.oldest.getTime()) : 0,
    failures: r.failures, lastError: r.last_error, retryAt: r.retry_at?.toISOString() ?? null,
  }));
}

/**
 * Runs `consumers` in this process: at once, whenever `wake` fires (events were committed; after
 * `settleMs`, when given), and every `pollMs` in case a wake-up was lost. One pass at a time; a
 * wake-up during a pass asks for another. Returns the function that stops it (after the pass in
 * progress).
 */
export function startConsumers(pool: pg.Pool, consumers: readonly Consumer[], options: {
  wake: (listener: () => void) => Promise<() => void>; pollMs: number; log: (error: unknown) => void;
  /**
   * Waits this long after a wake-up before a pass: on an engine that runs one transaction at a
   * time (PGlite), the requests and the live stream go first, and the pass takes the events of
   * several commits in one batch.
   */
  settleMs?: number;
}): () => Promise<void> {
  let stopped = false;
  let again = false;
  let running: Promise<void> | null = null;
  // a batch of each consumer in turn, while any has more: under a steady load no consumer waits for another to run dry
  const pass = async () => {
    let more = false;
    do {
      again = false;
      more = false;
      for (const consumer of consumers) {
        if (stopped) return;
        const outcome = await runBatch(pool, consumer).catch((error: unknown) => { options.log(error); return 'failed' as const; });
        if (outcome === 'more') more = true;
      }
    } while ((again || more) && !stopped);
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().then(retryIfHeld).finally(() => {
      running = null;
      if (again) kick(); // a wake-up while the pass was ending
    });
  };
  // events a pass left behind (committed behind a transaction that was running, which may have
  // ended since without a wake-up) are read soon, not at the next poll: again after 100 ms, then
  // twice as long each time some are still left, up to the poll
  let retry: NodeJS.Timeout | null = null;
  let heldDelay = HELD_RETRY_MS;
  const retryIfHeld = async () => {
    const held = await consumersBehind(pool, consumers).catch(() => false);
    if (!held) heldDelay = HELD_RETRY_MS;
    if (!held || stopped || retry) return;
    retry = setTimeout(() => { retry = null; kick(); }, heldDelay);
    retry.unref();
    heldDelay = Math.min(heldDelay * 2, options.pollMs);
  };
  const timer = setInterval(kick, options.pollMs);
  timer.unref();
  let settling: NodeJS.Timeout | null = null;
  const woken = options.settleMs ? () => { settling ??= setTimeout(() => { settling = null; kick(); }, options.settleMs); } : kick;
  let unlisten: (() => void) | null = null;
  const listening = options.wake(woken).then((f) => (unlisten = f), options.log);
  kick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (settling) clearTimeout(settling);
    if (retry) clearTimeout(retry);
    await listening;
    unlisten?.();
    await running;
  };
}
