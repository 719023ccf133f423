// The official calendar, stored as data: loaded from the chinese-days package at first start, and
// by an operator for a year the package lacks (the State Council publishes each year's notice in
// the autumn). Deadlines read it through `currentCalendar`.
import { createRequire } from 'node:module';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { memo } from '../../shared/memo.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import { WorkCalendar, type DayKind } from './working-time.js';

export interface CalendarDay {
  date: string;
  name: string;
}

export interface CalendarYearInput {
  /** public holidays (放假) */
  holidays: CalendarDay[];
  /** weekend days that are working days (调休上班) */
  workdays: CalendarDay[];
  /** e.g. 国办发明电〔2026〕x号 */
  source: string;
}

export interface CalendarYear {
  year: number;
  source: string;
  loadedAt: string;
  loadedBy: string;
  holidays: CalendarDay[];
  workdays: CalendarDay[];
}

export const PACKAGE_SOURCE = 'chinese-days@1.5.7';

interface PackageCalendar {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** The package's calendar as years of input; its names are "English,中文,n". */
export function packageYears(): Map<number, CalendarYearInput> {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as PackageCalendar;
  const years = new Map<number, CalendarYearInput>();
  const yearOf = (date: string) => {
    const year = Number(date.slice(0, 4));
    if (!years.has(year)) years.set(year, { holidays: [], workdays: [], source: PACKAGE_SOURCE });
    return years.get(year)!;
  };
  const name = (label: string) => label.split(',')[1] ?? label;
  for (const [date, label] of Object.entries(data.holidays)) yearOf(date).holidays.push({ date, name: name(label) });
  for (const [date, label] of Object.entries(data.workdays)) yearOf(date).workdays.push({ date, name: name(label) });
  return years;
}

/** Loads every year the package has and the database lacks; returns the years loaded. */
export async function loadPackageCalendar(db: Queryable, actor: Actor): Promise<number[]> {
  const have = new Set((await db.query('SELECT year FROM calendar_years')).rows.map((r) => r.year as number));
  const loaded: number[] = [];
  for (const [year, input] of packageYears()) {
    if (have.has(year)) continue;
    await writeYear(db, actor, year, input);
    loaded.push(year);
  }
  return loaded;
}

function checkYear(year: number, input: CalendarYearInput): void {
  const seen = new Set<string>();
  for (const [kind, days] of [['holidays', input.holidays], ['workdays', input.workdays]] as const) {
    for (const day of days) {
      const parsed = new Date(`${day.date}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day.date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day.date) {
        throw new DomainError('CALENDAR_INVALID', { detail: { zh: `${day.date} 不是日期`, en: `${day.date} is not a date` } });
      }
      if (Number(day.date.slice(0, 4)) !== year) throw new DomainError('CALENDAR_INVALID', { detail: { zh: `${day.date} 不在 ${year} 年`, en: `${day.date} is not in ${year}` } });
      if (seen.has(day.date)) throw new DomainError('CALENDAR_INVALID', { detail: { zh: `${day.date} 重复列出`, en: `${day.date} is listed twice` } });
      seen.add(day.date);
      const weekday = parsed.getUTCDay();
      if (kind === 'workdays' && weekday !== 0 && weekday !== 6) {
        throw new DomainError('CALENDAR_INVALID', { detail: { zh: `${day.date} 是工作日：只有周末才能调为上班日`, en: `${day.date} is a weekday: only weekend days can be adjusted working days` } });
      }
    }
  }
}

async function writeYear(db: Queryable, actor: Actor, year: number, input: CalendarYearInput): Promise<void> {
  stamps.clear();
  checkYear(year, input);
  await db.query('DELETE FROM calendar_years WHERE year = $1', [year]);
  await db.query('INSERT INTO calendar_years (year, source, loaded_by) VALUES ($1, $2, $3)', [year, input.source, actor.name ?? actor.kind]);
  const days = [
    ...input.holidays.map((d) => ({ ...d, kind: 'holiday' as DayKind })),
    ...input.workdays.map((d) => ({ ...d, kind: 'workday' as DayKind })),
  ];
  await db.query(
    `INSERT INTO calendar_days (day, year, kind, name)
     SELECT d::date, $1, k, n FROM unnest($2::text[], $3::text[], $4::text[]) AS x(d, k, n)`,
    [year, days.map((d) => d.date), days.map((d) => d.kind), days.map((d) => d.name)]);
}

/** Loads (or replaces) one year's calendar (admin). Deadlines computed from then on use it. */
export async function saveCalendarYear(db: Queryable, actor: Actor, year: number, input: CalendarYearInput): Promise<CalendarYear> {
  await writeYear(db, actor, year, input);
  await recordAudit(db, actor, { action: 'calendar.year_loaded', subjectType: 'calendar', subjectId: String(year),
    detail: { source: input.source, holidays: input.holidays.length, workdays: input.workdays.length } });
  return getCalendarYear(db, year);
}

export async function listCalendarYears(db: Queryable): Promise<Omit<CalendarYear, 'holidays' | 'workdays'>[]> {
  const result = await db.query('SELECT * FROM calendar_years ORDER BY year');
  return result.rows.map((r) => ({ year: r.year, source: r.source, loadedAt: r.loaded_at.toISOString(), loadedBy: r.loaded_by }));
}

export async function getCalendarYear(db: Queryable, year: number): Promise<CalendarYear> {
  const head = await db.query('SELECT * FROM calendar_years WHERE year = $1', [year]);
  if (!head.rowCount) throw new DomainError('CALENDAR_YEAR_NOT_LOADED', { year });
  const days = await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days WHERE year = $1 ORDER BY day`, [year]);
  const r = head.rows[0];
  const pick = (kind: DayKind) => days.rows.filter((d) => d.kind === kind).map((d) => ({ date: d.date, name: d.name }));
  return { year, source: r.source, loadedAt: r.loaded_at.toISOString(), loadedBy: r.loaded_by,
    holidays: pick('holiday'), workdays: pick('workday') };
}

// One small query says which calendar is loaded, asked at most every STAMP_TTL_MS; the days are read
// again only when it changed (in any process), so an operator's new year is used within seconds
// everywhere, and at once in the process that loaded it.
const calendars = new Map<string, WorkCalendar>();
const STAMP_TTL_MS = 10_000;
const stamps = memo<string>(STAMP_TTL_MS, 1);

export async function currentCalendar(db: Queryable): Promise<WorkCalendar> {
  const stamp = await stamps.get('stamp', async () => (await db.query(prepared(
    `SELECT count(*)::text || '/' || coalesce(max(loaded_at)::text, '') AS stamp FROM calendar_years`, []))).rows[0].stamp as string);
  const cached = calendars.get(stamp);
  if (cached) return cached;
  const years = await db.query('SELECT year FROM calendar_years');
  const days = await db.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days`);
  const calendar = new WorkCalendar(new Map(days.rows.map((r) => [r.day, r.kind])), new Set(years.rows.map((r) => r.year)));
  if (calendars.size > 16) calendars.clear();
  calendars.set(stamp, calendar);
  return calendar;
}
