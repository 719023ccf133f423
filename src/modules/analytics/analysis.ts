// The analysis the dashboards and the data interfaces read, over the rollups: a period's figures
// against the period before (环比) and the same period a year earlier (同比), trends by any
// dimension, the members of a dimension ranked by volume or by growth, and callers by how often
// they contact the hotline. Every figure is scoped by the reader's rights: the hotline and
// city-wide keys read the city's rollups; a unit (a department, a district government, a street
// office) reads the orders it and the units below it lead, from the units' rollups.
import type { Queryable } from '../../db/tx.js';
import { addDays, beijingMinute, dateOf, DAY_MS, dayOf } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { seesWholeCity, type Actor } from '../auth/index.js';
import { areaIndex, unitIndex } from '../directory/index.js';
import { currentTree } from '../taxonomy/index.js';
import {
  CALLER_GROUPS, callerGroups, CITY_ONLY_DIMENSIONS, MEASURE_KEYS, periodAfter, rollupSeries, rollupsState, rollupTotals, type CallerGroup, type Dimension, type Grain, type Measures, type RollupQuery,
} from './rollups.js';

/** Rates over the measures; null when nothing is under them (no orders is not 0 %). */
export const RATES = {
  closedRate: { over: ['closed'], under: ['orders'], zh: '办结率 = 办结 ÷ 受理量', en: 'closed rate = closed ÷ orders' },
  directRate: { over: ['direct'], under: ['orders'], zh: '直接办理率 = 直接办理 ÷ 受理量', en: 'direct-answer rate = answered directly ÷ orders' },
  overdueRate: { over: ['overdue'], under: ['orders', '-direct'], zh: '超期率 = 超期件 ÷ (受理量 − 直接办理)', en: 'overdue rate = overdue ÷ (orders − answered directly)' },
  // over the dispatched orders, not the closed: an order reopened is open again (its unit handles it anew), and over
  // the closed, a unit with two orders reopened and one closed read 200 %
  reopenRate: { over: ['reopened'], under: ['orders', '-direct'], zh: '重办率 = 重办件 ÷ (受理量 − 直接办理)', en: 'reopen rate = reopened ÷ (orders − answered directly)' },
  satisfactionRate: { over: ['satisfied', 'basically_satisfied'], under: ['visited'],
    zh: '满意率 = (满意 + 基本满意) ÷ 回访接通', en: 'satisfaction rate = (satisfied + basically satisfied) ÷ visits reached' },
  angerRate: { over: ['angry'], under: ['orders'], zh: '情绪激动占比 = 情绪激动 ÷ 受理量', en: 'anger rate = angry ÷ orders' },
  repeatedRate: { over: ['repeated'], under: ['orders'], zh: '多次反映占比 = 多次反映未解决 ÷ 受理量', en: 'repeated rate = raised again ÷ orders' },
} as const satisfies Record<string, { over: readonly string[]; under: readonly string[]; zh: string; en: string }>;
export type RateName = keyof typeof RATES;
export const RATE_NAMES = Object.keys(RATES) as RateName[];

export interface Figures {
  measures: Measures;
  rates: Record<RateName, number | null>;
  /** mean hours from registration to closing, over the orders closed; null when none */
  avgHandlingHours: number | null;
}

const ZERO = Object.fromEntries(MEASURE_KEYS.map((m) => [m, 0])) as Measures;

export function figuresOf(measures: Measures = ZERO): Figures {
  const value = (key: string) => (key.startsWith('-') ? -measures[key.slice(1) as keyof Measures] : measures[key as keyof Measures]);
  const rates = {} as Record<RateName, number | null>;
  for (const name of RATE_NAMES) {
    const under = RATES[name].under.reduce((n, k) => n + value(k), 0);
    rates[name] = under <= 0 ? null : RATES[name].over.reduce((n, k) => n + value(k), 0) / under;
  }
  return { measures, rates, avgHandlingHours: measures.closed > 0 ? measures.handling_seconds / measures.closed / 3600 : null };
}

// --- periods: Beijing dates; `to` is the last day included, as the assessment's are

/** The days a span may name (its comparisons reach a year before `from`). */
const EARLIEST = '1971-01-01';
const LATEST = '2999-12-31';
const MAX_DAYS: Record<Grain, number> = { day: 400, month: 11 * 366, year: 11 * 366 };
const invalid = (zh: string, en: string) => new DomainError('ANALYTICS_INVALID_PERIOD', { detail: { zh, en } });

