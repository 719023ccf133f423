// What the supervisor (督办) looks at: warnings and overdue orders by unit, extension requests to
// decide, returned orders to arbitrate, and an order's deadlines round by round. The rounds are the
// sla module's, the orders (who may see which, their titles and states) the orders module's: this
// module asks each for its part.
import type { Page } from '../../db/page.js';
import type { Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { getOrderSummary, orderSummaries, visibleOrderIds } from '../orders/index.js';
import { alertCounts, alertRounds, orderRounds, pendingRequests, type PendingRequest, type Round, type UnitAlertCount } from '../sla/index.js';

export type { Round, UnitAlertCount };

/** An order's rounds, first to last, if the actor may see the order. */
export async function getOrderDeadlines(db: Queryable, actor: Actor, orderId: string): Promise<Round[]> {
  await getOrderSummary(db, actor, orderId);
  return orderRounds(db, actor.cityCode, orderId);
}

export interface Alert extends Round {
  orderId: string;
  trackingNo: string;
  title: string;
  state: string;
  urgency: string;
}

/** Active rounds with a deadline overdue, or warned and not yet overdue, of the orders the actor may see; the most pressing first. */
export async function listAlerts(db: Queryable, actor: Actor,
  q: { level: 'warning' | 'overdue'; unitId?: string | undefined; limit: number; offset: number }): Promise<Page<Alert>> {
  const rounds = await alertRounds(db, actor.cityCode, { ...q, visible: visibleOrderIds(actor) });
  const orders = await orderSummaries(db, actor, rounds.items.map((r) => r.orderId));
  return { ...rounds, items: rounds.items.flatMap((r) => {
    const o = orders.get(r.orderId);
    return o ? [{ ...r, trackingNo: o.trackingNo, title: o.title, state: o.state, urgency: o.urgency }] : [];
  }) };
}

/** Per unit: its active rounds, how many are warned, overdue, paused, waiting on an extension (orders the actor may see). */
export function alertSummary(db: Queryable, actor: Actor): Promise<UnitAlertCount[]> {
  return alertCounts(db, actor.cityCode, visibleOrderIds(actor));
}

export interface PendingDecision extends PendingRequest {
  trackingNo: string;
  title: string;
}

/** Extension requests waiting for the hotline's decision (oldest first), or returned orders to arbitrate. */
export async function listPendingDecisions(db: Queryable, actor: Actor, kind: 'extensions' | 'returns',
  page: { limit: number; offset: number }): Promise<Page<PendingDecision>> {
  const requests = await pendingRequests(db, actor.cityCode, kind, page);
  const orders = await orderSummaries(db, actor, requests.items.map((r) => r.orderId));
  return { ...requests, items: requests.items.map((r) => ({ ...r, trackingNo: orders.get(r.orderId)?.trackingNo ?? '', title: orders.get(r.orderId)?.title ?? '' })) };
}
