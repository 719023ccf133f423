// Writes a generated history into the database in batches, as the lifecycle would have left it: the
// orders, their assignments and scopes, their rounds with deadlines on the official calendar and the
// facts assessment counts, and their return visits. Each table's rows of a batch in one COPY, the
// fastest path on both engines.
//
// History orders carry no events: the event log starts where the history ends (the order's page
// shows no timeline for them), which keeps a year of history near a kilobyte an order. The rounds
// still open at the end get their deadline timers, so that they warn and turn overdue from there.
import type pg from 'pg';
import { checkForeignKeys, markRowsUnchecked, mayCheckForeignKeysAtEnd, skipRowChecks, withoutSecondaryIndexes, type IndexBuild } from '../../db/bulk-load.js';
import { copyLine, copyLines } from '../../db/copy.js';
import { MIGRATION_LOCK } from '../../db/migrate.js';
import { withTransaction } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { currentCalendar, warnBefore as warnBeforeDue, type WorkCalendar } from '../../modules/calendar/index.js';
import { searchTokens } from '../../modules/orders/index.js';
import { armActiveRounds, getSlaSettings, roundDeadlines, type RoundDeadlines, type SlaSettings } from '../../modules/sla/index.js';
import { callerName, callerPhone, HistoryModel, type HistoryOptions, type PlannedOrder, type PlannedRound } from './model.js';
import { Routing, type DatabaseWorld } from './world.js';

const BATCH = 2_000;
/** Batches written at once: one being written while the next is made, and one waiting. */
const IN_FLIGHT = 2;

export interface WriteProgress { written: number; total: number; seconds: number }

/** What was written, and the incidents' truth: each with its reports' order ids and tracking numbers, first first. */
export interface Incident { id: number; kind: number; areaCode: string; categoryCode: string; startsAt: string; orderIds: string[]; trackingNos: string[] }

export interface HistoryWritten {
  orders: number;
  /** the whole load: the rows written, the indexes built after them, the timers armed, and `beside` when given */
  seconds: number;
  /** the rows written */
  writtenSeconds: number;
  /** after a bulk load, from the rows written to the indexes built, the tables analysed and the keys checked (wall clock) */
  buildSeconds: number;
  /** of which each index's build and each key's check, summed */
  indexSeconds: number;
  /** each index built and key checked, slowest first */
  builds: IndexBuild[];
  incidents: Incident[];
  /** the deadline timers armed for the rounds still open at the end */
  timers: number;
}

/** The tables a history writes: after a big load, not row by row, their secondary indexes are built and their foreign keys checked. */
export const HISTORY_TABLES = ['orders', 'order_assignments', 'order_scopes', 'order_rounds', 'return_visits'];
/** A load this big, into a database holding no more orders than it adds, is written without the secondary indexes, and where it may without the keys' checks. */
const BULK_ORDERS = 100_000;

/**
 * What a load does besides writing: `bulkFrom`, the least orders a bulk load writes (tests set it
 * low); `beside`, work that reads the rows written (the rollups' count), run once they are written;
 * `sideBySide`, whether a big load runs it while its indexes are built (a server's two cores; never
 * on PGlite: `AfterLoad`).
 */
export interface WriteOptions { bulkFrom?: number; beside?: () => Promise<void>; sideBySide?: boolean }

/**
 * Generates the history and writes it; returns how many orders were written. A big load into a
 * database that holds fewer orders builds the tables' secondary indexes once at the end, and checks
 * its rows against their foreign keys once at the end where it may (`mayCheckForeignKeysAtEnd`): a
 * server using the database meanwhile finds its queries slow, never wrong (uniqueness is kept, and
 * the server's own rows are checked as always). `beside` has run when this returns.
 */
