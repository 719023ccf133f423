// Deadline rounds. Each time the hotline hands an order to a unit (a dispatch, a reopening) starts a
// round with three deadlines; the order's lifecycle recipes (src/modules/orders/lifecycle) call the
// functions below by name, so that each fact (signed on time, overdue at, extended by, returned with
// what outcome, visited with what result) is recorded the moment it happens, and a month's
// assessment is a count, never a recalculation.
//
// The lifecycle reads the order's latest round with the order (latestRoundQuery), and writes a
// change in one statement (src/db/plan.ts): these functions decide from the round as read, change
// it in memory, and add their writes to the change's plan.
import sql, { raw, type Sql } from 'sql-template-tag';
import { setColumns, type Plan } from '../../db/plan.js';
import { DomainError } from '../../shared/errors.js';
import { DAY_MS } from '../../shared/beijing.js';
import { currentCalendar, dueAfter, extendBy, remaining, warnBefore, type WorkCalendar } from '../calendar/index.js';
import type { Deadlines } from '../events/index.js';
import { categoryWithTree } from '../taxonomy/index.js';
import { scheduleIn, scheduleTimers, type NewTimer, type Timer } from '../timers/index.js';
import type { Queryable } from '../../db/tx.js';
import { getSlaSettings, type SlaSettings } from './settings.js';

export const DEADLINE_KINDS = ['sign', 'reply', 'close'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const WARN_TIMER = 'deadline.warn';
export const DUE_TIMER = 'deadline.due';

/** A row of `order_rounds`; `id` is null for a round this change inserts. */
export interface RoundRow {
  id: number | null;
  city_code: string;
  order_id: string;
  unit_id: string;
  round: number;
  urgency: string;
  basis: 'working_days' | 'hours';
  started_at: Date;
  status: 'active' | 'ended';
  ended_at: Date | null;
  end_reason: string | null;
  paused_at: Date | null;
  paused_ms: number;
  pauses: number;
  extension_days: number;
  extensions_requested: number;
  extensions_denied: number;
  extension_requested_days: number | null;
  returned_at: Date | null;
  return_outcome: string | null;
  urged: number;
  escalated_at: Date | null;
  calendar_complete: boolean;
  [column: string]: unknown;
}

/** The order's latest round as the lifecycle holds it while it plans a change (null: never dispatched). */
export interface RoundHolder {
  round: RoundRow | null;
}

/** What a round needs to know of its order. */
export interface RoundOrder {
  cityCode: string;
  orderId: string;
  urgency: string;
  /** the category's time limit replaces the default reply limit (normal orders) */
  categoryId: number | null;
}

/** The order's latest round as JSON, a subquery for the orders module's read of an order (`orderId`: a column). */
export function latestRoundQuery(orderId: Sql, cityCode: Sql): Sql {
  return sql`(SELECT to_jsonb(r) FROM order_rounds r WHERE r.order_id = ${orderId} AND r.city_code = ${cityCode} ORDER BY r.round DESC LIMIT 1)`;
}

/** A round read as JSON (latestRoundQuery), with its times as Dates. */
export function roundFromJson(json: Record<string, unknown> | null): RoundRow | null {
  if (!json) return null;
  const row: Record<string, unknown> = { ...json };
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'string' && key.endsWith('_at')) row[key] = new Date(value);
  }
  row.id = Number(row.id);
  row.paused_ms = Number(row.paused_ms);
  return row as RoundRow;
}

