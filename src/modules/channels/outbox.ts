// The outbox: what the hotline tells a citizen after their request, on the channel they used,
// decided by a durable consumer of the event log and sent by a sender that never sends a message twice.
// - By SMS, for requests by SMS, phone, the portal, the app and Open311 with a mobile number: on registration by SMS or
//   phone, the tracking number and the portal's lookup code; on the answer, a notice that it is
//   there to read; for a request by SMS with a return visit queued, the survey "回复 1 满意 2 基本满意
//   3 不满意".
// - On WeChat and Weibo, to the follower who sent the request (its number was in the account's
//   immediate reply): the notice of the answer, and the survey when a return visit is queued.
// - To the citizens of requests merged into the answered one: the notice, on each one's own channel.
// A survey's answer comes back as the citizen's next message on that channel (surveys.ts).
// The consumer writes the rows in the transaction that moves its cursor, one per event, order and kind.
// The sender claims one due row at a time (status 'sending', committed) just before it calls the
// channel's messenger: a crash in between leaves the row 'sending', later marked 'unknown', never
// sent again. A refusal that a later try may get past (flow control, the provider down) is retried
// with back-off. A channel with no messenger configured keeps its messages until they expire.
import type pg from 'pg';
import { startPolling } from '../../shared/polling.js';
import { prepared, type Queryable } from '../../db/tx.js';
import { readStream, type Consumer, type StoredEvent } from '../events/index.js';
import { citizenContacts, duplicatesOf } from '../orders/index.js';
import { countMessage } from './counts.js';
import type { Messenger, MessageKind, SendOutcome } from './messenger.js';
import { lookupCode } from './portal.js';

export const SMS_CHANNEL = 'sms';
/** Channels whose citizens are told by SMS: their tracking number (the portal shows it on the page), and the answer. */
const TOLD_ON_INTAKE = ['sms', 'phone'];
const TOLD_OF_ANSWER = ['sms', 'phone', 'web', 'app', 'open311'];
/** Channels whose citizens hear back on the channel itself, at the identity that sent the request. */
const CONVERSING = ['wechat', 'weibo'];

/** A mainland China mobile number: what an SMS can reach. */
export const isMobile = (phone: string | null | undefined): phone is string => !!phone && /^1[3-9]\d{9}$/.test(phone);

/** Tries before a message that keeps being refused for a passing reason fails. */
export const MAX_ATTEMPTS = 6;
/** A message not sent within a day is no longer worth sending. */
const EXPIRES_MS = 24 * 3_600_000;
/** A claim older than this whose send never finished: the process died during the call. */
const STUCK_MS = 5 * 60_000;
/** The wait before try n + 1: 30 s, 1 min, 2 min … at most 30 min. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** (attempts - 1), 30 * 60_000);

interface Contact { phone: string | null; channel: string; channelRef: string | null; byCitizen: boolean; trackingNo: string }
/** A message an event asks for; `at`, when it is asked later than its event (a merge after the answer). */
interface Wanted { event: StoredEvent; orderId: string; kind: MessageKind; channel: string; address: string; at?: string }

/** Events that are the order's answer: its citizen, and those of the requests merged into it, are told. */
const ANSWERS = ['order.replied', 'order.answered_directly'];

/** The answer's messages: the notice, and the survey if a return visit is queued and the channel takes its answer. */
function answerKinds(e: StoredEvent, surveyed: boolean): MessageKind[] {
  return ['reply', ...(surveyed && (e.payload as { returnVisit?: string }).returnVisit === 'queued' ? ['survey' as const] : [])];
}

/** Where on its channel an order's citizen is told: the identity that sent it, or their mobile number by SMS; null if nowhere. */
function addressOf(contact: Contact): { channel: string; address: string } | null {
  if (CONVERSING.includes(contact.channel)) {
    // the identity that sent the request, if the channel's callback registered it (its reference is
    // identity:message id); an order staff registered as from WeChat has no one to answer there
    const identity = contact.byCitizen ? /^([^:]+):/.exec(contact.channelRef ?? '')?.[1] : undefined;
    return identity ? { channel: contact.channel, address: identity } : null;
  }
  return isMobile(contact.phone) ? { channel: SMS_CHANNEL, address: contact.phone } : null;
}

