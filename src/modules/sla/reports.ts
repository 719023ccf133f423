// What the sla module tells of its rounds: an order's rounds, the warned and overdue ones, the
// requests waiting for the hotline, and the figures assessment counts. Functions that list orders
// for a viewer take `visible`: a subquery of the order ids the viewer may see, written by the
// orders module (which owns who sees what); null means the whole city.
import sql, { empty, join, raw, type Sql } from 'sql-template-tag';
import type { Queryable } from '../../db/tx.js';
import { countUpTo, pageOf, type Page, type PageRequest } from '../../db/page.js';
import { unitIndex } from '../directory/index.js';
import { DEADLINE_KINDS, metColumn, type DeadlineKind } from './rounds.js';
import { FIGURE_NAMES, FIGURES, type FigureName, type Figures } from './figures.js';

const OPEN_MARK = (mark: 'warned' | 'overdue') => `(${DEADLINE_KINDS.map((k) =>
  `(r.${metColumn(k)}_at IS NULL AND r.${k}_${mark}_at IS NOT NULL)`).join(' OR ')})`;
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

async function unitNames(db: Queryable, cityCode: string, ids: string[]): Promise<(id: string) => string> {
  const units = await unitIndex(db, cityCode, ids);
  return (id) => units.get(id)?.name ?? id;
}

function toRound(r: Record<string, any>, unitName: (id: string) => string): Round {
  const deadline = (k: DeadlineKind): Deadline => {
    const met = metColumn(k);
    return { dueAt: r[`${k}_due_at`].toISOString(), warnAt: r[`${k}_warn_at`].toISOString(), metAt: iso(r[`${met}_at`]),
      onTime: r[`${met}_on_time`], warnedAt: iso(r[`${k}_warned_at`]), overdueAt: iso(r[`${k}_overdue_at`]) };
  };
  return {
    round: r.round, cause: r.cause, unit: { id: r.unit_id, name: unitName(r.unit_id) }, basis: r.basis, startedAt: r.started_at.toISOString(),
    status: r.status, endReason: r.end_reason, calendarComplete: r.calendar_complete,
    deadlines: { sign: deadline('sign'), reply: deadline('reply'), close: deadline('close') },
    extensionDays: r.extension_days, pausedAt: iso(r.paused_at), pausedMs: Number(r.paused_ms), returnedAt: iso(r.returned_at),
    returnOutcome: r.return_outcome, urged: r.urged, escalatedAt: iso(r.escalated_at),
    visit: { reached: r.visit_reached, solved: r.visit_solved, satisfaction: r.visit_satisfaction, at: iso(r.visited_at) },
    reopenedAt: iso(r.reopened_at),
  };
}

async function toRounds(db: Queryable, cityCode: string, rows: Record<string, any>[]): Promise<Round[]> {
  const name = await unitNames(db, cityCode, rows.map((r) => r.unit_id));
  return rows.map((r) => toRound(r, name));
}

/** An order's rounds, first to last. */
export async function orderRounds(db: Queryable, cityCode: string, orderId: string): Promise<Round[]> {
  const r = await db.query('SELECT * FROM order_rounds WHERE city_code = $1 AND order_id = $2 ORDER BY round', [cityCode, orderId]);
  return toRounds(db, cityCode, r.rows);
}

const visibleOnly = (visible: Sql | null) => (visible ? sql`AND r.order_id IN (${visible})` : empty);

/** Active rounds with a deadline overdue, or warned and not yet overdue; the most pressing first. */
export async function alertRounds(db: Queryable, cityCode: string,
  q: { level: 'warning' | 'overdue'; unitId?: string | undefined; visible: Sql | null; limit: number; offset: number }):
  Promise<Page<Round & { orderId: string }>> {
  const alerted = sql`FROM order_rounds r
     WHERE r.city_code = ${cityCode} AND r.status = 'active' AND ${raw(q.level === 'overdue' ? OVERDUE_SQL : WARNING_SQL)}
       ${q.unitId ? sql`AND r.unit_id = ${q.unitId}::uuid` : empty} ${visibleOnly(q.visible)}`;
  const query = sql`SELECT r.* ${alerted}
     ORDER BY least(CASE WHEN r.signed_at IS NULL THEN r.sign_due_at END,
                    CASE WHEN r.replied_at IS NULL THEN r.reply_due_at END, r.close_due_at), r.id
     LIMIT ${q.limit} OFFSET ${q.offset}`;
  const [result, count] = await Promise.all([db.query(query.text, query.values), countUpTo(db, alerted)]);
  const rounds = await toRounds(db, cityCode, result.rows);
  return pageOf(rounds.map((round, i) => ({ ...round, orderId: result.rows[i].order_id })), count, q);
}

export interface UnitAlertCount {
  unit: { id: string; name: string; level: string };
  active: number;
  warning: number;
  overdue: number;
  paused: number;
  extensionPending: number;
}

