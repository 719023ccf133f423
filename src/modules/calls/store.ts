// Absorbs the telephony's call events: keeps each event once (by its id) and rewrites the record
// of every call it touched from all of that call's events. The calls' rows are locked first, in
// one order, so two posts about one call never write a record that misses the other's events.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { systemActor } from '../auth/index.js';
import { appendEvents, type NewEvent } from '../events/index.js';
import type { CallEvent } from './call-events.js';
import { deriveCall, type CallRecord } from './record.js';
import { staffAtSeats } from './seats.js';

/** How far ahead of the server's clock an event may be stamped (a telephony clock running fast). */
export const FUTURE_SLACK_MS = 5 * 60_000;

export type EventOutcome = 'accepted' | 'duplicate' | 'refused';
export interface Absorbed {
  /** per event, in the order posted */
  results: { id: string; outcome: EventOutcome; code?: string }[];
  /** the records of the calls that changed, as they now are */
  calls: CallRecord[];
}

/** Why an event cannot be kept, or null: a real moment, not far ahead, and what its type needs to mean anything. */
function refusal(e: CallEvent, now: Date): string | null {
  const at = Date.parse(e.at);
  if (Number.isNaN(at) || at < Date.UTC(2000, 0, 1)) return 'CALL_EVENT_TIME_INVALID';
  if (at > now.getTime() + FUTURE_SLACK_MS) return 'CALL_EVENT_IN_FUTURE';
  if ((e.type === 'answered' && !e.seat) || (e.type === 'transferred' && !e.target) || (e.type === 'joined' && !e.party)) return 'CALL_EVENT_INCOMPLETE';
  return null;
}

/** Keeps the events and brings the records of their calls up to date, in one transaction. */
export async function absorbCallEvents(pool: pg.Pool, cityCode: string, events: readonly CallEvent[], now = new Date()): Promise<Absorbed> {
  const refused = events.map((e) => refusal(e, now));
  // an id given twice is one event: its first copy that can be kept
  const first = new Map<string, number>();
  events.forEach((e, i) => { if (!refused[i] && !first.has(e.id)) first.set(e.id, i); });
  const keep = [...first.values()].map((i) => events[i]!);
  const { inserted, calls } = keep.length ? await withTransaction(pool, (tx) => keepAndDerive(tx, cityCode, keep)) : { inserted: new Set<string>(), calls: [] };
  const results = events.map((e, i) => {
    const code = refused[i];
    if (code) return { id: e.id, outcome: 'refused' as const, code };
    const outcome: EventOutcome = inserted.has(e.id) && first.get(e.id) === i ? 'accepted' : 'duplicate';
    return { id: e.id, outcome };
  });
  return { results, calls };
}

async function keepAndDerive(tx: Queryable, cityCode: string, events: CallEvent[]): Promise<{ inserted: Set<string>; calls: CallRecord[] }> {
  const callIds = [...new Set(events.map((e) => e.callId))].sort();
  // each call's row, made if new, locked in one order (the no-op update takes the lock), as it was before
  const locked = await tx.query<Before>(prepared(
    `INSERT INTO calls (city_code, call_id) SELECT $1, c FROM unnest($2::text[]) AS c ORDER BY c
     ON CONFLICT (city_code, call_id) DO UPDATE SET call_id = EXCLUDED.call_id RETURNING call_id, id, log_seq, state, seats, events`, [cityCode, callIds]));
  // the events kept now (added) beside those kept before: one statement, whose snapshot does not see its own inserts
  const stored = await tx.query<{ event_id: string; call_id: string; type: CallEvent['type']; at: Date; detail: Partial<CallEvent>; added: boolean }>(prepared(
    `WITH added AS (
       INSERT INTO call_events (city_code, event_id, call_id, type, at, detail)
       SELECT $1, e.id, e.call_id, e.type, e.at, e.detail
         FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) AS e (id, call_id, type, at, detail)
       ON CONFLICT DO NOTHING RETURNING event_id, call_id, type, at, detail)
     SELECT event_id, call_id, type, at, detail, true AS added FROM added
     UNION ALL
     SELECT event_id, call_id, type, at, detail, false FROM call_events WHERE city_code = $1 AND call_id = ANY($7::text[])`,
    [cityCode, events.map((e) => e.id), events.map((e) => e.callId), events.map((e) => e.type), events.map((e) => e.at),
      events.map((e) => JSON.stringify(detailOf(e))), callIds]));
  const added = stored.rows.filter((r) => r.added);
  const inserted = new Set(added.map((r) => r.event_id));
  const changed = [...new Set(added.map((r) => r.call_id))].sort();
  // a call made just now for events that were all kept before (under another call's id) is none
  const empty = locked.rows.filter((r) => r.events === 0 && !changed.includes(r.call_id)).map((r) => r.call_id);
  if (empty.length) await tx.query(prepared('DELETE FROM calls WHERE city_code = $1 AND call_id = ANY($2::text[]) AND events = 0', [cityCode, empty]));
  if (!changed.length) return { inserted, calls: [] };
  const byCall = new Map<string, CallEvent[]>(changed.map((id) => [id, []]));
  for (const row of stored.rows) {
    byCall.get(row.call_id)?.push({ ...row.detail, id: row.event_id, callId: row.call_id, type: row.type, at: row.at.toISOString() });
  }
  const calls = changed.map((id) => deriveCall(id, byCall.get(id)!));
  const before = new Map(locked.rows.map((r) => [r.call_id, r]));
  const told = await logEvents(tx, cityCode, calls.map((call) => ({ call, before: before.get(call.callId)! })));
  await writeRecords(tx, cityCode, calls, told);
  return { inserted, calls };
}

