// The monthly and quarterly analysis report (月度、季度分析报告): what a hotline sends its leaders
// after each period. Its figures are the analysis's own reads (the rollups), the period's hot topics
// and early warnings, and the units' assessment, gathered once so that the JSON, the workbook and
// the PDF say the same. A unit's reader gets the sections scoped to its subtree; the hot topics, the
// warnings and the rankings of units concern the whole city and are left out of theirs.
import type { Queryable } from '../../../db/tx.js';
import { addDays, beijingDate, beijingMidnight, dateOf, DAY_MS } from '../../../shared/beijing.js';
import { DomainError } from '../../../shared/errors.js';
import { seesWholeCity, type Actor } from '../../auth/index.js';
import { assessUnits, periodOf, type Assessment } from '../../assessment/index.js';
import { unitIndex } from '../../directory/index.js';
import { callerAnalysis, overview, top, trend, type CallerAnalysis, type Overview, type Top } from '../analysis.js';
import { hotTopics, type HotTopic } from '../hot-topics.js';
import { listWarnings, type WarningView } from '../warnings.js';
import { findings } from './texts.js';

export const REPORT_KINDS = ['month', 'quarter'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportPeriod {
  /** 2026-11 or 2026-Q4 */
  key: string;
  kind: ReportKind;
  from: string;
  to: string;
  /** the last day counted: `to`, or today while the period is under way */
  through: string;
  partial: boolean;
}

const monthEnd = (year: number, month: number) => dateOf(Date.UTC(year, month, 1) - DAY_MS);
const invalid = (zh: string, en: string) => new DomainError('ANALYTICS_INVALID_PERIOD', { detail: { zh, en } });

/** A month (2026-11) or a quarter (2026-Q4) that has begun; one under way is counted up to today. */
export function reportPeriod(key: string, now = new Date()): ReportPeriod {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!month && !quarter) throw invalid(`${key} 不是月份（YYYY-MM）或季度（YYYY-Qn）`, `${key} is not a month (YYYY-MM) or a quarter (YYYY-Qn)`);
  const year = Number((month ?? quarter)![1]);
  const [first, last] = month ? [Number(month[2]), Number(month[2])] : [Number(quarter![2]) * 3 - 2, Number(quarter![2]) * 3];
  const from = `${year}-${String(first).padStart(2, '0')}-01`;
  const to = monthEnd(year, last);
  const today = beijingDate(now);
  if (from > today) throw invalid(`${key} 尚未开始`, `${key} has not begun`);
  if (year < 1972) throw invalid('最早 1972 年', 'from 1972 on');
  const through = to < today ? to : today;
  return { key, kind: month ? 'month' : 'quarter', from, to, through, partial: through !== to };
}

export interface DayPoint { date: string; orders: number; lastYear: number }
export interface MonthPoint { month: string; orders: number; lastYear: number; closedRate: number | null; satisfactionRate: number | null }
export type ReportTopic = Omit<HotTopic, 'hourly'>;

export interface AnalysisReport {
  period: ReportPeriod;
  scope: 'city' | 'units';
  /** the reader's unit, whose orders and its sub-units' a unit's report counts; null in the city's */
  unitName: string | null;
  generatedAt: string;
  /** the sentences the report opens with (综述), in both languages */
  findings: { zh: string[]; en: string[] };
  overview: Overview;
  /** each day of the period beside the same date a year earlier */
  days: DayPoint[];
  /** the twelve months up to the period's last, for the year's rhythm and satisfaction over time */
  months: MonthPoint[];
  categories: Top;
  matters: Top;
  /** the matters (third level) that rose most against the period before */
  rising: Top;
  districts: Top;
  channels: Top;
  types: Top;
  /** the matters with the most orders whose caller was angry, and raised again unsolved (舆情) */
  angry: Top;
  repeated: Top;
  callers: CallerAnalysis;
  /** the city's only: null in a unit's report */
  hotTopics: ReportTopic[] | null;
  warnings: WarningView[] | null;
  assessment: Assessment | null;
}

const TOP = 10;
/** a quarter at the early warning's target (under one false warning a day) stays well under it */
const MAX_WARNINGS = 1000;