/** The messages an event asks for its own order's citizen. */
function wantedBy(e: StoredEvent, contact: Contact): Wanted[] {
  const to = addressOf(contact);
  if (!to) return [];
  const { channel } = contact;
  const kinds: MessageKind[] = CONVERSING.includes(channel)
    // the account's immediate reply told them the number
    ? (e.type === 'order.registered' ? [] : answerKinds(e, true))
    : e.type === 'order.registered' ? (TOLD_ON_INTAKE.includes(channel) ? ['intake'] : [])
      : e.type === 'order.replied' ? (TOLD_OF_ANSWER.includes(channel) ? answerKinds(e, channel === SMS_CHANNEL) : [])
        // a direct answer: a caller on the phone heard it there
        : channel === SMS_CHANNEL ? answerKinds(e, true) : [];
  return kinds.map((kind) => ({ event: e, orderId: e.streamId, kind, ...to }));
}

/**
 * The notice the citizen of a request merged into the answered one gets, on their own channel and
 * under their own number (their tracking page says the request it joined was answered, and by
 * whom; the answer's words are the other citizen's), where their own answer would be told. No
 * survey: the return visit is the target's.
 */
function mergedNotice(answer: StoredEvent, orderId: string, contact: Contact, at = answer.at): Wanted[] {
  const to = addressOf(contact);
  const told = CONVERSING.includes(contact.channel) || TOLD_OF_ANSWER.includes(contact.channel);
  return to && told ? [{ event: answer, orderId, kind: 'reply', ...to, at }] : [];
}

interface LateMerge { answer: StoredEvent; orderId: string; at: string }

/**
 * A request merged into one already answered: the notice of that answer, written under the
 * answer's event, unless the answer's own turn wrote it (the merge came before the consumer read
 * the answer): one row per answer, order and kind either way.
 */
async function lateMerge(tx: Queryable, e: StoredEvent): Promise<LateMerge | null> {
  const answer = (await readStream(tx, e.cityCode, e.streamId)).filter((a) => ANSWERS.includes(a.type) && a.seq < e.seq).at(-1);
  return answer ? { answer, orderId: String((e.payload as { sourceOrderId: string }).sourceOrderId), at: e.at } : null;
}

export const outboxConsumer: Consumer = {
  // named when it wrote SMS only: the name is the key of its cursor in the log, kept
  name: 'sms-outbox',
  types: ['order.registered', 'order.replied', 'order.answered_directly', 'order.duplicate_merged'],
  async handle(tx, events) {
    for (const cityCode of new Set(events.map((e) => e.cityCode))) {
      const cityEvents = events.filter((e) => e.cityCode === cityCode);
      const duplicates = await duplicatesOf(tx, cityCode, [...new Set(cityEvents.filter((e) => ANSWERS.includes(e.type)).map((e) => e.streamId))]);
      // one after another: the transaction's one connection takes one query at a time
      const late: LateMerge[] = [];
      for (const e of cityEvents.filter((x) => x.type === 'order.duplicate_merged')) {
        const merge = await lateMerge(tx, e);
        if (merge) late.push(merge);
      }
      const orderIds = [...new Set([...cityEvents.map((e) => e.streamId), ...[...duplicates.values()].flat(), ...late.map((m) => m.orderId)])];
      const contacts = await citizenContacts(tx, cityCode, orderIds);
      const wanted = [...cityEvents.flatMap((event) => {
        const contact = contacts.get(event.streamId);
        const merged = ANSWERS.includes(event.type) ? duplicates.get(event.streamId) ?? [] : [];
        return [...(contact && event.type !== 'order.duplicate_merged' ? wantedBy(event, contact) : []),
          ...merged.flatMap((id) => (contacts.has(id) ? mergedNotice(event, id, contacts.get(id)!) : []))];
      }), ...late.flatMap((m) => (contacts.has(m.orderId) ? mergedNotice(m.answer, m.orderId, contacts.get(m.orderId)!, m.at) : []))];
      // an event read more than a day after it (a history loaded, or replayed) asks for nothing: its
      // message would expire unsent (half a million rows at a million loaded orders, expired at the
      // first start of a server)
      const due = wanted.filter((w) => Date.parse(w.at ?? w.event.at) > Date.now() - EXPIRES_MS);
      if (due.length === 0) continue;
      await tx.query(prepared(
        `INSERT INTO outbox (city_code, order_id, event_position, kind, channel, address, params, next_at, created_at)
         SELECT $1, w.order_id, w.position, w.kind, w.channel, w.address, jsonb_build_object('trackingNo', w.tracking_no), w.at, w.at
           FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
                AS w (order_id, position, kind, channel, address, tracking_no, at)
         ON CONFLICT (city_code, event_position, order_id, kind) DO NOTHING`,
        [cityCode, due.map((w) => w.orderId), due.map((w) => w.event.position), due.map((w) => w.kind),
          due.map((w) => w.channel), due.map((w) => w.address), due.map((w) => contacts.get(w.orderId)!.trackingNo),
          due.map((w) => w.at ?? w.event.at)]));
    }
  },
};