export async function writeHistory(pool: pg.Pool, cityCode: string, world: DatabaseWorld, options: HistoryOptions,
  progress: (p: WriteProgress) => void = () => undefined, { bulkFrom = BULK_ORDERS, beside, sideBySide = false }: WriteOptions = {}): Promise<HistoryWritten> {
  const started = Date.now();
  const bulk = options.orders >= bulkFrom && options.orders >= Number((await pool.query('SELECT count(*)::float8 AS n FROM orders')).rows[0].n);
  if (!bulk) {
    const { open, ...result } = await writeOrders(pool, cityCode, world, options, progress, started, false);
    const timers = await armOpenRounds(pool, cityCode, open);
    await beside?.();
    return { ...result, timers, seconds: (Date.now() - started) / 1000, writtenSeconds: result.seconds, buildSeconds: 0, indexSeconds: 0, builds: [] };
  }
  const checkAtEnd = await mayCheckForeignKeysAtEnd(pool, HISTORY_TABLES);
  // a load killed before its check leaves the mark: the next start checks what it wrote
  if (checkAtEnd) await markRowsUnchecked(pool, HISTORY_TABLES);
  // what reads the history next (the rollups' count, the keys' checks) is planned on its statistics, not on an empty table's
  const analyze = () => pool.query(`ANALYZE ${HISTORY_TABLES.join(', ')}`);
  let checked = false;
  let buildsFrom = 0;
  let builtAt = 0;
  const loaded = await withoutSecondaryIndexes(pool, MIGRATION_LOCK, HISTORY_TABLES, async () => {
    const result = await writeOrders(pool, cityCode, world, options, progress, started, checkAtEnd);
    await analyze();
    buildsFrom = Date.now();
    return result;
  }, {
    // analysed again with the indexes built (an expression's index has statistics of its own: the search's words);
    // the rows reference only what the generator read from the database: a broken key is its bug, said here
    afterBuilds: async () => {
      await analyze();
      checked = true;
      const checks = checkAtEnd ? await checkForeignKeys(pool, HISTORY_TABLES) : [];
      builtAt = Date.now();
      return checks;
    },
    beside: sideBySide ? beside : undefined,
  }).catch(async (error: unknown) => {
    // the batches written before a failure stay: what they break is said too, unless the checks ran (the load's error is the one thrown)
    if (checkAtEnd && !checked) await checkForeignKeys(pool, HISTORY_TABLES).catch((broken: Error) => console.error(`after the failed load, ${broken.message}`));
    throw error;
  });
  if (!sideBySide) await beside?.();
  const { open, ...result } = loaded.result;
  const timers = await armOpenRounds(pool, cityCode, open);
  return { ...result, timers, seconds: (Date.now() - started) / 1000, writtenSeconds: result.seconds, buildSeconds: (builtAt - buildsFrom) / 1000,
    indexSeconds: loaded.builds.reduce((sum, b) => sum + b.seconds, 0), builds: loaded.builds.sort((a, b) => b.seconds - a.seconds) };
}

async function writeOrders(pool: pg.Pool, cityCode: string, world: DatabaseWorld, options: HistoryOptions,
  progress: (p: WriteProgress) => void, started: number, checkAtEnd: boolean): Promise<Omit<HistoryWritten, 'writtenSeconds' | 'buildSeconds' | 'indexSeconds' | 'builds' | 'timers'> & { open: string[] }> {
  const model = new HistoryModel(world, options);
  const routing = await Routing.open(pool, cityCode);
  const calendar = await currentCalendar(pool);
  const settings = await getSlaSettings(pool, cityCode);
  // the tracking numbers are taken from the live sequence, so that orders registered after go on from them
  const first = Number((await pool.query(`SELECT nextval('order_tracking_seq') AS n`)).rows[0].n);
  await pool.query(`SELECT setval('order_tracking_seq', $1)`, [first + options.orders]);
  const context: Context = { cityCode, world, routing, calendar, settings, firstNumber: first, end: options.end, reports: new Map(), open: [] };
  let batch: PlannedOrder[] = [];
  let written = 0;
  // the next batch is made while the database writes the last one (each batch in a transaction of its own)
  const inFlight = new Set<Promise<void>>();
  const send = async (orders: PlannedOrder[]) => {
    const rows = await batchRows(context, orders);
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const writing = withTransaction(pool, async (client) => {
      if (checkAtEnd) await skipRowChecks(client);
      await insertBatch(client, rows);
    }).then(() => {
      inFlight.delete(writing);
      written += orders.length;
      progress({ written, total: options.orders, seconds: (Date.now() - started) / 1000 });
    });
    // a failure surfaces at the next wait for a batch (or at the end), not as an unhandled rejection meanwhile
    writing.catch(() => undefined);
    inFlight.add(writing);
  };
  for (const order of model.orders()) {
    batch.push(order);
    if (batch.length === BATCH) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length) await send(batch);
  await Promise.all(inFlight);
  const incidents = model.incidents.map((x) => ({ id: x.id, kind: x.kind, areaCode: world.communities[x.community]!.code,
    categoryCode: world.categories[x.category]!.code, startsAt: x.startsAt.toISOString(), orderIds: context.reports.get(x.id)?.orderIds ?? [], trackingNos: context.reports.get(x.id)?.trackingNos ?? [] }));
  return { orders: written, seconds: (Date.now() - started) / 1000, incidents, open: context.open };
}

