// Early warning (突发事件预警). Every registered order is a report in one cell: its area (a
// community, or the street when the caller named no community) × its category at the tree's third
// level. Each cell keeps its history as rates of reports per day (exponentially weighted averages
// over the baseline's days and over the last three, the higher one taken) and its recent reports. When the reports of a cell within the window reach the settings'
// minimum and are less likely than `maxProbability` under a Poisson law with the cell's rate taken
// at the busiest hour, a warning is raised with the reports so far; later reports of the cell join
// it while it takes reports (one incident, one warning). A person acknowledges it and closes it with
// the outcome. Each step is an event of the warning's own stream in the log: the live stream pushes
// it to the hotline's screens.
//
// The detector runs as a durable consumer of the registrations and corrections (seconds after the
// order has a place and a category, whichever process made the change); `observeReports` is the
// same code over any list of reports. A replay of history (`replayWarnings`) runs it over the
// stored orders, each in the place and category it has now and at its registration time: for
// orders that were never reclassified, exactly what the consumer would have raised.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared, withTransaction } from '../../db/tx.js';
import { DAY_MS } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, seesWholeCity, systemActor, type Actor } from '../auth/index.js';
import { areaIndex, staffDisplayNamesByUsername } from '../directory/index.js';
import { appendEvents, holdConsumer, orderSnapshotOf, type Consumer, type StoredEvent, type WarningSnapshot } from '../events/index.js';
import { orderSummaries } from '../orders/index.js';
import { currentTree } from '../taxonomy/index.js';
import { getWarningSettings, type WarningSettings } from './warning-settings.js';
import { isUuid } from '../../shared/uuid.js';

/** A registered order as the detector sees it. */
export interface Report {
  orderId: string;
  /** when it was registered */
  at: Date;
  areaCode: string;
  /** from the district down to the area */
  areaPath: string[];
  /** the category at the tree's third level (or the order's own, when shallower) */
  categoryCode: string;
  categoryPath: string[];
}

/** The cell's category level: the third (a matter such as 供水 or 燃气), where agents classify alike. */
const CELL_LEVEL = 3;

/**
 * The report an order makes, once, when it first has both a place and a category: at its
 * registration (an agent's, with both), or at the correction that gave it the one it lacked (a
 * message from SMS, WeChat, Weibo, the portal or the app, classified by an agent afterwards). Its
 * time is always the registration's. A later reclassification moves nothing: the report stays
 * where it was counted. Null for any other event.
 */