const due = (r: RoundRow, k: DeadlineKind) => r[`${k}_due_at`] as Date;
const warnAt = (r: RoundRow, k: DeadlineKind) => r[`${k}_warn_at`] as Date;
/** The column that says when a deadline was met: signed_at, replied_at, closed_at (without `_at`). */
export const metColumn = (k: DeadlineKind) => (k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed');
const metAt = (r: RoundRow, k: DeadlineKind) => r[`${metColumn(k)}_at`] as Date | null;

/**
 * The two timers of each deadline not yet met; no warning timer when the warning would be the
 * deadline, nor for a mark already given (markDeadline gives each once).
 */
function timersFor(r: RoundRow, kinds: readonly DeadlineKind[]): NewTimer[] {
  const timers: NewTimer[] = [];
  for (const k of kinds) {
    if (metAt(r, k) || r[`${k}_overdue_at`]) continue;
    const base = { cityCode: r.city_code, subjectId: r.order_id, ref: r.id, detail: k };
    if (warnAt(r, k).getTime() < due(r, k).getTime() && !r[`${k}_warned_at`]) timers.push({ ...base, kind: WARN_TIMER, dueAt: warnAt(r, k) });
    timers.push({ ...base, kind: DUE_TIMER, dueAt: due(r, k) });
  }
  return timers;
}

/**
 * Schedules the timers of these orders' active rounds, for rounds written without them: a history's
 * bulk load writes its open rounds by COPY (src/seed/history), and they then warn and turn overdue as
 * the lifecycle's do. A paused round has none: its clock's resumption schedules them. Returns how many.
 */
export async function armActiveRounds(db: Queryable, cityCode: string, orderIds: readonly string[]): Promise<number> {
  const rounds = await db.query(`SELECT * FROM order_rounds WHERE city_code = $1 AND order_id = ANY($2::uuid[]) AND status = 'active' AND paused_at IS NULL`,
    [cityCode, orderIds]);
  const timers = rounds.rows.flatMap((r) => timersFor(roundFromJson(r)!, DEADLINE_KINDS));
  await scheduleTimers(db, timers);
  return timers.length;
}

/** Changes a round, in memory and in the plan (all of one change's changes to it in one UPDATE). */
function updateRound(plan: Plan, r: RoundRow, columns: Record<string, unknown>): RoundRow {
  if (r.id === null) throw new Error('a round inserted by this change is not changed again by it');
  const id = r.id;
  plan.update(`order_rounds:${id}`, columns, (all) =>
    sql`UPDATE order_rounds SET ${setColumns(all)} WHERE id = ${id}::bigint AND city_code = ${r.city_code} AND ${plan.guard}`);
  return Object.assign(r, columns);
}

export function deadlinesOf(r: RoundRow): Deadlines {
  return { round: r.round, basis: r.basis, signDueAt: due(r, 'sign').toISOString(), replyDueAt: due(r, 'reply').toISOString(),
    closeDueAt: due(r, 'close').toISOString(), calendarComplete: r.calendar_complete };
}

const active = (h: RoundHolder) => (h.round?.status === 'active' ? h.round : null);

export interface RoundDeadlines {
  basis: RoundRow['basis'];
  started_at: Date;
  sign_due_at: Date;
  sign_warn_at: Date;
  reply_due_at: Date;
  reply_warn_at: Date;
  close_due_at: Date;
  close_warn_at: Date;
  calendar_complete: boolean;
}

/**
 * A round's deadlines and warnings from its start: the urgency's policy, the category's own time
 * limit where the settings use it, counted on the official calendar.
 */
export function roundDeadlines(calendar: WorkCalendar, settings: SlaSettings, urgency: string, categoryDays: number | null, start: Date):
  RoundDeadlines {
  const policy = settings.deadlines[urgency as 'normal' | 'urgent'];
  const replyLimit = policy.unit === 'working_days' && settings.useCategoryTimeLimit && categoryDays ? categoryDays : policy.reply;
  const sign = dueAfter(calendar, start, { value: policy.sign, unit: policy.unit });
  const reply = dueAfter(calendar, start, { value: replyLimit, unit: policy.unit });
  const close = dueAfter(calendar, reply.at, { value: policy.closeAfterReply, unit: policy.unit });
  const warn = (at: Date, from: Date) => warnBefore(calendar, from, at, policy.unit, policy.warnBefore);
  return { basis: policy.unit, started_at: start, sign_due_at: sign.at, sign_warn_at: warn(sign.at, start), reply_due_at: reply.at,
    reply_warn_at: warn(reply.at, start), close_due_at: close.at, close_warn_at: warn(close.at, reply.at),
    calendar_complete: sign.calendarComplete && reply.calendarComplete && close.calendarComplete };
}

/**
 * 派单 / 重办: starts a round for `unitId`, with deadlines from the settings, the order's urgency and
 * its category's time limit, and their timers. The round before it ends: on a dispatch after a
 * return, that return is upheld (the hotline sent the order elsewhere); on a reopening, it is marked
 * reopened.
 */
export async function startRound(db: Queryable, plan: Plan, h: RoundHolder, order: RoundOrder, unitId: string, cause: 'dispatch' | 'reopen',
  now: Date): Promise<Deadlines> {
  const previous = h.round;
  if (previous && cause === 'dispatch') {
    endRounds(plan, h, 'redispatched', now);
  } else if (previous) {
    updateRound(plan, previous, { status: 'ended', ended_at: previous.ended_at ?? now, end_reason: previous.end_reason ?? 'reopened',
      reopened_at: now });
  }
  const calendar = await currentCalendar(db);
  const settings = await getSlaSettings(db, order.cityCode);
  const categoryDays = order.categoryId ? (await categoryWithTree(db, order.cityCode, order.categoryId)).category.timeLimitDays : null;
  const round: RoundRow = {
    id: null, city_code: order.cityCode, order_id: order.orderId, unit_id: unitId, round: (previous?.round ?? 0) + 1, cause,
    urgency: order.urgency, ...roundDeadlines(calendar, settings, order.urgency, categoryDays, now), status: 'active', ended_at: null,
    end_reason: null, paused_at: null, paused_ms: 0, pauses: 0, extension_days: 0, extensions_requested: 0, extensions_denied: 0,
    extension_requested_days: null, returned_at: null, return_outcome: null, urged: 0, escalated_at: null,
  };
  const inserted = plan.add('round', sql`
    INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                              reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete)
    SELECT ${round.city_code}, ${round.order_id}::uuid, ${round.unit_id}::uuid, ${round.round}::int, ${cause}, ${round.urgency},
           ${round.basis}, ${now}::timestamptz, ${round.sign_due_at}::timestamptz, ${round.sign_warn_at}::timestamptz, ${round.reply_due_at}::timestamptz,
           ${round.reply_warn_at}::timestamptz, ${round.close_due_at}::timestamptz, ${round.close_warn_at}::timestamptz, ${round.calendar_complete}
     WHERE ${plan.guard}
    RETURNING id`);
  scheduleIn(plan, timersFor(round, DEADLINE_KINDS), sql`(SELECT id FROM ${raw(inserted)})`);
  h.round = round;
  return deadlinesOf(round);
}

/** 驳回退单: the unit was wrong to return the order; its round resumes with the deadlines it had. */
export function resumeRejectedReturn(plan: Plan, h: RoundHolder): Deadlines | null {
  if (!h.round) return null;
  const resumed = updateRound(plan, h.round, { return_outcome: 'rejected', status: 'active', ended_at: null, end_reason: null });
  scheduleIn(plan, timersFor(resumed, DEADLINE_KINDS));
  return deadlinesOf(resumed);
}

/**
 * 作废 / 合并 / 改派 (a dispatch elsewhere): the order leaves the round's unit. A return still waiting
 * for the hotline stands (the order was not the unit's to handle); a round in progress ends.
 */
export function endRounds(plan: Plan, h: RoundHolder, reason: 'cancel' | 'merge' | 'redispatched', now: Date): void {
  const round = h.round;
  if (!round) return;
  updateRound(plan, round, {
    ...(round.returned_at && !round.return_outcome ? { return_outcome: 'upheld' } : {}),
    ...(round.status === 'active' ? { status: 'ended', ended_at: now, end_reason: reason } : {}),
  });
}

/** On time when met before the deadline; a paused clock stopped at `paused_at`. */
function onTime(r: RoundRow, k: DeadlineKind, now: Date): boolean {
  return (r.paused_at ?? now).getTime() <= due(r, k).getTime();
}

/** The columns that record a deadline met, late or not; a late one is marked overdue at its deadline. */
function met(r: RoundRow, k: DeadlineKind, now: Date): Record<string, unknown> {
  const column = metColumn(k);
  const timely = onTime(r, k, now);
  return { [`${column}_at`]: now, [`${column}_on_time`]: timely,
    ...(timely ? {} : { [`${k}_overdue_at`]: (r[`${k}_overdue_at`] as Date | null) ?? due(r, k) }) };
}

/** 签收: the sign-for deadline is met (on time or not). */
export function recordSigned(plan: Plan, h: RoundHolder, now: Date): void {
  const round = active(h);
  if (round && !round.signed_at) updateRound(plan, round, met(round, 'sign', now));
}

/**
 * 退单 to the hotline: refused after the return window (working days from the dispatch); the round
 * ends, its return waiting for the hotline's decision.
 */
export async function recordReturn(db: Queryable, plan: Plan, h: RoundHolder, reason: string | null, unitId: string, now: Date): Promise<void> {
  const round = active(h);
  if (!round) return;
  const settings = await getSlaSettings(db, round.city_code);
  const calendar = await currentCalendar(db);
  if (calendar.workingTimeBetween(round.started_at, now).ms > settings.returnWindowDays * DAY_MS) {
    throw new DomainError('ORDER_RETURN_WINDOW_PASSED', { days: settings.returnWindowDays });
  }
  updateRound(plan, round, { returned_at: now, return_reason: reason, returned_by_unit: unitId, status: 'ended', ended_at: now,
    end_reason: 'returned', paused_at: null });
}

async function assertWithinCap(db: Queryable, round: RoundRow, days: number): Promise<void> {
  const max = (await getSlaSettings(db, round.city_code)).extensionMaxDays;
  if (round.extension_days + days > max) throw new DomainError('ORDER_EXTENSION_TOO_LONG', { max, used: round.extension_days });
}

/** 申请延期: refused when the round's extensions would pass the cap; kept for the hotline's decision. */
export async function requestExtension(db: Queryable, plan: Plan, h: RoundHolder, days: number, reason: string | null, unitId: string,
  now: Date): Promise<void> {
  const round = active(h);
  if (!round) return;
  await assertWithinCap(db, round, days);
  updateRound(plan, round, { extensions_requested: round.extensions_requested + 1, extension_requested_days: days,
    extension_requested_at: now, extension_reason: reason, extension_requested_by: unitId });
}

/**
 * 批准延期: grants `days` working days (the days asked when absent; never more), within the cap; the
 * reply and close deadlines move by as many working days, whatever the deadlines count in.
 */
export async function approveExtension(db: Queryable, plan: Plan, h: RoundHolder, days: number | undefined):
  Promise<{ days: number; requestedDays: number; deadlines: Deadlines | null }> {
  const round = active(h);
  const asked = round?.extension_requested_days ?? 0;
  const granted = days ?? asked;
  if (!Number.isInteger(granted) || granted < 1 || granted > asked) {
    throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: `批准天数须为 1 至申请的 ${asked} 天`, en: `days must be 1 to the ${asked} requested` } });
  }
  if (!round) return { days: granted, requestedDays: asked, deadlines: null };
  await assertWithinCap(db, round, granted);
  const calendar = await currentCalendar(db);
  const moved = await moveDeadlines(db, plan, calendar, round, ['reply', 'close'], (k) => calendar.addWorkingDays(due(round, k), granted).at,
    { extension_days: round.extension_days + granted, extension_requested_days: null });
  return { days: granted, requestedDays: asked, deadlines: deadlinesOf(moved) };
}