/** Orders whose rounds' timers are armed in one transaction. */
const ARM_BATCH = 5_000;

/**
 * The open rounds' deadline timers, armed once the rows are written (the rounds' ids are the
 * database's): each deadline neither met nor overdue by the end warns and turns overdue on time, as
 * the lifecycle's do. A deadline crossed before the end is marked in the row (roundRow).
 */
async function armOpenRounds(pool: pg.Pool, cityCode: string, orderIds: string[]): Promise<number> {
  let timers = 0;
  for (let i = 0; i < orderIds.length; i += ARM_BATCH) {
    timers += await withTransaction(pool, (tx) => armActiveRounds(tx, cityCode, orderIds.slice(i, i + ARM_BATCH)));
  }
  return timers;
}

interface Context {
  cityCode: string;
  world: DatabaseWorld;
  routing: Routing;
  calendar: WorkCalendar;
  settings: SlaSettings;
  firstNumber: number;
  /** the end of the history: an open round is measured against it */
  end: Date;
  /** incident → its reports */
  reports: Map<number, { orderIds: string[]; trackingNos: string[] }>;
  /** the orders whose last round is still open at the end */
  open: string[];
}

/** Rows of one table in COPY's text format, each led by the city's code (made as they come: no row kept as an array). */
class Rows<K extends string> {
  readonly lines: string[] = [];
  constructor(readonly names: readonly K[], private readonly cityCode: string) {}
  push(row: Record<K, unknown>): void {
    this.lines.push(copyLine([this.cityCode, ...this.names.map((n) => row[n])]));
  }
}

const ORDER_COLUMNS = ['id', 'tracking_no', 'channel', 'request_type', 'category_id', 'title', 'body', 'citizen_name', 'citizen_phone',
  'confidential', 'area_code', 'urgency', 'state', 'lead_unit_id', 'reopen_count', 'search_text', 'created_at', 'updated_at', 'closed_at', 'generated'] as const;
const ASSIGNMENT_COLUMNS = ['order_id', 'unit_id', 'role', 'status', 'assigned_at', 'ended_at'] as const;
const SCOPE_COLUMNS = ['unit_id', 'order_id', 'order_created_at'] as const;
const ROUND_COLUMNS = ['order_id', 'unit_id', 'round', 'cause', 'urgency', 'basis', 'started_at', 'sign_due_at', 'sign_warn_at', 'reply_due_at',
  'reply_warn_at', 'close_due_at', 'close_warn_at', 'calendar_complete', 'status', 'ended_at', 'end_reason', 'signed_at', 'signed_on_time',
  'replied_at', 'replied_on_time', 'closed_at', 'closed_on_time', 'sign_overdue_at', 'reply_overdue_at', 'close_overdue_at', 'sign_warned_at', 'reply_warned_at', 'close_warned_at', 'extension_days',
  'extensions_requested', 'returned_at', 'return_outcome', 'visit_reached', 'visit_solved', 'visit_satisfaction', 'visited_at', 'reopened_at'] as const;
const VISIT_COLUMNS = ['order_id', 'reason', 'status', 'attempts', 'next_attempt_at', 'reached', 'solved', 'satisfaction', 'visited_at', 'created_at',
  'tracking_no', 'title', 'lead_unit_id'] as const;

/** A table's rows by COPY. */
async function insertRows<K extends string>(client: pg.PoolClient, table: string, rows: Rows<K>): Promise<void> {
  await copyLines(client, table, ['city_code', ...rows.names], rows.lines);
}

