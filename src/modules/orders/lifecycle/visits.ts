// Return visits taken from the queue (回访): each reads the visit and its order, records the call
// with the feedback module, and records it on the order (a fact, or the `return_visit` action and
// the closing it leads to), all written in one statement (./change.ts).
import type pg from 'pg';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import * as feedback from '../../feedback/index.js';
import { change, recordFact, transitionIn, type Session } from './index.js';

/** Reads the visit (in `status`) and its order, plans `work`, writes it; answers the visit after. */
async function withVisit(pool: pg.Pool, actor: Actor, visitId: number, status: 'pending' | 'to_confirm', now: Date,
  work: (session: Session, visit: feedback.OpenVisit) => Promise<void>): Promise<feedback.ReturnVisit> {
  await change(pool, now, async (session) => {
    const visit = await feedback.openVisit(session.db, actor.cityCode, visitId, status);
    await session.load(actor, visit.orderId);
    await work(session, visit);
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
  return withVisit(pool, actor, visitId, 'pending', now, async (session, visit) => {
    const call = await feedback.recordUnreached(session.db, session.plan, visit, actor, note ?? null, now);
    if (!call.final) {
      await recordFact(session, actor, visit.orderId, 'order.visit_attempted', { visitId, attempt: call.attempt, reached: false,
        note: note ?? null, nextAttemptAt: call.nextAttemptAt!.toISOString() });
    } else if (visit.reason !== 'reply') {
      await recordFact(session, actor, visit.orderId, 'order.visit_recorded', { visitId, reached: false, comment: note ?? null });
    } else {
      const text = `${call.maxAttempts} 次回访均未联系上市民 (citizen not reached in ${call.maxAttempts} calls)`;
      await transitionIn(session, actor, visit.orderId, 'return_visit', { reached: false, text: note ?? text });
      await transitionIn(session, actor, visit.orderId, 'close', { text });
    }
  });
}

/** The citizen's answer: solved and satisfied closes a replied order; anything else waits for the supervisor. */
export async function recordVisitAnswer(pool: pg.Pool, actor: Actor, visitId: number, result: VisitAnswer, now = new Date()):
  Promise<feedback.ReturnVisit> {
  feedback.assertMayVisit(actor, 'visit');
  return withVisit(pool, actor, visitId, 'pending', now, (session, visit) => answerVisit(session, actor, visit, result, now));
}

/**
 * The citizen's own rating of the answer, on their channel (the portal, the SMS survey): it is the
 * return visit, recorded as a call's answer would be, while the visit still waits for its call.
 */
export async function rateAnswer(pool: pg.Pool, actor: Actor, orderId: string, result: VisitAnswer, now = new Date()): Promise<void> {
  await change(pool, now, async (session) => {
    await session.load(actor, orderId);
    const visit = await feedback.pendingVisitOf(session.db, actor.cityCode, orderId);
    if (!visit) throw new DomainError('RATING_NOT_OPEN');
    await answerVisit(session, actor, visit, result, now);
  });
}

type VisitAnswer = { solved: boolean; satisfaction: feedback.Satisfaction; comment?: string | undefined };

async function answerVisit(session: Session, actor: Actor, visit: feedback.OpenVisit, result: VisitAnswer, now: Date): Promise<void> {
  const { good } = feedback.recordAnswer(session.plan, visit, actor, result, now);
  if (visit.reason !== 'reply') {
    await recordFact(session, actor, visit.orderId, 'order.visit_recorded', { visitId: visit.id, reached: true, solved: result.solved,
      satisfaction: result.satisfaction, comment: result.comment ?? null });
    return;
  }
  await transitionIn(session, actor, visit.orderId, 'return_visit', { solved: result.solved, satisfaction: result.satisfaction,
    text: result.comment });
  if (good) await transitionIn(session, actor, visit.orderId, 'close', { text: result.comment });
}

/** The supervisor's decision on an unsolved or unsatisfied result: reopen to a unit (重办), or close with a reason. */
export async function decideVisit(pool: pg.Pool, actor: Actor, visitId: number,
  decision: { decision: 'reopen' | 'close'; reason: string; unitId?: string | undefined }, now = new Date()): Promise<feedback.ReturnVisit> {
  feedback.assertMayVisit(actor, 'decide');
  if (!decision.reason.trim()) throw new DomainError('ORDER_REASON_REQUIRED', { action: { zh: '审核回访结果', en: 'decide the visit' } });
  return withVisit(pool, actor, visitId, 'to_confirm', now, async (session, visit) => {
    feedback.recordDecision(session.plan, visit, actor, decision.decision, decision.reason, now);
    if (decision.decision === 'reopen') {
      await transitionIn(session, actor, visit.orderId, 'reopen', { reason: decision.reason, unitId: decision.unitId });
    } else if (visit.reason === 'reply') {
      await transitionIn(session, actor, visit.orderId, 'close', { text: decision.reason });
    }
  });
}
