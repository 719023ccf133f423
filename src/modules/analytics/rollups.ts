// Rollups: each day's counts by one dimension at a time, kept current by a durable consumer of the
// order events and recomputable from the orders (rebuild). Both go through the same SQL: an order's
// facts come from the modules that own them (orders, rounds, categories), and each fact row adds
// to one rollup row per dimension. The consumer adds an order's new facts and takes out the ones
// it had counted before, so a change is counted once, whatever the order or repetition of events.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { withTransaction } from '../../db/tx.js';
import { memo, type Memo } from '../../shared/memo.js';
import { EVENT_TYPE_NAMES, headCursor, skipTo, type Consumer, type StoredEvent } from '../events/index.js';
import { orderFactsSql, orderPlacesSql } from '../orders/index.js';
import { ADVISORY_LOCKS, holdSessionLock } from '../../db/locks.js';
import { withIndexesBuiltAfter } from '../../db/bulk-load.js';
import { addDays, beijingMidnight } from '../../shared/beijing.js';
import { roundFactsSql } from '../sla/index.js';
import { categoryCodesSql } from '../taxonomy/index.js';
import { signalFactsSql } from '../classify/index.js';

/** The fact columns, named wherever rows are read or written (never by their position in the table). */
const FACT_COLUMNS = ['city_code', 'order_id', 'day', 'category_code', 'area_code', 'lead_unit_id', 'channel', 'request_type', 'state',
  'closed', 'direct', 'handling_seconds', 'overdue', 'reopened', 'extended', 'visited', 'satisfaction', 'caller', 'caller_group',
  'angry', 'repeated', 'danger', 'hour'] as const;

/**
 * Callers by how often they have contacted the hotline over the whole history (Jinan's groups):
 * each group is named by its range and holds callers with up to `upTo` contacts.
 */
export const CALLER_GROUPS = [{ name: '1', upTo: 1 }, { name: '2-5', upTo: 5 }, { name: '6-20', upTo: 20 }, { name: '21+', upTo: Infinity }] as const;
export type CallerGroup = (typeof CALLER_GROUPS)[number]['name'];
export const callerGroupOf = (contacts: number): CallerGroup => CALLER_GROUPS.find((g) => contacts <= g.upTo)!.name;
const callerGroupSql = (contacts: string) =>
  `CASE ${CALLER_GROUPS.filter((g) => g.upTo !== Infinity).map((g) => `WHEN ${contacts} <= ${g.upTo} THEN '${g.name}'`).join(' ')} ELSE '${CALLER_GROUPS.at(-1)!.name}' END`;

/**
 * The dimensions a rollup row is counted by, one at a time: codes nest by prefix (categories 2 digits
 * a level, areas 6/9/12). The callers' ones are a group, or a group and a value (`2-5|01`).
 */
