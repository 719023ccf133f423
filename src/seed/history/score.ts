// The early warnings raised over a generated history, scored against the generator's truth: which
// incidents were warned of (recall), which warnings were incidents (precision), how many warnings
// were false a day, and how soon each incident was caught.
import type pg from 'pg';
import { systemActor } from '../../modules/auth/index.js';
import { getWarning, listWarnings } from '../../modules/analytics/index.js';
import type { Incident } from './write.js';

export interface WarningScore {
  incidents: number;
  warnings: number;
  /** incidents warned of / incidents */
  recall: number;
  /** warnings that were an incident / warnings (1 when none was raised) */
  precision: number;
  /** incidents warned of more than once */
  duplicates: number;
  falseWarnings: number;
  falsePerDay: number;
  /** per incident warned of: which of its reports crossed the line (1 = the first) */
  crossingReport: number[];
  /** per incident warned of: minutes from its first report to the crossing one */
  minutesToCross: number[];
  /** every report of each incident warned of is joined to its warning */
  allReportsJoined: boolean;
  /** recall by incident size: 10–19, 20–29, 30 and more reports */
  recallBySize: Record<string, number>;
  /** the false warnings' places and matters, for a reader to judge */
  unmatched: { area: string; category: string; reports: number; crossedAt: string }[];
}

/** Scores the warnings that crossed in [from, to) against the incidents that started then. */
export async function scoreWarnings(pool: pg.Pool, cityCode: string, incidents: readonly Incident[], period: { from: Date; to: Date }):
  Promise<WarningScore> {
  const actor = systemActor(cityCode);
  const warnings = [];
  for (let offset = 0; ; offset += 200) {
    const page = await listWarnings(pool, actor, { from: period.from.toISOString(), to: period.to.toISOString(), limit: 200, offset });
    for (const w of page.items) warnings.push(await getWarning(pool, actor, w.id));
    if (page.items.length < 200) break;
  }
  const inPeriod = incidents.filter((x) => new Date(x.startsAt) >= period.from && new Date(x.startsAt) < period.to);
  const incidentOf = new Map<string, Incident>();
  for (const x of inPeriod) for (const id of x.orderIds) incidentOf.set(id, x);
  const warned = new Map<Incident, typeof warnings>();
  const unmatched: WarningScore['unmatched'] = [];
  for (const w of warnings) {
    const x = w.reportOrders.map((r) => incidentOf.get(r.orderId)).find(Boolean);
    if (x) warned.set(x, [...warned.get(x) ?? [], w]);
    else unmatched.push({ area: w.area.path.map((a) => a.name).join(' › '), category: w.category.name, reports: w.reports, crossedAt: w.crossedAt });
  }
  const crossingReport: number[] = [];
  const minutesToCross: number[] = [];
  let allReportsJoined = true;
  for (const [x, ws] of warned) {
    const w = [...ws].sort((a, b) => a.crossedAt.localeCompare(b.crossedAt))[0]; // the first, when an incident was warned of twice
    crossingReport.push(x.orderIds.indexOf(w!.crossingOrderId) + 1);
    minutesToCross.push((Date.parse(w!.crossedAt) - Date.parse(w!.firstReportAt)) / 60_000);
    const joined = new Set(w!.reportOrders.map((r) => r.orderId));
    if (!x.orderIds.every((id) => joined.has(id))) allReportsJoined = false;
  }
  const bySize = (lo: number, hi: number) => {
    const of = inPeriod.filter((x) => x.orderIds.length >= lo && x.orderIds.length < hi);
    return of.length ? of.filter((x) => warned.has(x)).length / of.length : 1;
  };
  const days = (period.to.getTime() - period.from.getTime()) / 86_400_000;
  const matched = warnings.length - unmatched.length;
  return {
    incidents: inPeriod.length, warnings: warnings.length, recall: inPeriod.length ? warned.size / inPeriod.length : 1,
    precision: warnings.length ? matched / warnings.length : 1, duplicates: [...warned.values()].filter((ws) => ws.length > 1).length,
    falseWarnings: unmatched.length, falsePerDay: unmatched.length / days, crossingReport, minutesToCross, allReportsJoined,
    recallBySize: { '10-19': bySize(10, 20), '20-29': bySize(20, 30), '30+': bySize(30, 1000) }, unmatched,
  };
}
