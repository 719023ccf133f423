// The SMS outbox: what the hotline tells a citizen by SMS, decided by a durable consumer of the
// event log and sent by a sender that never sends a message twice.
// - On registration by SMS or phone: the tracking number and the portal's lookup code.
// - On the answer (a unit's reply; a direct answer to an SMS): a notice that it is there to read.
// - For a request that came by SMS and has a return visit queued: the survey "回复 1 满意 2 基本满意
//   3 不满意"; the citizen's answer comes back through the inbound callback (inbound.ts).
// The consumer writes the rows in the transaction that moves its cursor, one per event and kind.
// The sender claims one due row at a time (status 'sending', committed) just before it calls the
// provider: a crash in between leaves the row 'sending', later marked 'unknown', never sent again.
// A refusal that a later try may get past (flow control, the provider down) is retried with back-off.
import type pg from 'pg';
import { prepared, type Queryable } from '../../../db/tx.js';
import type { Consumer, StoredEvent } from '../../events/index.js';
import { citizenContacts } from '../../orders/index.js';
import { countMessage } from '../counts.js';
import { lookupCode } from '../portal.js';
import { isMobile, type SendOutcome, type SmsKind, type SmsProvider } from './provider.js';

export const SMS_CHANNEL = 'sms';
/** Channels whose citizens get their tracking number by SMS (the portal shows it on the page). */
const TOLD_ON_INTAKE = ['sms', 'phone'];
/** Channels whose citizens are told by SMS that the answer is there (the others hear back on their own channel). */
const TOLD_OF_ANSWER = ['sms', 'phone', 'web'];

/** Tries before a message that keeps being refused for a passing reason fails. */
export const MAX_ATTEMPTS = 6;
/** A message not sent within a day is no longer worth sending. */
const EXPIRES_MS = 24 * 3_600_000;
/** A claim older than this whose send never finished: the process died during the call. */
const STUCK_MS = 5 * 60_000;
/** The wait before try n + 1: 30 s, 1 min, 2 min … at most 30 min. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 30 * 60_000);

interface Wanted { event: StoredEvent; kind: SmsKind }

/** The messages an event asks for, given the order's channel. */
function wantedBy(e: StoredEvent, channel: string): SmsKind[] {
  const p = e.payload as { returnVisit?: string };
  switch (e.type) {
    case 'order.registered': return TOLD_ON_INTAKE.includes(channel) ? ['intake'] : [];
    case 'order.replied':
      return [...(TOLD_OF_ANSWER.includes(channel) ? ['reply' as const] : []), ...(channel === SMS_CHANNEL && p.returnVisit === 'queued' ? ['survey' as const] : [])];
    case 'order.answered_directly': // a caller on the phone heard the answer there
      return channel === SMS_CHANNEL ? ['reply', ...(p.returnVisit === 'queued' ? ['survey' as const] : [])] : [];
    default: return [];
  }
}

export const smsOutboxConsumer: Consumer = {
  name: 'sms-outbox',
  types: ['order.registered', 'order.replied', 'order.answered_directly'],
  async handle(tx, events) {
    for (const cityCode of new Set(events.map((e) => e.cityCode))) {
      const cityEvents = events.filter((e) => e.cityCode === cityCode);
      const contacts = await citizenContacts(tx, cityCode, [...new Set(cityEvents.map((e) => e.streamId))]);
      const wanted: Wanted[] = [];
      for (const event of cityEvents) {
        const contact = contacts.get(event.streamId);
        if (!contact || !isMobile(contact.phone)) continue;
        for (const kind of wantedBy(event, contact.channel)) wanted.push({ event, kind });
      }
      if (wanted.length === 0) continue;
      await tx.query(prepared(
        `INSERT INTO sms_outbox (city_code, order_id, event_position, kind, phone, params, next_at, created_at)
         SELECT $1, w.order_id, w.position, w.kind, w.phone, jsonb_build_object('trackingNo', w.tracking_no), w.at, w.at
           FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
                AS w (order_id, position, kind, phone, tracking_no, at)
         ON CONFLICT (city_code, event_position, kind) DO NOTHING`,
        [cityCode, wanted.map((w) => w.event.streamId), wanted.map((w) => w.event.position), wanted.map((w) => w.kind),
          wanted.map((w) => contacts.get(w.event.streamId)!.phone), wanted.map((w) => contacts.get(w.event.streamId)!.trackingNo),
          wanted.map((w) => w.event.at)]));
    }
  },
};

interface Claimed { id: string; cityCode: string; kind: SmsKind; phone: string; params: Record<string, string>; attempts: number }

/**
 * Marks what can no longer be sent: claims that never finished (unknown) and messages a day old
 * (expired). Two statements, each read through its own partial index: it runs every second.
 */
export async function settleOutbox(pool: pg.Pool, now = new Date()): Promise<void> {
  const stuck = await pool.query(prepared(
    `UPDATE sms_outbox SET status = 'unknown', last_error = 'the process stopped during the send'
      WHERE status = 'sending' AND next_at < $1::timestamptz - make_interval(secs => $2) RETURNING city_code`, [now, STUCK_MS / 1000]));
  const expired = await pool.query(prepared(
    `UPDATE sms_outbox SET status = 'expired'
      WHERE status = 'pending' AND created_at < $1::timestamptz - make_interval(secs => $2) RETURNING city_code`, [now, EXPIRES_MS / 1000]));
  for (const row of stuck.rows) await countMessage(pool, row.city_code, SMS_CHANNEL, 'failed', 'SMS_OUTCOME_UNKNOWN', now);
  for (const row of expired.rows) await countMessage(pool, row.city_code, SMS_CHANNEL, 'failed', 'SMS_EXPIRED', now);
}

