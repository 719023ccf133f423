// Calls as the hotline's staff may read them: the list (newest first, filtered) and one call with
// its events. The caller's number is personal data: a list shows it masked; one call shows it to
// those who may call citizens back (and says so in the audit log), masked to everyone else.
import { recordAudit } from '../audit/index.js';
import { hasRole, type Actor } from '../auth/index.js';
import type { StoredEvent } from '../events/index.js';
import { maskPhone, personalDataVisibility } from '../orders/index.js';
import { countUpTo, pageOf, ROW_COUNT_CAP, type Page } from '../../db/page.js';
import { prepared, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { CallEvent } from './call-events.js';
import { handlingOf, ordersOfCalls, type CallHandling, type CallOrder } from './orders.js';
import { inCallOrder, type CallOutcome, type CallRecord, type CallState } from './record.js';

/** A call's record as the API gives it: its instants as ISO text. */
type Instant = 'offeredAt' | 'answeredAt' | 'endedAt';
export type CallView = Omit<CallRecord, Instant> & { [K in Instant]: string | null } & { orders: CallOrder[]; handling: CallHandling };

export interface CallQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  state?: CallState | undefined;
  outcome?: CallOutcome | undefined;
  queue?: string | undefined;
  seat?: string | undefined;
  limit: number;
  offset: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const num = (v: string | null) => (v === null ? null : Number(v));

interface CallRow {
  call_id: string; state: CallState; outcome: CallOutcome | null; caller_phone: string | null; callee: string | null; queue: string | null;
  offered_at: Date | null; answered_at: Date | null; ended_at: Date | null; seat: string | null; agent: string | null; seats: string[];
  rings: number; wait_seconds: string | null; ring_seconds: string | null; talk_seconds: string | null; hold_seconds: string;
  transfers: CallView['transfers']; parties: CallView['parties']; end_reason: string | null; recording: string | null; events: number;
}

function viewOf(row: CallRow, phone: string | null, orders: CallOrder[]): CallView {
  return {
    callId: row.call_id, state: row.state, outcome: row.outcome, callerPhone: phone, callee: row.callee, queue: row.queue,
    offeredAt: iso(row.offered_at), answeredAt: iso(row.answered_at), endedAt: iso(row.ended_at), seat: row.seat, agent: row.agent,
    seats: row.seats, rings: row.rings, waitSeconds: num(row.wait_seconds), ringSeconds: num(row.ring_seconds),
    talkSeconds: num(row.talk_seconds), holdSeconds: Number(row.hold_seconds), transfers: row.transfers, parties: row.parties,
    endReason: row.end_reason, recording: row.recording, events: row.events, orders, handling: handlingOf(orders),
  };
}

/** The city's calls, newest first (by when they were offered), the callers' numbers masked. */
export async function listCalls(db: Queryable, actor: Actor, q: CallQuery): Promise<Page<CallView>> {
  const fromWhere = {
    text: `FROM calls WHERE city_code = $1 AND offered_at IS NOT NULL
        AND ($2::timestamptz IS NULL OR offered_at >= $2) AND ($3::timestamptz IS NULL OR offered_at < $3)
        AND ($4::text IS NULL OR state = $4) AND ($5::text IS NULL OR outcome = $5)
        AND ($6::text IS NULL OR queue = $6) AND ($7::text IS NULL OR $7 = ANY(seats) OR seat = $7)`,
    values: [actor.cityCode, q.from ?? null, q.to ?? null, q.state ?? null, q.outcome ?? null, q.queue ?? null, q.seat ?? null],
  };
  const r = await db.query<CallRow>(prepared(`SELECT * ${fromWhere.text} ORDER BY offered_at DESC, call_id LIMIT $8 OFFSET $9`,
    [...fromWhere.values, q.limit, q.offset]));
  const orders = await ordersOfCalls(db, actor.cityCode, r.rows.map((row) => row.call_id));
  const items = r.rows.map((row) => viewOf(row, maskPhone(row.caller_phone), orders.get(row.call_id)!));
  return pageOf(items, await countUpTo(db, fromWhere, ROW_COUNT_CAP), q);
}

/** One call and its events in the order they happened; CALL_NOT_FOUND outside the actor's city. */
export async function getCall(db: Queryable, actor: Actor, callId: string): Promise<CallView & { timeline: CallEvent[] }> {
  const r = await db.query<CallRow>(prepared('SELECT * FROM calls WHERE city_code = $1 AND call_id = $2', [actor.cityCode, callId]));
  const row = r.rows[0];
  if (!row) throw new DomainError('CALL_NOT_FOUND', { id: callId });
  const full = personalDataVisibility(actor, false) === 'full';
  if (full && row.caller_phone) {
    await recordAudit(db, actor, { action: 'call.read_unmasked', subjectType: 'call', subjectId: callId, detail: { fields: ['phone'] } });
  }
  const events = await db.query<{ event_id: string; type: CallEvent['type']; at: Date; detail: Partial<CallEvent> }>(prepared(
    'SELECT event_id, type, at, detail FROM call_events WHERE city_code = $1 AND call_id = $2', [actor.cityCode, callId]));
  const timeline = inCallOrder(events.rows.map((e) => ({ ...e.detail, id: e.event_id, callId, type: e.type, at: e.at.toISOString(),
    ...(e.detail.caller && !full ? { caller: maskPhone(e.detail.caller) ?? undefined } : {}) })));
  const orders = (await ordersOfCalls(db, actor.cityCode, [callId])).get(callId)!;
  return { ...viewOf(row, full ? row.caller_phone : maskPhone(row.caller_phone), orders), timeline };
}

/** Whether the live stream sends a call's event to the actor: the agent signed in to its seat, and the team leads who watch the seats. */
export function maySeeCallEvent(actor: Actor, e: StoredEvent): boolean {
  if (e.stream !== 'call' || e.cityCode !== actor.cityCode || actor.kind !== 'staff') return false;
  return (e.snapshot.staffId !== null && e.snapshot.staffId === actor.id) || hasRole(actor, 'lead');
}