interface Claimed { id: string; cityCode: string; kind: MessageKind; channel: string; address: string; params: Record<string, string>; attempts: number }

/** The code a failure is counted under on its channel's counters: SMS_EXPIRED, WECHAT_OUTCOME_UNKNOWN … */
const failure = (channel: string, what: 'OUTCOME_UNKNOWN' | 'EXPIRED') => `${channel.toUpperCase()}_${what}`;

/**
 * Marks what can no longer be sent: claims that never finished (unknown) and messages a day old
 * (expired). Two statements, each read through its own partial index: it runs every second.
 */
export async function settleOutbox(pool: pg.Pool, now = new Date()): Promise<void> {
  // counted in the statement, once per city and channel, however many: a day of a channel with no
  // messenger expires at once, and its rows need not come back to be counted
  const stuck = await pool.query(prepared(
    `WITH settled AS (UPDATE outbox SET status = 'unknown', last_error = 'the process stopped during the send'
      WHERE status = 'sending' AND next_at < $1::timestamptz - make_interval(secs => $2) RETURNING city_code, channel)
     SELECT city_code, channel, count(*)::int AS n FROM settled GROUP BY 1, 2`, [now, STUCK_MS / 1000]));
  const expired = await pool.query(prepared(
    `WITH settled AS (UPDATE outbox SET status = 'expired'
      WHERE status = 'pending' AND created_at < $1::timestamptz - make_interval(secs => $2) RETURNING city_code, channel)
     SELECT city_code, channel, count(*)::int AS n FROM settled GROUP BY 1, 2`, [now, EXPIRES_MS / 1000]));
  for (const [what, rows] of [['OUTCOME_UNKNOWN', stuck.rows], ['EXPIRED', expired.rows]] as const) {
    for (const r of rows) await countMessage(pool, r.city_code, r.channel, 'failed', failure(r.channel, what), now, r.n);
  }
}

/**
 * Claims the next due message on `channel`: committed as 'sending', stamped with the moment of the
 * claim, just before its send. One channel at a time, so that the index (channel, next_at) gives it
 * first, however many are due there or on channels with no messenger.
 */
async function claimNext(pool: pg.Pool, channel: string, now: Date): Promise<Claimed | null> {
  const r = await pool.query(prepared(
    // the message is chosen by a subquery run once (an InitPlan): a join could run it again for
    // each row it meets, and claim a second message no one would send
    `UPDATE outbox o SET status = 'sending', attempts = attempts + 1, next_at = $1
      WHERE (o.id, o.city_code) = (SELECT id, city_code FROM outbox WHERE status = 'pending' AND channel = $2 AND next_at <= $1
                                    ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING o.id, o.city_code, o.kind, o.channel, o.address, o.params, o.attempts`, [now, channel]));
  const row = r.rows[0];
  return row ? { id: row.id, cityCode: row.city_code, kind: row.kind, channel: row.channel, address: row.address, params: row.params,
    attempts: row.attempts } : null;
}

/** What the message says: the lookup code is derived at sending, never stored beside the number. */
async function paramsOf(pool: pg.Pool, message: Claimed): Promise<Record<string, string>> {
  if (message.kind === 'survey') return message.params;
  return { ...message.params, lookupCode: await lookupCode(pool, message.cityCode, message.params.trackingNo!) };
}