/** The same date a year earlier (29 February: the 28th). */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-');
  const shifted = `${String(Number(y) - 1).padStart(4, '0')}-${m}-${d}`;
  return m === '02' && d === '29' ? shifted.replace(/29$/, '28') : shifted;
}

export interface Span { from: string; to: string }

/** A span of whole days, checked; `end` is the day after `to`, as the rollups' queries take it. */
function spanOf(q: Span, grain: Grain): Span & { end: string; days: number } {
  const from = dayOf(q.from);
  const to = dayOf(q.to);
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid('日期格式为 YYYY-MM-DD', 'dates are YYYY-MM-DD');
  if (from > to) throw invalid(`${q.from} 晚于 ${q.to}`, `${q.from} is after ${q.to}`);
  if (q.from < EARLIEST || q.to > LATEST) throw invalid(`日期须在 ${EARLIEST} 至 ${LATEST} 之间`, `dates are between ${EARLIEST} and ${LATEST}`);
  const days = (to - from) / DAY_MS + 1;
  if (days > MAX_DAYS[grain]) {
    throw grain === 'day'
      ? invalid(`按日统计最长 ${MAX_DAYS.day} 天，请缩短期间或按月统计`, `at most ${MAX_DAYS.day} days by day: a shorter span, or by month`)
      : invalid(`统计期间最长 11 年（${MAX_DAYS[grain]} 天），请缩短期间`, `a span of at most 11 years (${MAX_DAYS[grain]} days): a shorter one, please`);
  }
  return { from: q.from, to: q.to, end: dateOf(to + DAY_MS), days };
}

/**
 * The period before (环比's base). A span from a month's first day is set against the same stretch
 * of the months just before, as a hotline reads 环比: a month against the month before, a quarter
 * against the quarter before, the month so far against the same days of the last (a last day of a
 * month stays one: March against the whole of February). Any other span: the span of its length just before.
 */
export function spanBefore(span: Span & { days: number }): Span & { end: string } {
  const [fy, fm, fd] = span.from.split('-').map(Number) as [number, number, number];
  if (fd !== 1) {
    const from = dayOf(span.from);
    return { from: dateOf(from - span.days * DAY_MS), to: dateOf(from - DAY_MS), end: span.from };
  }
  const [ty, tm, td] = span.to.split('-').map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) + 1;
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m from 1
  const back = (y: number, m: number) => { const n = y * 12 + m - 1 - months; return [Math.floor(n / 12), (n % 12) + 1] as const; };
  const [py, pm] = back(fy, fm);
  const [qy, qm] = back(ty, tm);
  const day = td === lastDay(ty, tm) ? lastDay(qy, qm) : Math.min(td, lastDay(qy, qm));
  const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const to = iso(qy, qm, day);
  return { from: iso(py, pm, 1), to, end: addDays(to, 1) };
}

function yearEarlier(span: Span): Span & { end: string } {
  const from = yearBefore(span.from);
  const to = yearBefore(span.to);
  return { from, to, end: addDays(to, 1) };
}

