// The webhooks' sender: each due subscription, in turn, gets the next events of the log that are its
// own (the orders its unit may see, of the types it asked for), up to BATCH in one POST, signed.
// Its cursor moves past them only when the receiver answers 2xx: the events arrive in the order of
// the log, and a refused or failed batch is sent again, after 10 s, 20 s, 40 s … at most 30 min.
// A subscription is claimed for LEASE_MS before its batch is sent, so two processes never send it
// at once; a process that dies mid-send leaves the lease to expire and the batch is sent again
// (at least once: the receiver dedupes by each event's position, as docs/webhooks.md says).
import { createHmac } from 'node:crypto';
import type pg from 'pg';
import { startPolling } from '../../shared/polling.js';
import type { Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { headCursor, publicEvent, readAfter, type Cursor, type StoredEvent } from '../events/index.js';
import { maySeeEvent } from '../orders/index.js';
import { checkUrl } from './subscriptions.js';

/** Events in one POST at most. */
export const BATCH = 100;
/** Events read from the log per try, its own among them sent. */
const READ = 1000;
const TIMEOUT_MS = 10_000;
const LEASE_MS = 60_000;
const KEEP_ATTEMPTS_DAYS = 30;
/** The wait before the next try after `failures` failed ones in a row: 10 s, 20 s, 40 s … at most 30 min. */
export const backoffMs = (failures: number) => Math.min(10_000 * 2 ** (failures - 1), 30 * 60_000);

/** The signature header's value: the time signed and the HMAC-SHA256 of `${t}.${body}` with the secret (as docs/webhooks.md shows how to check). */
export function signature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

interface Claimed {
  city_code: string; id: string; unit_id: string | null; name: string; url: string; secret: string; types: string[] | null;
  cursor_tx: string; cursor_position: string; failures: number;
}

/** The events after the cursor that are the subscription's, at most BATCH, and where the cursor goes once they are taken. */
async function nextBatch(db: Queryable, s: Claimed): Promise<{ events: StoredEvent[]; through: Cursor | null; more: boolean }> {
  const read = await readAfter(db, { txId: s.cursor_tx, position: Number(s.cursor_position) }, READ);
  const reader: Actor = { kind: 'api_key', id: s.id, name: s.name, cityCode: s.city_code, roles: [], unitId: s.unit_id, unitPath: null, scopes: ['orders:read'] };
  const events: StoredEvent[] = [];
  for (const e of read) {
    if (!maySeeEvent(reader, e) || (s.types && !s.types.includes(e.type))) continue;
    events.push(e);
    if (events.length === BATCH) break;
  }
  // a full batch: through its last event; otherwise past everything read (the others' events are passed over)
  const last = events.length === BATCH ? events.at(-1)! : read.at(-1);
  return { events, through: last ? { txId: last.txId, position: last.position } : null, more: events.length === BATCH || read.length === READ };
}

/** A try of a batch (never empty), and how it went. */
async function record(db: Queryable, s: Claimed, events: StoredEvent[], outcome: { status: number | null; ms: number; error: string | null }) {
  await db.query(`INSERT INTO webhook_attempts (city_code, subscription_id, first_position, last_position, events, status, ms, error)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [s.city_code, s.id, events[0]!.position, events.at(-1)!.position, events.length,
    outcome.status, outcome.ms, outcome.error]);
}

/** Posts the batch; the HTTP status, or the error that kept it from being answered. */
async function post(s: Claimed, events: StoredEvent[], allowPrivate: boolean): Promise<{ status: number | null; ms: number; error: string | null }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    // checked again at each send: a name may resolve elsewhere than when the subscription was made
    await checkUrl(s.url, allowPrivate);
    const body = JSON.stringify({ subscriptionId: s.id, events: events.map(publicEvent) });
    const response = await fetch(s.url, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'content-type': 'application/json', 'user-agent': 'Minsheng-Webhooks/1', 'minsheng-signature': signature(s.secret, body),
        'minsheng-delivery': `${s.id}:${events[0]!.position}-${events.at(-1)!.position}` },
    });
    await response.body?.cancel();
    return { status: response.status, ms: ms(), error: response.ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return { status: null, ms: ms(), error: error instanceof Error ? error.message : String(error) };
  }
}

/** One subscription's turn: its next batch sent (or the events passed over), its cursor and next try set; whether more may wait. */
async function deliver(pool: pg.Pool, s: Claimed, allowPrivate: boolean): Promise<boolean> {
  const { events, through, more } = await nextBatch(pool, s);
  const key = [s.city_code, s.id];
  if (events.length === 0) {
    // nothing of its own: past what was read (if anything was), due again at once
    await pool.query(`UPDATE webhook_subscriptions SET cursor_tx = coalesce($3::xid8, cursor_tx), cursor_position = coalesce($4::bigint, cursor_position),
      next_attempt_at = now() WHERE city_code = $1 AND id = $2`, [...key, through?.txId ?? null, through?.position ?? null]);
    return more;
  }
  const outcome = await post(s, events, allowPrivate);
  if (outcome.error === null) {
    await pool.query(`UPDATE webhook_subscriptions SET cursor_tx = $3::xid8, cursor_position = $4, failures = 0, next_attempt_at = now(),
      last_error = NULL, last_delivered_at = now() WHERE city_code = $1 AND id = $2`, [...key, through!.txId, through!.position]);
  } else {
    await pool.query(`UPDATE webhook_subscriptions SET failures = failures + 1, last_error = $3,
      next_attempt_at = now() + ($4::int * interval '1 millisecond') WHERE city_code = $1 AND id = $2`, [...key, outcome.error, backoffMs(s.failures + 1)]);
  }
  await record(pool, s, events, outcome);
  return outcome.error === null && more;
}

/**
 * One round: the due subscriptions behind the head of the log (at most `limit`) claimed and served
 * side by side; how many may have more waiting (a full batch sent).
 */
export async function deliverDue(pool: pg.Pool, options: { allowPrivate: boolean; limit?: number }): Promise<number> {
  const head = await headCursor(pool);
  const claimed = await pool.query<Claimed>(`
    UPDATE webhook_subscriptions w SET next_attempt_at = now() + ($1::int * interval '1 millisecond')
      FROM (SELECT city_code, id FROM webhook_subscriptions
             WHERE active AND next_attempt_at <= now() AND (cursor_tx, cursor_position) < ($3::xid8, $4::bigint)
             ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
     WHERE w.city_code = due.city_code AND w.id = due.id
    RETURNING w.city_code, w.id, w.unit_id, w.name, w.url, w.secret, w.types, w.cursor_tx::text, w.cursor_position, w.failures`,
  [LEASE_MS, options.limit ?? 20, head.txId, head.position]);
  const more = await Promise.all(claimed.rows.map((s) => deliver(pool, s, options.allowPrivate)));
  return more.filter(Boolean).length;
}

/** Runs rounds every `pollMs` until stopped; old tries are forgotten once an hour. */
export function startWebhookSender(pool: pg.Pool, options: { pollMs: number; allowPrivate: boolean; log: (error: unknown) => void }): () => Promise<void> {
  let pruned = 0;
  return startPolling(async (stopped) => {
    while (!stopped() && (await deliverDue(pool, options)) > 0) { /* a full batch went: more may wait */ }
    if (Date.now() - pruned > 3_600_000) {
      pruned = Date.now();
      await pool.query(`DELETE FROM webhook_attempts WHERE at < now() - interval '${KEEP_ATTEMPTS_DAYS} days'`);
    }
  }, options);
}
