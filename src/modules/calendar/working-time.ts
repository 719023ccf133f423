// Working-time arithmetic on China's official calendar. Pure: the calendar's days are passed in.
//
// A deadline of N working days is N × 24 hours of *working time*: time that falls on a working
// day (Asia/Shanghai). Dispatched on a Wednesday at 10:00, 5 working days end the next Wednesday
// at 10:00; dispatched on a Saturday, counting starts Monday 00:00 and ends at the close of Friday.
// The same measure lets a paused clock resume with exactly the working time it had left.

import { beijingDate, BEIJING_OFFSET_MS, DAY_MS, HOUR_MS } from '../../shared/beijing.js';

export type DayKind = 'holiday' | 'workday';

/** No deadline reaches further than this: a guard against a loop over a calendar of holidays. */
const MAX_DAYS_SCANNED = 3_660;

export interface Span {
  at: Date;
  /** false when a day counted lies in a year with no loaded calendar (weekends assumed) */
  calendarComplete: boolean;
}

const WORKDAY = 1;
const COVERED = 2;

/** Start of the Shanghai day that contains `t`, in ms since epoch. */
function dayStart(t: number): number {
  return Math.floor((t + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

export class WorkCalendar {
  /**
   * @param exceptions days that differ from the Monday–Friday week: public holidays, and the
   *   weekend days worked in exchange (调休)
   * @param years the years whose official calendar is loaded
   */
  constructor(private readonly exceptions: ReadonlyMap<string, DayKind>, private readonly years: ReadonlySet<number>) {}

  /** Day number (days since the epoch, Shanghai) → WORKDAY | COVERED: deadlines ask about the same days again and again. */
  private readonly known = new Map<number, number>();

  private dayFlags(t: number): number {
    const n = Math.floor((t + BEIJING_OFFSET_MS) / DAY_MS);
    let flags = this.known.get(n);
    if (flags === undefined) {
      const day = beijingDate(t);
      flags = (this.isWorkday(day) ? WORKDAY : 0) | (this.covers(day) ? COVERED : 0);
      this.known.set(n, flags);
    }
    return flags;
  }

  covers(day: string): boolean {
    return this.years.has(Number(day.slice(0, 4)));
  }

  isWorkday(day: string): boolean {
    const kind = this.exceptions.get(day);
    if (kind) return kind === 'workday';
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The moment `ms` of working time after `start`. */
  addWorkingTime(start: Date, ms: number): Span {
    let t = start.getTime();
    let left = ms;
    let complete = true;
    for (let i = 0; left > 0; i++) {
      if (i > MAX_DAYS_SCANNED) throw new RangeError('working time reaches beyond ten years');
      const flags = this.dayFlags(t);
      complete &&= (flags & COVERED) !== 0;
      const end = dayStart(t) + DAY_MS;
      if (flags & WORKDAY) {
        if (left <= end - t) return { at: new Date(t + left), calendarComplete: complete };
        left -= end - t;
      }
      t = end;
    }
    return { at: new Date(t), calendarComplete: complete };
  }

  addWorkingDays(start: Date, days: number): Span {
    return this.addWorkingTime(start, days * DAY_MS);
  }

  /** Working time between `from` and `to` (0 when `to` is not after `from`). */
  workingTimeBetween(from: Date, to: Date): { ms: number; calendarComplete: boolean } {
    let t = from.getTime();
    const stop = to.getTime();
    let ms = 0;
    let complete = true;
    for (let i = 0; t < stop; i++) {
      if (i > MAX_DAYS_SCANNED) throw new RangeError('working time spans more than ten years');
      const flags = this.dayFlags(t);
      complete &&= (flags & COVERED) !== 0;
      const end = Math.min(dayStart(t) + DAY_MS, stop);
      if (flags & WORKDAY) ms += end - t;
      t = end;
    }
    return { ms, calendarComplete: complete };
  }
}

/** A limit counted in working days, or in clock hours (urgent requests). */
export interface Limit {
  value: number;
  unit: 'working_days' | 'hours';
}

/** When a limit that starts at `start` runs out. */
export function dueAfter(calendar: WorkCalendar, start: Date, limit: Limit): Span {
  if (limit.unit === 'hours') return { at: new Date(start.getTime() + limit.value * HOUR_MS), calendarComplete: true };
  return calendar.addWorkingDays(start, limit.value);
}

/**
 * The moment a warning is due: `before` (in the deadline's units) ahead of `due`. When the limit is
 * no longer than the warning period, no separate warning is due: the answer is `due` itself.
 */
export function warnBefore(calendar: WorkCalendar, start: Date, due: Date, unit: Limit['unit'], before: number): Date {
  if (before <= 0) return due;
  const full = remaining(calendar, start, due, unit);
  // a warning as long as the limit itself would come at the start; it comes halfway instead, so
  // that every deadline is warned of before it passes (a one-day sign limit with a one-day warning)
  const asked = unit === 'hours' ? before * HOUR_MS : before * DAY_MS;
  const warnMs = asked >= full ? full / 2 : asked;
  if (warnMs <= 0) return due;
  return unit === 'hours' ? new Date(due.getTime() - warnMs) : calendar.addWorkingTime(start, full - warnMs).at;
}

/** Time left from `from` to `due`, measured as the deadline counts it. */
export function remaining(calendar: WorkCalendar, from: Date, due: Date, unit: Limit['unit']): number {
  if (unit === 'hours') return Math.max(0, due.getTime() - from.getTime());
  return calendar.workingTimeBetween(from, due).ms;
}

/** `due` moved on by `ms` of time counted as the deadline counts it (an extension, a resumed pause). */
export function extendBy(calendar: WorkCalendar, from: Date, ms: number, unit: Limit['unit']): Span {
  if (unit === 'hours') return { at: new Date(from.getTime() + ms), calendarComplete: true };
  return calendar.addWorkingTime(from, ms);
}
