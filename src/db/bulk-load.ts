// A bulk load into tables that hold little yet runs faster without their secondary indexes: a row
// no longer updates every index as it arrives, and each index is built once at the end by one sort
// (as pg_restore does). Unique indexes and primary keys stay: they keep the load correct; they are
// built again at the end, compact.
//
// The definitions dropped are written to `dropped_indexes` in the transaction that drops them, so a
// load that dies half way leaves them there, and the next start builds them again before anything
// reads the tables (`buildDroppedIndexes`, called by `migrate` unless a load is under way). A load
// that writes its rows without their foreign keys' checks marks the tables first (`unchecked_rows`),
// and only a check that passes takes the mark off: one killed half way is checked at the next start.
import type pg from 'pg';
import { ADVISORY_LOCKS, holdSessionLock } from './locks.js';
import { withTransaction, type Queryable } from './tx.js';

/** Where the dropped definitions wait to be built again (made by `migrate`, as its own table is). */
export const DROPPED_INDEXES_TABLE = `CREATE TABLE IF NOT EXISTS dropped_indexes (
  name text PRIMARY KEY, table_name text NOT NULL, definition text NOT NULL, dropped_at timestamptz NOT NULL DEFAULT now())`;

/**
 * The tables a bulk load is writing, or wrote, without their foreign keys' checks, until a check of
 * every key passes (`checkForeignKeys`). Made by `migrate`, as `dropped_indexes` is.
 */
export const UNCHECKED_ROWS_TABLE = `CREATE TABLE IF NOT EXISTS unchecked_rows (
  table_name text PRIMARY KEY, since timestamptz NOT NULL DEFAULT now())`;

/** Memory for each index build: enough to sort tens of millions of keys in few passes, on either engine. */
const BUILD_MEMORY = '256MB';

export interface IndexBuild { name: string; seconds: number }

/**
 * Held by a bulk load from its drop to its last build (an advisory lock's key): a process starting
 * meanwhile on the same server finds it taken and leaves the dropped indexes to the load, instead of
 * building them halfway through it (`loadUnderWay`).
 */
const LOAD_LOCK = ADVISORY_LOCKS.bulkLoad;

/** What a bulk load does once its rows are written, besides building the indexes again. */
export interface AfterLoad {
  /** after the builds, in their line of work (the keys' checks): what it returns is counted with the builds */
  afterBuilds?: () => Promise<IndexBuild[]>;
  /**
   * Work that reads the rows loaded, on other connections, while the dropped indexes are built (the
   * rollups), each on a core of a server: the unique indexes are compacted first (a REINDEX waits
   * for every transaction that has read the table, and holds back every new query meanwhile). It
   * must not need the indexes being built. On PGlite nothing is gained (its one engine takes the
   * transactions in turn) and the two would hold every connection of its pool: run it after.
   */
  beside?: () => Promise<void>;
}

/**
 * Runs `load` with the non-unique indexes of `tables` dropped, then builds them again, whether the
 * load succeeded or not. `schemaLock` is the lock `migrate` holds. Returns what `load` returned and
 * how long each index took to build.
 */
export async function withoutSecondaryIndexes<T>(pool: pg.Pool, schemaLock: number, tables: readonly string[], load: () => Promise<T>,
  after: AfterLoad = {}): Promise<{ result: T; builds: IndexBuild[] }> {
  const release = await holdSessionLock(pool, LOAD_LOCK); // for the load's whole length
  try {
    await withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [schemaLock]);
      for (const index of await indexesOf(tx, tables, 'secondary')) {
        await tx.query('INSERT INTO dropped_indexes (name, table_name, definition) VALUES ($1, $2, $3)', [index.name, index.table_name, index.definition]);
        await tx.query(`DROP INDEX ${index.qualified}`);
      }
    });
    const rebuild = () => withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [schemaLock]);
      return buildDroppedIndexes(tx);
    });
    let result: T;
    let compacted: IndexBuild[];
    try {
      result = await load();
      compacted = await compactUniqueIndexes(pool, tables);
    } catch (error) {
      // the load's error is the one reported; a failed build is left to the next start
      await rebuild().catch(() => undefined);
      throw error;
    }
    const building = (async () => [...compacted, ...await rebuild(), ...await after.afterBuilds?.() ?? []])();
    // both settled before the load's lock is let go, whichever fails: the builds' failure is the one thrown, the other's said
    const [builds, beside] = await Promise.allSettled([building, after.beside?.()]);
    if (builds.status === 'rejected') {
      if (beside.status === 'rejected') console.error('beside the failed index builds, this failed too:', beside.reason);
      throw builds.reason;
    }
    if (beside.status === 'rejected') throw beside.reason;
    return { result, builds: builds.value };
  } finally {
    await release();
  }
}

/**
 * Builds again the unique indexes a load kept: filled row by row by batches written side by side,
 * their pages are left half full (1M orders: the tracking numbers' 88 MB against 49 MB built at
 * once, the orders' key 52 against 40; 78 bytes an order over the five tables, for 5 s).
 */
