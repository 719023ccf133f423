// Unit assessment (考核): figures, the three rates and a weighted score per unit and period, ranked
// within each level of the handling network, and the orders behind any figure.
import type { Page } from '../../db/page.js';
import type { Queryable } from '../../db/tx.js';
import { beijingMidnight, beijingMonth, DAY_MS } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, seesWholeCity, type Actor } from '../auth/index.js';
import { unitIndex } from '../directory/index.js';
import { orderSummaries } from '../orders/index.js';
import { FIGURES, figureCounts, figureRounds, getSlaSettings, type FigureName, type FigureRound, type Figures } from '../sla/index.js';
import { rates, score, type Rates, type Weights } from './figures.js';

export interface Period {
  from: Date;
  to: Date;
  /** e.g. 2026-11, or 2026-11-01..2026-11-15 */
  label: string;
}

const MAX_PERIOD_MS = 366 * 24 * 3_600_000;

/** A calendar month in Beijing time ('2026-11'), or a range of days [from, to] both included. */
export function periodOf(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }, now = new Date()): Period {
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: { zh: '须同时给出开始日期 from 和结束日期 to', en: 'give both from and to' } });
    const from = beijingMidnight(q.from);
    const to = new Date(beijingMidnight(q.to).getTime() + DAY_MS);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: { zh: '日期格式为 YYYY-MM-DD', en: 'dates are YYYY-MM-DD' } });
    if (from >= to) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: { zh: `${q.from} 晚于 ${q.to}`, en: `${q.from} is after ${q.to}` } });
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: { zh: '超过 366 天', en: 'more than 366 days' } });
    return { from, to, label: `${q.from}..${q.to}` };
  }
  const month = q.month ?? beijingMonth(now);
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: { zh: `${month} 不是月份（YYYY-MM）`, en: `${month} is not a month (YYYY-MM)` } });
  }
  const [year, m] = [Number(match[1]), Number(match[2])];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: beijingMidnight(`${month}-01`), to: beijingMidnight(`${next}-01`), label: month };
}

export interface UnitAssessment {
  unit: { id: string; code: string; name: string; level: string };
  /** the ranking group: a level, or for streets and communities the unit above them */
  group: { key: string; name: string };
  figures: Figures;
  rates: Rates;
  score: number | null;
  /** 1 = best in its group; units with no score are not ranked */
  rank: number | null;
  groupSize: number;
}

export interface Assessment {
  period: { from: string; to: string; label: string };
  weights: Weights;
  units: UnitAssessment[];
}

const LEVEL_NAMES: Record<string, string> = { leader: '市领导', department: '市直部门及单位', district: '区县', street: '街道（镇）', community: '社区（村）' };

function assertMaySee(actor: Actor): void {
  if (!seesWholeCity(actor) && !hasRole(actor, 'unit_manager')) throw new DomainError('AUTH_FORBIDDEN');
}

/**
 * Every unit with a round in the period: its figures, rates, score and rank. One pass over the
 * period's rounds, one count per figure.
 */
export async function assessUnits(db: Queryable, actor: Actor, period: Period): Promise<Assessment> {
  assertMaySee(actor);
  const weights = (await getSlaSettings(db, actor.cityCode)).assessmentWeights;
  const counted = await figureCounts(db, actor.cityCode, period.from, period.to);
  const units = await unitIndex(db, actor.cityCode, counted.map((c) => c.unitId));
  const assessed: UnitAssessment[] = counted.flatMap(({ unitId, figures }) => {
    const unit = units.get(unitId);
    if (!unit) return [];
    const parent = unit.parentId ? units.get(unit.parentId) : undefined;
    const unitRates = rates(figures);
    const byParent = unit.level === 'street' || unit.level === 'community';
    return [{
      unit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level },
      group: byParent ? { key: `${unit.level}:${unit.parentId}`, name: `${parent?.name ?? ''} ${LEVEL_NAMES[unit.level]}`.trim() }
        : { key: unit.level, name: LEVEL_NAMES[unit.level] ?? unit.level },
      figures, rates: unitRates, score: score(unitRates, weights), rank: null, groupSize: 0,
    }];
  });
  rank(assessed);
  const order = Object.keys(LEVEL_NAMES);
  assessed.sort((a, b) => order.indexOf(a.unit.level) - order.indexOf(b.unit.level) || a.group.key.localeCompare(b.group.key)
    || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.code.localeCompare(b.unit.code));
  return { period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label }, weights, units: assessed };
}

/** Ranks within each group by score, best first; equal scores share a rank (1, 2, 2, 4). */
function rank(units: UnitAssessment[]): void {
  const groups = new Map<string, UnitAssessment[]>();
  for (const u of units) groups.set(u.group.key, [...(groups.get(u.group.key) ?? []), u]);
  for (const members of groups.values()) {
    const scored = members.filter((u) => u.score !== null).sort((a, b) => b.score! - a.score!);
    scored.forEach((u, i) => { u.rank = i > 0 && Math.abs(scored[i - 1]!.score! - u.score!) < 1e-9 ? scored[i - 1]!.rank : i + 1; });
    for (const u of members) u.groupSize = scored.length;
  }
}

/** A round behind a figure, with its order's number, title and state. */
export interface FigureOrder extends FigureRound {
  trackingNo: string;
  title: string;
  state: string;
}

/** The rounds (and their orders) that make up one figure of one unit in the period. */
export async function figureOrders(db: Queryable, actor: Actor, unitId: string, period: Period, figure: string,
  page: { limit: number; offset: number }): Promise<Page<FigureOrder>> {
  assertMaySee(actor);
  if (!Object.hasOwn(FIGURES, figure)) throw new DomainError('ASSESSMENT_UNKNOWN_FIGURE', { figure });
  if (!seesWholeCity(actor)) {
    const unit = (await unitIndex(db, actor.cityCode)).get(unitId);
    if (!unit || !actor.unitPath || !unit.path.startsWith(actor.unitPath)) throw new DomainError('AUTH_FORBIDDEN');
  }
  const rounds = await figureRounds(db, actor.cityCode, unitId, period.from, period.to, figure as FigureName, page);
  // the unit's manager sees these orders: they were its subtree's; the city's staff see them all
  const orders = await orderSummaries(db, actor, rounds.items.map((r) => r.orderId));
  return { ...rounds, items: rounds.items.map((r) => {
    const o = orders.get(r.orderId);
    return { ...r, trackingNo: o?.trackingNo ?? '', title: o?.title ?? '', state: o?.state ?? '' };
  }) };
}

export { LEVEL_NAMES };
