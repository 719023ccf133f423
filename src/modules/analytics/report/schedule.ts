// The reports on a schedule: at 08:00 (Beijing) on the first of each month the last month's report
// is ready, and at the start of a quarter the last quarter's too; the leaders, the supervisors and
// the units' managers each get a notice that opens it (a unit's manager reads their own units'
// report, as every report is scoped by its reader). The report itself is gathered when it is read
// or downloaded, from the rollups: nothing to keep until then.
import type pg from 'pg';
import { ADVISORY_LOCKS } from '../../../db/locks.js';
import type { Queryable } from '../../../db/tx.js';
import { beijingDate, beijingMidnight, HOUR_MS } from '../../../shared/beijing.js';
import type { Role } from '../../auth/index.js';
import { staffWithRoles } from '../../directory/index.js';
import { addNotices } from '../../sla/index.js';
import { ensureTimer, NO_SUBJECT, scheduleTimers, type TimerHandler } from '../../timers/index.js';
import { periodName } from './texts.js';
import { reportPeriod } from './content.js';

export const REPORT_TIMER = 'analytics.report';
/** Who is told: the city's leaders and supervisors, and each unit's managers (for their units). */
const TOLD: readonly Role[] = ['leader', 'supervisor', 'unit_manager'];
const READY_HOUR = 8;

/** The next 08:00 Beijing on a month's first day after `now`. */
export function nextReportAt(now: Date): Date {
  const month = beijingDate(now).slice(0, 7);
  const thisMonth = beijingMidnight(`${month}-01`).getTime() + READY_HOUR * HOUR_MS;
  if (thisMonth > now.getTime()) return new Date(thisMonth);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`;
  return new Date(beijingMidnight(next).getTime() + READY_HOUR * HOUR_MS);
}

/** The reports ready at `now`: the month before, and the quarter before when a quarter has just ended. */
export function reportsDue(now: Date): string[] {
  const [y, m] = beijingDate(now).slice(0, 7).split('-').map(Number) as [number, number];
  const [year, month] = m === 1 ? [y - 1, 12] : [y, m - 1];
  const keys = [`${year}-${String(month).padStart(2, '0')}`];
  if (month % 3 === 0) keys.push(`${year}-Q${month / 3}`);
  return keys;
}

/** Schedules the next report's notice if none is pending (at start; processes starting together take turns). */
export const ensureReportSchedule = (pool: pg.Pool, cityCode: string, now = new Date()): Promise<void> =>
  ensureTimer(pool, ADVISORY_LOCKS.reportSchedule, { cityCode, kind: REPORT_TIMER, subjectId: NO_SUBJECT, dueAt: nextReportAt(now) });

/** The timer's handler: a notice for each report now ready to each one told, and the next month's timer. */
export const reportTimer: TimerHandler = async (tx: Queryable, timer, now) => {
  const staff = (await staffWithRoles(tx, timer.cityCode, TOLD)).map((s) => s.id);
  for (const key of reportsDue(now)) {
    const period = reportPeriod(key, now);
    await addNotices(tx, timer.cityCode, staff, 'report_ready',
      { period: key, title: { zh: periodName('zh', period), en: periodName('en', period) } }, now);
  }
  await scheduleTimers(tx, [{ cityCode: timer.cityCode, kind: REPORT_TIMER, subjectId: NO_SUBJECT, dueAt: nextReportAt(new Date(now.getTime() + 1)) }]);
};
