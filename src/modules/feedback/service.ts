// Return visits (回访): the queue of citizens to call back, each call's outcome, and the
// supervisor's decision on an unsolved or unsatisfied result (reopen to the unit, or close).
//
// Rules (README "Return visits"):
// - a unit's reply puts the order in the queue, unless the citizen asked not to be called: then the
//   order is closed by the system at the next timer sweep, and no satisfaction is counted for it;
// - an order an agent answered directly is visited when its id falls in the sample
//   (`visit.directAnswerSamplePercent`), unless the citizen asked not to be called;
// - a citizen not reached is called again `visit.retryAfterHours` later, up to `visit.maxAttempts`
//   calls; then the visit is recorded as unreachable and the order closed (never counted as satisfied);
// - solved and satisfied (or basically satisfied) closes the order; unsolved or unsatisfied waits
//   for the supervisor, who reopens it to the unit (重办, new deadlines) or closes it with a reason.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared, withTransaction } from '../../db/tx.js';
import { DomainError, type Localized } from '../../shared/errors.js';
import { hasRole, systemActor, type Actor } from '../auth/index.js';
import {
  publishOrderEvents, recordOrderFact, transitionInTransaction, type PublishedOrderEvent, type Satisfaction, type TransitionHookContext,
} from '../orders/index.js';
import { getSlaSettings } from '../sla/index.js';
import { scheduleTimers, type Timer } from '../timers/index.js';

export const CLOSE_WITHOUT_CALL_TIMER = 'visit.close_without_call';

const VISIT_STATUS_LABELS: Record<string, Localized> = {
  done: { zh: '完成', en: 'done' }, unreachable: { zh: '记为无法联系', en: 'unreachable' }, to_confirm: { zh: '待审核', en: 'waiting for the supervisor' },
  reopened: { zh: '重办', en: 'reopened' }, closed: { zh: '办结', en: 'closed' }, withdrawn: { zh: '撤回', en: 'withdrawn' },
  pending: { zh: '待回访', en: 'pending' },
};

/** Whether a directly answered order is in the sample: stable for an order, spread evenly over ids. */
export function inSample(orderId: string, percent: number): boolean {
  return createHash('sha256').update(orderId).digest().readUInt32BE(0) % 100 < percent;
}

/** The transition hook: queue a visit after a reply or a sampled direct answer; withdraw it when the hotline moves on. */
export async function feedbackOnTransition(ctx: TransitionHookContext): Promise<Record<string, unknown> | void> {
  const { client, action, order, now } = ctx;
  if (action === 'reply' || action === 'answer_directly') {
    if (order.no_callback) {
      if (action === 'reply') {
        await scheduleTimers(client, [{ cityCode: order.city_code, kind: CLOSE_WITHOUT_CALL_TIMER, subjectId: order.id, dueAt: now }]);
      }
      return { returnVisit: 'declined_by_citizen' };
    }
    if (action === 'answer_directly') {
      const settings = await getSlaSettings(client, order.city_code);
      if (!inSample(order.id, settings.visit.directAnswerSamplePercent)) return;
    }
    await client.query(prepared(
      `INSERT INTO return_visits (city_code, order_id, reason, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'pending', $4, $4)`, [order.city_code, order.id, action === 'reply' ? 'reply' : 'direct_answer_sample', now]));
    return { returnVisit: 'queued' };
  }
  if (action === 'return_visit') {
    // a visit recorded with the order action rather than through the queue: the queue follows it
    const { reached, solved, satisfaction } = ctx.payload as { reached?: boolean; solved?: boolean; satisfaction?: string };
    const status = reached === false ? 'unreachable' : solved && satisfaction !== 'unsatisfied' ? 'done' : 'to_confirm';
    await client.query(prepared(
      `UPDATE return_visits SET status = $2, attempts = attempts + 1, reached = $3, solved = $4, satisfaction = $5, comment = $6,
              visited_by = $7, visited_at = $8
        WHERE order_id = $1 AND status = 'pending'`,
      [order.id, status, reached ?? null, solved ?? null, satisfaction ?? null, ctx.input.text ?? null,
        ctx.actor.kind === 'staff' ? ctx.actor.id : null, now]));
    return;
  }
  if (action === 'reopen' || action === 'close' || action === 'cancel' || action === 'merge') {
    await client.query(prepared(
      `UPDATE return_visits SET status = 'withdrawn' WHERE order_id = $1 AND status IN ('pending', 'to_confirm')`, [order.id]));
  }
}

/** Closes a replied order whose citizen asked not to be called back. */
export async function closeWithoutCall(client: Queryable, timer: Timer, now: Date): Promise<(() => void) | void> {
  const state = await client.query('SELECT state FROM orders WHERE id = $1 FOR UPDATE', [timer.subjectId]);
  if (state.rows[0]?.state !== 'replied') return;
  const actor = { ...systemActor(timer.cityCode), roles: ['visitor' as const] };
  const events = await transitionInTransaction(client, actor, timer.subjectId, 'close',
    { text: '市民表示无需回访 (the citizen asked not to be called back)' }, now);
  return () => publishOrderEvents(events);
}