/** 驳回延期. */
export function denyExtension(plan: Plan, h: RoundHolder): void {
  const round = active(h);
  if (round) updateRound(plan, round, { extensions_denied: round.extensions_denied + 1, extension_requested_days: null });
}

/** 暂停计时: the deadlines stand still until the unit resumes. */
export function pauseClock(plan: Plan, h: RoundHolder, now: Date): void {
  const round = active(h);
  if (round) updateRound(plan, round, { paused_at: now, pauses: round.pauses + 1 });
}

/** 恢复计时: the reply and close deadlines keep exactly the working time they had left when paused. */
export async function resumeClock(db: Queryable, plan: Plan, h: RoundHolder, now: Date): Promise<{ deadlines: Deadlines | null; pausedMs?: number }> {
  const round = active(h);
  if (!round?.paused_at) return { deadlines: null };
  const calendar = await currentCalendar(db);
  const pausedAt = round.paused_at;
  const pausedMs = now.getTime() - pausedAt.getTime();
  const moved = await moveDeadlines(db, plan, calendar, round, ['reply', 'close'],
    (k) => extendBy(calendar, now, remaining(calendar, pausedAt, due(round, k), round.basis), round.basis).at,
    { paused_at: null, paused_ms: round.paused_ms + pausedMs });
  return { deadlines: deadlinesOf(moved), pausedMs };
}

