// Running the lifecycle: an action on an order in its own transaction (applyTransition), or in the
// caller's (transitionIn, for recipes that chain actions: a visit result that closes the order),
// and facts that change no state (a deadline mark, a visit attempt).
import type pg from 'pg';
import type { Queryable } from '../../../db/tx.js';
import { withTransaction } from '../../../db/tx.js';
import type { Actor } from '../../auth/index.js';
import type { EventPayload, EventType } from '../../events/index.js';
import type { OrderView, TransitionInput } from '../model.js';
import { presentRows } from '../presentation.js';
import { TRANSITIONS, type OrderAction } from '../rules.js';
import { assertVersion, Change, lockOrder, writeChange, type LockedOrder } from './change.js';
import { RECIPES } from './recipes.js';

/**
 * Takes one lifecycle action on an order: locks it, runs the action's recipe (which checks the rule
 * and calls the other modules), writes the new state with the event, all in one transaction. Of two
 * concurrent actions the second sees the first's result, and is refused if it no longer applies or
 * if it sent a stale version. Returns the order as the actor sees it after the action.
 */
export async function applyTransition(pool: pg.Pool, actor: Actor, orderId: string, action: OrderAction,
  input: TransitionInput = {}, now = new Date()): Promise<OrderView> {
  const order = await withTransaction(pool, (tx) => transitionIn(tx, actor, orderId, action, input, now));
  return (await presentRows(pool, actor, [order], false))[0]!;
}

/** `applyTransition` inside the caller's transaction; returns the order's row after the action. */
export async function transitionIn(tx: Queryable, actor: Actor, orderId: string, action: OrderAction, input: TransitionInput,
  now: Date): Promise<LockedOrder> {
  const { order, assignments } = await lockOrder(tx, actor, orderId);
  assertVersion(order, input.expectedVersion);
  const change = new Change(tx, actor, action, order, assignments, input, now);
  const outcome = await (RECIPES[action] as (c: Change) => ReturnType<(typeof RECIPES)[OrderAction]>)(change);
  await writeChange(tx, actor, order, change.assignments, { type: TRANSITIONS[action].event, payload: outcome.payload,
    toState: outcome.toState ?? change.ruleTarget, reason: input.reason, columns: outcome.columns }, now);
  for (const other of change.others) {
    await writeChange(tx, actor, other.order, other.assignments, { type: other.type, payload: other.payload, toState: other.order.state }, now);
  }
  return order;
}

/**
 * Records a fact about an order that changes no state (a deadline mark, a visit attempt): the order
 * locked, its version bumped, the event appended, in the caller's transaction.
 */
export async function recordFact<T extends EventType>(tx: Queryable, actor: Actor, orderId: string, type: T, payload: EventPayload<T>,
  now: Date, reason?: string | null): Promise<void> {
  const { order, assignments } = await lockOrder(tx, actor, orderId);
  await writeChange(tx, actor, order, assignments, { type, payload, toState: order.state, reason }, now);
}