export const DIMENSIONS = ['all', 'category1', 'category2', 'category3', 'district', 'street', 'unit', 'channel', 'type', 'state',
  'callers', 'callers_category1', 'callers_channel', 'callers_type', 'hour'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
/**
 * Counted in the city's rollups only: the hour of registration (00–23, Beijing) is the day's rhythm of
 * the whole hotline (the leadership screen's today against a year ago, the call centre's staffing); by
 * unit it would add a third to the units' table for little use.
 */
export const CITY_ONLY_DIMENSIONS: readonly Dimension[] = ['hour'];

const prefix = (column: string, n: number) => `CASE WHEN length(f.${column}) >= ${n} THEN left(f.${column}, ${n}) END`;
/** Each dimension's member for a fact `f` (null: the fact counts in none of its rows); `all` has the one member ''. */
const MEMBERS: Record<Exclude<Dimension, 'all'>, string> = {
  category1: prefix('category_code', 2), category2: prefix('category_code', 4), category3: prefix('category_code', 6),
  district: prefix('area_code', 6), street: prefix('area_code', 9), unit: 'f.lead_unit_id::text', channel: 'f.channel', type: 'f.request_type',
  state: 'f.state', callers: 'f.caller_group', callers_category1: `f.caller_group || '|' || left(f.category_code, 2)`,
  callers_channel: `f.caller_group || '|' || f.channel`, callers_type: `f.caller_group || '|' || f.request_type`, hour: `lpad(f.hour::text, 2, '0')`,
};

/** Each measure of a rollup row, as the sum over its facts, each fact weighed by `sign` (+1 counted, −1 taken out). */
const MEASURES = {
  orders: 'f.sign',
  closed: 'f.sign * f.closed::int',
  direct: 'f.sign * f.direct::int',
  handling_seconds: 'f.sign * coalesce(f.handling_seconds, 0)',
  overdue: 'f.sign * f.overdue::int',
  reopened: 'f.sign * f.reopened::int',
  extended: 'f.sign * f.extended::int',
  visited: 'f.sign * f.visited::int',
  satisfied: `f.sign * (f.satisfaction IS NOT DISTINCT FROM 'satisfied')::int`,
  basically_satisfied: `f.sign * (f.satisfaction IS NOT DISTINCT FROM 'basically_satisfied')::int`,
  unsatisfied: `f.sign * (f.satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int`,
  // the classifier's signals in the order's text (public opinion, 舆情): anger, a matter raised again and again, danger
  angry: 'f.sign * f.angry::int',
  repeated: 'f.sign * f.repeated::int',
  danger: 'f.sign * f.danger::int',
} as const satisfies Record<string, string>;
const MEASURE_NAMES = Object.keys(MEASURES) as (keyof typeof MEASURES)[];
const signedSums = MEASURE_NAMES.map((m) => `sum(${MEASURES[m]})${m === 'handling_seconds' ? '' : '::int'} AS ${m}`);

/** The facts of the orders `orderWhere` picks ($1 is the city), from their owners' SQL; the caller's group from their contacts as counted. */
function factsSql(orderWhere: string, roundWhere: string, signalWhere: string): string {
  return `SELECT o.city_code, o.order_id, o.day, c.code AS category_code, o.area_code, o.lead_unit_id, o.channel, o.request_type, o.state,
                 o.closed, o.direct, o.handling_seconds, coalesce(r.overdue, false) AS overdue, coalesce(r.reopened, false) AS reopened,
                 coalesce(r.extended, false) AS extended, coalesce(r.visited, false) AS visited, r.satisfaction,
                 o.caller, CASE WHEN k.contacts > 0 THEN ${callerGroupSql('k.contacts')} END AS caller_group,
                 coalesce(g.angry, false) AS angry, coalesce(g.repeated, false) AS repeated, coalesce(g.danger, false) AS danger, o.hour
            FROM (${orderFactsSql(orderWhere)}) o
            LEFT JOIN (${categoryCodesSql()}) c ON c.id = o.category_id
            LEFT JOIN (${roundFactsSql(roundWhere)}) r ON r.city_code = o.city_code AND r.order_id = o.order_id
            LEFT JOIN (${signalFactsSql(signalWhere)}) g ON g.city_code = o.city_code AND g.order_id = o.order_id
            LEFT JOIN analytics_callers k ON k.city_code = o.city_code AND k.caller = o.caller`;
}

/**
 * The rollup tables: the city's by day, and each lead unit's (what a unit reads of its own orders,
 * summed over its subtree) by day and by month. An order without a lead unit (answered directly,
 * not yet dispatched) counts in the city's only. The months are the days summed: a rebuild counts
 * them from the units' days; the consumer adds the same changes to both.
 */
const TABLES = {
  city: { name: 'analytics_daily', keys: ['city_code', 'dim', 'member', 'day'], unit: '' },
  unit: { name: 'analytics_unit_daily', keys: ['city_code', 'unit_id', 'dim', 'member', 'day'], unit: 'f.lead_unit_id AS unit_id, ' },
  unitMonth: { name: 'analytics_unit_monthly', keys: ['city_code', 'unit_id', 'dim', 'member', 'month'] },
} as const;
type Table = (typeof TABLES)[keyof typeof TABLES];
/** The tables counted from the facts, by day (the units' months are their days summed). */
const DAILY_TABLES = [TABLES.city, TABLES.unit] as const;
const columnsOf = (t: Table) => [...t.keys, ...MEASURE_NAMES].join(', ');

/**
 * Rows of `table` from signed facts `f` (a relation with `sign` and the fact columns): one pass
 * grouping by every dimension at once (grouping sets), each group then named by the dimension it
 * was grouped by. A million facts in 6.5 s where expanding each fact into a row per dimension and
 * grouping those took 14 s (given the memory to hash in: see `rebuildAtOnce`).
 */
function rollupSql(table: (typeof DAILY_TABLES)[number], signedFacts: string): string {
  const byUnit = table === TABLES.unit;
  const dims = (Object.keys(MEMBERS) as (keyof typeof MEMBERS)[]).filter((d) => !byUnit || !CITY_ONLY_DIMENSIONS.includes(d));
  // named apart from the fact columns (a fact's state, channel, hour)
  const members = dims.map((d) => `${MEMBERS[d]} AS member_${d}`);
  const columns = dims.map((d) => `f.member_${d}`);
  // GROUPING() sets a bit for each column left out of a row's set, the first column the highest
  const grouped = `GROUPING(${columns.join(', ')})`;
  const leftOut = (i: number) => (2 ** dims.length - 1) & ~(2 ** (dims.length - 1 - i));
  const name = (of: (d: string, i: number) => string, all: string) =>
    `CASE ${grouped} ${dims.map((d, i) => `WHEN ${leftOut(i)} THEN ${of(d, i)}`).join(' ')} ELSE ${all} END`;
  return `SELECT * FROM (
      SELECT f.city_code, ${table.unit}${name((d) => `'${d}'`, `'all'`)} AS dim, ${name((_, i) => columns[i]!, `''`)} AS member, f.day,
             ${signedSums.join(', ')}
        FROM (SELECT f.*, ${members.join(', ')} FROM (${signedFacts}) f) f
       ${byUnit ? 'WHERE f.lead_unit_id IS NOT NULL' : ''}
       GROUP BY f.city_code, ${byUnit ? 'f.lead_unit_id, ' : ''}f.day, GROUPING SETS ((), ${columns.map((c) => `(${c})`).join(', ')})) g
    WHERE g.member IS NOT NULL`;
}

/** Orders a piece of a rebuild aims at: a transaction of a few seconds, which the consumers wait for. */
const PIECE_ORDERS = 10_000;
const CALLER_PIECE_CONTACTS = 100_000;

export interface RebuildOptions {
  /**
   * In one transaction, as fast as it goes, for a database nothing reads yet (the generator's load):
   * every reader of the log on the server waits for it (a million orders at 30 million's density:
   * 48 s; 168 s in pieces, whose longest transaction was 1.9 s, before the rows were grouped in one pass).
   */
  atOnce?: boolean;
  /** orders per piece (days are never split: a day holding more is one piece) */
  pieceOrders?: number;
  /** callers' facts per transaction when the callers are counted */
  callerPieceContacts?: number;
  /** at once: the facts a run (of every n-th day) counts, its rollup rows hashed in memory; `FACTS_PER_RUN` when absent */
  factsPerRun?: number;
  /** called between pieces, outside any transaction (progress; tests change orders here) */
  between?: (step: { phase: 'facts' | 'callers' | 'rollups'; piece: number; pieces: number; orders: number }) => Promise<void> | void;
}

export interface Rebuilt {
  /** `rows`: the daily rows written (the units' months are those summed) */
  orders: number; rows: number; pieces: number; seconds: number;
  /** at once: the runs (each of every n-th day) the rollup rows were counted in; in pieces, one a piece */
  runs: number;
  /** the longest transaction of the rebuild: the longest the consumers waited */
  longestSeconds: number;
  /** the consumer was behind, and now starts from the rebuild's start: it had only this city's events to read before it */
  caughtUp: boolean;
}

/**
 * Recounts the city's rollups from its orders, piece by piece: runs of days of about
 * `pieceOrders` orders, each in a transaction of its own. A write transaction holds back every
 * reader of the log on the server while it runs (docs/events.md): in one transaction, the rebuild of
 * a million orders kept the notices, webhooks, warnings and the live stream waiting 159 s. The
 * consumer goes on between pieces, and the result is the same: an order's facts are what its
 * refresh writes, so the consumer's and the rebuild's facts agree whoever wrote last.
 *
 * 1. facts: each piece rewrites its orders' facts (caller groups as last counted);
 * 2. callers: counted from the facts, in runs of callers (each a transaction; the groups with the last);
 * 3. rollups: each piece sets its facts' caller groups from those counts, and replaces its days' rows
 *    (and the units' months that end in its days, counted again from their days).
 *
 * Then the consumer, when it is behind (a history loaded with its events, a server long stopped, a
 * hotline upgraded to this module), starts from the rebuild's start: what was committed before it
 * is counted, and reading it again would take far longer than the rebuild (a million orders' events
 * about twelve minutes on PGlite, each order's rows written one by one).
 */
export async function rebuildRollups(pool: pg.Pool, cityCode: string, options: RebuildOptions = {}): Promise<Rebuilt> {
  const started = Date.now();
  // one rebuild at a time on a database: two would each count the other's half-written pieces
  const release = await holdSessionLock(pool, ADVISORY_LOCKS.rollupsRebuild);
  try {
    // every event before it is committed, so its order is read as it is after that event
    const start = await headCursor(pool);
    if (options.atOnce) {
      const once = await withTransaction(pool, async (tx) => {
        const counted = await rebuildAtOnce(tx, cityCode, options.factsPerRun ?? FACTS_PER_RUN);
        await recordRebuild(tx, cityCode, 'started'); // and finished, with the transaction
        await recordRebuild(tx, cityCode, 'finished');
        return counted;
      });
      const caughtUp = await skipTo(pool, rollupsConsumer, start, cityCode);
      const seconds = (Date.now() - started) / 1000;
      return { ...once, pieces: 1, seconds, longestSeconds: seconds, caughtUp };
    }
    rebuilding.add(cityCode);
    await recordRebuild(pool, cityCode, 'started');
    const pieces = await piecesOf(pool, cityCode, options.pieceOrders ?? PIECE_ORDERS);
    let longest = 0;
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      const result = await work();
      longest = Math.max(longest, (Date.now() - t0) / 1000);
      return result;
    };
    let orders = 0;
    for (const [i, piece] of pieces.entries()) {
      orders += await timed(() => inPiece(pool, cityCode, piece, (tx, ids) => rewriteFacts(tx, cityCode, piece, ids)));
      await options.between?.({ phase: 'facts', piece: i + 1, pieces: pieces.length, orders });
    }
    const ranges = await callerRanges(pool, cityCode, options.callerPieceContacts ?? CALLER_PIECE_CONTACTS);
    for (const [i, range] of ranges.entries()) {
      await timed(() => withTransaction(pool, async (tx) => {
        await tx.query('LOCK TABLE analytics_order_facts IN EXCLUSIVE MODE');
        await recountCallers(tx, cityCode, range);
        // the groups' counts from every caller's, once the last run is counted
        if (i === ranges.length - 1) await recountCallerGroups(tx, cityCode);
      }));
      await options.between?.({ phase: 'callers', piece: i + 1, pieces: ranges.length, orders });
    }
    let rows = 0;
    for (const [i, piece] of pieces.entries()) {
      await timed(() => inPiece(pool, cityCode, piece, async (tx, ids) => { rows += await rewriteRollups(tx, cityCode, piece, ids); }));
      await options.between?.({ phase: 'rollups', piece: i + 1, pieces: pieces.length, orders });
    }
    await recordRebuild(pool, cityCode, 'finished');
    const caughtUp = await skipTo(pool, rollupsConsumer, start, cityCode);
    return { orders, rows, pieces: pieces.length, runs: pieces.length, seconds: (Date.now() - started) / 1000, longestSeconds: longest, caughtUp };
  } finally {
    rebuilding.delete(cityCode);
    rebuilt += 1; // the units that lead orders are read afresh
    await release();
  }
}