export interface ReturnVisit {
  id: number;
  orderId: string;
  trackingNo: string;
  title: string;
  reason: 'reply' | 'direct_answer_sample';
  status: string;
  attempts: number;
  nextAttemptAt: string;
  leadUnit: { id: string; name: string } | null;
  /** what the unit (or the agent) answered: what the visitor asks the citizen about */
  answer: string | null;
  result: { reached: boolean | null; solved: boolean | null; satisfaction: Satisfaction | null; comment: string | null; at: string | null };
  createdAt: string;
}

const VISIT_SELECT = `
  SELECT v.*, o.tracking_no, o.title, o.lead_unit_id, u.name AS lead_unit_name,
         (SELECT e.payload->>'text' FROM order_events e WHERE e.order_id = v.order_id
           AND e.type IN ('order.replied', 'order.answered_directly') ORDER BY e.seq DESC LIMIT 1) AS answer
    FROM return_visits v JOIN orders o ON o.id = v.order_id LEFT JOIN units u ON u.id = o.lead_unit_id`;

function toVisit(r: Record<string, any>): ReturnVisit {
  return {
    id: r.id, orderId: r.order_id, trackingNo: r.tracking_no, title: r.title, reason: r.reason, status: r.status,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at.toISOString(),
    leadUnit: r.lead_unit_id ? { id: r.lead_unit_id, name: r.lead_unit_name } : null, answer: r.answer,
    result: { reached: r.reached, solved: r.solved, satisfaction: r.satisfaction, comment: r.comment, at: r.visited_at?.toISOString() ?? null },
    createdAt: r.created_at.toISOString(),
  };
}

const VISITORS = ['visitor', 'lead'] as const;
const DECIDERS = ['supervisor', 'lead'] as const;

function assertRole(actor: Actor, roles: readonly ('visitor' | 'lead' | 'supervisor')[]): void {
  if (!hasRole(actor, ...roles)) throw new DomainError('AUTH_FORBIDDEN');
}

/** Visits due for a call now, longest waiting first. */
export async function visitQueue(db: Queryable, actor: Actor, q: { limit: number; offset: number }, now = new Date()): Promise<ReturnVisit[]> {
  assertRole(actor, VISITORS);
  const r = await db.query(`${VISIT_SELECT}
     WHERE v.city_code = $1 AND v.status = 'pending' AND v.next_attempt_at <= $2
     ORDER BY v.next_attempt_at, v.id LIMIT $3 OFFSET $4`, [actor.cityCode, now, q.limit, q.offset]);
  return r.rows.map(toVisit);
}

/** Unsolved or unsatisfied results waiting for the supervisor, oldest first. */
export async function visitsToConfirm(db: Queryable, actor: Actor, q: { limit: number; offset: number }): Promise<ReturnVisit[]> {
  assertRole(actor, DECIDERS);
  const r = await db.query(`${VISIT_SELECT}
     WHERE v.city_code = $1 AND v.status = 'to_confirm' ORDER BY v.visited_at, v.id LIMIT $2 OFFSET $3`,
  [actor.cityCode, q.limit, q.offset]);
  return r.rows.map(toVisit);
}

export async function getVisit(db: Queryable, actor: Actor, id: number): Promise<ReturnVisit> {
  assertRole(actor, [...VISITORS, ...DECIDERS]);
  const r = await db.query(`${VISIT_SELECT} WHERE v.city_code = $1 AND v.id = $2`, [actor.cityCode, id]);
  if (!r.rowCount) throw new DomainError('VISIT_NOT_FOUND', { id });
  return toVisit(r.rows[0]);
}

/**
 * Locks the visit's order, then the visit, and checks the visit is in `status`. The order first, as
 * every transition does (its hook withdraws visits): two paths never take the locks in opposite order.
 */
async function lockVisit(client: Queryable, actor: Actor, id: number, status: 'pending' | 'to_confirm'): Promise<Record<string, any>> {
  await client.query(
    `SELECT 1 FROM orders WHERE id = (SELECT order_id FROM return_visits WHERE city_code = $1 AND id = $2) FOR UPDATE`, [actor.cityCode, id]);
  const r = await client.query('SELECT * FROM return_visits WHERE city_code = $1 AND id = $2 FOR UPDATE', [actor.cityCode, id]);
  const visit = r.rows[0];
  if (!visit) throw new DomainError('VISIT_NOT_FOUND', { id });
  if (visit.status !== status) throw new DomainError('VISIT_NOT_OPEN', { status: VISIT_STATUS_LABELS[visit.status] ?? visit.status });
  return visit;
}

