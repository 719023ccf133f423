// The orders registered during a call: a durable consumer of the event log links each order whose
// registration carried a call's id to that call, and marks it when the agent answered it on the
// spot (直接办理). A call's handling is then "order registered" or "answered directly".
import { prepared, type Queryable } from '../../db/tx.js';
import type { Consumer, StoredEvent } from '../events/index.js';

export interface CallOrder { orderId: string; trackingNo: string; registeredAt: string; answeredDirectly: boolean }
/** What the agent did with the call: registered an order to dispatch, answered it directly, or nothing recorded. */
export type CallHandling = 'registered' | 'answered_directly' | null;

export const callOrdersConsumer: Consumer = {
  name: 'call-orders',
  types: ['order.registered', 'order.answered_directly'],
  async handle(tx, events) {
    for (const e of events) await (e.type === 'order.registered' ? link(tx, e) : markDirect(tx, e));
  },
};

async function link(tx: Queryable, e: StoredEvent): Promise<void> {
  const callId = e.payload.callId;
  if (typeof callId !== 'string' || e.stream !== 'order' || !e.snapshot) return;
  await tx.query(prepared(
    `INSERT INTO call_orders (city_code, call_id, order_id, tracking_no, registered_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [e.cityCode, callId, e.streamId, e.snapshot.trackingNo, e.at]));
}

async function markDirect(tx: Queryable, e: StoredEvent): Promise<void> {
  await tx.query(prepared('UPDATE call_orders SET answered_directly = true WHERE city_code = $1 AND order_id = $2', [e.cityCode, e.streamId]));
}

/** The orders of each of `callIds`, oldest first. */
export async function ordersOfCalls(db: Queryable, cityCode: string, callIds: readonly string[]): Promise<Map<string, CallOrder[]>> {
  const byCall = new Map<string, CallOrder[]>(callIds.map((id) => [id, []]));
  if (callIds.length === 0) return byCall;
  const r = await db.query<{ call_id: string; order_id: string; tracking_no: string; registered_at: Date; answered_directly: boolean }>(prepared(
    `SELECT call_id, order_id, tracking_no, registered_at, answered_directly FROM call_orders
      WHERE city_code = $1 AND call_id = ANY($2::text[]) ORDER BY registered_at, order_id`, [cityCode, callIds]));
  for (const row of r.rows) {
    byCall.get(row.call_id)?.push({ orderId: row.order_id, trackingNo: row.tracking_no, registeredAt: row.registered_at.toISOString(),
      answeredDirectly: row.answered_directly });
  }
  return byCall;
}

/** A call's handling from its orders: any dispatched (not answered directly) makes it "registered". */
export function handlingOf(orders: readonly CallOrder[]): CallHandling {
  if (orders.length === 0) return null;
  return orders.every((o) => o.answeredDirectly) ? 'answered_directly' : 'registered';
}
