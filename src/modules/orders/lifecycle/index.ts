// Running the lifecycle: an action on an order (applyTransition), several actions or facts in one
// change (a visit result that closes the order), each read in one statement and written in one.
// A change planned on an order that another change moved meanwhile writes nothing and is planned
// again on the order as it is now, where its rule may no longer hold: of two concurrent actions the
// second sees the first's result.
import pg from 'pg';
import type { Queryable } from '../../../db/tx.js';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import type { EventPayload, EventType } from '../../events/index.js';
import type { OrderView, TransitionInput } from '../model.js';
import { presentRows } from '../presentation.js';
import { TRANSITIONS, type OrderAction } from '../rules.js';
import { assertVersion, Change, Session, type OrderRow } from './change.js';
import { RECIPES } from './recipes.js';

/** Plans of one change tried at most this many times when orders keep moving under it. */
const ATTEMPTS = 8;

/**
 * Plans a change with `plan` on a fresh session and writes it, again while an order it read was
 * changed meanwhile. `plan` must read everything it decides on through the session.
 */
export async function change<T>(db: Queryable, now: Date, plan: (session: Session) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const session = new Session(db, now);
    const result = await plan(session);
    if (await session.commit().catch((error: unknown) => lostRace(db, error))) return result;
    if (attempt === ATTEMPTS) throw new DomainError('ORDER_BUSY');
  }
}

/**
 * PostgreSQL's answers to a change that lost to a concurrent one (a deadlock between two merges
 * of the same orders in opposite directions, say): nothing was written, and it is planned again.
 */
const LOST_RACE = ['40P01', '40001'];

function lostRace(db: Queryable, error: unknown): false {
  // on a client the caller's transaction is aborted by the error: only the caller can start again
  if (db instanceof pg.Pool && LOST_RACE.includes((error as { code?: string }).code ?? '')) return false;
  throw error;
}

/**
 * Takes one lifecycle action on an order: reads it, runs the action's recipe (which checks the rule
 * and plans the other modules' writes), writes the new state with its event and everything planned,
 * in one statement. Returns the order as the actor sees it after the action.
 */
export async function applyTransition(pool: pg.Pool, actor: Actor, orderId: string, action: OrderAction,
  input: TransitionInput = {}, now = new Date()): Promise<OrderView> {
  const order = await change(pool, now, (session) => transitionIn(session, actor, orderId, action, input));
  return (await presentRows(pool, actor, [order], false))[0]!;
}

/** Plans one action on an order in the session (the caller commits); returns the order's row after it. */
export async function transitionIn(session: Session, actor: Actor, orderId: string, action: OrderAction, input: TransitionInput):
  Promise<OrderRow> {
  const held = await session.load(actor, orderId);
  assertVersion(held.order, input.expectedVersion);
  const c = new Change(session, actor, action, held, input);
  const outcome = await (RECIPES[action] as (c: Change) => ReturnType<(typeof RECIPES)[OrderAction]>)(c);
  await session.record(held, actor, { type: TRANSITIONS[action].event, payload: outcome.payload,
    toState: outcome.toState ?? c.ruleTarget, reason: input.reason, columns: outcome.columns });
  return held.order;
}

/** Plans a fact about an order that changes no state (a deadline mark, a visit attempt) in the session. */
export async function recordFact<T extends EventType>(session: Session, actor: Actor, orderId: string, type: T, payload: EventPayload<T>,
  reason?: string | null): Promise<void> {
  const held = await session.load(actor, orderId);
  await session.record(held, actor, { type, payload, toState: held.order.state, reason });
}

export { Session };
