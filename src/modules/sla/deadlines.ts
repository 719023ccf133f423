// Deadlines of each round: set when the hotline hands an order to a unit, moved by an approved
// extension or a paused clock, met by the unit's actions, and marked (warning, overdue) by durable
// timers at the moment they pass. Runs inside each order transition (a transition hook).
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { systemActor } from '../auth/index.js';
import { currentCalendar, DAY, dueAfter, extendBy, remaining, warnBefore, type WorkCalendar } from '../calendar/index.js';
import { publishOrderEvents, recordOrderFact, type TransitionHookContext } from '../orders/index.js';
import { scheduleTimers, type NewTimer, type Timer } from '../timers/index.js';
import { notifyUnitStaff } from './notices.js';
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
  basis: 'working_days' | 'hours';
  started_at: Date;
  status: 'active' | 'ended';
  paused_at: Date | null;
  extension_days: number;
  returned_at: Date | null;
  return_outcome: string | null;
  [column: string]: unknown;
}

const due = (r: RoundRow, k: DeadlineKind) => r[`${k}_due_at`] as Date;
const warnAt = (r: RoundRow, k: DeadlineKind) => r[`${k}_warn_at`] as Date;
const metAt = (r: RoundRow, k: DeadlineKind) => r[`${k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed'}_at`] as Date | null;

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

async function currentRound(db: Queryable, orderId: string): Promise<RoundRow | undefined> {
  const r = await db.query(prepared('SELECT * FROM order_rounds WHERE order_id = $1 ORDER BY round DESC LIMIT 1', [orderId]));
  return r.rows[0];
}