/** A batch's rows, table by table. */
async function batchRows(c: Context, batch: PlannedOrder[]) {
  const orders = new Rows(ORDER_COLUMNS, c.cityCode);
  const assignments = new Rows(ASSIGNMENT_COLUMNS, c.cityCode);
  const scopes = new Rows(SCOPE_COLUMNS, c.cityCode);
  const rounds = new Rows(ROUND_COLUMNS, c.cityCode);
  const visits = new Rows(VISIT_COLUMNS, c.cityCode);
  for (const o of batch) {
    const category = c.world.categories[o.category]!;
    const street = c.world.communities[o.community]!.streetCode;
    const route = o.rounds.length ? await c.routing.units(c.world.unitKinds[o.category] ?? null, street) : null;
    const units = o.rounds.map((r) => route![r.unitChoice]);
    const trackingNo = `${beijingDate(o.createdAt).replace(/-/g, '')}-${String(c.firstNumber + o.seq - 1).padStart(8, '0')}`;
    const lead = units.at(-1) ?? null;
    if (o.incident >= 0) {
      const reports = c.reports.get(o.incident) ?? c.reports.set(o.incident, { orderIds: [], trackingNos: [] }).get(o.incident)!;
      reports.orderIds.push(o.id);
      reports.trackingNos.push(trackingNo);
    }
    const lastChange = o.closedAt ?? lastStep(o) ?? o.createdAt;
    orders.push({ id: o.id, tracking_no: trackingNo, channel: o.channel, request_type: o.requestType, category_id: c.world.categoryIds[o.category],
      title: o.title, body: o.body, citizen_name: callerName(o.caller),
      citizen_phone: callerPhone(o.caller), confidential: o.confidential, area_code: c.world.communities[o.community]!.code, urgency: o.urgency,
      state: o.state, lead_unit_id: lead, reopen_count: o.rounds.filter((r) => r.cause === 'reopen').length,
      search_text: searchTokens(`${o.title} ${o.body}`).join(' '), created_at: o.createdAt, updated_at: lastChange, closed_at: o.closedAt,
      generated: true });
    const scoped = new Set<string>();
    o.rounds.forEach((r, i) => {
      const unit = units[i]!;
      // as the lifecycle leaves them: a return ends the assignment (a rejected one gives the unit a new
      // one), a reply ends it as done, and only work still in hand is active
      if (r.returnedAt) assignments.push({ order_id: o.id, unit_id: unit, role: 'lead', assigned_at: r.startedAt, ended_at: r.returnedAt, status: 'returned' });
      if (!r.returnedAt || r.returnOutcome === 'rejected') {
        const from = r.returnOutcome === 'rejected' ? r.returnDecidedAt! : r.startedAt;
        const ended = r.repliedAt ?? r.endedAt;
        assignments.push({ order_id: o.id, unit_id: unit, role: 'lead', assigned_at: from, ended_at: ended, status: ended ? 'done' : 'active' });
      }
      for (const above of c.routing.lineage(unit)) {
        if (!scoped.has(above)) scopes.push({ unit_id: above, order_id: o.id, order_created_at: o.createdAt });
        scoped.add(above);
      }
      rounds.push(roundRow(c, o, r, unit, category.timeLimitDays));
      if (!r.endedAt) c.open.push(o.id);
      if (r.repliedAt) visits.push(visitRow(o, r, trackingNo, unit));
    });
  }
  return { orders, assignments, scopes, rounds, visits };
}

async function insertBatch(db: pg.PoolClient, rows: Awaited<ReturnType<typeof batchRows>>): Promise<void> {
  // a generated history (a database of its own, or a demo's) is made again rather than recovered if
  // its load fails: it need not wait for each commit to reach the disk
  await db.query('SET LOCAL synchronous_commit = off');
  await insertRows(db, 'orders', rows.orders);
  await insertRows(db, 'order_assignments', rows.assignments);
  await insertRows(db, 'order_scopes', rows.scopes);
  await insertRows(db, 'order_rounds', rows.rounds);
  await insertRows(db, 'return_visits', rows.visits);
}

function lastStep(o: PlannedOrder): Date | null {
  const r = o.rounds.at(-1);
  return r ? r.endedAt ?? r.visitedAt ?? r.repliedAt ?? r.returnedAt ?? r.signedAt ?? r.startedAt : null;
}

const onTime = (at: Date | null, due: Date) => (at ? at.getTime() <= due.getTime() : null);
/** The moment a deadline was crossed: when it passed before the step was taken (or the step is not taken by the end). */
const overdueAt = (at: Date | null, due: Date, end: Date) => ((at ?? end).getTime() > due.getTime() ? due : null);
/** The moment a deadline's warning was given: its time, passed before the step (or the end), when it comes before the deadline. */
const warnedAt = (at: Date | null, warn: Date, due: Date, end: Date) => (warn.getTime() < due.getTime() && (at ?? end).getTime() > warn.getTime() ? warn : null);

