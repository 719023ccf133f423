// Return visits (回访): the queue of citizens to call back, each call's outcome, and the
// supervisor's decision on an unsolved or unsatisfied result. The order's side of each step (the
// visit recorded on the order, closing, reopening) is the order lifecycle's: its recipes
// (src/modules/orders/lifecycle/visits.ts) read the order and the visit, then call the functions
// below, which add their writes to the change's one statement (src/db/plan.ts).
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
import sql from 'sql-template-tag';
import { setColumns, type Plan } from '../../db/plan.js';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { countUpTo, pageOf, type Page, type PageRequest } from '../../db/page.js';
import { DomainError, type Localized } from '../../shared/errors.js';
import { hasRole, type Actor } from '../auth/index.js';
import { unitIndex } from '../directory/index.js';
import { getSlaSettings } from '../sla/index.js';
import { scheduleIn } from '../timers/index.js';

export const CLOSE_WITHOUT_CALL_TIMER = 'visit.close_without_call';
export const SATISFACTION = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

const VISIT_STATUS_LABELS: Record<string, Localized> = {
  done: { zh: '完成', en: 'done' }, unreachable: { zh: '记为无法联系', en: 'unreachable' }, to_confirm: { zh: '待审核', en: 'waiting for the supervisor' },
  reopened: { zh: '重办', en: 'reopened' }, closed: { zh: '办结', en: 'closed' }, withdrawn: { zh: '撤回', en: 'withdrawn' },
  pending: { zh: '待回访', en: 'pending' },
};

/** Whether a directly answered order is in the sample: stable for an order, spread evenly over ids. */
export function inSample(orderId: string, percent: number): boolean {
  return createHash('sha256').update(orderId).digest().readUInt32BE(0) % 100 < percent;
}

/** What a visit needs to know of its order, copied when it is queued. */
export interface VisitOrder {
  cityCode: string;
  orderId: string;
  trackingNo: string;
  title: string;
  leadUnitId: string | null;
  /** the citizen asked not to be called back */
  noCallback: boolean;
}

/**
 * 答复 / 直接办理: queues the visit, unless the citizen asked not to be called (a replied order is then
 * closed by the system at the next sweep) or a direct answer falls outside the sample.
 */
export async function queueVisit(db: Queryable, plan: Plan, order: VisitOrder, reason: 'reply' | 'direct_answer_sample', answer: string,
  now: Date): Promise<'queued' | 'declined_by_citizen' | 'not_sampled'> {
  if (order.noCallback) {
    if (reason === 'reply') scheduleIn(plan, [{ cityCode: order.cityCode, kind: CLOSE_WITHOUT_CALL_TIMER, subjectId: order.orderId, dueAt: now }]);
    return 'declined_by_citizen';
  }
  if (reason === 'direct_answer_sample') {
    const settings = await getSlaSettings(db, order.cityCode);
    if (!inSample(order.orderId, settings.visit.directAnswerSamplePercent)) return 'not_sampled';
  }
  plan.add('visit', sql`INSERT INTO return_visits (city_code, order_id, tracking_no, title, lead_unit_id, answer, reason, status,
                                                 next_attempt_at, created_at)
    SELECT ${order.cityCode}, ${order.orderId}::uuid, ${order.trackingNo}, ${order.title}, ${order.leadUnitId}::uuid, ${answer}, ${reason},
           'pending', ${now}::timestamptz, ${now}::timestamptz
     WHERE ${plan.guard}`);
  return 'queued';
}

/** The visit's outcome as the queue records it. */
export interface VisitResult {
  reached: boolean;
  solved?: boolean | undefined;
  satisfaction?: Satisfaction | undefined;
  comment?: string | null | undefined;
}

const statusOf = (r: VisitResult) => (!r.reached ? 'unreachable' : r.solved && r.satisfaction !== 'unsatisfied' ? 'done' : 'to_confirm');

/** A visit recorded with the order's `return_visit` action, not through the queue: the queue follows it. */
export function settleVisitFromAction(plan: Plan, orderId: string, result: VisitResult, actor: Actor, now: Date): void {
  plan.update(`return_visits:settle:${orderId}`, {}, () => sql`UPDATE return_visits SET status = ${statusOf(result)}, attempts = attempts + 1,
         reached = ${result.reached}, solved = ${result.solved ?? null}::boolean, satisfaction = ${result.satisfaction ?? null},
         comment = ${result.comment ?? null}, visited_by = ${actor.kind === 'staff' ? actor.id : null}::uuid, visited_at = ${now}::timestamptz
    WHERE order_id = ${orderId}::uuid AND status = 'pending' AND id <> ALL(${[...changedIn(plan)]}::bigint[]) AND ${plan.guard}`);
}