/** Cities whose rollups this process is rebuilding in pieces now. */
const rebuilding = new Set<string>();

async function recordRebuild(db: Queryable, cityCode: string, step: 'started' | 'finished'): Promise<void> {
  await db.query(`INSERT INTO analytics_rebuilds (city_code, started_at, finished_at) VALUES ($1, now(), ${step === 'finished' ? 'now()' : 'NULL'})
    ON CONFLICT (city_code) DO UPDATE SET ${step === 'finished' ? 'finished_at = now()' : 'started_at = now(), finished_at = NULL'}`, [cityCode]);
}

/**
 * Whether the rollups are whole: `rebuilding` while a rebuild in pieces runs (here, or in a process
 * holding the rebuild's lock), `interrupted` when the last one started and never finished (its
 * figures are partly the old ones, partly the new: run `rebuild-rollups` again); `since` its start.
 */
export async function rollupsState(db: Queryable, cityCode: string): Promise<{ state: 'current' | 'rebuilding' | 'interrupted'; since: Date | null }> {
  // the lock is the database's, not the city's: a city's unfinished rebuild reads as running while any city's runs
  const result = await db.query<{ started_at: Date; finished_at: Date | null; locked: boolean }>(`SELECT started_at, finished_at,
      finished_at IS NULL AND EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $2 AND objsubid = 1
        AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locked
    FROM analytics_rebuilds WHERE city_code = $1`, [cityCode, ADVISORY_LOCKS.rollupsRebuild]);
  const row = result.rows[0];
  if (!row || row.finished_at) return { state: 'current', since: null };
  return { state: rebuilding.has(cityCode) || row.locked ? 'rebuilding' : 'interrupted', since: row.started_at };
}

/**
 * Facts a run of the rebuild at once counts: at the 10 M bench's density (8,200 orders a day), a
 * million facts' unit rows hash in 370 MB, within the memory below; more spill to disk.
 */
const FACTS_PER_RUN = 1_000_000;

