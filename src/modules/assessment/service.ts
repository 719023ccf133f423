// Unit assessment (考核): figures, the three rates and a weighted score per unit and period, ranked
// within each level of the handling network, and the orders behind any figure.
import type { Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, seesWholeCity, type Actor } from '../auth/index.js';
import { getSlaSettings } from '../sla/index.js';
import { FIGURE_NAMES, FIGURES, rates, score, type FigureName, type Figures, type Rates, type Weights } from './figures.js';

export interface Period {
  from: Date;
  to: Date;
  /** e.g. 2026-11, or 2026-11-01..2026-11-15 */
  label: string;
}

const SHANGHAI = '+08:00';
const MAX_PERIOD_MS = 366 * 24 * 3_600_000;

/** A calendar month in Beijing time ('2026-11'), or a range of days [from, to] both included. */
export function periodOf(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }, now = new Date()): Period {
  if (q.from || q.to) {
    if (!q.from || !q.to) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: 'give both from and to' });
    const from = new Date(`${q.from}T00:00:00${SHANGHAI}`);
    const to = new Date(new Date(`${q.to}T00:00:00${SHANGHAI}`).getTime() + 24 * 3_600_000);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: 'dates are YYYY-MM-DD' });
    if (from >= to) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: `${q.from} is after ${q.to}` });
    if (to.getTime() - from.getTime() > MAX_PERIOD_MS) throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: 'more than 366 days' });
    return { from, to, label: `${q.from}..${q.to}` };
  }
  const month = q.month ?? new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw new DomainError('ASSESSMENT_INVALID_PERIOD', { detail: `${month} is not a month (YYYY-MM)` });
  }
  const [year, m] = [Number(match[1]), Number(match[2])];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: new Date(`${month}-01T00:00:00${SHANGHAI}`), to: new Date(`${next}-01T00:00:00${SHANGHAI}`), label: month };
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
  const counts = FIGURE_NAMES.map((name) => `count(*) FILTER (WHERE ${FIGURES[name].sql})::int AS "${name}"`).join(',\n       ');
  const result = await db.query(
    `WITH f AS (
       SELECT r.unit_id, ${counts}
         FROM order_rounds r
        WHERE r.city_code = $1 AND r.started_at >= $2 AND r.started_at < $3
        GROUP BY r.unit_id)
     SELECT f.*, u.code, u.name, u.level, u.parent_id, p.name AS parent_name
       FROM f JOIN units u ON u.id = f.unit_id LEFT JOIN units p ON p.id = u.parent_id`,
    [actor.cityCode, period.from, period.to]);
  const units: UnitAssessment[] = result.rows.map((r) => {
    const figures = Object.fromEntries(FIGURE_NAMES.map((n) => [n, r[n]])) as Figures;
    const unitRates = rates(figures);
    const byParent = r.level === 'street' || r.level === 'community';
    return {
      unit: { id: r.unit_id, code: r.code, name: r.name, level: r.level },
      group: byParent ? { key: `${r.level}:${r.parent_id}`, name: `${r.parent_name ?? ''} ${LEVEL_NAMES[r.level]}`.trim() }
        : { key: r.level, name: LEVEL_NAMES[r.level] ?? r.level },
      figures, rates: unitRates, score: score(unitRates, weights), rank: null, groupSize: 0,
    };
  });
  rank(units);
  const order = Object.keys(LEVEL_NAMES);
  units.sort((a, b) => order.indexOf(a.unit.level) - order.indexOf(b.unit.level) || a.group.key.localeCompare(b.group.key)
    || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.code.localeCompare(b.unit.code));
  return { period: { from: period.from.toISOString(), to: period.to.toISOString(), label: period.label }, weights, units };
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

export interface FigureOrder {
  orderId: string;
  trackingNo: string;
  title: string;
  state: string;
  round: number;
  startedAt: string;
  signedAt: string | null;
  repliedAt: string | null;
  replyDueAt: string;
  visitSatisfaction: string | null;
}

/** The rounds (and their orders) that make up one figure of one unit in the period. */
export async function figureOrders(db: Queryable, actor: Actor, unitId: string, period: Period, figure: string,
  page: { limit: number; offset: number }): Promise<FigureOrder[]> {
  assertMaySee(actor);
  if (!(figure in FIGURES)) throw new DomainError('ASSESSMENT_UNKNOWN_FIGURE', { figure });
  if (!seesWholeCity(actor)) {
    const mine = await db.query('SELECT 1 FROM units WHERE id = $1 AND path LIKE $2', [unitId, `${actor.unitPath}%`]);
    if (!mine.rowCount) throw new DomainError('AUTH_FORBIDDEN');
  }
  const r = await db.query(
    `SELECT r.*, o.tracking_no, o.title, o.state FROM order_rounds r JOIN orders o ON o.id = r.order_id
      WHERE r.city_code = $1 AND r.unit_id = $2 AND r.started_at >= $3 AND r.started_at < $4 AND (${FIGURES[figure as FigureName].sql})
      ORDER BY r.started_at, r.id LIMIT $5 OFFSET $6`,
    [actor.cityCode, unitId, period.from, period.to, page.limit, page.offset]);
  return r.rows.map((row) => ({ orderId: row.order_id, trackingNo: row.tracking_no, title: row.title, state: row.state, round: row.round,
    startedAt: row.started_at.toISOString(), signedAt: row.signed_at?.toISOString() ?? null,
    repliedAt: row.replied_at?.toISOString() ?? null, replyDueAt: row.reply_due_at.toISOString(), visitSatisfaction: row.visit_satisfaction }));
}

export { LEVEL_NAMES };
