import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packageYears } from './service.js';
import { DAY_MS as DAY } from '../../shared/beijing.js';
import { dueAfter, warnBefore, WorkCalendar, type DayKind } from './working-time.js';

/** The official calendar of 2025 and 2026 as the chinese-days package publishes it. */
function officialCalendar(years = [2025, 2026]): WorkCalendar {
  const exceptions = new Map<string, DayKind>();
  for (const [year, input] of packageYears()) {
    if (!years.includes(year)) continue;
    for (const d of input.holidays) exceptions.set(d.date, 'holiday');
    for (const d of input.workdays) exceptions.set(d.date, 'workday');
  }
  return new WorkCalendar(exceptions, new Set(years));
}

const at = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16);

test('the 2026 Spring Festival: its holidays are skipped and its adjusted Saturdays are counted', () => {
  const calendar = officialCalendar();
  assert.equal(calendar.isWorkday('2026-02-14'), true, 'Saturday 14 February is a working day');
  assert.equal(calendar.isWorkday('2026-02-16'), false);
  // Friday 13th 10:00 + 5: Sat 14 (1), 15–23 holidays, Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5)
  assert.equal(iso(calendar.addWorkingDays(at('2026-02-13T10:00'), 5).at), '2026-02-27T10:00');
  // Thursday 26th + 2: Fri 27 (1), and Saturday 28 February is worked (2)
  assert.equal(iso(calendar.addWorkingDays(at('2026-02-26T10:00'), 2).at), '2026-02-28T10:00');
});

test('National Day 2026: Sunday 20 September and Saturday 10 October are worked, 1–7 October are not', () => {
  const calendar = officialCalendar();
  // Fri 18 Sep + 5: Sun 20 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5); 25–27 is Mid-autumn
  assert.equal(iso(calendar.addWorkingDays(at('2026-09-18T10:00'), 5).at), '2026-09-24T10:00');
  // Wed 30 Sep 15:00 + 5: Thu 8 Oct (1), Fri 9 (2), Sat 10 (3), Mon 12 (4), Tue 13 (5)
  assert.equal(iso(calendar.addWorkingDays(at('2026-09-30T15:00'), 5).at), '2026-10-13T15:00');
});

test('a limit that starts on a day off starts counting on the next working day', () => {
  const calendar = officialCalendar();
  // Saturday 28 November: Monday 00:00 to the close of Friday 4 December
  assert.equal(iso(calendar.addWorkingDays(at('2026-11-28T09:00'), 5).at), '2026-12-05T00:00');
  // 1 October: the first working day after the holiday is Thursday 8 October
  assert.equal(iso(calendar.addWorkingDays(at('2026-10-01T12:00'), 1).at), '2026-10-09T00:00');
});

test('working time between two moments counts only working days', () => {
  const calendar = officialCalendar();
  const span = calendar.workingTimeBetween(at('2026-02-13T10:00'), at('2026-02-24T10:00'));
  assert.equal(span.ms, 2 * DAY, 'Fri 13 10:00 → Sat 14 10:00 is one day, Sat 14 10:00 → Tue 24 10:00 another');
  assert.equal(calendar.workingTimeBetween(at('2026-02-24T10:00'), at('2026-02-13T10:00')).ms, 0);
});

test('a year with no calendar is flagged, and weekends are assumed for it', () => {
  const calendar = officialCalendar([2026]);
  const inside = calendar.addWorkingDays(at('2026-12-01T09:00'), 5);
  assert.equal(inside.calendarComplete, true);
  const across = calendar.addWorkingDays(at('2026-12-29T09:00'), 5);
  assert.equal(across.calendarComplete, false, '2027 is not loaded');
  // Wed 30 (1), Thu 31 (2), Friday 1 January 2027, assumed worked (3), Mon 4 (4), Tue 5 (5)
  assert.equal(iso(across.at), '2027-01-05T09:00');
});

test('urgent limits count clock hours, holidays included', () => {
  const calendar = officialCalendar();
  const due = dueAfter(calendar, at('2026-10-01T22:00'), { value: 2, unit: 'hours' });
  assert.equal(iso(due.at), '2026-10-02T00:00');
});

test('a warning one working day before the deadline skips the holidays in between', () => {
  const calendar = officialCalendar();
  const start = at('2026-02-13T10:00');
  const due = calendar.addWorkingDays(start, 5).at;
  assert.equal(iso(warnBefore(calendar, start, due, 'working_days', 1)), '2026-02-26T10:00');
  // a warning as long as the limit comes halfway: 2.5 working days after 02-13 10:00, over the Spring Festival
  assert.equal(iso(warnBefore(calendar, start, due, 'working_days', 5)), iso(calendar.addWorkingTime(start, 2.5 * DAY).at));
  assert.ok(warnBefore(calendar, start, due, 'working_days', 5) < due);
  const urgentDue = new Date(start.getTime() + 24 * 3_600_000);
  assert.equal(iso(warnBefore(calendar, start, urgentDue, 'hours', 4)), '2026-02-14T06:00');
});