/** The whole rebuild in one transaction: the callers counted from the orders first, so that each fact is written once with its group. */
async function rebuildAtOnce(tx: Queryable, cityCode: string, factsPerRun: number): Promise<{ orders: number; rows: number; runs: number }> {
  // only this module reads the facts and the callers, and its consumer waits for a rebuild anyway
  await tx.query('LOCK TABLE analytics_order_facts, analytics_callers IN ACCESS EXCLUSIVE MODE');
  for (const table of ['analytics_daily', 'analytics_unit_daily', 'analytics_unit_monthly', 'analytics_order_facts', 'analytics_callers',
    'analytics_caller_groups']) {
    await tx.query(`DELETE FROM ${table} WHERE city_code = $1`, [cityCode]);
  }
  // a table left with no other city's rows is filled bare and indexed after (their keys are in random order)
  const fill = async <T>(table: string, insert: () => Promise<T>): Promise<T> =>
    (await tx.query(`SELECT 1 FROM ${table} LIMIT 1`)).rowCount ? insert() : withIndexesBuiltAfter(tx, table, insert);
  await fill('analytics_callers', () => tx.query(`INSERT INTO analytics_callers (city_code, caller, contacts)
    SELECT city_code, caller, count(*) FROM (${orderFactsSql('o.city_code = $1')}) o WHERE caller IS NOT NULL GROUP BY city_code, caller`, [cityCode]));
  const facts = await fill('analytics_order_facts', () => tx.query(`INSERT INTO analytics_order_facts (${FACT_COLUMNS.join(', ')})
    ${factsSql('o.city_code = $1', 'r.city_code = $1', 's.city_code = $1')}`, [cityCode]));
  await countCallerGroups(tx, cityCode);
  // memory to hash a run's groups in, for the rest of this transaction (PostgreSQL's 4 MB sorted
  // them on disk); a hash may take twice this (hash_mem_multiplier), and beyond that spills to disk
  await tx.query(`SET LOCAL work_mem = '256MB'`);
  // Counted in runs, each of every `runs`-th day, so that a run's rows hash in memory (at once the
  // server sorted most sets and spilled them to disk; PGlite spilled its hashes, 19 GB at ten million).
  // Timed on three million orders' facts (PostgreSQL, EXPLAIN ANALYZE): 88 s at once, 55 s in three
  // runs, 63 s in six (each run reads every fact). A day is counted whole in one run, so the runs'
  // rows never meet; never a multiple of seven runs, which would each be one weekday (Mondays the
  // busiest, about a fifth above the mean).
  const orders = facts.rowCount ?? 0;
  const needed = Math.max(1, Math.ceil(orders / factsPerRun));
  const runs = needed % 7 === 0 ? needed + 1 : needed;
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    // the day's Julian number (PostgreSQL's first date is day 0): never negative
    rows += await insertRollups(tx, `x.city_code = $1 AND (x.day - DATE '4714-11-24 BC') % $2::int = $3::int`, [cityCode, runs, run]);
  }
  // the units' months from their days
  await fill('analytics_unit_monthly', () => recountMonths(tx, cityCode, OPEN, 'whole'));
  return { orders, rows, runs };
}

/** A run of Beijing days, as registration times: [from, to); the first and the last open-ended. */
interface Piece { from: string; to: string; fromDay: string; toDay: string }
const OPEN = { from: '-infinity', to: 'infinity', fromDay: '-infinity', toDay: 'infinity' };