/** Gathers the report of a period for the reader, every figure scoped by the reader's rights. */
export async function analysisReport(db: Queryable, actor: Actor, key: string, now = new Date()): Promise<AnalysisReport> {
  const period = reportPeriod(key, now);
  const span = { from: period.from, to: period.through };
  const ranked = (dim: Parameters<typeof top>[2]['dim'], order: Parameters<typeof top>[2]['order'], limit = TOP) =>
    top(db, actor, { ...span, dim, order, limit });
  const city = seesWholeCity(actor);
  const [overviewOf, days, months, categories, matters, rising, districts, channels, types, angry, repeated, callers] = await Promise.all([
    overview(db, actor, span), dailyOrders(db, actor, span), monthlyOrders(db, actor, period),
    ranked('category1', 'orders', 20), ranked('category3', 'orders'), ranked('category3', 'growth'), ranked('district', 'orders', 50),
    ranked('channel', 'orders', 20), ranked('type', 'orders', 20), ranked('category3', 'angry', 5), ranked('category3', 'repeated', 5),
    callerAnalysis(db, actor, span),
  ]);
  const [topics, warnings, assessment] = city ? await Promise.all([
    periodTopics(db, actor, period), periodWarnings(db, actor, period),
    assessUnits(db, actor, period.kind === 'month' && !period.partial ? periodOf({ month: period.key }) : periodOf({ from: period.from, to: period.through })),
  ]) : [null, null, null];
  const unitName = overviewOf.scope === 'units' ? (await unitIndex(db, actor.cityCode, [actor.unitId!])).get(actor.unitId!)?.name ?? null : null;
  const report: AnalysisReport = {
    period, scope: overviewOf.scope, unitName, generatedAt: now.toISOString(), findings: { zh: [], en: [] }, overview: overviewOf, days, months,
    categories, matters, rising: { ...rising, items: rising.items.filter((i) => i.measures.orders > i.previousOrders) },
    districts, channels, types,
    angry: { ...angry, items: angry.items.filter((i) => i.measures.angry > 0) },
    repeated: { ...repeated, items: repeated.items.filter((i) => i.measures.repeated > 0) },
    callers, hotTopics: topics, warnings, assessment,
  };
  report.findings = { zh: findings('zh', report), en: findings('en', report) };
  return report;
}

async function dailyOrders(db: Queryable, actor: Actor, span: { from: string; to: string }): Promise<DayPoint[]> {
  const { series } = await trend(db, actor, { ...span, dim: 'all', grain: 'day', limit: 1 });
  return (series[0]?.points ?? []).map((p) => ({ date: p.period, orders: p.measures.orders, lastYear: p.lastYear.measures.orders }));
}

async function monthlyOrders(db: Queryable, actor: Actor, period: ReportPeriod): Promise<MonthPoint[]> {
  const [y, m] = period.to.split('-').map(Number) as [number, number];
  const from = dateOf(Date.UTC(y, m - 12, 1));
  const { series } = await trend(db, actor, { from, to: period.through, dim: 'all', grain: 'month', limit: 1 });
  return (series[0]?.points ?? []).map((p) => ({ month: p.period, orders: p.measures.orders, lastYear: p.lastYear.measures.orders,
    closedRate: p.rates.closedRate, satisfactionRate: p.rates.satisfactionRate }));
}

/** Beijing midnight at the start of a date, and after its last day. */
const startOf = beijingMidnight;
const endOf = (date: string) => beijingMidnight(addDays(date, 1));

/** The hot topics with orders in the period, the biggest then first (a topic is kept 30 days after its last order). */
async function periodTopics(db: Queryable, actor: Actor, period: ReportPeriod): Promise<ReportTopic[]> {
  const end = endOf(period.through);
  const hours = Math.round((end.getTime() - startOf(period.from).getTime()) / 3_600_000);
  const { topics } = await hotTopics(db, actor, { hours, limit: TOP, order: 'recent' }, end);
  return topics.map(({ hourly: _hourly, ...topic }) => topic);
}

/** The early warnings raised in the period, oldest first. */
async function periodWarnings(db: Queryable, actor: Actor, period: ReportPeriod): Promise<WarningView[]> {
  const { items } = await listWarnings(db, actor, { from: startOf(period.from).toISOString(), to: endOf(period.through).toISOString(),
    limit: MAX_WARNINGS, offset: 0 });
  return items.reverse();
}

