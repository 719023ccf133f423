import type pg from 'pg';

// Every advisory lock the platform takes, in one place: the keys are one number space per database,
// and two locks sharing a key wait for each other for no reason (the classifier's scheduling once
// shared the bulk load's key: a server starting during a load waited for the whole load).
export const ADVISORY_LOCKS = {
  /** serialises start-ups of several processes on one database, and a bulk load's drop of indexes */
  migration: 1_234_512_345,
  /** held by a bulk load from its drop of indexes to its last build (src/db/bulk-load.ts) */
  bulkLoad: 1_234_512_346,
  /** one process at a time decides whether the classifier's jobs are scheduled */
  classifySchedule: 1_234_512_347,
  /** one rebuild of the rollups at a time */
  rollupsRebuild: 1_234_512_348,
  /** one process at a time decides whether the reports' schedule is set */
  reportSchedule: 1_234_512_349,
  /** one draw of quality-review samples at a time (a transaction's lock): two would both top up the same agents */
  qualityDraw: 1_234_512_350,
  /** one process at a time decides whether the sweep of lost calls is scheduled */
  lostCallsSchedule: 1_234_512_351,
  /** the hourly check of knowledge articles past their validity: scheduled once */
  knowledgeExpirySchedule: 1_234_512_352,
  /** one runner at a time reads ahead and prepares a consumer's batch (with the hash of the consumer's name) */
  consumerPreparing: 1_234_512_353,
} as const;

/**
 * Holds a session-level advisory lock on a connection of its own until the returned release is
 * called (a wait when another process holds it). On PGlite every connection is the one session, which
 * may take the lock again: it excludes nothing there, where the folder is one process's anyway.
 */
export async function holdSessionLock(pool: pg.Pool, key: number): Promise<() => Promise<void>> {
  return (await sessionLock(pool, 'pg_advisory_lock($1)', 'pg_advisory_unlock($1)', [key]))!;
}

/**
 * Takes the session-level advisory lock (key, hash of `name`) on a connection of its own if no other
 * session holds it, without waiting: its release, or null when another session holds it. On PGlite,
 * one session, it is always taken (as holdSessionLock's, it excludes nothing there).
 */
export function tryHoldSessionLock(pool: pg.Pool, key: number, name: string): Promise<(() => Promise<void>) | null> {
  return sessionLock(pool, 'pg_try_advisory_lock($1, hashtext($2))', 'pg_advisory_unlock($1, hashtext($2))', [key, name]);
}

/** Runs `lock` (true when taken; a blocking lock returns nothing) on a connection kept until the release runs `unlock`. */
async function sessionLock(pool: pg.Pool, lock: string, unlock: string, args: unknown[]): Promise<(() => Promise<void>) | null> {
  // a pool of one connection cannot keep one aside for the lock
  if ((pool.options.max ?? 10) <= 1) return async () => undefined;
  const holder = await pool.connect();
  let taken: boolean;
  try {
    taken = (await holder.query(`SELECT ${lock} AS taken`, args)).rows[0].taken !== false;
  } catch (error) {
    holder.release();
    throw error;
  }
  if (!taken) {
    holder.release();
    return null;
  }
  return async () => {
    try {
      await holder.query(`SELECT ${unlock}`, args);
      holder.release();
    } catch (error) {
      holder.release(error as Error); // closed, not pooled: the lock goes with its session
    }
  };
}