/** The order moved on without its visit (closed, reopened, cancelled, merged by the hotline). */
export function withdrawVisits(plan: Plan, orderId: string): void {
  plan.update(`return_visits:withdraw:${orderId}`, {}, () => sql`UPDATE return_visits SET status = 'withdrawn'
    WHERE order_id = ${orderId}::uuid AND status IN ('pending', 'to_confirm') AND id <> ALL(${[...changedIn(plan)]}::bigint[])
      AND ${plan.guard}`);
}

/**
 * The visits a change already writes by id (a call recorded from the queue): the order-wide updates
 * above leave them alone, as they would have found them no longer pending had they run after.
 */
const changedVisits = new WeakMap<Plan, Set<number>>();
const changedIn = (plan: Plan) => changedVisits.get(plan) ?? new Set<number>();

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

async function toVisits(db: Queryable, cityCode: string, rows: Record<string, any>[]): Promise<ReturnVisit[]> {
  const units = await unitIndex(db, cityCode, rows.map((r) => r.lead_unit_id));
  return rows.map((r) => ({
    id: Number(r.id), orderId: r.order_id, trackingNo: r.tracking_no, title: r.title, reason: r.reason, status: r.status,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at.toISOString(),
    leadUnit: r.lead_unit_id ? { id: r.lead_unit_id, name: units.get(r.lead_unit_id)?.name ?? r.lead_unit_id } : null, answer: r.answer,
    result: { reached: r.reached, solved: r.solved, satisfaction: r.satisfaction, comment: r.comment, at: r.visited_at?.toISOString() ?? null },
    createdAt: r.created_at.toISOString(),
  }));
}

const VISITORS = ['visitor', 'lead'] as const;
const DECIDERS = ['supervisor', 'lead'] as const;

/** Refuses an actor who neither calls citizens back (`visit`) nor decides visits (`decide`). */
export function assertMayVisit(actor: Actor, as: 'visit' | 'decide' | 'read'): void {
  const roles = as === 'visit' ? VISITORS : as === 'decide' ? DECIDERS : [...VISITORS, ...DECIDERS];
  if (!hasRole(actor, ...roles)) throw new DomainError('AUTH_FORBIDDEN');
}

/** Visits due for a call now, longest waiting first. */
export async function visitQueue(db: Queryable, actor: Actor, q: PageRequest, now = new Date()): Promise<Page<ReturnVisit>> {
  assertMayVisit(actor, 'visit');
  const due = `FROM return_visits WHERE city_code = $1 AND status = 'pending' AND next_attempt_at <= $2`;
  const [r, count] = await Promise.all([
    db.query(`SELECT * ${due} ORDER BY next_attempt_at, id LIMIT $3 OFFSET $4`, [actor.cityCode, now, q.limit, q.offset]),
    countUpTo(db, { text: due, values: [actor.cityCode, now] })]);
  return pageOf(await toVisits(db, actor.cityCode, r.rows), count, q);
}

/** Unsolved or unsatisfied results waiting for the supervisor, oldest first. */
export async function visitsToConfirm(db: Queryable, actor: Actor, q: PageRequest): Promise<Page<ReturnVisit>> {
  assertMayVisit(actor, 'decide');
  const waiting = `FROM return_visits WHERE city_code = $1 AND status = 'to_confirm'`;
  const [r, count] = await Promise.all([
    db.query(`SELECT * ${waiting} ORDER BY visited_at, id LIMIT $2 OFFSET $3`, [actor.cityCode, q.limit, q.offset]),
    countUpTo(db, { text: waiting, values: [actor.cityCode] })]);
  return pageOf(await toVisits(db, actor.cityCode, r.rows), count, q);
}

export async function getVisit(db: Queryable, actor: Actor, id: number): Promise<ReturnVisit> {
  assertMayVisit(actor, 'read');
  const r = await db.query('SELECT * FROM return_visits WHERE city_code = $1 AND id = $2', [actor.cityCode, id]);
  if (!r.rowCount) throw new DomainError('VISIT_NOT_FOUND', { id });
  return (await toVisits(db, actor.cityCode, r.rows))[0]!;
}

/** A visit as its operations read it, checked to be in `status`. */
export interface OpenVisit {
  id: number;
  cityCode: string;
  orderId: string;
  reason: 'reply' | 'direct_answer_sample';
  status: string;
  attempts: number;
}

const OPEN_VISIT_COLUMNS = 'id, city_code, order_id, reason, status, attempts';
const toOpenVisit = (visit: Record<string, any>): OpenVisit => ({ id: Number(visit.id), cityCode: visit.city_code, orderId: visit.order_id,
  reason: visit.reason, status: visit.status, attempts: visit.attempts });

