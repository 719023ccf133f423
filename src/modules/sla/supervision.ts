// What the supervisor (督办) looks at: warnings and overdue orders by unit, extension requests to
// decide, returned orders to arbitrate, and an order's deadlines round by round.
import type { Queryable } from '../../db/tx.js';
import { WhereBuilder } from '../../db/where.js';
import { seesWholeCity, type Actor } from '../auth/index.js';
import { getOrderSummary } from '../orders/index.js';
import { DEADLINE_KINDS, type DeadlineKind } from './deadlines.js';

const OPEN_MARK = (mark: 'warned' | 'overdue') => `(${DEADLINE_KINDS.map((k) =>
  `(r.${k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed'}_at IS NULL AND r.${k}_${mark}_at IS NOT NULL)`).join(' OR ')})`;
/** an active round with a deadline passed and not met */
export const OVERDUE_SQL = OPEN_MARK('overdue');
/** an active round warned of a deadline not met, and not overdue */
export const WARNING_SQL = `(${OPEN_MARK('warned')} AND NOT ${OPEN_MARK('overdue')})`;

export interface Deadline {
  dueAt: string;
  warnAt: string;
  metAt: string | null;
  onTime: boolean | null;
  warnedAt: string | null;
  overdueAt: string | null;
}

export interface Round {
  round: number;
  cause: string;
  unit: { id: string; name: string };
  basis: 'working_days' | 'hours';
  startedAt: string;
  status: 'active' | 'ended';
  endReason: string | null;
  calendarComplete: boolean;
  deadlines: Record<DeadlineKind, Deadline>;
  extensionDays: number;
  pausedAt: string | null;
  pausedMs: number;
  returnedAt: string | null;
  returnOutcome: string | null;
  urged: number;
  escalatedAt: string | null;
  visit: { reached: boolean | null; solved: boolean | null; satisfaction: string | null; at: string | null };
  reopenedAt: string | null;
}

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

function toRound(r: Record<string, any>): Round {
  const deadline = (k: DeadlineKind): Deadline => {
    const met = k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed';
    return { dueAt: r[`${k}_due_at`].toISOString(), warnAt: r[`${k}_warn_at`].toISOString(), metAt: iso(r[`${met}_at`]),
      onTime: r[`${met}_on_time`], warnedAt: iso(r[`${k}_warned_at`]), overdueAt: iso(r[`${k}_overdue_at`]) };
  };
  return {
    round: r.round, cause: r.cause, unit: { id: r.unit_id, name: r.unit_name }, basis: r.basis, startedAt: r.started_at.toISOString(),
    status: r.status, endReason: r.end_reason, calendarComplete: r.calendar_complete,
    deadlines: { sign: deadline('sign'), reply: deadline('reply'), close: deadline('close') },
    extensionDays: r.extension_days, pausedAt: iso(r.paused_at), pausedMs: Number(r.paused_ms), returnedAt: iso(r.returned_at),
    returnOutcome: r.return_outcome, urged: r.urged, escalatedAt: iso(r.escalated_at),
    visit: { reached: r.visit_reached, solved: r.visit_solved, satisfaction: r.visit_satisfaction, at: iso(r.visited_at) },
    reopenedAt: iso(r.reopened_at),
  };
}

/** An order's rounds, first to last, if the actor may see the order. */
export async function getOrderDeadlines(db: Queryable, actor: Actor, orderId: string): Promise<Round[]> {
  await getOrderSummary(db, actor, orderId);
  const r = await db.query(
    `SELECT r.*, u.name AS unit_name FROM order_rounds r JOIN units u ON u.id = r.unit_id WHERE r.order_id = $1 ORDER BY r.round`, [orderId]);
  return r.rows.map(toRound);
}

/** Limits `r` (order_rounds) to what the actor may see: the city, or the orders of its unit's subtree. */
function roundsVisibleTo(actor: Actor, where: WhereBuilder): WhereBuilder {
  where.add('r.city_code = ?', actor.cityCode);
  if (seesWholeCity(actor)) return where;
  if (!actor.unitId) return where.add('false');
  return where.add('EXISTS (SELECT 1 FROM order_scopes s WHERE s.unit_id = ? AND s.order_id = r.order_id)', actor.unitId);
}

export interface Alert extends Round {
  orderId: string;
  trackingNo: string;
  title: string;
  state: string;
  urgency: string;
}

/** Active rounds with a deadline overdue, or warned and not yet overdue; the most pressing first. */
export async function listAlerts(db: Queryable, actor: Actor,
  q: { level: 'warning' | 'overdue'; unitId?: string | undefined; limit: number; offset: number }): Promise<Alert[]> {
  const where = roundsVisibleTo(actor, new WhereBuilder()).add(`r.status = 'active'`).add(q.level === 'overdue' ? OVERDUE_SQL : WARNING_SQL);
  if (q.unitId) where.add('r.unit_id = ?', q.unitId);
  const r = await db.query(
    `SELECT r.*, u.name AS unit_name, o.tracking_no, o.title, o.state, o.urgency
       FROM order_rounds r JOIN units u ON u.id = r.unit_id JOIN orders o ON o.id = r.order_id
       ${where.sql}
      ORDER BY least(CASE WHEN r.signed_at IS NULL THEN r.sign_due_at END,
                     CASE WHEN r.replied_at IS NULL THEN r.reply_due_at END, r.close_due_at), r.id
      LIMIT ${where.param(q.limit)} OFFSET ${where.param(q.offset)}`, where.params);
  return r.rows.map((row) => ({ ...toRound(row), orderId: row.order_id, trackingNo: row.tracking_no, title: row.title,
    state: row.state, urgency: row.urgency }));
}

export interface UnitAlertCount {
  unit: { id: string; name: string; level: string };
  active: number;
  warning: number;
  overdue: number;
  paused: number;
  extensionPending: number;
}

/** Per unit: its active rounds, how many are warned, overdue, paused; most overdue first. */
export async function alertSummary(db: Queryable, actor: Actor): Promise<UnitAlertCount[]> {
  const where = roundsVisibleTo(actor, new WhereBuilder()).add(`r.status = 'active'`);
  const r = await db.query(
    `SELECT u.id, u.name, u.level, count(*) AS active,
            count(*) FILTER (WHERE ${WARNING_SQL}) AS warning, count(*) FILTER (WHERE ${OVERDUE_SQL}) AS overdue,
            count(*) FILTER (WHERE r.paused_at IS NOT NULL) AS paused, count(*) FILTER (WHERE o.extension_pending) AS extension_pending
       FROM order_rounds r JOIN units u ON u.id = r.unit_id JOIN orders o ON o.id = r.order_id
       ${where.sql}
      GROUP BY u.id, u.name, u.level
      ORDER BY overdue DESC, warning DESC, u.name`, where.params);
  return r.rows.map((row) => ({ unit: { id: row.id, name: row.name, level: row.level }, active: row.active, warning: row.warning,
    overdue: row.overdue, paused: row.paused, extensionPending: row.extension_pending }));
}

export interface PendingDecision {
  orderId: string;
  trackingNo: string;
  title: string;
  unit: { id: string; name: string } | null;
  requestedAt: string;
  reason: string | null;
  /** extension: working days asked for, already granted in this round, the reply deadline now */
  days: number | null;
  extensionDays: number | null;
  replyDueAt: string | null;
}

/** Extension requests waiting for the hotline's decision (oldest first), or returned orders to arbitrate. */
export async function listPendingDecisions(db: Queryable, actor: Actor, kind: 'extensions' | 'returns',
  q: { limit: number; offset: number }): Promise<PendingDecision[]> {
  const [condition, eventType] = kind === 'extensions'
    ? [`o.extension_pending AND o.state = 'signed'`, 'order.extension_requested']
    : [`o.state = 'returned'`, 'order.returned'];
  const r = await db.query(
    `SELECT o.id, o.tracking_no, o.title, e.at, e.reason, e.actor_unit_id, (e.payload->>'days')::int AS days, u.name AS unit_name,
            r.extension_days, r.reply_due_at
       FROM orders o
       JOIN LATERAL (SELECT * FROM order_events WHERE order_id = o.id AND type = $2 ORDER BY seq DESC LIMIT 1) e ON true
       LEFT JOIN units u ON u.id = e.actor_unit_id
       LEFT JOIN LATERAL (SELECT * FROM order_rounds WHERE order_id = o.id ORDER BY round DESC LIMIT 1) r ON true
      WHERE o.city_code = $1 AND ${condition}
      ORDER BY e.at, o.id LIMIT $3 OFFSET $4`, [actor.cityCode, eventType, q.limit, q.offset]);
  return r.rows.map((row) => ({ orderId: row.id, trackingNo: row.tracking_no, title: row.title,
    unit: row.actor_unit_id ? { id: row.actor_unit_id, name: row.unit_name } : null, requestedAt: row.at.toISOString(),
    reason: row.reason, days: row.days, extensionDays: row.extension_days, replyDueAt: iso(row.reply_due_at) }));
}