/** The period (as the rollups name it) one grain before, and one year before. */
function periodBefore(period: string, grain: Grain): string {
  if (grain === 'year') return String(Number(period) - 1);
  if (grain === 'day') return addDays(period, -1);
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
const periodYearBefore = (period: string) => (period.length === 10 ? yearBefore(period) : `${Number(period.slice(0, 4)) - 1}${period.slice(4)}`);

// --- scope and names

/** What a city-only dimension is, as its refusal says it (never the parameter's name alone). */
const CITY_ONLY_NAMES: Partial<Record<Dimension, { zh: string; en: string }>> = {
  hour: { zh: '按受理时段（每小时）统计，含今日分时受理量', en: "by the hour of registration, today's hours included" },
};

/** The lead units whose orders the actor's figures count; undefined: the whole city. A unit asking for a city-only dimension is refused. */
async function scopeOf(db: Queryable, actor: Actor, dim?: Dimension): Promise<string[] | undefined> {
  if (seesWholeCity(actor)) return undefined;
  if (!actor.unitId) throw new DomainError('AUTH_FORBIDDEN');
  if (dim && CITY_ONLY_DIMENSIONS.includes(dim)) throw new DomainError('ANALYTICS_CITY_ONLY', { what: CITY_ONLY_NAMES[dim] ?? { zh: dim, en: dim } });
  return (await unitIndex(db, actor.cityCode, [actor.unitId])).subtree(actor.unitId);
}

/** What a member of a dimension is called: a category's, an area's, a unit's name; null for the enumerations (the client names them). */
async function namer(db: Queryable, cityCode: string, dim: Dimension): Promise<(member: string) => string | null> {
  if (dim.startsWith('category')) {
    const tree = await currentTree(db, cityCode);
    return (code) => tree.byCode.get(code)?.name ?? null;
  }
  if (dim === 'district' || dim === 'street') {
    const areas = await areaIndex(db, cityCode);
    return (code) => areas.get(code)?.name ?? null;
  }
  if (dim === 'unit') {
    const units = await unitIndex(db, cityCode);
    return (id) => units.get(id)?.name ?? null;
  }
  return () => null;
}

// --- the three reads

export interface Overview {
  scope: 'city' | 'units';
  current: Span & Figures;
  /** the period before (环比): the same stretch of the months before for a span from a month's first day, else the span of its length just before */
  previous: Span & Figures;
  /** the same dates a year earlier (同比) */
  lastYear: Span & Figures;
  /** whether the rollups every figure is read from are whole (a rebuild running or interrupted: they are not) */
  rollups: { state: 'current' | 'rebuilding' | 'interrupted'; since: Date | null };
}

/** A period's figures, with those of the period before and of the same period a year earlier. */
export async function overview(db: Queryable, actor: Actor, q: Span): Promise<Overview> {
  const units = await scopeOf(db, actor);
  const span = spanOf(q, 'year');
  const figures = async (s: Span & { end: string }) => {
    const [row] = await rollupTotals(db, actor.cityCode, { dim: 'all', from: s.from, to: s.end, units });
    return { from: s.from, to: s.to, ...figuresOf(row?.measures) };
  };
  const [current, previous, lastYear, rollups] = await Promise.all([figures(span), figures(spanBefore(span)), figures(yearEarlier(span)),
    rollupsState(db, actor.cityCode)]);
  return { scope: units ? 'units' : 'city', current, previous, lastYear, rollups };
}

export interface TrendQuery extends Span {
  dim: Dimension;
  grain: Grain;
  /** members to draw; absent: the `limit` biggest over the span */
  members?: readonly string[] | undefined;
  limit: number;
}

export interface TrendPoint extends Figures {
  period: string;
  /** the period before (环比) and the same period a year earlier (同比); a period the span cuts is compared over the same days, shifted */
  previous: Figures;
  lastYear: Figures;
}

export interface Trend {
  dim: Dimension;
  grain: Grain;
  scope: 'city' | 'units';
  series: { member: string; label: string | null; points: TrendPoint[] }[];
}

/** Each member's figures per period, each period beside the one before and the same one a year earlier. */
export async function trend(db: Queryable, actor: Actor, q: TrendQuery): Promise<Trend> {
  const units = await scopeOf(db, actor, q.dim);
  const span = spanOf(q, q.grain);
  const base: RollupQuery = { dim: q.dim, from: span.from, to: span.end, units };
  const members = q.dim === 'all' ? [''] : q.members?.length ? [...q.members]
    : (await rollupTotals(db, actor.cityCode, base)).slice(0, q.limit).map((t) => t.member);
  const periods = periodsOf(span, q.grain);
  // a period the span cuts (the first from its `from`, the last at its `to`) is compared over the same days, shifted
  const read = async (from: string, to: string) => new Map((await rollupTotals(db, actor.cityCode,
    { dim: q.dim, members, from, to: addDays(to, 1), units })).map((t) => [t.member, t.measures]));
  const cuts = periods.map((period) => ({ period, days: daysOf(period, q.grain, span) })).filter((c) => c.days.cut);
  // one read from a year before `from` holds every other period's comparisons; all the reads at once
  const [rows, name, ...shifted] = await Promise.all([
    rollupSeries(db, actor.cityCode, { ...base, from: yearBefore(span.from), members, grain: q.grain }),
    namer(db, actor.cityCode, q.dim),
    ...cuts.map(async ({ days }) => {
      const [previous, lastYear] = await Promise.all([read(grainBefore(days.from, q.grain), grainBefore(days.to, q.grain)),
        read(yearBefore(days.from), yearBefore(days.to))]);
      return { previous, lastYear };
    }),
  ]);
  const cut = new Map(cuts.map((c, i) => [c.period, shifted[i]!]));
  const byKey = new Map(rows.map((r) => [`${r.member}|${r.period}`, r.measures]));
  const figures = (member: string, period: string) => figuresOf(byKey.get(`${member}|${period}`));
  return {
    dim: q.dim, grain: q.grain, scope: units ? 'units' : 'city',
    series: members.map((member) => ({
      member, label: name(member),
      points: periods.map((period) => {
        const shifted = cut.get(period);
        return { period, ...figures(member, period),
          previous: shifted ? figuresOf(shifted.previous.get(member)) : figures(member, periodBefore(period, q.grain)),
          lastYear: shifted ? figuresOf(shifted.lastYear.get(member)) : figures(member, periodYearBefore(period)) };
      }),
    })),
  };
}

/** The days of a period inside the span, and whether the span cuts it. */
function daysOf(period: string, grain: Grain, span: Span): Span & { cut: boolean } {
  const first = grain === 'day' ? period : grain === 'month' ? `${period}-01` : `${period}-01-01`;
  const last = grain === 'day' ? period : grain === 'month' ? addDays(`${periodAfter(period, 'month')}-01`, -1) : `${period}-12-31`;
  const from = first < span.from ? span.from : first;
  const to = last > span.to ? span.to : last;
  return { from, to, cut: from !== first || to !== last };
}

/** The same date one grain earlier (a month earlier: the month's last day when it is shorter). */
function grainBefore(date: string, grain: Grain): string {
  if (grain === 'year') return yearBefore(date);
  if (grain === 'day') return addDays(date, -1);
  const month = periodBefore(date.slice(0, 7), 'month');
  const lastDay = addDays(`${periodAfter(month, 'month')}-01`, -1);
  const same = `${month}-${date.slice(8)}`;
  return same > lastDay ? lastDay : same;
}

/** The periods a span covers, oldest first, named as the rollups name them. */
function periodsOf(span: Span, grain: Grain): string[] {
  const length = { day: 10, month: 7, year: 4 }[grain];
  const last = span.to.slice(0, length);
  const periods: string[] = [];
  for (let p = span.from.slice(0, length); p <= last; p = periodAfter(p, grain)) periods.push(p);
  return periods;
}

/** How a ranking is ordered: by orders, by growth, or by orders with a signal in their text (舆情). */
export const TOP_ORDERS = ['orders', 'growth', 'angry', 'repeated', 'danger'] as const;
export type TopOrder = (typeof TOP_ORDERS)[number];

export interface TopItem extends Figures {
  member: string;
  label: string | null;
  /** of the scope's orders in the span */
  share: number | null;
  /** orders in the period before (as the overview's `previous`), and the change against it (null when there were none) */
  previousOrders: number;
  change: number | null;
}

export interface Top {
  dim: Dimension;
  scope: 'city' | 'units';
  current: Span;
  previous: Span;
  /** the scope's orders in the span */
  total: number;
  items: TopItem[];
}

/**
 * The members of a dimension ranked by orders, by growth (the most orders more than in the span
 * before: what is rising), or by the orders whose text the classifier flagged, with their figures.
 */
export async function top(db: Queryable, actor: Actor, q: Span & { dim: Dimension; limit: number; order: TopOrder }): Promise<Top> {
  const units = await scopeOf(db, actor, q.dim);
  const span = spanOf(q, 'year');
  const before = spanBefore(span);
  const [now, then, whole] = await Promise.all([
    rollupTotals(db, actor.cityCode, { dim: q.dim, from: span.from, to: span.end, units }),
    rollupTotals(db, actor.cityCode, { dim: q.dim, from: before.from, to: before.end, units }),
    rollupTotals(db, actor.cityCode, { dim: 'all', from: span.from, to: span.end, units }),
  ]);
  const earlier = new Map(then.map((t) => [t.member, t.measures.orders]));
  const total = whole[0]?.measures.orders ?? 0;
  const name = await namer(db, actor.cityCode, q.dim);
  const items = now.map((t): TopItem => {
    const previousOrders = earlier.get(t.member) ?? 0;
    return { member: t.member, label: name(t.member), ...figuresOf(t.measures), share: total > 0 ? t.measures.orders / total : null,
      previousOrders, change: previousOrders > 0 ? (t.measures.orders - previousOrders) / previousOrders : null };
  });
  const by = q.order;
  if (by === 'growth') {
    items.sort((a, b) => (b.measures.orders - b.previousOrders) - (a.measures.orders - a.previousOrders) || a.member.localeCompare(b.member));
  } else if (by !== 'orders') {
    items.sort((a, b) => b.measures[by] - a.measures[by] || b.measures.orders - a.measures.orders || a.member.localeCompare(b.member));
  }
  return { dim: q.dim, scope: units ? 'units' : 'city', current: { from: span.from, to: span.to }, previous: { from: before.from, to: before.to },
    total, items: items.slice(0, q.limit) };
}

export interface CallerGroupFigures extends Figures {
  group: CallerGroup;
  /** callers in the group over the whole history, and their contacts (the city's; null for a unit) */
  callers: number | null;
  contacts: number | null;
  /** of the span's orders whose caller is known */
  share: number | null;
  channels: { member: string; orders: number }[];
  types: { member: string; orders: number }[];
  categories: { member: string; label: string | null; orders: number }[];
}

export interface CallerAnalysis {
  scope: 'city' | 'units';
  current: Span;
  /** the span's orders, and those that name no caller (no phone, no channel identity) */
  orders: number;
  anonymous: number;
  groups: CallerGroupFigures[];
}

/**
 * Callers grouped by how often they have contacted the hotline over its whole history (once, 2–5,
 * 6–20, more: Jinan's groups), and the span's orders of each group compared: their figures, their
 * channels, request types and top-level categories.
 */
export async function callerAnalysis(db: Queryable, actor: Actor, q: Span): Promise<CallerAnalysis> {
  const units = await scopeOf(db, actor);
  const span = spanOf(q, 'year');
  const read = (dim: Dimension) => rollupTotals(db, actor.cityCode, { dim, from: span.from, to: span.end, units });
  const [whole, groups, channels, types, categories, counted, name] = await Promise.all([
    read('all'), read('callers'), read('callers_channel'), read('callers_type'), read('callers_category1'),
    units ? null : callerGroups(db, actor.cityCode), namer(db, actor.cityCode, 'category1')]);
  const orders = whole[0]?.measures.orders ?? 0;
  const known = groups.reduce((n, g) => n + g.measures.orders, 0);
  const split = (rows: { member: string; measures: Measures }[], group: string) => rows
    .filter((r) => r.member.startsWith(`${group}|`)).map((r) => ({ member: r.member.slice(group.length + 1), orders: r.measures.orders }));
  return {
    scope: units ? 'units' : 'city', current: { from: span.from, to: span.to }, orders, anonymous: orders - known,
    groups: CALLER_GROUPS.map(({ name: group }) => {
      const measures = groups.find((g) => g.member === group)?.measures;
      return { group, ...figuresOf(measures), callers: counted ? counted.get(group)?.callers ?? 0 : null,
        contacts: counted ? counted.get(group)?.contacts ?? 0 : null, share: known > 0 ? (measures?.orders ?? 0) / known : null,
        channels: split(channels, group), types: split(types, group),
        categories: split(categories, group).map((c) => ({ ...c, label: name(c.member) })) };
    }),
  };
}

export interface Today {
  /** today (Beijing), the hour now and the minutes into it */
  date: string;
  hour: number;
  minute: number;
  /** the same date a year earlier (同比) */
  lastYearDate: string;
  /** each hour's orders today and on that date */
  hours: { hour: number; orders: number; lastYear: number }[];
  /** orders so far today, and on that date up to the same time (its current hour counted pro rata) */
  soFar: number;
  lastYearSoFar: number;
  /** the whole of that date */
  lastYearTotal: number;
}

/**
 * Today's orders hour by hour beside the same date a year earlier: the leadership screen's live
 * volume. Up to now against up to the same time then, the hour under way taken in proportion to
 * the minutes gone (the rollups count by hour). The city's only.
 */
export async function today(db: Queryable, actor: Actor, now = new Date()): Promise<Today> {
  await scopeOf(db, actor, 'hour');
  const [date, clock] = beijingMinute(now).split(' ') as [string, string];
  const [hour, minute] = clock.split(':').map(Number) as [number, number];
  const lastYearDate = yearBefore(date);
  const byHour = async (day: string) => new Map((await rollupTotals(db, actor.cityCode, { dim: 'hour', from: day, to: addDays(day, 1) }))
    .map((t) => [Number(t.member), t.measures.orders]));
  const [todays, then] = await Promise.all([byHour(date), byHour(lastYearDate)]);
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: h, orders: todays.get(h) ?? 0, lastYear: then.get(h) ?? 0 }));
  const upTo = (h: number, key: 'orders' | 'lastYear') => hours.slice(0, h).reduce((n, x) => n + x[key], 0);
  return {
    date, hour, minute, lastYearDate, hours,
    soFar: upTo(24, 'orders'),
    lastYearSoFar: Math.round(upTo(hour, 'lastYear') + (hours[hour]!.lastYear * minute) / 60),
    lastYearTotal: upTo(24, 'lastYear'),
  };
}