export function reportOf(e: StoredEvent): Report | null {
  const order = orderSnapshotOf(e);
  if (!order?.areaCode || !order.categoryCode || order.categoryPath.length === 0) return null;
  if (e.type === 'order.updated') {
    const before = (e.payload as { before: Record<string, unknown> }).before;
    const completed = ('categoryCode' in before && before.categoryCode == null) || ('areaCode' in before && before.areaCode == null);
    if (!completed) return null;
  } else if (e.type !== 'order.registered') return null;
  const categoryPath = order.categoryPath.slice(0, CELL_LEVEL);
  return { orderId: e.streamId, at: new Date(order.createdAt), areaCode: order.areaCode, areaPath: order.areaPath,
    categoryCode: categoryPath.at(-1)!, categoryPath };
}

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonTail(lambda: number, k: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  const logTerm = (i: number) => -lambda + i * Math.log(lambda) - logFactorial(i);
  if (k <= lambda) { // the head is small: 1 − P(X < k)
    let head = 0;
    for (let i = 0; i < k; i++) head += Math.exp(logTerm(i));
    return Math.max(0, 1 - head);
  }
  let term = Math.exp(logTerm(k));
  let tail = 0;
  for (let i = k; i < k + 1000 && term >= tail * 1e-16; i++) {
    tail += term;
    term *= lambda / (i + 1);
  }
  return Math.min(1, tail);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** Reports expected in the window at the busiest hour, from a cell's rate per day. */
export function expectedInWindow(ratePerDay: number, s: WarningSettings): number {
  return ratePerDay * (s.windowMinutes / 1440) * s.peakFactor;
}

export type Outcome = 'counted' | 'raised' | 'joined';

export interface ObserveOptions {
  settings: WarningSettings;
  /** when the warning is raised (the consumer: now; a replay: the crossing report's time) */
  now: (report: Report) => Date;
  /** reports older than this build the history but raise nothing (a consumer catching up on old history) */
  staleBefore: Date | null;
}

/** A cell's state while a batch is counted: its rates, its recent reports, its warning taking reports. */
interface Cell {
  areaCode: string;
  categoryCode: string;
  /** reports a day over the baseline's days, and over the recent days (growth, a season's start) */
  rate: number;
  recentRate: number;
  at: number | null;
  /** the reports of the window and after, in time order */
  recent: { at: number; orderId: string }[];
  added: { at: number; orderId: string }[];
  warning: { id: string; lastReportAt: number } | null;
}

const cellKey = (areaCode: string, categoryCode: string) => `${areaCode}|${categoryCode}`;
const decay = (rate: number, days: number, tau: number) => rate * Math.exp(-Math.max(0, days) / tau);

/** The city as a cell's area: each category's rates over the whole city, to tell a city-wide surge from a local burst. */
const CITY = '';
/** While its warning takes reports, a report joins only if the cell is still this unusual (else it is the cell's usual traffic). */
const JOIN_PROBABILITY = 0.01;

/**
 * Counts each report in its cell, in time order, raising or joining warnings. The cells a batch
 * touches are read once, counted in memory, and written back once, and the reports that join
 * warnings join in one statement: a batch of the consumer costs a few statements, whatever its size
 * (and a raise, three). The consumer's cursor lock keeps one process at a time on the cells, and a
 * close waits for a batch in progress (closeWarning): the open warnings read at its start stay open.
 */
export async function observeReports(tx: Queryable, cityCode: string, reports: Report[], o: ObserveOptions): Promise<Outcome[]> {
  if (reports.length === 0) return [];
  const s = o.settings;
  const sorted = [...reports].sort((a, b) => a.at.getTime() - b.at.getTime());
  const windowMs = s.windowMinutes * 60_000;
  const joinMs = s.joinHours * 3_600_000;
  const since = new Date(sorted[0]!.at.getTime() - Math.max(windowMs, joinMs));
  const cells = await loadCells(tx, cityCode, sorted, since, windowMs);
  const outcomes: Outcome[] = [];
  const joins: Join[] = [];
  for (const r of sorted) {
    const cell = cells.get(cellKey(r.areaCode, r.categoryCode))!;
    const city = cells.get(cellKey(CITY, r.categoryCode))!;
    const at = r.at.getTime();
    if (cell.recent.some((x) => x.orderId === r.orderId)) { // counted already (a batch read again): counted once
      outcomes.push('counted');
      continue;
    }
    const before = cell.recent.filter((x) => x.at > at - windowMs && x.at <= at);
    advance(cell, at, s);
    advance(city, at, s);
    // a surge of the matter over the whole city (a season's start) is no local incident: it raises every cell's expectation
    const surge = city.rate > 0 ? Math.max(1, city.recentRate / city.rate) : 1;
    const expected = expectedInWindow(surge * Math.max(historyRate(cell.rate, before, at, s.baselineDays),
      historyRate(cell.recentRate, before, at, RECENT_DAYS)), s);
    add(cell, at, s);
    add(city, at, s);
    const entry = { at, orderId: r.orderId };
    cell.recent.splice(sortedIndex(cell.recent, at), 0, entry);
    cell.added.push(entry);

    if (cell.warning && cell.warning.lastReportAt > at - joinMs) {
      if (poissonTail(expected, before.length + 1) >= JOIN_PROBABILITY) {
        outcomes.push('counted');
        continue;
      }
      joins.push({ warningId: cell.warning.id, report: r, now: o.now(r), outcome: outcomes.length });
      cell.warning.lastReportAt = Math.max(cell.warning.lastReportAt, at);
      outcomes.push('joined');
      continue;
    }
    const inWindow = [...before, entry].sort((a, b) => a.at - b.at);
    if (!s.enabled || inWindow.length < s.minReports || (o.staleBefore && r.at < o.staleBefore)) {
      outcomes.push('counted');
      continue;
    }
    const probability = poissonTail(expected, inWindow.length);
    if (probability >= s.maxProbability) {
      outcomes.push('counted');
      continue;
    }
    const id = await raise(tx, cityCode, r, inWindow, { expected, probability, windowMinutes: s.windowMinutes, now: o.now(r) });
    cell.warning = { id, lastReportAt: at };
    outcomes.push('raised');
  }
  for (const i of await joinWarnings(tx, cityCode, joins)) outcomes[i] = 'counted';
  // an hour's slack: a report registered a little out of order still finds its window
  await saveCells(tx, cityCode, [...cells.values()], new Date(sorted[0]!.at.getTime() - windowMs - 3_600_000));
  return outcomes;
}

/** The recent days' rate follows growth and a season's start within days (a burst of one hour barely moves it). */
export const RECENT_DAYS = 3;

/** Brings a cell's rates to `at` (a report older than the rates' time leaves them as they are). */
function advance(cell: Cell, at: number, s: WarningSettings): void {
  if (cell.at !== null && at <= cell.at) return;
  const days = cell.at === null ? 0 : (at - cell.at) / DAY_MS;
  cell.rate = decay(cell.rate, days, s.baselineDays);
  cell.recentRate = decay(cell.recentRate, days, RECENT_DAYS);
  cell.at = at;
}

/** Adds one report at `at` to rates kept as of `cell.at` (later, for a report that came out of order). */
function add(cell: Cell, at: number, s: WarningSettings): void {
  const age = (cell.at! - at) / DAY_MS;
  cell.rate += decay(1 / s.baselineDays, age, s.baselineDays);
  cell.recentRate += decay(1 / RECENT_DAYS, age, RECENT_DAYS);
}

/** A rate without what the window's reports added to it: the history predicts the burst, the burst does not predict itself. */
function historyRate(rate: number, inWindow: { at: number }[], at: number, tau: number): number {
  const burst = inWindow.reduce((sum, x) => sum + decay(1 / tau, (at - x.at) / DAY_MS, tau), 0);
  return Math.max(0, rate - burst);
}

function sortedIndex(xs: { at: number }[], at: number): number {
  let i = xs.length;
  while (i > 0 && xs[i - 1]!.at > at) i--;
  return i;
}

async function loadCells(tx: Queryable, cityCode: string, reports: Report[], since: Date, windowMs: number): Promise<Map<string, Cell>> {
  const cells = new Map<string, Cell>();
  for (const r of reports) {
    for (const areaCode of [r.areaCode, CITY]) {
      const key = cellKey(areaCode, r.categoryCode);
      if (!cells.has(key)) cells.set(key, { areaCode, categoryCode: r.categoryCode, rate: 0, recentRate: 0, at: null, recent: [], added: [], warning: null });
    }
  }
  const areas = [...cells.values()].map((c) => c.areaCode);
  const categories = [...cells.values()].map((c) => c.categoryCode);
  const of = `(area_code, category_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))`;
  // one statement: on PGlite every statement of a transaction waits on the main thread while holding the engine
  const { rows: [read] } = await tx.query(prepared(
    `SELECT (SELECT coalesce(json_agg(json_build_array(area_code, category_code, rate, recent_rate, at)), '[]')
               FROM warning_baselines WHERE city_code = $1 AND ${of}) AS baselines,
            (SELECT coalesce(json_agg(json_build_array(area_code, category_code, at, order_id) ORDER BY at), '[]')
               FROM warning_recent WHERE city_code = $1 AND ${of} AND at > $4) AS recent,
            (SELECT coalesce(json_agg(json_build_array(area_code, category_code, id, last_report_at)), '[]')
               FROM (SELECT DISTINCT ON (area_code, category_code) area_code, category_code, id, last_report_at FROM early_warnings
                      WHERE city_code = $1 AND ${of} AND status <> 'closed' AND last_report_at > $5
                      ORDER BY area_code, category_code, last_report_at DESC) w) AS warnings`,
    [cityCode, areas, categories, new Date(since.getTime() - windowMs), since]));
  const cellOf = (areaCode: string, categoryCode: string) => cells.get(cellKey(areaCode, categoryCode))!;
  for (const [area, category, rate, recentRate, at] of read.baselines) Object.assign(cellOf(area, category), { rate, recentRate, at: Date.parse(at) });
  for (const [area, category, at, orderId] of read.recent) cellOf(area, category).recent.push({ at: Date.parse(at), orderId });
  for (const [area, category, id, lastReportAt] of read.warnings) cellOf(area, category).warning = { id, lastReportAt: Date.parse(lastReportAt) };
  return cells;
}

async function saveCells(tx: Queryable, cityCode: string, cells: Cell[], pruneBefore: Date): Promise<void> {
  const added = cells.flatMap((c) => c.added.map((x) => ({ ...x, cell: c })));
  // one statement (see loadCells); the reports added are all after pruneBefore, so the delete, which
  // does not see them, would have left them anyway
  await tx.query(prepared(
    `WITH baselines AS (
       INSERT INTO warning_baselines (city_code, area_code, category_code, rate, recent_rate, at)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::timestamptz[])
       ON CONFLICT (city_code, area_code, category_code) DO UPDATE SET rate = EXCLUDED.rate, recent_rate = EXCLUDED.recent_rate, at = EXCLUDED.at),
     recent AS (
       INSERT INTO warning_recent (city_code, area_code, category_code, at, order_id)
       SELECT $1, * FROM unnest($7::text[], $8::text[], $9::timestamptz[], $10::uuid[]) ON CONFLICT DO NOTHING)
     DELETE FROM warning_recent WHERE city_code = $1 AND at < $11`,
    [cityCode, cells.map((c) => c.areaCode), cells.map((c) => c.categoryCode), cells.map((c) => c.rate), cells.map((c) => c.recentRate),
      cells.map((c) => new Date(c.at!)), added.map((x) => x.cell.areaCode), added.map((x) => x.cell.categoryCode), added.map((x) => new Date(x.at)),
      added.map((x) => x.orderId), pruneBefore]));
}

const WARNING_COLUMNS = `id, version, status, area_code, area_path, category_code, category_path, first_report_at, crossing_order_id,
  crossed_at, raised_at, last_report_at, reports, expected, probability, acknowledged_at, acknowledged_by, acknowledged_text, closed_at, closed_by,
  outcome, outcome_text`;

const snapshotOf = (w: Record<string, any>): WarningSnapshot => ({
  status: w.status, areaCode: w.area_code, areaPath: w.area_path, categoryCode: w.category_code, categoryPath: w.category_path,
  reports: w.reports, firstReportAt: w.first_report_at.toISOString(), raisedAt: w.raised_at.toISOString(),
});

/** Raises a warning with the window's reports (the crossing one last); returns its id. */
async function raise(tx: Queryable, cityCode: string, r: Report, inWindow: { at: number; orderId: string }[],
  m: { expected: number; probability: number; windowMinutes: number; now: Date }): Promise<string> {
  const id = randomUUID();
  const warning = (await tx.query(prepared(
    `INSERT INTO early_warnings (city_code, id, version, status, area_code, area_path, category_code, category_path, first_report_at,
                                 crossing_order_id, crossed_at, raised_at, last_report_at, reports, expected, probability)
     VALUES ($1, $2, 1, 'open', $3, $4, $5, $6, $7, $8, $9, $10, $9, $11, $12, $13) RETURNING ${WARNING_COLUMNS}`,
    [cityCode, id, r.areaCode, r.areaPath, r.categoryCode, r.categoryPath, new Date(inWindow[0]!.at), r.orderId, r.at, m.now, inWindow.length,
      m.expected, m.probability]))).rows[0];
  await tx.query(prepared(
    `INSERT INTO early_warning_reports (city_code, warning_id, order_id, at) SELECT $1, $2, unnest($3::uuid[]), unnest($4::timestamptz[])`,
    [cityCode, id, inWindow.map((x) => x.orderId), inWindow.map((x) => new Date(x.at))]));
  await appendEvents(tx, cityCode, [{ type: 'warning.raised', stream: 'warning', streamId: id, seq: 1, at: m.now, actor: systemActor(cityCode),
    fromState: null, toState: 'open', snapshot: snapshotOf(warning),
    payload: { orderIds: inWindow.map((x) => x.orderId), expected: m.expected, probability: m.probability, windowMinutes: m.windowMinutes } }]);
  return id;
}

/** A report joining a warning, and where its outcome is in the batch's list. */
interface Join { warningId: string; report: Report; now: Date; outcome: number }

/**
 * Adds the reports to their warnings, each warning in time order, in one statement and one append
 * of their events: the outcomes of the reports a warning held already (a batch counted again).
 */
async function joinWarnings(tx: Queryable, cityCode: string, joins: Join[]): Promise<number[]> {
  if (joins.length === 0) return [];
  // the update takes each warning's lock; the reports' rows go in first, for their count
  const { rows } = await tx.query(prepared(
    `WITH added AS (
       INSERT INTO early_warning_reports (city_code, warning_id, order_id, at)
       SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) ON CONFLICT DO NOTHING RETURNING warning_id, order_id, at),
     w AS (
       UPDATE early_warnings e SET reports = e.reports + a.n, last_report_at = greatest(e.last_report_at, a.last), version = e.version + a.n
         FROM (SELECT warning_id, count(*)::int AS n, max(at) AS last, array_agg(order_id::text) AS order_ids FROM added GROUP BY warning_id) a
        WHERE e.city_code = $1 AND e.id = a.warning_id AND e.status <> 'closed'
       RETURNING ${WARNING_COLUMNS}, a.n, a.order_ids)
     SELECT * FROM w`,
    [cityCode, joins.map((j) => j.warningId), joins.map((j) => j.report.orderId), joins.map((j) => j.report.at)]));
  const joined = new Map(rows.map((w) => [w.id as string, { w, added: new Set<string>(w.order_ids) }]));
  await refuseClosed(tx, cityCode, [...new Set(joins.map((j) => j.warningId))].filter((id) => !joined.has(id)));
  const events = [];
  const held: number[] = [];
  const count = new Map<string, number>();
  for (const j of joins) {
    const one = joined.get(j.warningId);
    if (!one?.added.has(j.report.orderId)) {
      held.push(j.outcome);
      continue;
    }
    const { w } = one;
    const k = (count.get(j.warningId) ?? 0) + 1; // this report's place among the warning's joins in this batch
    count.set(j.warningId, k);
    events.push({ type: 'warning.report_joined' as const, stream: 'warning' as const, streamId: j.warningId, seq: w.version - w.n + k, at: j.now,
      actor: systemActor(cityCode), fromState: w.status, toState: w.status, snapshot: snapshotOf({ ...w, reports: w.reports - w.n + k }),
      payload: { orderId: j.report.orderId } });
  }
  await appendEvents(tx, cityCode, events);
  return held;
}

/**
 * A warning that took none of its reports held them all already, or was closed meanwhile: a close
 * waits for the consumer's batch, so only a caller without the consumer's lock meets the second,
 * and its batch fails, to be counted again.
 */
async function refuseClosed(tx: Queryable, cityCode: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const closed = (await tx.query(prepared(`SELECT id FROM early_warnings WHERE city_code = $1 AND id = ANY($2::uuid[]) AND status = 'closed'`,
    [cityCode, ids]))).rows;
  if (closed.length > 0) throw new Error(`early warning ${closed[0].id} was closed while a batch counted reports for it`);
}

/** How old a registration may be and still raise a warning when the consumer reads it (it catches up on older ones silently). */
const STALE_MS = 24 * 3_600_000;

/** The detector: each order is a report once it has a place and a category, seconds after that is committed. */
export const warningsConsumer: Consumer = {
  name: 'analytics-warnings',
  types: ['order.registered', 'order.updated'],
  from: 'start',
  async handle(tx, events) {
    const byCity = new Map<string, Report[]>();
    for (const e of events) {
      const report = reportOf(e);
      if (report) byCity.set(e.cityCode, [...byCity.get(e.cityCode) ?? [], report]);
    }
    const now = new Date();
    for (const [city, reports] of byCity) {
      await observeReports(tx, city, reports, { settings: await getWarningSettings(tx, city), now: () => new Date(),
        staleBefore: new Date(now.getTime() - STALE_MS) });
    }
  },
};

// ---- reading and acting on warnings --------------------------------------------------------------

export const WARNING_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type WarningStatus = (typeof WARNING_STATUSES)[number];
export const WARNING_OUTCOMES = ['confirmed', 'false_alarm'] as const;
export type WarningOutcome = (typeof WARNING_OUTCOMES)[number];

export interface WarningView {
  id: string;
  status: WarningStatus;
  area: { code: string; name: string; path: { code: string; name: string }[] };
  category: { code: string; name: string; path: { code: string; name: string }[] };
  reports: number;
  firstReportAt: string;
  crossedAt: string;
  crossingOrderId: string;
  raisedAt: string;
  lastReportAt: string;
  expected: number;
  probability: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedText: string | null;
  closedAt: string | null;
  closedBy: string | null;
  outcome: WarningOutcome | null;
  outcomeText: string | null;
}

/** Early warnings concern the whole city: the hotline's staff and city-wide API keys read them. */
function assertReader(actor: Actor): void {
  if (!seesWholeCity(actor)) throw new DomainError('AUTH_FORBIDDEN');
}

async function present(db: Queryable, cityCode: string, rows: Record<string, any>[]): Promise<WarningView[]> {
  if (rows.length === 0) return [];
  const areas = await areaIndex(db, cityCode);
  const tree = await currentTree(db, cityCode);
  const area = (code: string) => ({ code, name: areas.get(code)?.name ?? code });
  const category = (code: string) => ({ code, name: tree.byCode.get(code)?.name ?? code });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const people = await staffDisplayNamesByUsername(db, cityCode, rows.flatMap((w) => [w.acknowledged_by, w.closed_by].filter(Boolean)));
  const person = (username: string | null) => (username && people.get(username)) || username;
  return rows.map((w) => ({
    id: w.id, status: w.status,
    area: { ...area(w.area_code), path: (w.area_path as string[]).map(area) },
    category: { ...category(w.category_code), path: (w.category_path as string[]).map(category) },
    reports: w.reports, firstReportAt: w.first_report_at.toISOString(), crossedAt: w.crossed_at.toISOString(), crossingOrderId: w.crossing_order_id,
    raisedAt: w.raised_at.toISOString(), lastReportAt: w.last_report_at.toISOString(), expected: w.expected, probability: w.probability,
    acknowledgedAt: iso(w.acknowledged_at), acknowledgedBy: person(w.acknowledged_by), acknowledgedText: w.acknowledged_text, closedAt: iso(w.closed_at), closedBy: person(w.closed_by),
    outcome: w.outcome, outcomeText: w.outcome_text,
  }));
}

export interface WarningQuery {
  status?: readonly WarningStatus[] | undefined;
  /** crossed at or after */
  from?: string | undefined;
  /** crossed before */
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** Warnings, the latest first: of the statuses asked for (all when none is). */
export async function listWarnings(db: Queryable, actor: Actor, q: WarningQuery): Promise<{ items: WarningView[]; total: number }> {
  assertReader(actor);
  const params = [actor.cityCode, q.status ?? null, q.from ?? null, q.to ?? null];
  const where = `city_code = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))
    AND ($3::timestamptz IS NULL OR crossed_at >= $3) AND ($4::timestamptz IS NULL OR crossed_at < $4)`;
  const rows = await db.query(`SELECT ${WARNING_COLUMNS} FROM early_warnings WHERE ${where} ORDER BY crossed_at DESC, id LIMIT $5 OFFSET $6`,
    [...params, q.limit, q.offset]);
  const count = await db.query(`SELECT count(*)::int AS n FROM early_warnings WHERE ${where}`, params);
  return { items: await present(db, actor.cityCode, rows.rows), total: count.rows[0].n };
}


async function warningRow(db: Queryable, cityCode: string, id: string, lock = false): Promise<Record<string, any>> {
  const row = isUuid(id) ? (await db.query(prepared(
    `SELECT ${WARNING_COLUMNS} FROM early_warnings WHERE city_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [cityCode, id]))).rows[0] : undefined;
  if (!row) throw new DomainError('WARNING_NOT_FOUND', { id });
  return row;
}

export interface ReportOrder { orderId: string; at: string; trackingNo: string | null; title: string | null; state: string | null; channel: string | null }

/** One warning and its reports, first first, each with its order's tracking number, title, state and channel as the reader may see them. */
export async function getWarning(db: Queryable, actor: Actor, id: string): Promise<WarningView & { reportOrders: ReportOrder[] }> {
  assertReader(actor);
  const [view] = await present(db, actor.cityCode, [await warningRow(db, actor.cityCode, id)]);
  const reports = (await db.query(prepared(
    'SELECT order_id, at FROM early_warning_reports WHERE city_code = $1 AND warning_id = $2 ORDER BY at, order_id', [actor.cityCode, id]))).rows;
  const orders = await orderSummaries(db, actor, reports.map((r) => r.order_id));
  return { ...view!, reportOrders: reports.map((r) => {
    const order = orders.get(r.order_id);
    return { orderId: r.order_id, at: r.at.toISOString(), trackingNo: order?.trackingNo ?? null, title: order?.title ?? null,
      state: order?.state ?? null, channel: order?.channel ?? null };
  }) };
}

const STATUS_LABELS: Record<WarningStatus, { zh: string; en: string }> = {
  open: { zh: '待确认', en: 'open' }, acknowledged: { zh: '确认', en: 'acknowledged' }, closed: { zh: '关闭', en: 'closed' },
};
const notOpen = (status: WarningStatus) => new DomainError('WARNING_NOT_OPEN', { status: STATUS_LABELS[status] });

/** Who takes a warning in hand and closes it. */
export const WARNING_HANDLERS = ['supervisor', 'lead', 'leader', 'admin'] as const;

/** 确认: a person takes an open warning in hand. */
export async function acknowledgeWarning(pool: pg.Pool, actor: Actor, id: string, text: string | null): Promise<WarningView> {
  return act(pool, actor, id, (w) => {
    if (w.status !== 'open') throw notOpen(w.status);
    return { type: 'warning.acknowledged', status: 'acknowledged', payload: { text }, set: 'acknowledged_at = $3, acknowledged_by = $4, acknowledged_text = $5', values: [text] };
  });
}

/**
 * 关闭: a person closes a warning with its outcome (a real incident, or a false alarm). Its reports
 * leave the counting window: the same reports never raise a second warning. It waits for the
 * detector's batch in progress, which counts with the open warnings it read at its start.
 */
export async function closeWarning(pool: pg.Pool, actor: Actor, id: string, outcome: WarningOutcome, text: string | null): Promise<WarningView> {
  return act(pool, actor, id, (w) => {
    if (w.status === 'closed') throw notOpen(w.status);
    return { type: 'warning.closed', status: 'closed', payload: { outcome, text },
      set: `closed_at = $3, closed_by = $4, outcome = $5, outcome_text = $6`, values: [outcome, text],
      after: (tx) => tx.query(`DELETE FROM warning_recent r USING early_warning_reports w
        WHERE w.city_code = $1 AND w.warning_id = $2 AND r.city_code = $1 AND r.order_id = w.order_id`, [actor.cityCode, id]) };
  }, { waitForDetector: true });
}

interface Step {
  type: 'warning.acknowledged' | 'warning.closed';
  status: WarningStatus;
  payload: { text: string | null } | { outcome: WarningOutcome; text: string | null };
  set: string;
  values?: unknown[];
  /** more to do in the same transaction */
  after?: (tx: Queryable) => Promise<unknown>;
}

async function act(pool: pg.Pool, actor: Actor, id: string, step: (w: Record<string, any>) => Step,
  o: { waitForDetector?: boolean } = {}): Promise<WarningView> {
  if (actor.kind !== 'staff' || !hasRole(actor, ...WARNING_HANDLERS) || !seesWholeCity(actor)) throw new DomainError('AUTH_FORBIDDEN');
  return withTransaction(pool, async (tx) => {
    // before the warning's lock, which the detector's batch takes after the consumer's
    if (o.waitForDetector) await holdConsumer(tx, warningsConsumer.name);
    const before = await warningRow(tx, actor.cityCode, id, true);
    const s = step(before);
    const at = new Date();
    const after = (await tx.query(
      `UPDATE early_warnings SET status = '${s.status}', version = version + 1, ${s.set}
        WHERE city_code = $1 AND id = $2 RETURNING ${WARNING_COLUMNS}`, [actor.cityCode, id, at, actor.name, ...s.values ?? []])).rows[0];
    await appendEvents(tx, actor.cityCode, [{ type: s.type, stream: 'warning', streamId: id, seq: after.version, at, actor,
      fromState: before.status, toState: s.status, snapshot: snapshotOf(after), payload: s.payload as never }]);
    await s.after?.(tx);
    return (await present(tx, actor.cityCode, [after]))[0]!;
  });
}

/** Whether the actor may see a warning's event on the live stream: the rule of the reads above. */
export function maySeeWarningEvent(actor: Actor, e: StoredEvent): boolean {
  return e.stream === 'warning' && e.cityCode === actor.cityCode && actor.kind !== 'citizen' && seesWholeCity(actor);
}