async function compactUniqueIndexes(pool: pg.Pool, tables: readonly string[]): Promise<IndexBuild[]> {
  const builds: IndexBuild[] = [];
  for (const index of await indexesOf(pool, tables, 'unique')) {
    const started = Date.now();
    await withTransaction(pool, async (tx) => {
      await tx.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
      await tx.query(`REINDEX INDEX ${index.qualified}`);
    });
    builds.push({ name: index.name, seconds: (Date.now() - started) / 1000 });
  }
  return builds;
}

/** The unique indexes of `tables` (primary keys included), or the others: those a load drops. */
async function indexesOf(db: Queryable, tables: readonly string[], which: 'unique' | 'secondary') {
  const result = await db.query<{ name: string; qualified: string; table_name: string; definition: string }>(
    `SELECT c.relname AS name, i.indexrelid::regclass::text AS qualified, t.relname AS table_name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
      WHERE t.relname = ANY($1::text[]) AND pg_table_is_visible(t.oid)
        AND ${which === 'unique' ? 'i.indisunique' : 'NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion'} ORDER BY 1`, [tables]);
  return result.rows;
}

/**
 * Runs `work` in transaction `tx` with every index of `table` dropped (its keys too), then builds
 * them again in the same transaction: for filling a table just emptied whose indexes are keyed in
 * random order, so that each row inserted lands on a random page of each (a million rollup facts:
 * 18.6 s through their two indexes, 10.9 s inserted bare and indexed after). A failure rolls the
 * drop back with the rest. `tx` holds the table's ACCESS EXCLUSIVE lock. A key that another table
 * (or the table itself) references cannot be dropped: the statement fails.
 */
export async function withIndexesBuiltAfter<T>(tx: Queryable, table: string, work: () => Promise<T>): Promise<T> {
  const indexes = (await tx.query<{ index: string; definition: string; constraint: string | null; constraint_definition: string | null }>(
    `SELECT i.indexrelid::regclass::text AS index, pg_get_indexdef(i.indexrelid) AS definition,
            quote_ident(c.conname) AS constraint, pg_get_constraintdef(c.oid) AS constraint_definition
       FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
      WHERE i.indrelid = $1::regclass ORDER BY i.indisprimary DESC, 1`, [table])).rows;
  for (const x of indexes) await tx.query(x.constraint ? `ALTER TABLE ${table} DROP CONSTRAINT ${x.constraint}` : `DROP INDEX ${x.index}`);
  const result = await work();
  await tx.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
  for (const x of indexes) {
    await tx.query(x.constraint ? `ALTER TABLE ${table} ADD CONSTRAINT ${x.constraint} ${x.constraint_definition}` : x.definition);
  }
  return result;
}

/** Whether a bulk load is under way on this database (another process holds LOAD_LOCK). */
export async function loadUnderWay(tx: Queryable): Promise<boolean> {
  return !(await tx.query('SELECT pg_try_advisory_xact_lock($1) AS free', [LOAD_LOCK])).rows[0].free;
}

/**
 * Builds every index a bulk load dropped and has not built again; returns what it built. `tx` is a
 * transaction holding the lock the drop took (`migrate` holds it at every start), so that processes
 * starting together never build one index twice.
 */
