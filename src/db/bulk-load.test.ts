import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { withIndexesBuiltAfter, withoutSecondaryIndexesOrForeignKeys } from './bulk-load.js';
import { withTransaction } from './tx.js';
import { migrate, MIGRATION_LOCK } from './migrate.js';

describe('a bulk load without secondary indexes or foreign keys', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ seed: false });
    await p.db.pool.query(`CREATE TABLE load_kind (id int PRIMARY KEY); INSERT INTO load_kind SELECT generate_series(0, 6);
      CREATE TABLE load_probe (id int PRIMARY KEY, kind int NOT NULL REFERENCES load_kind, code text UNIQUE, note text);
      CREATE INDEX load_probe_kind ON load_probe (kind); CREATE INDEX load_probe_note ON load_probe (lower(note)) WHERE note IS NOT NULL`);
  });
  after(() => p.close());

  const keys = async () => (await p.db.pool.query(`SELECT conname, pg_get_constraintdef(oid) AS definition, convalidated FROM pg_constraint
    WHERE conrelid = 'load_probe'::regclass AND contype = 'f'`)).rows;
  const KEY = { conname: 'load_probe_kind_fkey', definition: 'FOREIGN KEY (kind) REFERENCES load_kind(id)', convalidated: true };
  const indexes = async () => (await p.db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'load_probe' ORDER BY 1`)).rows.map((r) => r.indexname);
  const ALL = ['load_probe_code_key', 'load_probe_kind', 'load_probe_note', 'load_probe_pkey'];
  const load = (from: number) => p.db.pool.query(`INSERT INTO load_probe SELECT n, n % 7, 'c' || n, CASE WHEN n % 2 = 0 THEN 'Note ' || n END
    FROM generate_series($1::int, $1::int + 999) n`, [from]);

  it('drops the secondary indexes and foreign keys while it loads, keeps the unique indexes, and builds the dropped ones again as they were', async () => {
    const definitions = async () => (await p.db.pool.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'load_probe' ORDER BY indexname`)).rows.map((r) => r.indexdef);
    const before = await definitions();
    const { result, builds } = await withoutSecondaryIndexesOrForeignKeys(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      assert.deepEqual(await indexes(), ['load_probe_code_key', 'load_probe_pkey'], 'uniqueness is kept during the load');
      assert.deepEqual(await keys(), [], 'no row looks up its kind as it arrives');
      const loaded = await load(0);
      await assert.rejects(p.db.pool.query(`INSERT INTO load_probe VALUES (100000, 1, 'c1')`), /duplicate key/);
      return loaded;
    });
    assert.equal(result.rowCount, 1_000);
    assert.deepEqual(builds.map((b) => b.name).sort(), ['load_probe_code_key', 'load_probe_kind', 'load_probe_kind_fkey', 'load_probe_note', 'load_probe_pkey'],
      'the dropped ones built, the kept ones built again');
    assert.deepEqual(await definitions(), before);
    assert.deepEqual(await keys(), [KEY], 'the key added again, every row checked');
    await assert.rejects(p.db.pool.query(`INSERT INTO load_probe VALUES (100001, 7)`), /violates foreign key constraint "load_probe_kind_fkey"/);
    const valid = await p.db.pool.query(`SELECT bool_and(indisvalid AND indisready) AS ok FROM pg_index WHERE indrelid = 'load_probe'::regclass`);
    assert.equal(valid.rows[0].ok, true, 'each index built whole, ready for queries');
  });

  it('leaves the unique indexes it kept compact: rows arriving out of order had split their pages half full', async () => {
    const size = async () => Number((await p.db.pool.query(`SELECT pg_relation_size('load_probe_pkey')::float8 AS b`)).rows[0].b);
    let duringLoad = 0;
    await withoutSecondaryIndexesOrForeignKeys(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await p.db.pool.query(`INSERT INTO load_probe SELECT n, n % 7 FROM generate_series(100000, 139999) n ORDER BY (n * 7919) % 40009`);
      duringLoad = await size();
    });
    assert.ok(await size() < duringLoad * 0.8, `the key: ${await size()} bytes after the load, ${duringLoad} during it`);
  });

  it('builds them again when the load fails, and the error still surfaces', async () => {
    await assert.rejects(withoutSecondaryIndexesOrForeignKeys(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await load(5_000);
      throw new Error('the generator broke');
    }), /the generator broke/);
    assert.deepEqual(await indexes(), ALL);
  });

  it('fails the load when a row written breaks a key, naming it; the key waits for the next start, once the row is mended', async () => {
    await assert.rejects(withoutSecondaryIndexesOrForeignKeys(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await p.db.pool.query(`INSERT INTO load_probe VALUES (200000, 9, 'c200000')`);
    }), /violates foreign key constraint "load_probe_kind_fkey"/);
    assert.deepEqual(await keys(), [], 'not added over a row that breaks it');
    await assert.rejects(migrate(p.db.pool), /violates foreign key constraint "load_probe_kind_fkey"/, 'nor at the next start');
    await p.db.pool.query('DELETE FROM load_probe WHERE kind = 9');
    await migrate(p.db.pool);
    assert.deepEqual(await keys(), [KEY]);
    assert.deepEqual(await indexes(), ALL);
  });

  it('leaves them to the load when another process starts during it', { skip: process.env.DATABASE_URL ? false : 'PGlite: the folder is one process\'s, no other can start' }, async () => {
    await withoutSecondaryIndexesOrForeignKeys(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await load(10_000);
      await migrate(p.db.pool); // what a server or a command starting now does
      assert.deepEqual(await indexes(), ['load_probe_code_key', 'load_probe_pkey'], 'not built halfway through the load');
      assert.deepEqual(await keys(), []);
    });
    assert.deepEqual(await indexes(), ALL);
    assert.deepEqual(await keys(), [KEY]);
  });

  it('builds them at the next start when the process died during the load', async () => {
    // what a load leaves when killed between its drop and its end: the definitions kept, the indexes gone
    await p.db.pool.query(`INSERT INTO dropped_indexes (name, table_name, definition)
      SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname IN ('load_probe_kind', 'load_probe_note')`);
    await p.db.pool.query(`INSERT INTO dropped_indexes (name, table_name, definition)
      VALUES ('load_probe_kind_fkey', 'load_probe', 'ALTER TABLE load_probe ADD CONSTRAINT load_probe_kind_fkey FOREIGN KEY (kind) REFERENCES load_kind(id)')`);
    await p.db.pool.query('DROP INDEX load_probe_kind; DROP INDEX load_probe_note; ALTER TABLE load_probe DROP CONSTRAINT load_probe_kind_fkey');
    await migrate(p.db.pool);
    assert.deepEqual(await indexes(), ALL);
    assert.deepEqual(await keys(), [KEY]);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM dropped_indexes')).rows[0].n, 0);
  });
});