/** Runs of days holding about `target` orders each, from the orders of each day (an index-only scan of the registration times). */
async function piecesOf(db: Queryable, cityCode: string, target: number): Promise<Piece[]> {
  const days = await db.query<{ day: string; n: number }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM (SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM (${orderPlacesSql('o.city_code = $1')}) o) d
     GROUP BY day ORDER BY day`, [cityCode]);
  const pieces: Piece[] = [];
  let first: string | null = null;
  let size = 0;
  for (const { day, n } of days.rows) {
    if (first !== null && size + n > target) {
      pieces.push(pieceOf(first, day));
      first = null;
      size = 0;
    }
    first ??= day;
    size += n;
  }
  if (first === null) return [OPEN];
  pieces.push(pieceOf(first, first));
  // the first and the last open-ended: rows of days before or after every order go too
  pieces[0] = { ...pieces[0]!, from: OPEN.from, fromDay: OPEN.fromDay };
  pieces[pieces.length - 1] = { ...pieces.at(-1)!, to: OPEN.to, toDay: OPEN.toDay };
  return pieces;
}
const pieceOf = (fromDay: string, toDay: string): Piece =>
  ({ from: beijingMidnight(fromDay).toISOString(), to: beijingMidnight(toDay).toISOString(), fromDay, toDay });

/**
 * Runs `work` in a transaction of its own over the orders registered in `piece`, the consumer
 * waiting (a batch applied half way through would be counted twice); returns how many there are.
 */
async function inPiece(pool: pg.Pool, cityCode: string, piece: Piece, work: (tx: Queryable, ids: string[]) => Promise<unknown>): Promise<number> {
  return withTransaction(pool, async (tx) => {
    await tx.query('LOCK TABLE analytics_order_facts IN EXCLUSIVE MODE');
    // a piece reads a sliver of every table it touches, by keys; with ten thousand keys in an array
    // the planner chose whole-table scans (300,000 orders: 75 s, 58 s without); joins by nested
    // loops only were slower still (the rounds' grouped facts read again for each order: 117 s)
    await tx.query('SET LOCAL enable_seqscan = off');
    const ids = (await tx.query(`SELECT order_id FROM (${orderPlacesSql('o.city_code = $1 AND o.created_at >= $2::timestamptz AND o.created_at < $3::timestamptz')}) o`,
      [cityCode, piece.from, piece.to])).rows.map((r) => r.order_id as string);
    await work(tx, ids);
    return ids.length;
  });
}

const byIds = (alias: string) => `${alias}.city_code = $1 AND ${alias}.order_id = ANY($2::uuid[])`;

/** Step 1: these orders' facts (the piece's), from the orders as they are now. */
async function rewriteFacts(tx: Queryable, cityCode: string, piece: Piece, ids: string[]): Promise<void> {
  await tx.query('DELETE FROM analytics_order_facts x WHERE ' + byIds('x'), [cityCode, ids]);
  // the orders by the piece's times too: by their ids alone the planner read every order of the city
  await tx.query(`INSERT INTO analytics_order_facts (${FACT_COLUMNS.join(', ')})
    ${factsSql('o.city_code = $1 AND o.created_at >= $3::timestamptz AND o.created_at < $4::timestamptz AND o.id = ANY($2::uuid[])',
      byIds('r'), byIds('s'))}`, [cityCode, ids, piece.from, piece.to]);
}

/** Callers from `from` (null: the first) up to `to`, not included (null: the last). */
interface CallerRange { from: string | null; to: string | null }

/**
 * Runs of callers of about `contacts` facts each, bounded by callers drawn from a sample of the
 * facts (each run recounted in a transaction of its own: counted at once, a million orders' callers
 * held every reader of the log back for 22 s, and that grows with the history).
 */
async function callerRanges(db: Queryable, cityCode: string, contacts: number): Promise<CallerRange[]> {
  const facts = Number((await db.query(`SELECT count(*)::float8 AS n FROM analytics_order_facts WHERE city_code = $1 AND caller IS NOT NULL`,
    [cityCode])).rows[0].n);
  const runs = Math.ceil(facts / contacts);
  if (runs <= 1) return [{ from: null, to: null }];
  // a sample of about 50 facts a run is enough to cut runs of roughly equal size
  const percent = Math.min(100, (100 * 50 * runs) / facts);
  const cuts = await db.query<{ bounds: string[] | null }>(`SELECT percentile_disc($2::float8[]) WITHIN GROUP (ORDER BY caller) AS bounds
      FROM analytics_order_facts TABLESAMPLE BERNOULLI ($3) WHERE city_code = $1 AND caller IS NOT NULL`,
  [cityCode, Array.from({ length: runs - 1 }, (_, i) => (i + 1) / runs), percent]);
  const bounds = [...new Set(cuts.rows[0]?.bounds ?? [])];
  return [null, ...bounds].map((from, i) => ({ from, to: bounds[i] ?? null }));
}

/** The range's condition on `caller`, its bounds as parameters from $2. */
function inRange(range: CallerRange): { where: string; bounds: string[] } {
  const conditions: string[] = [];
  const bounds: string[] = [];
  if (range.from !== null) conditions.push(`caller >= $${bounds.push(range.from) + 1}`);
  if (range.to !== null) conditions.push(`caller < $${bounds.push(range.to) + 1}`);
  return { where: conditions.join(' AND ') || 'true', bounds };
}

/** Step 2: the contacts of a run of callers, counted from the facts. */
async function recountCallers(tx: Queryable, cityCode: string, range: CallerRange): Promise<void> {
  const { where, bounds } = inRange(range);
  await tx.query(`DELETE FROM analytics_callers WHERE city_code = $1 AND ${where}`, [cityCode, ...bounds]);
  await tx.query(`INSERT INTO analytics_callers (city_code, caller, contacts)
    SELECT city_code, caller, count(*) FROM analytics_order_facts WHERE city_code = $1 AND caller IS NOT NULL AND ${where}
     GROUP BY city_code, caller`, [cityCode, ...bounds]);
}

/** ... and the groups' callers and contacts, from every caller's counts. */
async function recountCallerGroups(tx: Queryable, cityCode: string): Promise<void> {
  await tx.query('DELETE FROM analytics_caller_groups WHERE city_code = $1', [cityCode]);
  await countCallerGroups(tx, cityCode);
}

/** Each group's callers and contacts, from the callers' counts (its rows deleted before). */
async function countCallerGroups(tx: Queryable, cityCode: string): Promise<void> {
  await tx.query(`INSERT INTO analytics_caller_groups (city_code, caller_group, callers, contacts)
    SELECT city_code, ${callerGroupSql('contacts')}, count(*), sum(contacts) FROM analytics_callers WHERE city_code = $1 GROUP BY 1, 2`, [cityCode]);
}

/** The daily rollup tables' rows from the facts `factsWhere` picks (over alias x); returns the rows written. */
async function insertRollups(tx: Queryable, factsWhere: string, params: unknown[]): Promise<number> {
  let rows = 0;
  for (const table of DAILY_TABLES) {
    const inserted = await tx.query(`INSERT INTO ${table.name} (${columnsOf(table)})
      ${rollupSql(table, `SELECT 1 AS sign, ${FACT_COLUMNS.join(', ')} FROM analytics_order_facts x WHERE ${factsWhere}`)}`, params);
    rows += inserted.rowCount ?? 0;
  }
  return rows;
}

/** Step 3: these orders' caller groups from the counts, and the rows of the piece's days from their facts; returns the rows written. */
async function rewriteRollups(tx: Queryable, cityCode: string, piece: Piece, ids: string[]): Promise<number> {
  const group = callerGroupSql('k.contacts');
  await tx.query(`UPDATE analytics_order_facts x SET caller_group = ${group} FROM analytics_callers k
    WHERE ${byIds('x')} AND k.city_code = x.city_code AND k.caller = x.caller AND x.caller_group IS DISTINCT FROM ${group}`, [cityCode, ids]);
  const days = [piece.fromDay, piece.toDay];
  await tx.query(`DELETE FROM analytics_daily WHERE city_code = $1 AND dim = ANY($2::text[]) AND day >= $3::date AND day < $4::date`,
    [cityCode, DIMENSIONS, ...days]);
  // the keys lead with the unit: the units' rows are deleted unit by unit
  await tx.query(`DELETE FROM analytics_unit_daily WHERE city_code = $1 AND unit_id = ANY($2::uuid[]) AND dim = ANY($3::text[])
      AND day >= $4::date AND day < $5::date`, [cityCode, await unitsWithRows(tx, cityCode), DIMENSIONS, ...days]);
  const rows = await insertRollups(tx, byIds('x'), [cityCode, ids]);
  // the months whose last day is the piece's: all their days are rewritten now (earlier months', by earlier pieces)
  await recountMonths(tx, cityCode, piece, 'with rows');
  return rows;
}

/**
 * Counts again, from the units' days, the months that end from `fromDay` up to `toDay` (the
 * month of `fromDay` to the one before `toDay`'s; open-ended: every month before or after), read
 * unit by unit (`with rows`: the keys lead with the unit) or as a whole. The months' rows go
 * first, of every unit: a month left of a unit without days goes too.
 */
async function recountMonths(tx: Queryable, cityCode: string, days: { fromDay: string; toDay: string }, read: 'with rows' | 'whole'): Promise<void> {
  // most pieces end no month (and the months' rows would be looked for over the whole key)
  if (days.fromDay.slice(0, 7) === days.toDay.slice(0, 7)) return;
  const units = read === 'with rows' ? await unitsWithRows(tx, cityCode) : null;
  const months = [cityCode, days.fromDay, days.toDay];
  const inMonths = (column: string) => `${column} >= date_trunc('month', $2::date) AND ${column} < date_trunc('month', $3::date)`;
  await tx.query(`DELETE FROM analytics_unit_monthly WHERE city_code = $1 AND ${inMonths('month')}`, months);
  // in the key's order: a unit's months of a dimension then lie on a few pages, where hashed they lay
  // one to a page (a district's two years by month: 7.7 ms for 1,622 rows, 2.5 in order)
  await tx.query(`INSERT INTO analytics_unit_monthly (${columnsOf(TABLES.unitMonth)})
    ${monthsSql(`SELECT * FROM analytics_unit_daily WHERE city_code = $1 AND ${inMonths('day')}
      AND ($4::uuid[] IS NULL OR unit_id = ANY($4::uuid[])) AND dim = ANY($5::text[])`)}
    ORDER BY city_code, unit_id, dim, month, member`, [...months, units, DIMENSIONS]);
}

/** The units' rows `dailyRows` picks, summed by month. */
const monthsSql = (dailyRows: string) => `
  SELECT city_code, unit_id, dim, member, date_trunc('month', day)::date AS month, ${MEASURE_NAMES.map((m) => `sum(${m}) AS ${m}`).join(', ')}
    FROM (${dailyRows}) d
   GROUP BY city_code, unit_id, dim, member, date_trunc('month', day)::date`;

/** The units with rows in the units' rollups: one index descent each (a loose index scan over the key, which leads with the unit). */
async function unitsWithRows(db: Queryable, cityCode: string): Promise<string[]> {
  const result = await db.query(`WITH RECURSIVE u AS (
      (SELECT unit_id FROM analytics_unit_daily WHERE city_code = $1 ORDER BY unit_id LIMIT 1)
      UNION ALL
      SELECT (SELECT x.unit_id FROM analytics_unit_daily x WHERE x.city_code = $1 AND x.unit_id > u.unit_id ORDER BY x.unit_id LIMIT 1)
        FROM u WHERE u.unit_id IS NOT NULL)
    SELECT unit_id FROM u WHERE unit_id IS NOT NULL`, [cityCode]);
  return result.rows.map((r) => r.unit_id as string);
}


/**
 * Counts the contacts of these orders' callers (a new order one more, an order whose phone changed
 * moves to its new caller); returns the earlier orders of the callers who moved to another group,
 * whose facts must follow them.
 */
async function countCallers(tx: Queryable, cityCode: string, orderIds: readonly string[]): Promise<string[]> {
  const counted = await tx.query(`
    WITH new AS (SELECT caller FROM (${orderFactsSql('o.city_code = $1 AND o.id = ANY($2::uuid[])')}) n),
    old AS (SELECT caller FROM analytics_order_facts WHERE city_code = $1 AND order_id = ANY($2::uuid[])),
    delta AS (SELECT caller, sum(d)::int AS d FROM (SELECT caller, 1 AS d FROM new UNION ALL SELECT caller, -1 FROM old) x
               WHERE caller IS NOT NULL GROUP BY caller HAVING sum(d) <> 0),
    saved AS (INSERT INTO analytics_callers (city_code, caller, contacts) SELECT $1, caller, d FROM delta
              ON CONFLICT (city_code, caller) DO UPDATE SET contacts = analytics_callers.contacts + EXCLUDED.contacts
              RETURNING caller, contacts)
    SELECT s.caller, s.contacts, s.contacts - d.d AS before FROM saved s JOIN delta d ON d.caller = s.caller`, [cityCode, orderIds]);
  await countGroups(tx, cityCode, counted.rows);
  const gone = counted.rows.filter((r) => r.contacts <= 0).map((r) => r.caller);
  if (gone.length > 0) await tx.query('DELETE FROM analytics_callers WHERE city_code = $1 AND caller = ANY($2::text[])', [cityCode, gone]);
  const moved = counted.rows.filter((r) => r.contacts > 0 && r.before > 0 && callerGroupOf(r.contacts) !== callerGroupOf(r.before)).map((r) => r.caller);
  if (moved.length === 0) return [];
  const earlier = await tx.query('SELECT order_id FROM analytics_order_facts WHERE city_code = $1 AND caller = ANY($2::text[])', [cityCode, moved]);
  return earlier.rows.map((r) => r.order_id);
}

/** Moves each counted caller from the group of their contacts before to the group of their contacts now. */
async function countGroups(tx: Queryable, cityCode: string, counted: { contacts: number; before: number }[]): Promise<void> {
  const delta = new Map<string, { callers: number; contacts: number }>();
  const add = (contacts: number, sign: 1 | -1) => {
    if (contacts <= 0) return;
    const d = delta.get(callerGroupOf(contacts)) ?? { callers: 0, contacts: 0 };
    delta.set(callerGroupOf(contacts), { callers: d.callers + sign, contacts: d.contacts + sign * contacts });
  };
  for (const r of counted) {
    add(r.before, -1);
    add(r.contacts, 1);
  }
  const groups = [...delta].filter(([, d]) => d.callers !== 0 || d.contacts !== 0);
  if (groups.length === 0) return;
  await tx.query(`INSERT INTO analytics_caller_groups (city_code, caller_group, callers, contacts)
    SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
    ON CONFLICT (city_code, caller_group) DO UPDATE SET callers = analytics_caller_groups.callers + EXCLUDED.callers,
      contacts = analytics_caller_groups.contacts + EXCLUDED.contacts`,
  [cityCode, groups.map(([g]) => g), groups.map(([, d]) => d.callers), groups.map(([, d]) => d.contacts)]);
  // a group left without callers has no row, as in a rebuild
  await tx.query('DELETE FROM analytics_caller_groups WHERE city_code = $1 AND callers = 0', [cityCode]);
}

/** How many callers each group holds, and their contacts, over the whole history. */
export async function callerGroups(db: Queryable, cityCode: string): Promise<Map<string, { callers: number; contacts: number }>> {
  const result = await db.query('SELECT caller_group, callers, contacts::float8 AS contacts FROM analytics_caller_groups WHERE city_code = $1', [cityCode]);
  return new Map(result.rows.map((r) => [r.caller_group, { callers: r.callers, contacts: r.contacts }]));
}

/** Brings the rollups of these orders up to date: their new facts counted, the ones counted before taken out. */
export async function refreshOrders(tx: Queryable, cityCode: string, batch: readonly string[]): Promise<void> {
  if (batch.length === 0) return;
  // a rebuild running (it holds EXCLUSIVE) is waited for: callers counted against facts it is replacing would count twice
  await tx.query('LOCK TABLE analytics_order_facts IN ROW EXCLUSIVE MODE');
  const moved = await countCallers(tx, cityCode, batch);
  const orderIds = moved.length > 0 ? [...new Set([...batch, ...moved])] : batch;
  const facts = FACT_COLUMNS.filter((c) => c !== 'city_code' && c !== 'order_id');
  const signed = `SELECT 1 AS sign, ${FACT_COLUMNS.join(', ')} FROM new UNION ALL SELECT -1, ${FACT_COLUMNS.join(', ')} FROM old`;
  // the units' changes summed by month too (one grouping of the facts for both)
  const changes = { city: rollupSql(TABLES.city, signed), unit: 'SELECT * FROM unit_changes', unitMonth: monthsSql('SELECT * FROM unit_changes') };
  const byUnit = (table: Table) => table.keys[1] === 'unit_id';
  const upsert = (table: Table, rows: string) => `
    INSERT INTO ${table.name} (${columnsOf(table)})
    SELECT * FROM (${rows}) d
     WHERE (${MEASURE_NAMES.join(', ')}) <> (${MEASURE_NAMES.map(() => '0').join(', ')})
    ON CONFLICT (${table.keys.join(', ')}) DO UPDATE SET
      ${MEASURE_NAMES.map((m) => `${m} = ${table.name}.${m} + EXCLUDED.${m}`).join(', ')}
    RETURNING ${byUnit(table) ? 'unit_id' : 'NULL::uuid'} AS unit_id, dim, member, ${table.keys.at(-1)}::text AS period, orders`;
  const changed = await tx.query(`
    WITH new AS (${factsSql('o.city_code = $1 AND o.id = ANY($2::uuid[])', 'r.city_code = $1 AND r.order_id = ANY($2::uuid[])',
      's.city_code = $1 AND s.order_id = ANY($2::uuid[])')}),
    old AS (SELECT ${FACT_COLUMNS.join(', ')} FROM analytics_order_facts x WHERE x.city_code = $1 AND x.order_id = ANY($2::uuid[])),
    saved AS (
      INSERT INTO analytics_order_facts (${FACT_COLUMNS.join(', ')}) SELECT ${FACT_COLUMNS.join(', ')} FROM new
      ON CONFLICT (city_code, order_id) DO UPDATE SET (${facts.join(', ')}) = (${facts.map((c) => `EXCLUDED.${c}`).join(', ')})),
    unit_changes AS (${rollupSql(TABLES.unit, signed)}),
    ${Object.entries(TABLES).map(([name, table]) => `${name} AS (${upsert(table, changes[name as keyof typeof TABLES])})`).join(',\n')}
    ${Object.keys(TABLES).map((name) => `SELECT '${name}' AS rollup, * FROM ${name}`).join(' UNION ALL ')}`, [cityCode, orderIds]);
  for (const r of changed.rows) if (r.rollup === 'unit' && r.orders > 0) noteLeading(cityCode, r.unit_id);
  // a row whose last order moved to another member counts nothing: the rebuild would not have it
  const KEY_TYPES = { unit_id: 'uuid', dim: 'text', member: 'text', day: 'date', month: 'date' } as const;
  for (const [name, table] of Object.entries(TABLES)) {
    const emptied = changed.rows.filter((r) => r.rollup === name && r.orders === 0);
    if (emptied.length === 0) continue;
    const keys = table.keys.filter((k) => k !== 'city_code');
    await tx.query(`DELETE FROM ${table.name} WHERE city_code = $1
                      AND (${keys.join(', ')}) IN (SELECT * FROM unnest(${keys.map((k, i) => `$${i + 2}::${KEY_TYPES[k]}[]`).join(', ')}))`,
    // the period (the last key) comes back as `period`, a day or a month
    [cityCode, ...keys.map((k, i) => emptied.map((r) => r[i === keys.length - 1 ? 'period' : k]))]);
  }
}

/** Keeps the rollups current as orders change: every order event refreshes its order. */
export const rollupsConsumer: Consumer = {
  name: 'analytics-rollups',
  types: EVENT_TYPE_NAMES.filter((t) => t.startsWith('order.')),
  from: 'start',
  async handle(tx: Queryable, events: StoredEvent[]) {
    const byCity = new Map<string, Set<string>>();
    for (const e of events) if (e.stream === 'order') byCity.set(e.cityCode, (byCity.get(e.cityCode) ?? new Set()).add(e.streamId));
    for (const [city, ids] of byCity) await refreshOrders(tx, city, [...ids]);
  },
};

export type Measure = keyof typeof MEASURES;
export const MEASURE_KEYS: readonly Measure[] = MEASURE_NAMES;
export type Measures = Record<Measure, number>;
export type Grain = 'day' | 'month' | 'year';

export interface RollupQuery {
  dim: Dimension;
  /** members to follow (all of the dimension's when absent) */
  members?: readonly string[] | undefined;
  /** Beijing dates, from inclusive, to exclusive */
  from: string;
  to: string;
  /** the lead units whose orders are counted (a unit's subtree); absent: the whole city */
  units?: readonly string[] | undefined;
}
export interface SeriesQuery extends RollupQuery { grain: Grain }
export interface SeriesPoint { member: string; period: string; measures: Measures }

const PERIODS: Record<Grain | 'total', string> = {
  day: `to_char(day, 'YYYY-MM-DD')`, month: `to_char(day, 'YYYY-MM')`, year: `to_char(day, 'YYYY')`, total: `''`,
};

/**
 * The measures summed by member and period (`total`: the whole span), from the city's rows or the
 * units'; `tail` ends the statement (its values as parameters, through `param`).
 */
async function sums(db: Queryable, cityCode: string, q: RollupQuery, grain: Grain | 'total',
  tail: (param: (value: unknown) => string) => string = () => '') {
  const units = q.units && await withRows(db, cityCode, q.units);
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const members = `${param(q.members ?? null)}::text[]`;
  const where = `city_code = ${param(cityCode)} AND dim = ${param(q.dim)} AND (${members} IS NULL OR member = ANY(${members}))
    ${units ? `AND unit_id = ANY(${param(units)}::uuid[])` : ''}`;
  const measures = MEASURE_NAMES.join(', ');
  const days = (table: Table, from: string, to: string) =>
    `SELECT member, day, ${measures} FROM ${table.name} WHERE ${where} AND day >= ${param(from)}::date AND day < ${param(to)}::date`;
  // a unit's whole months from its months, the days before and after them from its days; each
  // part only when it holds a day (an empty one still probes the index once a unit), and its
  // bounds made parameters only then (a parameter the statement does not use has no type)
  const months = units && wholeMonths(q.from, q.to, grain);
  const rows = !units ? days(TABLES.city, q.from, q.to) : !months ? days(TABLES.unit, q.from, q.to) : [
    `SELECT member, month AS day, ${measures} FROM ${TABLES.unitMonth.name}
      WHERE ${where} AND month >= ${param(months.first)}::date AND month < ${param(months.end)}::date`,
    q.from < months.first && days(TABLES.unit, q.from, months.first),
    months.end < q.to && days(TABLES.unit, months.end, q.to),
  ].filter(Boolean).join(' UNION ALL ');
  const result = await db.query(
    `SELECT member, ${PERIODS[grain]} AS period, ${MEASURE_NAMES.map((m) => `sum(${m})::float8 AS ${m}`).join(', ')}
       FROM (${rows}) r
      GROUP BY member, period ${tail(param)}`, params);
  return result.rows.map((r) => ({ member: r.member as string, period: r.period as string,
    measures: Object.fromEntries(MEASURE_NAMES.map((m) => [m, Number(r[m])])) as Measures }));
}

/**
 * The whole months from `from` up to `to` (not included), as the first's first day and the day
 * after the last; null by day, or when no month is whole.
 */
function wholeMonths(from: string, to: string, grain: Grain | 'total'): { first: string; end: string } | null {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (grain === 'day' || !date.test(from) || !date.test(to)) return null;
  const first = from.endsWith('-01') ? from : `${periodAfter(from.slice(0, 7), 'month')}-01`;
  const end = `${to.slice(0, 7)}-01`;
  return first < end ? { first, end } : null;
}

/** The period after this one, named as the rollups name them (`2026-12-31`, `2026-12`, `2026`). */
export function periodAfter(period: string, grain: Grain): string {
  if (grain === 'year') return String(Number(period) + 1);
  if (grain === 'day') return addDays(period, 1);
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The measures of each member of a dimension per day, month or year: what a trend is drawn from. */
export function rollupSeries(db: Queryable, cityCode: string, q: SeriesQuery): Promise<SeriesPoint[]> {
  return sums(db, cityCode, q, q.grain, () => 'ORDER BY period, member');
}

/** The measures of each member over the whole span (of the members asked for, or of all). */
export async function rollupTotals(db: Queryable, cityCode: string, q: RollupQuery): Promise<{ member: string; measures: Measures }[]> {
  return (await sums(db, cityCode, q, 'total', () => 'ORDER BY sum(orders) DESC, member')).map(({ member, measures }) => ({ member, measures }));
}

/** The members of a dimension with the most orders over a period, with their measures. */
export async function topMembers(db: Queryable, cityCode: string, q: RollupQuery & { limit: number }):
  Promise<{ member: string; measures: Measures }[]> {
  return (await sums(db, cityCode, q, 'total', (param) => `ORDER BY sum(orders) DESC, member LIMIT ${param(q.limit)}`))
    .map(({ member, measures }) => ({ member, measures }));
}

// --- the units that lead counted orders. A subtree is hundreds of units (a district government's
// streets and communities) of which a few lead orders; each one costs a read of the units' rollups
// an index probe, so a read probes only the units that have rows. Held a while per database; the
// units whose rows this process wrote since are added, so that only another process's first order
// for a unit may be left out, for at most LEADING_TTL_MS.

const LEADING_TTL_MS = 30_000;
const leading = new WeakMap<object, Memo<Set<string>>>();
/** `${city}|${unit}` → when this process last wrote the unit's rows */
const written = new Map<string, number>();
let rebuilt = 0;

function noteLeading(cityCode: string, unitId: string): void {
  if (written.size > 10_000) {
    const old = Date.now() - 2 * LEADING_TTL_MS;
    for (const [key, at] of written) if (at < old) written.delete(key);
  }
  written.set(`${cityCode}|${unitId}`, Date.now());
}

/** Of these units, those that have rows in the units' rollups. */
async function withRows(db: Queryable, cityCode: string, units: readonly string[]): Promise<string[]> {
  let held = leading.get(db);
  if (!held) leading.set(db, (held = memo(LEADING_TTL_MS, 100)));
  const known = await held.get(`${cityCode}|${rebuilt}`, async () => new Set(await unitsWithRows(db, cityCode)));
  const since = Date.now() - 2 * LEADING_TTL_MS;
  return units.filter((u) => known.has(u) || (written.get(`${cityCode}|${u}`) ?? 0) > since);
}