/** Records a send's outcome, if the claim still holds (only a claim 5 minutes old is settled by another process). */
async function record(pool: pg.Pool, message: Claimed, outcome: SendOutcome, now: Date): Promise<void> {
  const where = `WHERE id = $1 AND city_code = $2 AND status = 'sending'`;
  if (outcome.status === 'sent') {
    const done = await pool.query(prepared(`UPDATE outbox SET status = 'sent', sent_at = $3, provider_ref = $4, last_error = NULL ${where}`,
      [message.id, message.cityCode, now, outcome.providerRef]));
    if (done.rowCount) await countMessage(pool, message.cityCode, message.channel, 'sent', message.kind, now);
    return;
  }
  const again = outcome.status === 'refused' && outcome.retry && message.attempts < MAX_ATTEMPTS;
  const status = again ? 'pending' : outcome.status === 'unknown' ? 'unknown' : 'failed';
  const done = await pool.query(prepared(`UPDATE outbox SET status = $3, next_at = $4, last_error = $5 ${where}`,
    [message.id, message.cityCode, status, new Date(now.getTime() + (again ? backoffMs(message.attempts) : 0)),
      `${outcome.code}: ${outcome.message}`.slice(0, 500)]));
  if (done.rowCount && !again) {
    await countMessage(pool, message.cityCode, message.channel, 'failed',
      outcome.status === 'unknown' ? failure(message.channel, 'OUTCOME_UNKNOWN') : outcome.code, now);
  }
}

/**
 * Sends the messages due at `now` through the messengers there are, one claim at a time (up to
 * `limit` in all); returns how many it tried. A failure before the messenger is called puts the message
 * back as it was; once it is called, the claim stands until its outcome is recorded (a crash then
 * leaves it 'sending': later 'unknown').
 */
export async function sendDueMessages(pool: pg.Pool, messengers: readonly Messenger[], now = new Date(), limit = 50): Promise<number> {
  await settleOutbox(pool, now);
  let tried = 0;
  // each channel in turn, up to its share of the round: one channel's backlog does not hold up another's
  for (const messenger of messengers) {
    for (let share = Math.ceil(limit / messengers.length); share > 0; share--, tried++) {
      const message = await claimNext(pool, messenger.channel, now);
      if (!message) break;
      await sendClaimed(pool, messenger, message, now);
    }
  }
  return tried;
}

/** Sends one claimed message and records its outcome; a failure before the call puts it back as it was. */
async function sendClaimed(pool: pg.Pool, messenger: Messenger, message: Claimed, now: Date): Promise<void> {
  let params: Record<string, string>;
  try {
    params = await paramsOf(pool, message);
  } catch (error) {
    await pool.query(prepared(`UPDATE outbox SET status = 'pending', attempts = attempts - 1 WHERE id = $1 AND city_code = $2 AND status = 'sending'`,
      [message.id, message.cityCode]));
    throw error;
  }
  const outcome = await messenger.send({ address: message.address, kind: message.kind, params, outId: String(message.id) })
    .catch((error: unknown): SendOutcome => ({ status: 'unknown', code: 'PROVIDER_ERROR', message: String(error) }));
  await record(pool, message, outcome, now);
}

/**
 * Runs the sender in this process every `pollMs` (any number of processes may: a message is
 * claimed by one). With no messenger, it only settles the outbox: messages a day old expire.
 * Returns the function that stops it, after the round in progress.
 */
export function startSender(pool: pg.Pool, messengers: readonly Messenger[], options: { pollMs: number; log: (error: unknown) => void }):
  () => Promise<void> {
  return startPolling(async (stopped) => {
    if (messengers.length === 0) await settleOutbox(pool);
    else while (!stopped() && (await sendDueMessages(pool, messengers)) > 0) { /* a full round: more may be due */ }
  }, options);
}

export interface MessageOfOrder { channel: string; kind: MessageKind; status: string; attempts: number; createdAt: string; sentAt: string | null; answeredAt: string | null }

/** The messages sent (or to be sent) to the citizen about an order, oldest first: for the order's page and the tests. */
export async function messagesOfOrder(db: Queryable, cityCode: string, orderId: string): Promise<MessageOfOrder[]> {
  const r = await db.query(prepared(
    'SELECT channel, kind, status, attempts, created_at, sent_at, answered_at FROM outbox WHERE city_code = $1 AND order_id = $2 ORDER BY id', [cityCode, orderId]));
  return r.rows.map((row) => ({ channel: row.channel, kind: row.kind, status: row.status, attempts: row.attempts, createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null, answeredAt: row.answered_at?.toISOString() ?? null }));
}
