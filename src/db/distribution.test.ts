// The scale path, checked against the catalog: Citus is not installable here, so what it would refuse
// (a key without the distribution column, a foreign key it cannot check on one node) is read from
// pg_constraint, pg_index and pg_attribute of the database the real migrations built.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Queryable } from './tx.js';
import { DISTRIBUTION_COLUMN, PLACEMENT, type Placement } from './distribution.js';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';

const KIND = { p: 'primary key', u: 'unique constraint', x: 'exclusion constraint' } as const;
const ACTION: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * What Citus would refuse in the current schema, given where each table goes: one line per problem,
 * naming the table and the constraint. Empty when the schema is ready to distribute.
 */
async function distributionProblems(db: Queryable, placement: Placement): Promise<string[]> {
  const problems: string[] = [];
  const col = DISTRIBUTION_COLUMN;
  const placeOf = new Map<string, string>();
  for (const [list, tables] of Object.entries(placement)) {
    for (const table of tables as readonly string[]) {
      const other = placeOf.get(table);
      if (other) problems.push(`${table}: listed twice (${other} and ${list})`);
      else placeOf.set(table, list);
    }
  }

  const tables = (await db.query<{ name: string }>(
    `SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`)).rows.map((r) => r.name);
  for (const table of tables) if (!placeOf.has(table)) problems.push(`${table}: in no list of src/db/distribution.ts`);
  for (const table of placeOf.keys()) if (!tables.includes(table)) problems.push(`${table}: listed, but no such table`);
  const distributed = placement.distributed.filter((t) => tables.includes(t));

  // The distribution column: present, never null, of one type in every co-located table.
  const columnOf = (name: string) => db.query<{ table: string; type: string; notnull: boolean }>(
    `SELECT c.relname::text AS table, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attname = $1 AND a.attnum > 0 AND NOT a.attisdropped`,
    [name]);
  const columns = new Map((await columnOf(col)).rows.map((r) => [r.table, r]));
  const first = distributed.find((t) => columns.has(t));
  for (const table of distributed) {
    const c = columns.get(table);
    if (!c) problems.push(`${table}: distributed, but has no ${col} column`);
    else if (!c.notnull) problems.push(`${table}: ${col} may be null (Citus places a row by it)`);
    else if (first && c.type !== columns.get(first)!.type) {
      problems.push(`${table}: ${col} is ${c.type}, not ${columns.get(first)!.type} as in ${first} (co-located tables need one type)`);
    }
  }

  // Every primary key, unique constraint, unique index and exclusion constraint holds the column.
  const indexes = (await db.query<{ table: string; index: string; constraint: string | null; contype: keyof typeof KIND | null;
    keys: string[] }>(
    `SELECT t.relname::text AS table, i.relname::text AS index, con.conname::text AS constraint, con.contype::text AS contype,
            ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) AS k) AS keys
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid AND con.contype IN ('p', 'u', 'x')
      WHERE n.nspname = current_schema() AND (x.indisunique OR x.indisexclusion)
      ORDER BY 1, 2`)).rows;
  for (const ix of indexes) {
    if (!distributed.includes(ix.table) || ix.keys.includes(col)) continue;
    const what = ix.contype ? `${KIND[ix.contype]} ${ix.constraint}` : `unique index ${ix.index}`;
    problems.push(`${ix.table}: ${what} (${ix.keys.join(', ')}) lacks ${col}`);
  }

  // Foreign keys: between distributed tables on the column at the same place on both sides; never
  // from a reference or local table to a distributed one; never from a distributed table to a local one.
  const foreignKeys = (await db.query<{ name: string; table: string; referenced: string; columns: string[]; referencedColumns: string[];
    ondelete: string; onupdate: string }>(
    `SELECT con.conname::text AS name, s.relname::text AS table, r.relname::text AS referenced,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS "referencedColumns",
            con.confdeltype::text AS ondelete, con.confupdtype::text AS onupdate
       FROM pg_constraint con JOIN pg_class s ON s.oid = con.conrelid JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = s.relnamespace
      WHERE con.contype = 'f' AND n.nspname = current_schema()
      ORDER BY 2, 1`)).rows;
  for (const fk of foreignKeys) {
    const from = placeOf.get(fk.table);
    const to = placeOf.get(fk.referenced);
    if (!from || !to) continue; // reported above as unlisted
    const named = `${fk.table}: foreign key ${fk.name} (${fk.columns.join(', ')}) → ${fk.referenced} (${fk.referencedColumns.join(', ')})`;
    if (from === 'distributed' && to === 'distributed') {
      const at = fk.columns.indexOf(col);
      if (at < 0 || fk.referencedColumns[at] !== col) problems.push(`${named} lacks ${col} on both sides at the same place`);
    } else if (from === 'distributed' && to === 'local') {
      problems.push(`${named}: a distributed table may reference only distributed and reference tables`);
    } else if (from !== 'distributed' && to === 'distributed') {
      problems.push(`${named}: a ${from} table may not reference a distributed table`);
    } else if (from === 'reference' && to === 'local' && !(['a', 'r'].includes(fk.ondelete) && ['a', 'r'].includes(fk.onupdate))) {
      problems.push(`${named}: a reference table may reference a local one only with NO ACTION or RESTRICT`);
    }
    // Citus refuses a referential action that would set the distribution column (it never moves a row).
    if (from === 'distributed' && fk.columns.includes(col) && (['n', 'd'].includes(fk.ondelete) || ['n', 'd', 'c'].includes(fk.onupdate))) {
      problems.push(`${named}: ON DELETE ${ACTION[fk.ondelete]} / ON UPDATE ${ACTION[fk.onupdate]} would change ${col}`);
    }
  }

  // Not Citus, PostgreSQL 15: with the column in the key, a lookup by id alone needs an index led by
  // the id (no skip scan), or it scans the table.
  const idFirst = new Set((await db.query<{ table: string }>(
    `SELECT DISTINCT t.relname::text AS table FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema() AND x.indisvalid AND pg_get_indexdef(x.indexrelid, 1, true) = 'id'`)).rows.map((r) => r.table));
  const withId = new Set((await columnOf('id')).rows.map((r) => r.table));
  for (const table of distributed) {
    if (withId.has(table) && !idFirst.has(table)) problems.push(`${table}: no index led by id (a lookup by id alone would scan the table)`);
  }
  return problems;
}