async function inTransaction(pool: pg.Pool, actor: Actor, id: number,
  work: (client: Queryable) => Promise<PublishedOrderEvent[]>): Promise<ReturnVisit> {
  const events = await withTransaction(pool, work);
  publishOrderEvents(events);
  return getVisit(pool, actor, id);
}

/** A call that did not reach the citizen: called again later, or recorded as unreachable after the last attempt. */
export async function recordUnreached(pool: pg.Pool, actor: Actor, id: number, note: string | undefined, now = new Date()): Promise<ReturnVisit> {
  assertRole(actor, VISITORS);
  return inTransaction(pool, actor, id, async (client) => {
    const visit = await lockVisit(client, actor, id, 'pending');
    const settings = await getSlaSettings(client, actor.cityCode);
    const attempts = visit.attempts + 1;
    if (attempts < settings.visit.maxAttempts) {
      const next = new Date(now.getTime() + settings.visit.retryAfterHours * 3_600_000);
      await client.query('UPDATE return_visits SET attempts = $2, next_attempt_at = $3 WHERE id = $1', [id, attempts, next]);
      return [await recordOrderFact(client, actor, visit.order_id, { type: 'order.visit_attempted',
        payload: { visitId: id, attempt: attempts, reached: false, note: note ?? null, nextAttemptAt: next.toISOString() } }, now)];
    }
    await client.query(
      `UPDATE return_visits SET attempts = $2, status = 'unreachable', reached = false, comment = $3, visited_by = $4, visited_at = $5
        WHERE id = $1`, [id, attempts, note ?? null, actor.id, now]);
    if (visit.reason !== 'reply') {
      return [await recordOrderFact(client, actor, visit.order_id,
        { type: 'order.visit_recorded', payload: { visitId: id, attempt: attempts, reached: false, note: note ?? null } }, now)];
    }
    const text = `${settings.visit.maxAttempts} 次回访均未联系上市民 (citizen not reached in ${settings.visit.maxAttempts} calls)`;
    return [
      ...await transitionInTransaction(client, actor, visit.order_id, 'return_visit', { reached: false, text: note ?? text }, now),
      ...await transitionInTransaction(client, actor, visit.order_id, 'close', { text }, now),
    ];
  });
}

/** The citizen's answer: solved and satisfied closes the order; anything else waits for the supervisor. */
export async function recordResult(pool: pg.Pool, actor: Actor, id: number,
  result: { solved: boolean; satisfaction: Satisfaction; comment?: string | undefined }, now = new Date()): Promise<ReturnVisit> {
  assertRole(actor, VISITORS);
  return inTransaction(pool, actor, id, async (client) => {
    const visit = await lockVisit(client, actor, id, 'pending');
    const good = result.solved && result.satisfaction !== 'unsatisfied';
    await client.query(
      `UPDATE return_visits SET attempts = attempts + 1, status = $2, reached = true, solved = $3, satisfaction = $4, comment = $5,
              visited_by = $6, visited_at = $7 WHERE id = $1`,
      [id, good ? 'done' : 'to_confirm', result.solved, result.satisfaction, result.comment ?? null, actor.id, now]);
    const input = { solved: result.solved, satisfaction: result.satisfaction, text: result.comment };
    if (visit.reason !== 'reply') {
      return [await recordOrderFact(client, actor, visit.order_id,
        { type: 'order.visit_recorded', payload: { visitId: id, reached: true, ...input, text: undefined, comment: result.comment ?? null } }, now)];
    }
    const events = await transitionInTransaction(client, actor, visit.order_id, 'return_visit', input, now);
    if (good) events.push(...await transitionInTransaction(client, actor, visit.order_id, 'close', { text: result.comment }, now));
    return events;
  });
}

/** The supervisor's decision on an unsolved or unsatisfied result: reopen to a unit (重办), or close with a reason. */
export async function decideVisit(pool: pg.Pool, actor: Actor, id: number,
  decision: { decision: 'reopen' | 'close'; reason: string; unitId?: string | undefined }, now = new Date()): Promise<ReturnVisit> {
  assertRole(actor, DECIDERS);
  if (!decision.reason.trim()) throw new DomainError('ORDER_REASON_REQUIRED', { action: { zh: '审核回访结果', en: 'decide the visit' } });
  return inTransaction(pool, actor, id, async (client) => {
    const visit = await lockVisit(client, actor, id, 'to_confirm');
    await client.query(
      `UPDATE return_visits SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5 WHERE id = $1`,
      [id, decision.decision === 'reopen' ? 'reopened' : 'closed', actor.id, now, decision.reason]);
    if (decision.decision === 'reopen') {
      return transitionInTransaction(client, actor, visit.order_id, 'reopen', { reason: decision.reason, unitId: decision.unitId }, now);
    }
    if (visit.reason !== 'reply') return [];
    return transitionInTransaction(client, actor, visit.order_id, 'close', { text: decision.reason }, now);
  });
}