async function updateRound(db: Queryable, id: number, columns: Record<string, unknown>): Promise<RoundRow> {
  const names = Object.keys(columns);
  const sets = names.map((c, i) => `${c} = $${i + 2}`);
  const r = await db.query(`UPDATE order_rounds SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, [id, ...names.map((c) => columns[c])]);
  return r.rows[0];
}

/** Deadlines of a new round, from the settings, the order's urgency and its category's time limit. */
async function startRound(ctx: TransitionHookContext, unitId: string, cause: 'dispatch' | 'reopen'): Promise<Record<string, unknown>> {
  const { client, order, now } = ctx;
  const [calendar, settings, category] = [
    await currentCalendar(client),
    await getSlaSettings(client, order.city_code),
    order.category_id ? await client.query(prepared('SELECT time_limit_days FROM categories WHERE id = $1', [order.category_id])) : null,
  ];
  const policy = settings.deadlines[order.urgency as 'normal' | 'urgent'];
  const categoryDays: number | null = category?.rows[0]?.time_limit_days ?? null;
  const replyLimit = policy.unit === 'working_days' && settings.useCategoryTimeLimit && categoryDays ? categoryDays : policy.reply;
  const sign = dueAfter(calendar, now, { value: policy.sign, unit: policy.unit });
  const reply = dueAfter(calendar, now, { value: replyLimit, unit: policy.unit });
  const close = dueAfter(calendar, reply.at, { value: policy.closeAfterReply, unit: policy.unit });
  const warn = (at: Date, start: Date) => warnBefore(calendar, start, at, policy.unit, policy.warnBefore);
  const inserted = await client.query(prepared(
    `INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                               reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete)
     SELECT $1, $2, $3, coalesce(max(round), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
       FROM order_rounds WHERE order_id = $2
     RETURNING *`,
    [order.city_code, order.id, unitId, cause, order.urgency, policy.unit, now, sign.at, warn(sign.at, now), reply.at,
      warn(reply.at, now), close.at, warn(close.at, reply.at), sign.calendarComplete && reply.calendarComplete && close.calendarComplete]));
  const round: RoundRow = inserted.rows[0];
  await scheduleTimers(client, timersFor(round, DEADLINE_KINDS));
  return { deadlines: deadlinePayload(round) };
}

function deadlinePayload(r: RoundRow): Record<string, unknown> {
  return { round: r.round, basis: r.basis, signDueAt: due(r, 'sign').toISOString(), replyDueAt: due(r, 'reply').toISOString(),
    closeDueAt: due(r, 'close').toISOString(), calendarComplete: r.calendar_complete };
}

/** On time when met before the deadline; a paused clock stopped at `paused_at`. */
function onTime(r: RoundRow, k: DeadlineKind, now: Date): boolean {
  return (r.paused_at ?? now).getTime() <= due(r, k).getTime();
}

/** The columns that record a deadline met, late or not; a late one is marked overdue at its deadline. */
function met(r: RoundRow, k: DeadlineKind, now: Date): Record<string, unknown> {
  const column = k === 'sign' ? 'signed' : k === 'reply' ? 'replied' : 'closed';
  const timely = onTime(r, k, now);
  return { [`${column}_at`]: now, [`${column}_on_time`]: timely,
    ...(timely ? {} : { [`${k}_overdue_at`]: (r[`${k}_overdue_at`] as Date | null) ?? due(r, k) }) };
}

/**
 * Moves the unmet deadlines of a round so that each keeps `ms` more (an extension) or the time it
 * had left at `from` (a resumed clock), and schedules their timers. A warning already given stays.
 */
async function moveDeadlines(client: Queryable, calendar: WorkCalendar, r: RoundRow, kinds: readonly DeadlineKind[],
  newDue: (k: DeadlineKind) => Date, extra: Record<string, unknown>): Promise<RoundRow> {
  const settings = await getSlaSettings(client, r.city_code);
  const policy = settings.deadlines[r.urgency as 'normal' | 'urgent'];
  const columns: Record<string, unknown> = { ...extra };
  for (const k of kinds) {
    if (metAt(r, k)) continue;
    const at = newDue(k);
    columns[`${k}_due_at`] = at;
    columns[`${k}_warn_at`] = warnBefore(calendar, r.started_at, at, r.basis, policy.warnBefore);
  }
  const moved = await updateRound(client, r.id, columns);
  await scheduleTimers(client, timersFor(moved, kinds));
  return moved;
}

/** The transition hook: what each action does to the current round. */
export async function deadlinesOnTransition(ctx: TransitionHookContext): Promise<Record<string, unknown> | void> {
  const { client, action, order, now } = ctx;
  const round = await currentRound(client, order.id);
  const active = round?.status === 'active' ? round : undefined;
  switch (action) {
    case 'dispatch': {
      if (round?.returned_at && !round.return_outcome) await updateRound(client, round.id, { return_outcome: 'upheld' });
      if (active) await updateRound(client, active.id, { status: 'ended', ended_at: now, end_reason: 'redispatched' });
      return startRound(ctx, ctx.leadUnitAfter!, 'dispatch');
    }
    case 'reopen': {
      if (round) await updateRound(client, round.id, { status: 'ended', ended_at: round.ended_at ?? now,
        end_reason: round.end_reason ?? 'reopened', reopened_at: now });
      return startRound(ctx, ctx.leadUnitAfter!, 'reopen');
    }
    case 'reject_return': {
      // the unit was wrong to return it: its round resumes, with the deadlines it had
      if (!round) return;
      const resumed = await updateRound(client, round.id, { return_outcome: 'rejected', status: 'active', ended_at: null, end_reason: null });
      await scheduleTimers(client, timersFor(resumed, DEADLINE_KINDS));
      return { deadlines: deadlinePayload(resumed) };
    }
    case 'sign':
      if (active && !active.signed_at) await updateRound(client, active.id, met(active, 'sign', now));
      return;
    case 'return': {
      if (!active || ctx.toState !== 'returned') return; // a return to the unit that passed it down stays in the round
      const settings = await getSlaSettings(client, order.city_code);
      const calendar = await currentCalendar(client);
      if (calendar.workingTimeBetween(active.started_at, now).ms > settings.returnWindowDays * DAY) {
        throw new DomainError('ORDER_RETURN_WINDOW_PASSED', { days: settings.returnWindowDays });
      }
      await updateRound(client, active.id, { returned_at: now, status: 'ended', ended_at: now, end_reason: 'returned', paused_at: null });
      return;
    }
    case 'request_extension':
    case 'approve_extension': {
      if (!active) return;
      const max = (await getSlaSettings(client, order.city_code)).extensionMaxDays;
      const days = Number(ctx.payload.days);
      if (active.extension_days + days > max) throw new DomainError('ORDER_EXTENSION_TOO_LONG', { max, used: active.extension_days });
      if (action === 'request_extension') {
        await updateRound(client, active.id, { extensions_requested: (active.extensions_requested as number) + 1 });
        return;
      }
      const calendar = await currentCalendar(client);
      // an extension is granted in working days, whatever the deadlines count in
      const moved = await moveDeadlines(client, calendar, active, ['reply', 'close'],
        (k) => calendar.addWorkingDays(due(active, k), days).at, { extension_days: active.extension_days + days });
      return { deadlines: deadlinePayload(moved) };
    }
    case 'deny_extension':
      if (active) await updateRound(client, active.id, { extensions_denied: (active.extensions_denied as number) + 1 });
      return;
    case 'pause_clock':
      if (active) await updateRound(client, active.id, { paused_at: now, pauses: (active.pauses as number) + 1 });
      return;
    case 'resume_clock': {
      if (!active?.paused_at) return;
      const calendar = await currentCalendar(client);
      const pausedAt = active.paused_at;
      const moved = await moveDeadlines(client, calendar, active, ['reply', 'close'],
        (k) => extendBy(calendar, now, remaining(calendar, pausedAt, due(active, k), active.basis), active.basis).at,
        { paused_at: null, paused_ms: Number(active.paused_ms) + (now.getTime() - pausedAt.getTime()) });
      return { deadlines: deadlinePayload(moved), pausedMs: now.getTime() - pausedAt.getTime() };
    }
    case 'reply': {
      if (!active) return;
      const pause = active.paused_at ? { paused_at: null, paused_ms: Number(active.paused_ms) + (now.getTime() - active.paused_at.getTime()) } : {};
      await updateRound(client, active.id, { ...met(active, 'reply', now), ...pause });
      return;
    }
    case 'return_visit':
      if (round) {
        await updateRound(client, round.id, { visit_reached: ctx.payload.reached ?? null, visit_solved: ctx.payload.solved ?? null,
          visit_satisfaction: ctx.payload.satisfaction ?? null, visited_at: now });
      }
      return;
    case 'close':
      if (active) await updateRound(client, active.id, { ...met(active, 'close', now), status: 'ended', ended_at: now, end_reason: 'closed' });
      return;
    case 'cancel':
    case 'merge':
      // a returned order the hotline cancels or merges was not the unit's to handle: the return stands
      if (round?.returned_at && !round.return_outcome) await updateRound(client, round.id, { return_outcome: 'upheld' });
      if (active) await updateRound(client, active.id, { status: 'ended', ended_at: now, end_reason: action });
      return;
    case 'urge':
    case 'escalate': {
      if (active) {
        await updateRound(client, active.id, action === 'urge'
          ? { urged: (active.urged as number) + 1 } : { escalated_at: active.escalated_at ?? now });
      }
      await notifyUnitStaff(client, order, [ctx.leadUnitAfter, active?.unit_id], action === 'urge' ? 'urged' : 'escalated',
        { text: ctx.input.text ?? null, reason: ctx.input.reason ?? null }, now);
      return;
    }
    default:
      return;
  }
}

/**
 * Fires a deadline's warning or overdue mark, if it still applies under the order's lock: the
 * deadline not met, the round active, the clock running, the mark not given, and its moment come
 * (an extension may have moved it). The warning is given when it fires; the overdue mark records
 * the deadline itself as the moment the order became overdue, however late the sweep.
 */
export async function fireDeadlineTimer(client: Queryable, timer: Timer, now: Date): Promise<(() => void) | void> {
  const k = timer.detail as DeadlineKind;
  const locked = await client.query(prepared(
    `SELECT r.*, o.lead_unit_id FROM order_rounds r JOIN orders o ON o.id = r.order_id WHERE r.id = $1 FOR UPDATE OF o`,
    [timer.ref]));
  const r: RoundRow | undefined = locked.rows[0];
  if (!r || r.status !== 'active' || metAt(r, k) || r.paused_at) return;
  const warning = timer.kind === WARN_TIMER;
  const markColumn = `${k}_${warning ? 'warned' : 'overdue'}_at`;
  if (r[markColumn]) return;
  const dueAt = due(r, k);
  if (warning ? now < warnAt(r, k) || now >= dueAt : now < dueAt) return;
  await updateRound(client, r.id, { [markColumn]: warning ? now : dueAt });
  const actor = systemActor(r.city_code);
  const detail = { deadline: k, dueAt: dueAt.toISOString(), round: r.round, unitId: r.unit_id };
  const event = await recordOrderFact(client, actor, r.order_id,
    { type: warning ? 'order.deadline_warning' : 'order.overdue', payload: detail }, now);
  if (k !== 'close') {
    await notifyUnitStaff(client, { id: r.order_id, city_code: r.city_code },
      [r.lead_unit_id as string | null, r.unit_id], warning ? 'deadline_warning' : 'overdue', detail, now);
  }
  return () => publishOrderEvents([event]);
}