/**
 * Moves the unmet deadlines of a round to `newDue` and schedules their timers. A warning already
 * given stays given.
 */
async function moveDeadlines(db: Queryable, plan: Plan, calendar: WorkCalendar, r: RoundRow, kinds: readonly DeadlineKind[],
  newDue: (k: DeadlineKind) => Date, extra: Record<string, unknown>): Promise<RoundRow> {
  const settings = await getSlaSettings(db, r.city_code);
  const policy = settings.deadlines[r.urgency as 'normal' | 'urgent'];
  const columns: Record<string, unknown> = { ...extra };
  for (const k of kinds) {
    if (metAt(r, k)) continue;
    const at = newDue(k);
    columns[`${k}_due_at`] = at;
    columns[`${k}_warn_at`] = warnBefore(calendar, r.started_at, at, r.basis, policy.warnBefore);
  }
  const moved = updateRound(plan, r, columns);
  scheduleIn(plan, timersFor(moved, kinds));
  return moved;
}

/** 答复: the reply deadline is met; a paused clock stops counting. */
export function recordReply(plan: Plan, h: RoundHolder, now: Date): void {
  const round = active(h);
  if (!round) return;
  const pause = round.paused_at ? { paused_at: null, paused_ms: round.paused_ms + (now.getTime() - round.paused_at.getTime()) } : {};
  updateRound(plan, round, { ...met(round, 'reply', now), ...pause });
}