describe('a table filled bare in a transaction, its indexes built after', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ seed: false });
    await p.db.pool.query(`CREATE TABLE fill_probe (city text, id int, code text UNIQUE, PRIMARY KEY (city, id));
      CREATE INDEX fill_probe_code ON fill_probe (city, code) WHERE code IS NOT NULL`);
  });
  after(() => p.close());

  const definitions = async () => (await p.db.pool.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'fill_probe' ORDER BY 1`)).rows;
  const fill = (tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) => tx.query(`INSERT INTO fill_probe
    SELECT 'a', n, CASE WHEN n % 3 > 0 THEN 'c' || n END FROM generate_series(1, 1000) n`);

  it('fills the table with no index, then builds every one as it was, its key and unique constraint enforced again', async () => {
    const before = await definitions();
    const inserted = await withTransaction(p.db.pool, async (tx) => {
      await tx.query('LOCK TABLE fill_probe IN ACCESS EXCLUSIVE MODE');
      return withIndexesBuiltAfter(tx, 'fill_probe', async () => {
        assert.equal((await tx.query(`SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'fill_probe'::regclass`)).rows[0].n, 0,
          'no index while it fills');
        return fill(tx);
      });
    });
    assert.equal(inserted.rowCount, 1_000);
    assert.deepEqual(await definitions(), before);
    const constraints = await p.db.pool.query(`SELECT contype FROM pg_constraint WHERE conrelid = 'fill_probe'::regclass AND contype IN ('p', 'u') ORDER BY 1`);
    assert.deepEqual(constraints.rows.map((r) => r.contype), ['p', 'u']);
    await assert.rejects(p.db.pool.query(`INSERT INTO fill_probe VALUES ('a', 1, NULL)`), /duplicate key/);
    await assert.rejects(p.db.pool.query(`INSERT INTO fill_probe VALUES ('a', 5000, 'c1')`), /duplicate key/);
  });

  it('leaves the table and its indexes as they were when the fill fails', async () => {
    const before = await definitions();
    await assert.rejects(withTransaction(p.db.pool, async (tx) => {
      await tx.query('DELETE FROM fill_probe');
      await withIndexesBuiltAfter(tx, 'fill_probe', async () => {
        await fill(tx);
        throw new Error('the fill broke');
      });
    }), /the fill broke/);
    assert.deepEqual(await definitions(), before);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM fill_probe')).rows[0].n, 1_000);
  });
});
