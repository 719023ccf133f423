// A bulk load into tables that hold little yet runs faster without their secondary indexes and
// foreign keys, as pg_restore loads: a row no longer updates every index nor looks up every row it
// references as it arrives; each index is built once at the end by one sort, and each foreign key is
// added again, which checks every row at once (a join). Unique indexes and primary keys stay: they
// keep the load correct as it goes; they are built again at the end, compact.
//
// The definitions dropped are written to `dropped_indexes` (foreign keys too, despite its name) in
// the transaction that drops them, so a load that dies half way leaves them there, and the next
// start builds them again before anything reads the tables (`buildDroppedIndexes`, called by
// `migrate` unless a load is under way).
import type pg from 'pg';
import { ADVISORY_LOCKS, holdSessionLock } from './locks.js';
import { withTransaction, type Queryable } from './tx.js';

/** Where the dropped definitions wait to be built again (made by `migrate`, as its own table is). */
export const DROPPED_INDEXES_TABLE = `CREATE TABLE IF NOT EXISTS dropped_indexes (
  name text PRIMARY KEY, table_name text NOT NULL, definition text NOT NULL, dropped_at timestamptz NOT NULL DEFAULT now())`;

/** Memory for each index build: enough to sort tens of millions of keys in few passes, on either engine. */
const BUILD_MEMORY = '256MB';

export interface IndexBuild { name: string; seconds: number }

/**
 * Held by a bulk load from its drop to its last build (an advisory lock's key): a process starting
 * meanwhile on the same server finds it taken and leaves the dropped indexes to the load, instead of
 * building them halfway through it (`loadUnderWay`).
 */
const LOAD_LOCK = ADVISORY_LOCKS.bulkLoad;

/**
 * Runs `load` with the non-unique indexes and the foreign keys of `tables` dropped, then builds them
 * again, whether the load succeeded or not. `schemaLock` is the lock `migrate` holds. Returns what
 * `load` returned and how long each index and key took to build (a key: to check every row).
 */
export async function withoutSecondaryIndexesOrForeignKeys<T>(pool: pg.Pool, schemaLock: number, tables: readonly string[], load: () => Promise<T>):
  Promise<{ result: T; builds: IndexBuild[] }> {
  const release = await holdSessionLock(pool, LOAD_LOCK); // for the load's whole length
  try {
    await withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [schemaLock]);
      for (const index of await indexesOf(tx, tables, 'secondary')) {
        await tx.query('INSERT INTO dropped_indexes (name, table_name, definition) VALUES ($1, $2, $3)', [index.name, index.table_name, index.definition]);
        await tx.query(`DROP INDEX ${index.qualified}`);
      }
      for (const key of await foreignKeysOf(tx, tables)) {
        await tx.query('INSERT INTO dropped_indexes (name, table_name, definition) VALUES ($1, $2, $3)', [key.name, key.table_name, key.definition]);
        await tx.query(`ALTER TABLE ${key.qualified_table} DROP CONSTRAINT ${key.quoted_name}`);
      }
    });
    const rebuild = () => withTransaction(pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [schemaLock]);
      return buildDroppedIndexes(tx);
    });
    let result: T;
    try {
      result = await load();
    } catch (error) {
      // the load's error is the one reported; a failed build is left to the next start
      await rebuild().catch(() => undefined);
      throw error;
    }
    const builds = await rebuild();
    return { result, builds: [...builds, ...await compactUniqueIndexes(pool, tables)] };
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
 * The foreign keys of `tables`, each with the statement that adds it again. Keys into these tables
 * from others stay: a row loaded never fires them.
 */
async function foreignKeysOf(db: Queryable, tables: readonly string[]) {
  const result = await db.query<{ name: string; quoted_name: string; qualified_table: string; table_name: string; definition: string }>(
    `SELECT c.conname AS name, quote_ident(c.conname) AS quoted_name, c.conrelid::regclass::text AS qualified_table, t.relname AS table_name,
            format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'f' AND t.relname = ANY($1::text[]) AND pg_table_is_visible(t.oid) ORDER BY 1`, [tables]);
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
 * Builds every index and adds every foreign key a bulk load dropped and has not built again (the
 * indexes first); returns what it built. `tx` is a transaction holding the lock the drop took
 * (`migrate` holds it at every start), so that processes starting together never build one twice.
 * A row that breaks a key fails the statement, naming the key and the row: the transaction is
 * rolled back, and the definitions wait for the next start.
 */
export async function buildDroppedIndexes(tx: Queryable): Promise<IndexBuild[]> {
  const pending = await tx.query<{ name: string; table_name: string; definition: string; is_key: boolean }>(
    `SELECT name, table_name, definition, definition LIKE 'ALTER TABLE %' AS is_key FROM dropped_indexes ORDER BY 4, dropped_at, name`);
  const builds: IndexBuild[] = [];
  if (pending.rows.length === 0) return builds;
  await tx.query(`SET LOCAL maintenance_work_mem = '${BUILD_MEMORY}'`);
  // the check of a key joins the table to the one it references, and hashes with this memory
  await tx.query(`SET LOCAL work_mem = '${BUILD_MEMORY}'`);
  for (const dropped of pending.rows) {
    const started = Date.now();
    // an index or key someone made again by hand meanwhile is kept
    if (!dropped.is_key) await tx.query(dropped.definition.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
    else if (!await constraintExists(tx, dropped.table_name, dropped.name)) await tx.query(dropped.definition);
    await tx.query('DELETE FROM dropped_indexes WHERE name = $1', [dropped.name]);
    builds.push({ name: dropped.name, seconds: (Date.now() - started) / 1000 });
  }
  return builds;
}

async function constraintExists(tx: Queryable, table: string, name: string): Promise<boolean> {
  const found = await tx.query('SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(quote_ident($1)) AND conname = $2', [table, name]);
  return found.rows.length > 0;
}

