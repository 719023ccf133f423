// Deadline rounds. Each time the hotline hands an order to a unit (a dispatch, a reopening) starts a
// round with three deadlines; the order's lifecycle recipes (src/modules/orders/lifecycle) call the
// functions below by name, inside their transaction and under the order's lock, so that each fact
// (signed on time, overdue at, extended by, returned with what outcome, visited with what result)
// is recorded the moment it happens, and a month's assessment is a count, never a recalculation.
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { currentCalendar, DAY, dueAfter, extendBy, remaining, warnBefore, type WorkCalendar } from '../calendar/index.js';
import type { Deadlines } from '../events/index.js';
import { categoryWithTree } from '../taxonomy/index.js';
import { scheduleTimers, type NewTimer, type Timer } from '../timers/index.js';
import { getSlaSettings } from './settings.js';

export const DEADLINE_KINDS = ['sign', 'reply', 'close'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const WARN_TIMER = 'deadline.warn';
export const DUE_TIMER = 'deadline.due';

/** The columns of `order_rounds` read here. */
export interface RoundRow {
  id: number;
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

/** What a round needs to know of its order. */
export interface RoundOrder {
  cityCode: string;
  orderId: string;
  urgency: string;
  /** the category's time limit replaces the default reply limit (normal orders) */
  categoryId: number | null;
}

const due = (r: RoundRow, k: DeadlineKind) => r[`${k}_due_at`] as Date;
const warnAt = (r: RoundRow, k: DeadlineKind) => r[`${k}_warn_at`] as Date;
const metColumn = (k: DeadlineKind) => (k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed');
const metAt = (r: RoundRow, k: DeadlineKind) => r[`${metColumn(k)}_at`] as Date | null;

/** The two timers of each deadline not yet met; no warning timer when the warning would be the deadline. */
function timersFor(r: RoundRow, kinds: readonly DeadlineKind[]): NewTimer[] {
  const timers: NewTimer[] = [];
  for (const k of kinds) {
    if (metAt(r, k)) continue;
    const base = { cityCode: r.city_code, subjectId: r.order_id, ref: r.id, detail: k };
    if (warnAt(r, k).getTime() < due(r, k).getTime()) timers.push({ ...base, kind: WARN_TIMER, dueAt: warnAt(r, k) });
    timers.push({ ...base, kind: DUE_TIMER, dueAt: due(r, k) });
  }
  return timers;
}

async function latestRound(tx: Queryable, orderId: string): Promise<RoundRow | undefined> {
  const r = await tx.query(prepared('SELECT * FROM order_rounds WHERE order_id = $1 ORDER BY round DESC LIMIT 1', [orderId]));
  return r.rows[0];
}

/** The order's round in progress, if any. */
async function activeRound(tx: Queryable, orderId: string): Promise<RoundRow | undefined> {
  const round = await latestRound(tx, orderId);
  return round?.status === 'active' ? round : undefined;
}

async function updateRound(tx: Queryable, id: number, columns: Record<string, unknown>): Promise<RoundRow> {
  const names = Object.keys(columns);
  const sets = names.map((c, i) => `${c} = $${i + 2}`);
  const r = await tx.query(`UPDATE order_rounds SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, [id, ...names.map((c) => columns[c])]);
  return r.rows[0];
}

export function deadlinesOf(r: RoundRow): Deadlines {
  return { round: r.round, basis: r.basis, signDueAt: due(r, 'sign').toISOString(), replyDueAt: due(r, 'reply').toISOString(),
    closeDueAt: due(r, 'close').toISOString(), calendarComplete: r.calendar_complete };
}

/**
 * 派单 / 重办: starts a round for `unitId`, with deadlines from the settings, the order's urgency and
 * its category's time limit, and their timers. The round before it ends: on a dispatch after a
 * return, that return is upheld (the hotline sent the order elsewhere); on a reopening, it is marked
 * reopened.
 */
export async function startRound(tx: Queryable, order: RoundOrder, unitId: string, cause: 'dispatch' | 'reopen', now: Date): Promise<Deadlines> {
  const previous = await latestRound(tx, order.orderId);
  if (previous && cause === 'dispatch') {
    if (previous.returned_at && !previous.return_outcome) await updateRound(tx, previous.id, { return_outcome: 'upheld' });
    if (previous.status === 'active') await updateRound(tx, previous.id, { status: 'ended', ended_at: now, end_reason: 'redispatched' });
  } else if (previous) {
    await updateRound(tx, previous.id, { status: 'ended', ended_at: previous.ended_at ?? now, end_reason: previous.end_reason ?? 'reopened',
      reopened_at: now });
  }
  const calendar = await currentCalendar(tx);
  const settings = await getSlaSettings(tx, order.cityCode);
  const categoryDays = order.categoryId ? (await categoryWithTree(tx, order.cityCode, order.categoryId)).category.timeLimitDays : null;
  const policy = settings.deadlines[order.urgency as 'normal' | 'urgent'];
  const replyLimit = policy.unit === 'working_days' && settings.useCategoryTimeLimit && categoryDays ? categoryDays : policy.reply;
  const sign = dueAfter(calendar, now, { value: policy.sign, unit: policy.unit });
  const reply = dueAfter(calendar, now, { value: replyLimit, unit: policy.unit });
  const close = dueAfter(calendar, reply.at, { value: policy.closeAfterReply, unit: policy.unit });
  const warn = (at: Date, start: Date) => warnBefore(calendar, start, at, policy.unit, policy.warnBefore);
  const inserted = await tx.query(prepared(
    `INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                               reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     RETURNING *`,
    [order.cityCode, order.orderId, unitId, (previous?.round ?? 0) + 1, cause, order.urgency, policy.unit, now, sign.at, warn(sign.at, now),
      reply.at, warn(reply.at, now), close.at, warn(close.at, reply.at), sign.calendarComplete && reply.calendarComplete && close.calendarComplete]));
  const round: RoundRow = inserted.rows[0];
  await scheduleTimers(tx, timersFor(round, DEADLINE_KINDS));
  return deadlinesOf(round);
}

/** 驳回退单: the unit was wrong to return the order; its round resumes with the deadlines it had. */
export async function resumeRejectedReturn(tx: Queryable, orderId: string): Promise<Deadlines | null> {
  const round = await latestRound(tx, orderId);
  if (!round) return null;
  const resumed = await updateRound(tx, round.id, { return_outcome: 'rejected', status: 'active', ended_at: null, end_reason: null });
  await scheduleTimers(tx, timersFor(resumed, DEADLINE_KINDS));
  return deadlinesOf(resumed);
}

/**
 * 作废 / 合并: the order leaves the units. A return still waiting for the hotline stands (the order
 * was not the unit's to handle); a round in progress ends.
 */
export async function endRounds(tx: Queryable, orderId: string, reason: 'cancel' | 'merge', now: Date): Promise<void> {
  const round = await latestRound(tx, orderId);
  if (!round) return;
  if (round.returned_at && !round.return_outcome) await updateRound(tx, round.id, { return_outcome: 'upheld' });
  if (round.status === 'active') await updateRound(tx, round.id, { status: 'ended', ended_at: now, end_reason: reason });
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
export async function recordSigned(tx: Queryable, orderId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (active && !active.signed_at) await updateRound(tx, active.id, met(active, 'sign', now));
}

/**
 * 退单 to the hotline: refused after the return window (working days from the dispatch); the round
 * ends, its return waiting for the hotline's decision.
 */
export async function recordReturn(tx: Queryable, orderId: string, reason: string | null, unitId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (!active) return;
  const settings = await getSlaSettings(tx, active.city_code);
  const calendar = await currentCalendar(tx);
  if (calendar.workingTimeBetween(active.started_at, now).ms > settings.returnWindowDays * DAY) {
    throw new DomainError('ORDER_RETURN_WINDOW_PASSED', { days: settings.returnWindowDays });
  }
  await updateRound(tx, active.id, { returned_at: now, return_reason: reason, returned_by_unit: unitId, status: 'ended', ended_at: now,
    end_reason: 'returned', paused_at: null });
}

async function assertWithinCap(tx: Queryable, round: RoundRow, days: number): Promise<void> {
  const max = (await getSlaSettings(tx, round.city_code)).extensionMaxDays;
  if (round.extension_days + days > max) throw new DomainError('ORDER_EXTENSION_TOO_LONG', { max, used: round.extension_days });
}

/** 申请延期: refused when the round's extensions would pass the cap; kept for the hotline's decision. */
export async function requestExtension(tx: Queryable, orderId: string, days: number, reason: string | null, unitId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (!active) return;
  await assertWithinCap(tx, active, days);
  await updateRound(tx, active.id, { extensions_requested: active.extensions_requested + 1, extension_requested_days: days,
    extension_requested_at: now, extension_reason: reason, extension_requested_by: unitId });
}

/**
 * 批准延期: grants `days` working days (the days asked when absent; never more), within the cap; the
 * reply and close deadlines move by as many working days, whatever the deadlines count in.
 */
export async function approveExtension(tx: Queryable, orderId: string, days: number | undefined):
  Promise<{ days: number; requestedDays: number; deadlines: Deadlines | null }> {
  const active = await activeRound(tx, orderId);
  const asked = active?.extension_requested_days ?? 0;
  const granted = days ?? asked;
  if (!Number.isInteger(granted) || granted < 1 || granted > asked) {
    throw new DomainError('ORDER_INVALID_FIELD', { detail: `days must be 1 to the ${asked} requested` });
  }
  if (!active) return { days: granted, requestedDays: asked, deadlines: null };
  await assertWithinCap(tx, active, granted);
  const calendar = await currentCalendar(tx);
  const moved = await moveDeadlines(tx, calendar, active, ['reply', 'close'], (k) => calendar.addWorkingDays(due(active, k), granted).at,
    { extension_days: active.extension_days + granted, extension_requested_days: null });
  return { days: granted, requestedDays: asked, deadlines: deadlinesOf(moved) };
}

/** 驳回延期. */
export async function denyExtension(tx: Queryable, orderId: string): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (active) await updateRound(tx, active.id, { extensions_denied: active.extensions_denied + 1, extension_requested_days: null });
}

/** 暂停计时: the deadlines stand still until the unit resumes. */
export async function pauseClock(tx: Queryable, orderId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (active) await updateRound(tx, active.id, { paused_at: now, pauses: active.pauses + 1 });
}

/** 恢复计时: the reply and close deadlines keep exactly the working time they had left when paused. */
export async function resumeClock(tx: Queryable, orderId: string, now: Date): Promise<{ deadlines: Deadlines | null; pausedMs?: number }> {
  const active = await activeRound(tx, orderId);
  if (!active?.paused_at) return { deadlines: null };
  const calendar = await currentCalendar(tx);
  const pausedAt = active.paused_at;
  const pausedMs = now.getTime() - pausedAt.getTime();
  const moved = await moveDeadlines(tx, calendar, active, ['reply', 'close'],
    (k) => extendBy(calendar, now, remaining(calendar, pausedAt, due(active, k), active.basis), active.basis).at,
    { paused_at: null, paused_ms: Number(active.paused_ms) + pausedMs });
  return { deadlines: deadlinesOf(moved), pausedMs };
}

/**
 * Moves the unmet deadlines of a round to `newDue` and schedules their timers. A warning already
 * given stays given.
 */
async function moveDeadlines(tx: Queryable, calendar: WorkCalendar, r: RoundRow, kinds: readonly DeadlineKind[],
  newDue: (k: DeadlineKind) => Date, extra: Record<string, unknown>): Promise<RoundRow> {
  const settings = await getSlaSettings(tx, r.city_code);
  const policy = settings.deadlines[r.urgency as 'normal' | 'urgent'];
  const columns: Record<string, unknown> = { ...extra };
  for (const k of kinds) {
    if (metAt(r, k)) continue;
    const at = newDue(k);
    columns[`${k}_due_at`] = at;
    columns[`${k}_warn_at`] = warnBefore(calendar, r.started_at, at, r.basis, policy.warnBefore);
  }
  const moved = await updateRound(tx, r.id, columns);
  await scheduleTimers(tx, timersFor(moved, kinds));
  return moved;
}

/** 答复: the reply deadline is met; a paused clock stops counting. */
export async function recordReply(tx: Queryable, orderId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (!active) return;
  const pause = active.paused_at ? { paused_at: null, paused_ms: Number(active.paused_ms) + (now.getTime() - active.paused_at.getTime()) } : {};
  await updateRound(tx, active.id, { ...met(active, 'reply', now), ...pause });
}

/** 回访: the citizen's answer, on the round it judges. */
export async function recordVisit(tx: Queryable, orderId: string,
  visit: { reached: boolean; solved?: boolean | undefined; satisfaction?: string | undefined }, now: Date): Promise<void> {
  const round = await latestRound(tx, orderId);
  if (round) {
    await updateRound(tx, round.id, { visit_reached: visit.reached, visit_solved: visit.solved ?? null,
      visit_satisfaction: visit.satisfaction ?? null, visited_at: now });
  }
}

/** 办结: the close deadline is met and the round ends. */
export async function recordClose(tx: Queryable, orderId: string, now: Date): Promise<void> {
  const active = await activeRound(tx, orderId);
  if (active) await updateRound(tx, active.id, { ...met(active, 'close', now), status: 'ended', ended_at: now, end_reason: 'closed' });
}

/** 催办 / 督办, counted on the round in progress; returns the round's unit (who is told). */
export async function recordUrge(tx: Queryable, orderId: string, kind: 'urge' | 'escalate', now: Date): Promise<string | null> {
  const active = await activeRound(tx, orderId);
  if (!active) return null;
  await updateRound(tx, active.id, kind === 'urge' ? { urged: active.urged + 1 } : { escalated_at: active.escalated_at ?? now });
  return active.unit_id;
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
 * Marks a deadline's warning or overdue if it still applies (the caller holds the order's lock):
 * the deadline not met, the round active, the clock running, the mark not given, its moment come
 * (an extension may have moved it). The warning is given when it fires; the overdue mark records
 * the deadline itself, however late the sweep. Null when there is nothing to mark.
 */
export async function markDeadline(tx: Queryable, timer: Timer, now: Date): Promise<DeadlineMark | null> {
  const k = timer.detail as DeadlineKind;
  const r: RoundRow | undefined = (await tx.query(prepared('SELECT * FROM order_rounds WHERE id = $1', [timer.ref]))).rows[0];
  if (!r || r.status !== 'active' || metAt(r, k) || r.paused_at) return null;
  const warning = timer.kind === WARN_TIMER;
  const markColumn = `${k}_${warning ? 'warned' : 'overdue'}_at`;
  if (r[markColumn]) return null;
  const dueAt = due(r, k);
  if (warning ? now < warnAt(r, k) || now >= dueAt : now < dueAt) return null;
  await updateRound(tx, r.id, { [markColumn]: warning ? now : dueAt });
  return { kind: warning ? 'warning' : 'overdue', deadline: k, dueAt: dueAt.toISOString(), round: r.round, unitId: r.unit_id };
}