/** 回访: the citizen's answer, on the round it judges. */
export function recordVisit(plan: Plan, h: RoundHolder, visit: { reached: boolean; solved?: boolean | undefined; satisfaction?: string | undefined },
  now: Date): void {
  if (h.round) {
    updateRound(plan, h.round, { visit_reached: visit.reached, visit_solved: visit.solved ?? null,
      visit_satisfaction: visit.satisfaction ?? null, visited_at: now });
  }
}

/** 办结: the close deadline is met and the round ends. */
export function recordClose(plan: Plan, h: RoundHolder, now: Date): void {
  const round = active(h);
  if (round) updateRound(plan, round, { ...met(round, 'close', now), status: 'ended', ended_at: now, end_reason: 'closed' });
}

/** 催办 / 督办, counted on the round in progress; returns the round's unit (who is told). */
export function recordUrge(plan: Plan, h: RoundHolder, kind: 'urge' | 'escalate', now: Date): string | null {
  const round = active(h);
  if (!round) return null;
  updateRound(plan, round, kind === 'urge' ? { urged: round.urged + 1 } : { escalated_at: round.escalated_at ?? now });
  return round.unit_id;
}

/** A deadline's warning or overdue mark, as recorded. */
export interface DeadlineMark {
  kind: 'warning' | 'overdue';
  deadline: DeadlineKind;
  dueAt: string;
  round: number;
  unitId: string;
}

/**
 * Marks a deadline's warning or overdue if it still applies to the order's latest round as read:
 * the timer's round, active, the deadline not met, the clock running, the mark not given, its
 * moment come (an extension may have moved it). The warning is given when it fires; the overdue
 * mark records the deadline itself, however late the sweep. Null when there is nothing to mark.
 */
export function markDeadline(plan: Plan, h: RoundHolder, timer: Timer, now: Date): DeadlineMark | null {
  const k = timer.detail as DeadlineKind;
  const r = h.round;
  if (!r || r.id !== Number(timer.ref) || r.status !== 'active' || metAt(r, k) || r.paused_at) return null;
  const warning = timer.kind === WARN_TIMER;
  const markColumn = `${k}_${warning ? 'warned' : 'overdue'}_at`;
  if (r[markColumn]) return null;
  const dueAt = due(r, k);
  if (warning ? now < warnAt(r, k) || now >= dueAt : now < dueAt) return null;
  updateRound(plan, r, { [markColumn]: warning ? now : dueAt });
  return { kind: warning ? 'warning' : 'overdue', deadline: k, dueAt: dueAt.toISOString(), round: r.round, unitId: r.unit_id };
}