/** Per unit: its active rounds, how many are warned, overdue, paused, waiting on an extension; most overdue first. */
export async function alertCounts(db: Queryable, cityCode: string, visible: Sql | null): Promise<UnitAlertCount[]> {
  const query = sql`SELECT r.unit_id, count(*)::int AS active,
          count(*) FILTER (WHERE ${raw(WARNING_SQL)})::int AS warning, count(*) FILTER (WHERE ${raw(OVERDUE_SQL)})::int AS overdue,
          count(*) FILTER (WHERE r.paused_at IS NOT NULL)::int AS paused,
          count(*) FILTER (WHERE r.extension_requested_days IS NOT NULL)::int AS extension_pending
     FROM order_rounds r WHERE r.city_code = ${cityCode} AND r.status = 'active' ${visibleOnly(visible)}
    GROUP BY r.unit_id`;
  const result = await db.query(query.text, query.values);
  const units = await unitIndex(db, cityCode, result.rows.map((r) => r.unit_id));
  return result.rows
    .map((row) => {
      const unit = units.get(row.unit_id);
      return { unit: { id: row.unit_id, name: unit?.name ?? row.unit_id, level: unit?.level ?? '' }, active: row.active,
        warning: row.warning, overdue: row.overdue, paused: row.paused, extensionPending: row.extension_pending };
    })
    .sort((a, b) => b.overdue - a.overdue || b.warning - a.warning || a.unit.name.localeCompare(b.unit.name, 'zh'));
}

export interface PendingRequest {
  orderId: string;
  /** the unit that asked (an extension) or returned the order */
  unit: { id: string; name: string } | null;
  requestedAt: string;
  reason: string | null;
  /** extension: working days asked for, already granted in this round, the reply deadline now */
  days: number | null;
  extensionDays: number | null;
  replyDueAt: string | null;
}

/** Extension requests waiting for the hotline's decision, or returns to arbitrate; oldest first. */
export async function pendingRequests(db: Queryable, cityCode: string, kind: 'extensions' | 'returns',
  page: PageRequest): Promise<Page<PendingRequest>> {
  const waiting = kind === 'extensions'
    ? `FROM order_rounds WHERE city_code = $1 AND status = 'active' AND extension_requested_days IS NOT NULL`
    : `FROM order_rounds WHERE city_code = $1 AND returned_at IS NOT NULL AND return_outcome IS NULL`;
  const [result, count] = await Promise.all([db.query(kind === 'extensions'
    ? `SELECT order_id, extension_requested_by AS unit_id, extension_requested_at AS at, extension_reason AS reason,
              extension_requested_days AS days, extension_days, reply_due_at
         ${waiting} ORDER BY extension_requested_at, id LIMIT $2 OFFSET $3`
    : `SELECT order_id, returned_by_unit AS unit_id, returned_at AS at, return_reason AS reason,
              NULL::int AS days, NULL::int AS extension_days, NULL::timestamptz AS reply_due_at
         ${waiting} ORDER BY returned_at, id LIMIT $2 OFFSET $3`, [cityCode, page.limit, page.offset]),
  countUpTo(db, { text: waiting, values: [cityCode] })]);
  const name = await unitNames(db, cityCode, result.rows.map((r) => r.unit_id).filter(Boolean));
  return pageOf(result.rows.map((r) => ({ orderId: r.order_id, unit: r.unit_id ? { id: r.unit_id, name: name(r.unit_id) } : null,
    requestedAt: r.at.toISOString(), reason: r.reason, days: r.days, extensionDays: r.extension_days, replyDueAt: iso(r.reply_due_at) })), count, page);
}

/** Each unit's figures over the rounds that started in [from, to): one pass, one count per figure. */
export async function figureCounts(db: Queryable, cityCode: string, from: Date, to: Date): Promise<{ unitId: string; figures: Figures }[]> {
  const counts = join(FIGURE_NAMES.map((name) => raw(`count(*) FILTER (WHERE ${FIGURES[name].sql})::int AS "${name}"`)), ',\n');
  const query = sql`SELECT r.unit_id, ${counts} FROM order_rounds r
     WHERE r.city_code = ${cityCode} AND r.started_at >= ${from} AND r.started_at < ${to} GROUP BY r.unit_id`;
  const result = await db.query(query.text, query.values);
  return result.rows.map((r) => ({ unitId: r.unit_id, figures: Object.fromEntries(FIGURE_NAMES.map((n) => [n, r[n]])) as Figures }));
}

export interface FigureRound {
  orderId: string;
  round: number;
  startedAt: string;
  signedAt: string | null;
  repliedAt: string | null;
  replyDueAt: string;
  visitSatisfaction: string | null;
}