/** What an event carries beyond its id, call, type and time. */
function detailOf(e: CallEvent): Partial<CallEvent> {
  const { id: _id, callId: _call, type: _type, at: _at, ...detail } = e;
  return detail;
}

/** A call's row as it was before the events of this post. */
interface Before { call_id: string; id: string; log_seq: number; state: string; seats: string[]; events: number }

/**
 * Tells the log what others react to: a seat answered (the screen-pop of the agent signed in to it),
 * the call ended. Derived by comparing the record with its row before, so a repeated event tells
 * nothing twice. Gives each call's events appended, for its log_seq.
 */
async function logEvents(tx: Queryable, cityCode: string, changes: { call: CallRecord; before: Before }[]): Promise<Map<string, number>> {
  // the seats answered now (their agents get the screen-pop) and the last seat of each call ended now (its agent hears of the end)
  const told = changes.flatMap(({ call, before }) => [...call.seats.filter((seat) => !before.seats.includes(seat)),
    ...(call.state === 'ended' && before.state !== 'ended' && call.seats.length ? [call.seats.at(-1)!] : [])]);
  const staff = await staffAtSeats(tx, cityCode, [...new Set(told)]);
  const actor = { ...systemActor(cityCode), name: 'telephony' };
  const events: NewEvent[] = [];
  const seqs = new Map<string, number>();
  for (const { call, before } of changes) {
    let seq = before.log_seq;
    const base = { stream: 'call' as const, streamId: before.id, at: new Date(), actor, reason: null };
    const snapshot = (seat: string | null) => ({ callId: call.callId, state: call.state, outcome: call.outcome, queue: call.queue, seat,
      staffId: seat ? staff.get(seat) ?? null : null, offeredAt: call.offeredAt?.toISOString() ?? null, answeredAt: call.answeredAt?.toISOString() ?? null });
    // a call already over when its answer is heard of pops nothing up
    for (const seat of call.state === 'ended' ? [] : call.seats.filter((s) => !before.seats.includes(s))) {
      events.push({ ...base, type: 'call.answered', seq: ++seq, fromState: before.state, toState: call.state,
        payload: { seat, agent: call.seat === seat ? call.agent : null, staffId: staff.get(seat) ?? null }, snapshot: snapshot(seat) });
    }
    if (call.state === 'ended' && before.state !== 'ended') {
      events.push({ ...base, type: 'call.ended', seq: ++seq, fromState: before.state, toState: 'ended', payload: { outcome: call.outcome! },
        snapshot: snapshot(call.seats.at(-1) ?? null) });
    }
    if (seq !== before.log_seq) seqs.set(call.callId, seq);
  }
  await appendEvents(tx, cityCode, events);
  return seqs;
}

async function writeRecords(tx: Queryable, cityCode: string, calls: CallRecord[], logSeq: Map<string, number>): Promise<void> {
  await tx.query(prepared(
    `UPDATE calls c SET state = r.state, outcome = r.outcome, caller_phone = r.caller_phone, callee = r.callee, queue = r.queue,
       offered_at = r.offered_at, answered_at = r.answered_at, ended_at = r.ended_at, seat = r.seat, agent = r.agent, seats = r.seats,
       rings = r.rings, wait_seconds = r.wait_seconds, ring_seconds = r.ring_seconds, talk_seconds = r.talk_seconds,
       hold_seconds = r.hold_seconds, transfers = r.transfers, parties = r.parties, end_reason = r.end_reason, recording = r.recording,
       events = r.events, log_seq = coalesce(r.log_seq, c.log_seq), updated_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS r (call_id text, state text, outcome text, caller_phone text, callee text, queue text,
       offered_at timestamptz, answered_at timestamptz, ended_at timestamptz, seat text, agent text, seats text[], rings int,
       wait_seconds numeric, ring_seconds numeric, talk_seconds numeric, hold_seconds numeric, transfers jsonb, parties jsonb,
       end_reason text, recording text, events int, log_seq int)
     WHERE c.city_code = $1 AND c.call_id = r.call_id`,
    [cityCode, JSON.stringify(calls.map((call) => ({ ...rowOf(call), log_seq: logSeq.get(call.callId) ?? null })))]));
}

function rowOf(r: CallRecord) {
  return {
    call_id: r.callId, state: r.state, outcome: r.outcome, caller_phone: r.callerPhone, callee: r.callee, queue: r.queue,
    offered_at: r.offeredAt, answered_at: r.answeredAt, ended_at: r.endedAt, seat: r.seat, agent: r.agent, seats: r.seats, rings: r.rings,
    wait_seconds: r.waitSeconds, ring_seconds: r.ringSeconds, talk_seconds: r.talkSeconds, hold_seconds: r.holdSeconds,
    transfers: r.transfers, parties: r.parties, end_reason: r.endReason, recording: r.recording, events: r.events,
  };
}