/** A round with its deadlines from its start, and the facts the lifecycle would have recorded. */
function roundRow(c: Context, o: PlannedOrder, r: PlannedRound, unitId: string, categoryDays: number | null): Record<(typeof ROUND_COLUMNS)[number], unknown> {
  const d = extended(c, o.urgency, roundDeadlines(c.calendar, c.settings, o.urgency, categoryDays, r.startedAt), r.extensionDays);
  const closedAt = r.endReason === 'closed' ? r.endedAt : null;
  // an open round is measured against the end of the history; an ended one stops at its end
  const end = r.endedAt ?? c.end;
  const returned = r.endReason === 'returned';
  // the deadlines named one by one: spread into this literal (`...d`), they made the generator's whole
  // process take 100 µs an order instead of 57 (measured without the database)
  return { basis: d.basis, started_at: d.started_at, sign_due_at: d.sign_due_at, sign_warn_at: d.sign_warn_at, reply_due_at: d.reply_due_at,
    reply_warn_at: d.reply_warn_at, close_due_at: d.close_due_at, close_warn_at: d.close_warn_at, calendar_complete: d.calendar_complete,
    order_id: o.id, unit_id: unitId, round: r.round, cause: r.cause, urgency: o.urgency,
    status: r.endedAt ? 'ended' : 'active', ended_at: r.endedAt, end_reason: r.endReason, signed_at: r.signedAt, signed_on_time: onTime(r.signedAt, d.sign_due_at),
    replied_at: r.repliedAt, replied_on_time: onTime(r.repliedAt, d.reply_due_at), closed_at: closedAt, closed_on_time: onTime(closedAt, d.close_due_at),
    sign_overdue_at: overdueAt(r.signedAt, d.sign_due_at, end), reply_overdue_at: returned ? null : overdueAt(r.repliedAt, d.reply_due_at, end),
    close_overdue_at: returned || r.endReason === 'reopened' ? null : overdueAt(closedAt, d.close_due_at, end),
    // the sweep warns while the round is active, up to its return or reopening (the end); an extension's later warning as if granted from the start
    sign_warned_at: warnedAt(r.signedAt, d.sign_warn_at, d.sign_due_at, end),
    reply_warned_at: warnedAt(r.repliedAt, d.reply_warn_at, d.reply_due_at, end),
    close_warned_at: warnedAt(closedAt, d.close_warn_at, d.close_due_at, end),
    extension_days: r.extensionDays, extensions_requested: r.extensionDays ? 1 : 0, returned_at: r.returnedAt, return_outcome: r.returnOutcome,
    visit_reached: r.visit?.reached ?? null, visit_solved: r.visit?.solved ?? null, visit_satisfaction: r.visit?.satisfaction ?? null,
    visited_at: r.visitedAt, reopened_at: r.reopenedAt };
}

/** An extension granted: the reply and close deadlines move by the days, their warnings with them (as approveExtension does). */
function extended(c: Context, urgency: string, d: RoundDeadlines, days: number): RoundDeadlines {
  if (!days) return d;
  const warnBefore = c.settings.deadlines[urgency as 'normal' | 'urgent'].warnBefore;
  const reply = c.calendar.addWorkingDays(d.reply_due_at, days).at;
  const close = c.calendar.addWorkingDays(d.close_due_at, days).at;
  return { ...d, reply_due_at: reply, reply_warn_at: warnBeforeDue(c.calendar, d.started_at, reply, d.basis, warnBefore),
    close_due_at: close, close_warn_at: warnBeforeDue(c.calendar, d.started_at, close, d.basis, warnBefore) };
}

/** The return visit after a reply: pending, done, unreachable, or decided (reopened, closed). */
function visitRow(o: PlannedOrder, r: PlannedRound, trackingNo: string, unitId: string): Record<(typeof VISIT_COLUMNS)[number], unknown> {
  const v = r.visit;
  // feedback's statuses: a happy answer is done; an unhappy one waits for the supervisor (to_confirm) until
  // reopened or closed; an unreachable citizen's visit ends unreachable
  const happy = v?.reached && v.solved && v.satisfaction !== 'unsatisfied';
  const status = !v ? 'pending' : r.reopenedAt ? 'reopened' : !v.reached ? (o.state === 'closed' ? 'unreachable' : 'pending') : happy ? 'done'
    : o.state === 'closed' ? 'closed' : 'to_confirm';
  return { order_id: o.id, reason: 'reply', status, attempts: !v ? 0 : v.reached ? 1 : 3, next_attempt_at: r.visitedAt ?? r.repliedAt, reached: v?.reached ?? null,
    solved: v?.solved ?? null, satisfaction: v?.satisfaction ?? null, visited_at: r.visitedAt, created_at: r.repliedAt, tracking_no: trackingNo,
    title: o.title, lead_unit_id: unitId };
}