/** The rounds that make up one figure of one unit in [from, to): the same condition that counts it. */
export async function figureRounds(db: Queryable, cityCode: string, unitId: string, from: Date, to: Date, figure: FigureName,
  page: PageRequest): Promise<Page<FigureRound>> {
  const counted = sql`FROM order_rounds r
     WHERE r.city_code = ${cityCode} AND r.unit_id = ${unitId}::uuid AND r.started_at >= ${from} AND r.started_at < ${to}
       AND (${raw(FIGURES[figure].sql)})`;
  const query = sql`SELECT r.* ${counted} ORDER BY r.started_at, r.id LIMIT ${page.limit} OFFSET ${page.offset}`;
  const [result, count] = await Promise.all([db.query(query.text, query.values), countUpTo(db, counted)]);
  return pageOf(result.rows.map((r) => ({ orderId: r.order_id, round: r.round, startedAt: r.started_at.toISOString(),
    signedAt: iso(r.signed_at), repliedAt: iso(r.replied_at), replyDueAt: r.reply_due_at.toISOString(), visitSatisfaction: r.visit_satisfaction })), count, page);
}

/** The deadline that presses now in an order's active round: the first not yet met, and how it stands. */
export interface PressingDeadline {
  kind: DeadlineKind;
  dueAt: string;
  warnAt: string;
  /** paused: the clock stands still (the unit waits on the citizen or another body) */
  status: PressingStatus;
}

export const PRESSING_STATUSES = ['on_time', 'warning', 'overdue', 'paused'] as const;
export type PressingStatus = (typeof PRESSING_STATUSES)[number];

/** A round's pressing deadline (the first not met) in SQL: its `due` or `warn` moment; null when all are met. */
const pressingAt = (moment: 'due' | 'warn') =>
  raw(`CASE ${DEADLINE_KINDS.map((k) => `WHEN r.${metColumn(k)}_at IS NULL THEN r.${k}_${moment}_at`).join(' ')} END`);
/** A round's status at `now`, judged as pressingDeadlines judges it. */
const pressingStatus = (now: Date) => sql`CASE WHEN r.paused_at IS NOT NULL THEN 'paused'
  WHEN ${pressingAt('due')} <= ${now} THEN 'overdue' WHEN ${pressingAt('warn')} <= ${now} THEN 'warning' ELSE 'on_time' END`;
const unitActiveRounds = (cityCode: string, unitId: string) => sql`FROM order_rounds r
  WHERE r.city_code = ${cityCode} AND r.unit_id = ${unitId}::uuid AND r.status = 'active' AND ${pressingAt('due')} IS NOT NULL`;

/** How many of a unit's active rounds are on time, warned, overdue or paused at `now` (the inbox's counts). */
export async function unitPressingCounts(db: Queryable, cityCode: string, unitId: string, now = new Date()): Promise<Record<PressingStatus, number>> {
  const query = sql`SELECT ${pressingStatus(now)} AS status, count(*)::int AS n ${unitActiveRounds(cityCode, unitId)} GROUP BY 1`;
  const counts = Object.fromEntries(PRESSING_STATUSES.map((s) => [s, 0])) as Record<PressingStatus, number>;
  for (const row of (await db.query(query.text, query.values)).rows) counts[row.status as PressingStatus] = row.n;
  return counts;
}

/** The orders of a unit's active rounds in one status at `now`, the most pressing first (the inbox's filter). */
export async function unitOrdersPressing(db: Queryable, cityCode: string, unitId: string, status: PressingStatus, page: PageRequest,
  now = new Date()): Promise<Page<string>> {
  const matching = sql`${unitActiveRounds(cityCode, unitId)} AND ${pressingStatus(now)} = ${status}`;
  const query = sql`SELECT r.order_id ${matching} ORDER BY ${pressingAt('due')}, r.id LIMIT ${page.limit} OFFSET ${page.offset}`;
  const [result, count] = await Promise.all([db.query(query.text, query.values), countUpTo(db, matching)]);
  return pageOf(result.rows.map((r) => r.order_id as string), count, page);
}

/** Each order's pressing deadline (orders with no active round are left out), judged at `now`. */
export async function pressingDeadlines(db: Queryable, cityCode: string, orderIds: readonly string[], now = new Date()):
  Promise<Map<string, PressingDeadline>> {
  if (orderIds.length === 0) return new Map();
  const result = await db.query(
    `SELECT * FROM order_rounds WHERE city_code = $1 AND order_id = ANY($2::uuid[]) AND status = 'active'`, [cityCode, [...orderIds]]);
  const pressing = new Map<string, PressingDeadline>();
  for (const r of result.rows) {
    const kind = DEADLINE_KINDS.find((k) => r[`${metColumn(k)}_at`] === null);
    if (!kind) continue;
    const due: Date = r[`${kind}_due_at`];
    const warn: Date = r[`${kind}_warn_at`];
    const status = r.paused_at ? 'paused' : due <= now ? 'overdue' : warn <= now ? 'warning' : 'on_time';
    pressing.set(r.order_id, { kind, dueAt: due.toISOString(), warnAt: warn.toISOString(), status });
  }
  return pressing;
}
