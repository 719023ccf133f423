// The agents' work that quality review samples, kept by a durable consumer of the event log (it
// starts from the log's beginning, so the work done before it existed is there too):
// - an order is the work of the staff member who registered it; an order that came by another
//   channel, of the staff member who first took the hotline's decision on it (dispatched or answered);
// - a call is the work of the agent who first answered it (told by call.answered, or by call.ended
//   when all its events came after it ended);
// - a unit's return (退单) that the hotline accepts (it dispatches the order again instead of
//   sending it back) marks the order mis-routed by the agent of the dispatch returned; a returned
//   order cancelled or merged instead marks nothing (the return's claim is moot);
// - a reopening (重办) marks the order reopened, for the agent whose work it is.
// An order is marked each time: mis-routed twice (by two agents), reopened twice, it is drawn each time.
import { prepared, type Queryable } from '../../db/tx.js';
import type { Consumer, StoredEvent } from '../events/index.js';

export const qualityWorkConsumer: Consumer = {
  name: 'quality-work',
  from: 'start',
  types: ['order.registered', 'order.dispatched', 'order.answered_directly', 'order.returned', 'order.return_rejected', 'order.reopened',
    'order.cancelled', 'order.merged', 'call.answered', 'call.ended'],
  async handle(tx, events) {
    // a run of registrations is written together (a busy hour's batches are mostly registrations);
    // any other event is handled in its turn, after the registrations before it
    let registered: StoredEvent[] = [];
    for (const e of events) {
      if (e.type === 'order.registered') {
        registered.push(e);
        continue;
      }
      await addRegistered(tx, registered);
      registered = [];
      await HANDLERS[e.type]?.(tx, e);
    }
    await addRegistered(tx, registered);
  },
};

const staffOf = (e: StoredEvent): string | null => (e.actor.kind === 'staff' ? e.actor.id : null);
const trackingNoOf = (e: StoredEvent): string | null => (e.stream === 'order' ? e.snapshot?.trackingNo ?? null : null);

const callIdOf = (e: StoredEvent): string | null => (typeof e.payload.callId === 'string' ? e.payload.callId : null);

/** Registrations by staff are their work (with the call they came from); a call with an order registered from it has one. */
async function addRegistered(tx: Queryable, events: StoredEvent[]): Promise<void> {
  await addOrders(tx, events.flatMap((e) => {
    const agentId = staffOf(e);
    return agentId ? [{ e, agentId, callId: callIdOf(e) }] : [];
  }));
  const fromCalls = events.filter((e) => callIdOf(e) !== null);
  if (fromCalls.length > 0) {
    await tx.query(prepared(
      `UPDATE quality_work w SET has_order = true FROM unnest($1::text[], $2::text[]) AS c(city_code, call_id)
        WHERE w.city_code = c.city_code AND w.kind = 'call' AND w.subject_id = c.call_id`,
      [fromCalls.map((e) => e.cityCode), fromCalls.map(callIdOf)]));
  }
}

const HANDLERS: Partial<Record<StoredEvent['type'], (tx: Queryable, e: StoredEvent) => Promise<void>>> = {
  'order.dispatched': (tx, e) => decided(tx, e, false),
  'order.answered_directly': (tx, e) => decided(tx, e, true),
  // back to the hotline (not to the unit that passed it down): mis-routed if the hotline accepts it
  'order.returned': async (tx, e) => {
    if (e.payload.backTo !== undefined) return;
    await tx.query(prepared(`UPDATE quality_work SET return_pending = dispatched_by IS NOT NULL WHERE city_code = $1 AND kind = 'order' AND subject_id = $2`,
      [e.cityCode, e.streamId]));
  },
  'order.return_rejected': (tx, e) => returnSettled(tx, e),
  'order.cancelled': (tx, e) => returnSettled(tx, e),
  'order.merged': (tx, e) => returnSettled(tx, e),
  'order.reopened': async (tx, e) => {
    await tx.query(prepared(
      `INSERT INTO quality_marks (city_code, order_id, reason, at, agent_id)
       SELECT city_code, subject_id, 'reopened', $3, agent_id FROM quality_work WHERE city_code = $1 AND kind = 'order' AND subject_id = $2
       ON CONFLICT DO NOTHING`, [e.cityCode, e.streamId, e.at]));
  },
  'call.answered': (tx, e) => addCall(tx, e),
  // a call whose events all came at once after it ended has no call.answered of its own
  'call.ended': (tx, e) => addCall(tx, e),
};

async function addCall(tx: Queryable, e: StoredEvent): Promise<void> {
  if (e.stream !== 'call' || !e.snapshot.staffId || !e.snapshot.answeredAt) return;
  await tx.query(prepared(
    `INSERT INTO quality_work (city_code, kind, subject_id, agent_id, at, has_order)
     VALUES ($1, 'call', $2, $3, $4, EXISTS (SELECT 1 FROM quality_work WHERE city_code = $1 AND kind = 'order' AND call_id = $2))
     ON CONFLICT DO NOTHING`,
    [e.cityCode, e.snapshot.callId, e.snapshot.staffId, e.snapshot.answeredAt]));
}

/** Orders that are their agents' work, in one statement however many. */
async function addOrders(tx: Queryable, orders: { e: StoredEvent; agentId: string; callId: string | null }[]): Promise<void> {
  if (orders.length === 0) return;
  await tx.query(prepared(
    `INSERT INTO quality_work (city_code, kind, subject_id, agent_id, at, tracking_no, call_id)
     SELECT city_code, 'order', subject_id, agent_id, at, tracking_no, call_id
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[]) AS r(city_code, subject_id, agent_id, at, tracking_no, call_id)
     ON CONFLICT DO NOTHING`,
    [orders.map((o) => o.e.cityCode), orders.map((o) => o.e.streamId), orders.map((o) => o.agentId), orders.map((o) => o.e.at),
      orders.map((o) => trackingNoOf(o.e)), orders.map((o) => o.callId)]));
}

/** A return settled without the hotline dispatching again (rejected, or the order cancelled or merged): no mis-routing. */
async function returnSettled(tx: Queryable, e: StoredEvent): Promise<void> {
  await tx.query(prepared(`UPDATE quality_work SET return_pending = false WHERE city_code = $1 AND kind = 'order' AND subject_id = $2`,
    [e.cityCode, e.streamId]));
}

/**
 * The hotline dispatched or answered the order: a return waiting for this decision stands
 * (mis-routed). No FOR UPDATE in `before`: a row the same statement updates would vanish from it;
 * the consumer handles one batch at a time under its own lock.
 */
async function decided(tx: Queryable, e: StoredEvent, direct: boolean): Promise<void> {
  const staffId = staffOf(e);
  if (staffId) await addOrders(tx, [{ e, agentId: staffId, callId: null }]);
  await tx.query(prepared(
    `WITH before AS (SELECT return_pending, dispatched_by FROM quality_work WHERE city_code = $1 AND kind = 'order' AND subject_id = $2),
     marked AS (
       INSERT INTO quality_marks (city_code, order_id, reason, at, agent_id)
       SELECT $1, $2, 'misrouted', $3, dispatched_by FROM before WHERE return_pending AND dispatched_by IS NOT NULL
       ON CONFLICT DO NOTHING)
     UPDATE quality_work SET return_pending = false,
            dispatched_by = CASE WHEN $5 THEN dispatched_by ELSE $4::uuid END,
            answered_directly = answered_directly OR $5
      WHERE city_code = $1 AND kind = 'order' AND subject_id = $2`,
    [e.cityCode, e.streamId, e.at, staffId, direct]));
}