/** The visit (VISIT_NOT_FOUND), checked to be in `status` (VISIT_NOT_OPEN). */
export async function openVisit(db: Queryable, cityCode: string, id: number, status: 'pending' | 'to_confirm'): Promise<OpenVisit> {
  const r = await db.query(prepared(`SELECT ${OPEN_VISIT_COLUMNS} FROM return_visits WHERE city_code = $1 AND id = $2`, [cityCode, id]));
  const visit = r.rows[0];
  if (!visit) throw new DomainError('VISIT_NOT_FOUND', { id });
  if (visit.status !== status) throw new DomainError('VISIT_NOT_OPEN', { status: VISIT_STATUS_LABELS[visit.status] ?? visit.status });
  return toOpenVisit(visit);
}

/** The order's visit waiting for its call, if one does (at most one waits at a time). */
export async function pendingVisitOf(db: Queryable, cityCode: string, orderId: string): Promise<OpenVisit | null> {
  const r = await db.query(prepared(`SELECT ${OPEN_VISIT_COLUMNS} FROM return_visits WHERE city_code = $1 AND order_id = $2 AND status = 'pending'
    ORDER BY id DESC LIMIT 1`, [cityCode, orderId]));
  return r.rows[0] ? toOpenVisit(r.rows[0]) : null;
}

/** The visit's row, written only if it is still in the status it was read in (and the change applies). */
function updateVisit(plan: Plan, visit: OpenVisit, columns: Record<string, unknown>): void {
  if (!changedVisits.has(plan)) changedVisits.set(plan, new Set());
  changedVisits.get(plan)!.add(visit.id);
  plan.update(`return_visits:${visit.id}`, columns, (all) => sql`UPDATE return_visits SET ${setColumns(all)}
    WHERE id = ${visit.id}::bigint AND city_code = ${visit.cityCode} AND status = ${visit.status} AND ${plan.guard}`);
}

/**
 * A call that did not reach the citizen: another call is due `retryAfterHours` later, or, after the
 * last attempt, the visit is recorded as unreachable (`final`).
 */
export async function recordUnreached(db: Queryable, plan: Plan, visit: OpenVisit, actor: Actor, note: string | null, now: Date):
  Promise<{ attempt: number; final: boolean; nextAttemptAt: Date | null; maxAttempts: number }> {
  const settings = await getSlaSettings(db, visit.cityCode);
  const attempt = visit.attempts + 1;
  if (attempt < settings.visit.maxAttempts) {
    const next = new Date(now.getTime() + settings.visit.retryAfterHours * 3_600_000);
    updateVisit(plan, visit, { attempts: attempt, next_attempt_at: next });
    return { attempt, final: false, nextAttemptAt: next, maxAttempts: settings.visit.maxAttempts };
  }
  updateVisit(plan, visit, { attempts: attempt, status: 'unreachable', reached: false, comment: note, visited_by: actor.id, visited_at: now });
  return { attempt, final: true, nextAttemptAt: null, maxAttempts: settings.visit.maxAttempts };
}

/** The citizen's answer; `good` (solved and satisfied) closes the order, anything else waits for the supervisor. */
export function recordAnswer(plan: Plan, visit: OpenVisit, actor: Actor,
  result: { solved: boolean; satisfaction: Satisfaction; comment?: string | undefined }, now: Date): { good: boolean } {
  const answer: VisitResult = { reached: true, ...result };
  updateVisit(plan, visit, { attempts: visit.attempts + 1, status: statusOf(answer), reached: true, solved: result.solved,
    satisfaction: result.satisfaction, comment: result.comment ?? null, visited_by: actor.id, visited_at: now });
  return { good: statusOf(answer) === 'done' };
}

/** The supervisor's decision on an unsolved or unsatisfied result. */
export function recordDecision(plan: Plan, visit: OpenVisit, actor: Actor, decision: 'reopen' | 'close', reason: string, now: Date): void {
  updateVisit(plan, visit, { status: decision === 'reopen' ? 'reopened' : 'closed', decided_by: actor.id, decided_at: now,
    decision_reason: reason });
}

/** Of `orderIds`, those whose citizen said on a return visit that it was not solved, or that they were unsatisfied. */
export async function dissatisfiedOrders(db: Queryable, cityCode: string, orderIds: readonly string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const r = await db.query<{ order_id: string }>(prepared(
    `SELECT DISTINCT order_id FROM return_visits
      WHERE city_code = $1 AND order_id = ANY($2::uuid[]) AND (solved = false OR satisfaction = 'unsatisfied')`, [cityCode, orderIds]));
  return new Set(r.rows.map((row) => row.order_id));
}