describe('the scale path (Citus, distributed by city_code)', () => {
  let p: TestPlatform;
  before(async () => { p = await startTestPlatform({ seed: false }); });
  after(() => p.close());

  it('places every table in one list, with city_code in every key and reference that Citus needs it in', async () => {
    assert.deepEqual(await distributionProblems(p.db.pool, PLACEMENT), []);
  });

  it('names the table and the constraint of each thing Citus would refuse', async () => {
    const client = await p.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`
        CREATE TABLE probe_parent (id bigint PRIMARY KEY, city_code text NOT NULL);
        CREATE TABLE probe_child (city_code text, parent_id bigint REFERENCES probe_parent (id), code text,
          consumer text REFERENCES event_consumers (name), CONSTRAINT probe_child_code UNIQUE (code));
        CREATE UNIQUE INDEX probe_child_code_lower ON probe_child (lower(code), city_code);
        CREATE UNIQUE INDEX probe_child_parent ON probe_child (parent_id) WHERE code IS NULL;
        CREATE TABLE probe_no_city (name text);
        CREATE TABLE probe_typed (city_code int NOT NULL);
        CREATE TABLE probe_orders (id bigint, city_code text NOT NULL, order_id uuid, other_city text, merged uuid,
          PRIMARY KEY (city_code, id),
          CONSTRAINT probe_orders_order FOREIGN KEY (other_city, order_id) REFERENCES orders (city_code, id),
          CONSTRAINT probe_orders_merged FOREIGN KEY (city_code, merged) REFERENCES orders (city_code, id) ON DELETE SET NULL);
        CREATE TABLE probe_reference (code text PRIMARY KEY, city_code text NOT NULL, order_id uuid,
          CONSTRAINT probe_reference_order FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id));
        CREATE TABLE probe_local (city_code text NOT NULL, order_id uuid,
          CONSTRAINT probe_local_order FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id));
        CREATE TABLE probe_unlisted (id int);`);
      const problems = await distributionProblems(client, {
        distributed: [...PLACEMENT.distributed, 'probe_parent', 'probe_child', 'probe_no_city', 'probe_typed', 'probe_orders', 'probe_gone'],
        reference: [...PLACEMENT.reference, 'probe_reference'],
        local: [...PLACEMENT.local, 'probe_local', 'orders'],
      });
      assert.deepEqual(problems.sort(), [
        'orders: listed twice (distributed and local)',
        'probe_child: city_code may be null (Citus places a row by it)',
        'probe_child: foreign key probe_child_consumer_fkey (consumer) → event_consumers (name): '
          + 'a distributed table may reference only distributed and reference tables',
        'probe_child: foreign key probe_child_parent_id_fkey (parent_id) → probe_parent (id) lacks city_code on both sides at the same place',
        'probe_child: unique constraint probe_child_code (code) lacks city_code',
        'probe_child: unique index probe_child_parent (parent_id) lacks city_code',
        'probe_gone: listed, but no such table',
        'probe_local: foreign key probe_local_order (city_code, order_id) → orders (city_code, id): a local table may not reference a distributed table',
        'probe_no_city: distributed, but has no city_code column',
        'probe_orders: foreign key probe_orders_merged (city_code, merged) → orders (city_code, id): '
          + 'ON DELETE SET NULL / ON UPDATE NO ACTION would change city_code',
        'probe_orders: foreign key probe_orders_order (other_city, order_id) → orders (city_code, id) lacks city_code on both sides at the same place',
        'probe_orders: no index led by id (a lookup by id alone would scan the table)',
        'probe_parent: primary key probe_parent_pkey (id) lacks city_code',
        'probe_reference: foreign key probe_reference_order (city_code, order_id) → orders (city_code, id): '
          + 'a reference table may not reference a distributed table',
        'probe_typed: city_code is integer, not text as in orders (co-located tables need one type)',
        'probe_unlisted: in no list of src/db/distribution.ts',
      ].sort());
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    assert.deepEqual(await distributionProblems(p.db.pool, PLACEMENT), [], 'the probes are gone with the transaction');
  });
});
