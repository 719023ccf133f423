// Return visits taken from the queue (回访): each locks the order, then the visit (the order first, as
// every lifecycle change does), records the call with the feedback module, and records it on the
// order: a fact, or the `return_visit` action and the closing it leads to.
import type pg from 'pg';
import { withTransaction } from '../../../db/tx.js';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import * as feedback from '../../feedback/index.js';
import { lockOrder } from './change.js';
import { recordFact, transitionIn } from './index.js';

/** Locks the visit's order, then the visit in `status`, and runs `work` in that transaction. */
async function withVisit<T>(pool: pg.Pool, actor: Actor, visitId: number, status: 'pending' | 'to_confirm',
  work: (tx: pg.PoolClient, visit: feedback.LockedVisit) => Promise<T>): Promise<feedback.ReturnVisit> {
  const orderId = await feedback.visitOrderId(pool, actor.cityCode, visitId);
  await withTransaction(pool, async (tx) => {
    await lockOrder(tx, actor, orderId);
    return work(tx, await feedback.lockVisit(tx, actor.cityCode, visitId, status));
  });
  return feedback.getVisit(pool, actor, visitId);
}

/**
 * A call that did not reach the citizen: another is due later; after the last attempt the visit is
 * recorded as unreachable and a replied order closed (never counted as satisfied).
 */
export async function recordVisitUnreached(pool: pg.Pool, actor: Actor, visitId: number, note: string | undefined,
  now = new Date()): Promise<feedback.ReturnVisit> {
  feedback.assertMayVisit(actor, 'visit');
  return withVisit(pool, actor, visitId, 'pending', async (tx, visit) => {
    const call = await feedback.recordUnreached(tx, visit, actor, note ?? null, now);
    if (!call.final) {
      await recordFact(tx, actor, visit.orderId, 'order.visit_attempted', { visitId, attempt: call.attempt, reached: false,
        note: note ?? null, nextAttemptAt: call.nextAttemptAt!.toISOString() }, now);
    } else if (visit.reason !== 'reply') {
      await recordFact(tx, actor, visit.orderId, 'order.visit_recorded', { visitId, reached: false, comment: note ?? null }, now);
    } else {
      const text = `${call.maxAttempts} 次回访均未联系上市民 (citizen not reached in ${call.maxAttempts} calls)`;
      await transitionIn(tx, actor, visit.orderId, 'return_visit', { reached: false, text: note ?? text }, now);
      await transitionIn(tx, actor, visit.orderId, 'close', { text }, now);
    }
  });
}

/** The citizen's answer: solved and satisfied closes a replied order; anything else waits for the supervisor. */
export async function recordVisitAnswer(pool: pg.Pool, actor: Actor, visitId: number,
  result: { solved: boolean; satisfaction: feedback.Satisfaction; comment?: string | undefined }, now = new Date()): Promise<feedback.ReturnVisit> {
  feedback.assertMayVisit(actor, 'visit');
  return withVisit(pool, actor, visitId, 'pending', async (tx, visit) => {
    const { good } = await feedback.recordAnswer(tx, visit, actor, result, now);
    if (visit.reason !== 'reply') {
      await recordFact(tx, actor, visit.orderId, 'order.visit_recorded', { visitId, reached: true, solved: result.solved,
        satisfaction: result.satisfaction, comment: result.comment ?? null }, now);
      return;
    }
    await transitionIn(tx, actor, visit.orderId, 'return_visit', { solved: result.solved, satisfaction: result.satisfaction,
      text: result.comment }, now);
    if (good) await transitionIn(tx, actor, visit.orderId, 'close', { text: result.comment }, now);
  });
}

/** The supervisor's decision on an unsolved or unsatisfied result: reopen to a unit (重办), or close with a reason. */
export async function decideVisit(pool: pg.Pool, actor: Actor, visitId: number,
  decision: { decision: 'reopen' | 'close'; reason: string; unitId?: string | undefined }, now = new Date()): Promise<feedback.ReturnVisit> {
  feedback.assertMayVisit(actor, 'decide');
  if (!decision.reason.trim()) throw new DomainError('ORDER_REASON_REQUIRED', { action: { zh: '审核回访结果', en: 'decide the visit' } });
  return withVisit(pool, actor, visitId, 'to_confirm', async (tx, visit) => {
    await feedback.recordDecision(tx, visit, actor, decision.decision, decision.reason, now);
    if (decision.decision === 'reopen') {
      await transitionIn(tx, actor, visit.orderId, 'reopen', { reason: decision.reason, unitId: decision.unitId }, now);
    } else if (visit.reason === 'reply') {
      await transitionIn(tx, actor, visit.orderId, 'close', { text: decision.reason }, now);
    }
  });
}