/** Claims the next due message: committed as 'sending', stamped with the moment of the claim, just before its send. */
async function claimNext(pool: pg.Pool, now: Date): Promise<Claimed | null> {
  const r = await pool.query(prepared(
    `UPDATE sms_outbox o SET status = 'sending', attempts = attempts + 1, next_at = $1
       FROM (SELECT id, city_code FROM sms_outbox WHERE status = 'pending' AND next_at <= $1 ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
      WHERE o.id = due.id AND o.city_code = due.city_code
      RETURNING o.id, o.city_code, o.kind, o.phone, o.params, o.attempts`, [now]));
  const row = r.rows[0];
  return row ? { id: row.id, cityCode: row.city_code, kind: row.kind, phone: row.phone, params: row.params, attempts: row.attempts } : null;
}

/** The template's variables: the lookup code is derived at sending, never stored beside the number. */
async function paramsOf(pool: pg.Pool, message: Claimed): Promise<Record<string, string>> {
  if (message.kind === 'survey') return message.params;
  return { ...message.params, lookupCode: await lookupCode(pool, message.cityCode, message.params.trackingNo!) };
}

/** Records a send's outcome, if the claim still holds (only a claim 5 minutes old is settled by another process). */
async function record(pool: pg.Pool, message: Claimed, outcome: SendOutcome, now: Date): Promise<void> {
  const where = `WHERE id = $1 AND city_code = $2 AND status = 'sending'`;
  if (outcome.status === 'sent') {
    const done = await pool.query(prepared(`UPDATE sms_outbox SET status = 'sent', sent_at = $3, provider_ref = $4, last_error = NULL ${where}`,
      [message.id, message.cityCode, now, outcome.providerRef]));
    if (done.rowCount) await countMessage(pool, message.cityCode, SMS_CHANNEL, 'sent', message.kind, now);
    return;
  }
  const again = outcome.status === 'refused' && outcome.retry && message.attempts < MAX_ATTEMPTS;
  const status = again ? 'pending' : outcome.status === 'unknown' ? 'unknown' : 'failed';
  const done = await pool.query(prepared(`UPDATE sms_outbox SET status = $3, next_at = $4, last_error = $5 ${where}`,
    [message.id, message.cityCode, status, new Date(now.getTime() + (again ? backoffMs(message.attempts) : 0)),
      `${outcome.code}: ${outcome.message}`.slice(0, 500)]));
  if (done.rowCount && !again) {
    await countMessage(pool, message.cityCode, SMS_CHANNEL, 'failed', outcome.status === 'unknown' ? 'SMS_OUTCOME_UNKNOWN' : outcome.code, now);
  }
}

/**
 * Sends the messages due at `now`, one claim at a time (up to `limit`); returns how many it tried.
 * A failure before the provider is called puts the message back as it was; once it is called, the
 * claim stands until its outcome is recorded (a crash then leaves it 'sending': later 'unknown').
 */
export async function sendDueMessages(pool: pg.Pool, provider: SmsProvider, now = new Date(), limit = 50): Promise<number> {
  await settleOutbox(pool, now);
  let tried = 0;
  for (; tried < limit; tried++) {
    const message = await claimNext(pool, now);
    if (!message) break;
    let params: Record<string, string>;
    try {
      params = await paramsOf(pool, message);
    } catch (error) {
      await pool.query(prepared(`UPDATE sms_outbox SET status = 'pending', attempts = attempts - 1 WHERE id = $1 AND city_code = $2 AND status = 'sending'`,
        [message.id, message.cityCode]));
      throw error;
    }
    const outcome = await provider.send({ phone: message.phone, kind: message.kind, params, outId: String(message.id) })
      .catch((error: unknown): SendOutcome => ({ status: 'unknown', code: 'SMS_PROVIDER_ERROR', message: String(error) }));
    await record(pool, message, outcome, now);
  }
  return tried;
}

/**
 * Runs the sender in this process every `pollMs` (any number of processes may: a message is
 * claimed by one). With no provider, it only settles the outbox: messages a day old expire.
 * Returns the function that stops it, after the round in progress.
 */
export function startSmsSender(pool: pg.Pool, provider: SmsProvider | null, options: { pollMs: number; log: (error: unknown) => void }):
  () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    try {
      if (!provider) await settleOutbox(pool);
      else while (!stopped && (await sendDueMessages(pool, provider)) > 0) { /* a full round: more may be due */ }
    } catch (error) {
      options.log(error);
    }
    if (!stopped) timer = setTimeout(() => { running = round(); }, options.pollMs);
  };
  running = round();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

export interface SmsOfOrder { kind: SmsKind; status: string; attempts: number; createdAt: string; sentAt: string | null; answeredAt: string | null }

/** The messages sent (or to be sent) about an order, oldest first: for the order's page and the tests. */
export async function smsOfOrder(db: Queryable, cityCode: string, orderId: string): Promise<SmsOfOrder[]> {
  const r = await db.query(prepared(
    'SELECT kind, status, attempts, created_at, sent_at, answered_at FROM sms_outbox WHERE city_code = $1 AND order_id = $2 ORDER BY id', [cityCode, orderId]));
  return r.rows.map((row) => ({ kind: row.kind, status: row.status, attempts: row.attempts, createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null, answeredAt: row.answered_at?.toISOString() ?? null }));
}