export async function buildDroppedIndexes(tx: Queryable): Promise<IndexBuild[]> {
  const pending = await tx.query<{ name: string; definition: string }>('SELECT name, definition FROM dropped_indexes ORDER BY dropped_at, name');
  const builds: IndexBuild[] = [];
  if (pending.rows.length === 0) return builds;
  await tx.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
  for (const index of pending.rows) {
    const started = Date.now();
    // IF NOT EXISTS: an index someone built by hand meanwhile is kept
    await tx.query(index.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    await tx.query('DELETE FROM dropped_indexes WHERE name = $1', [index.name]);
    builds.push({ name: index.name, seconds: (Date.now() - started) / 1000 });
  }
  return builds;
}

/**
 * Whether a bulk load into `tables` may leave the checks of their foreign keys out of the
 * transactions that write its rows (`skipRowChecks`) and check every key once at the end
 * (`checkForeignKeys`). Each row's check looks up the row it references and locks it, about a dozen
 * an order (200,000 orders: PostgreSQL's CPU 125 → 97 µs an order; PGlite's writing 63 → 54 s). It
 * may when the role may set `session_replication_role` (a superuser, PGlite's); when the tables have
 * no trigger but their keys' checks (the setting silences the others too, a deferrable unique key's
 * among them) and no rule; when they are plain tables, neither partitioned nor inherited (the check
 * reads each table `ONLY`); and when their keys are MATCH SIMPLE, as the check reads them.
 */
export async function mayCheckForeignKeysAtEnd(db: Queryable, tables: readonly string[]): Promise<boolean> {
  const found = await db.query<{ may: boolean }>(
    `WITH loaded AS (SELECT oid, relkind, relhassubclass, relispartition FROM pg_class WHERE relname = ANY($1::text[]) AND pg_table_is_visible(oid))
     SELECT has_parameter_privilege('session_replication_role', 'SET')
        AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid IN (SELECT oid FROM loaded)
                           AND NOT (g.tgisinternal AND g.tgconstraint IN (SELECT oid FROM pg_constraint WHERE contype = 'f')))
        AND NOT EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class IN (SELECT oid FROM loaded))
        AND NOT EXISTS (SELECT 1 FROM loaded WHERE relkind <> 'r' OR relhassubclass OR relispartition)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid IN (SELECT oid FROM loaded) AND c.contype = 'f' AND c.confmatchtype <> 's') AS may`,
    [tables]);
  return found.rows[0]!.may;
}

/**
 * Marks `tables` as holding rows no foreign key's check has seen, before a load writes any (committed
 * on its own: the load's batches, written side by side, would each wait for the others' mark).
 */
export async function markRowsUnchecked(db: Queryable, tables: readonly string[]): Promise<void> {
  await db.query('INSERT INTO unchecked_rows (table_name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [tables]);
}

/**
 * Leaves the foreign keys' checks (and every other trigger) out of the rest of transaction `tx`:
 * its rows are checked later by `checkForeignKeys` (the tables marked first, `markRowsUnchecked`). Rows that other connections write meanwhile are
 * checked as always. (Setting it and its end each empty the session's cached plans: on PGlite, the
 * one session of every connection; the figures above include that.)
 */
export async function skipRowChecks(tx: Queryable): Promise<void> {
  await tx.query(`SET LOCAL session_replication_role = replica`);
}

/**
 * Checks every row of `tables` against each of their valid foreign keys (MATCH SIMPLE: a row with a
 * column null is not checked), one join a key, as PostgreSQL checks a key it adds; throws naming
 * the keys broken, how many rows break each and one of them. Each key in a transaction of its own
 * (PGlite's engine is a transaction's while it lasts). Returns how long each key took (timed as
 * an index's build: a step after the load).
 */
export async function checkForeignKeys(pool: pg.Pool, tables: readonly string[]): Promise<IndexBuild[]> {
  const keys = await pool.query<{ name: string; child: string; parent: string; columns: string[]; referenced: string[] }>(
    `SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
            array(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            array(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS referenced
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'f' AND c.convalidated AND t.relname = ANY($1::text[]) AND pg_table_is_visible(t.oid) ORDER BY 1`, [tables]);
  const checks: IndexBuild[] = [];
  const broken: string[] = [];
  for (const key of keys.rows) {
    const started = Date.now();
    const { rows, example } = await withTransaction(pool, async (tx) => {
      await tx.query(`SET LOCAL work_mem = '${BUILD_MEMORY}'`); // the memory PostgreSQL gives the check of a key it adds
      await tx.query('SET LOCAL row_security = off'); // every row, or an error: never a policy's view of them
      // a join of whole tables, where workers pay: PostgreSQL's default, which the application's sessions turn off (engine.ts)
      await tx.query('SET LOCAL max_parallel_workers_per_gather = 2');
      const found = await tx.query<{ rows: number; example: string | null }>(
        `SELECT count(*)::float8 AS rows, min(row(${key.columns.map((c) => `x.${c}`).join(', ')})::text) AS example FROM ONLY ${key.child} x
          WHERE ${key.columns.map((c) => `x.${c} IS NOT NULL`).join(' AND ')}
            AND NOT EXISTS (SELECT 1 FROM ONLY ${key.parent} y WHERE ${key.columns.map((c, i) => `y.${key.referenced[i]} = x.${c}`).join(' AND ')})`);
      return found.rows[0]!;
    });
    if (rows > 0) broken.push(`${key.name}: ${rows} rows of ${key.child} reference no row of ${key.parent}, such as (${key.columns.join(', ')})=${example}`);
    checks.push({ name: key.name, seconds: (Date.now() - started) / 1000 });
  }
  if (broken.length) throw new Error(`rows written without their foreign keys' checks break ${broken.length} of them: ${broken.join('; ')}`);
  await pool.query('DELETE FROM unchecked_rows WHERE table_name = ANY($1::text[])', [tables]);
  return checks;
}

/**
 * Checks the tables a bulk load left marked (killed, or failed before its check passed) against
 * their foreign keys, unless a load is under way in another process; throws, as a start's migration
 * would, while rows break one. Returns the tables checked.
 */
export async function checkUncheckedRows(pool: pg.Pool): Promise<string[]> {
  const marked = await pool.query<{ table_name: string; since: Date }>('SELECT table_name, since FROM unchecked_rows ORDER BY table_name');
  if (marked.rows.length === 0 || await loadUnderWay(pool)) return [];
  const tables = marked.rows.map((r) => r.table_name);
  await checkForeignKeys(pool, tables).catch((broken: Error) => {
    throw new Error(`a bulk load that did not finish (since ${marked.rows[0]!.since.toISOString()}) left ${tables.join(', ')} unchecked, and ${broken.message}; `
      + 'delete those rows (or what they should reference is missing) and start again');
  });
  return tables;
}
