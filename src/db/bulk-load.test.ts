import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { checkForeignKeys, markRowsUnchecked, mayCheckForeignKeysAtEnd, skipRowChecks, withIndexesBuiltAfter, withoutSecondaryIndexes } from './bulk-load.js';
import { withTransaction } from './tx.js';
import { migrate, MIGRATION_LOCK } from './migrate.js';

describe('a bulk load without secondary indexes', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ seed: false });
    await p.db.pool.query(`CREATE TABLE load_probe (id int PRIMARY KEY, kind int NOT NULL, code text UNIQUE, note text);
      CREATE INDEX load_probe_kind ON load_probe (kind); CREATE INDEX load_probe_note ON load_probe (lower(note)) WHERE note IS NOT NULL`);
  });
  after(() => p.close());

  const indexes = async () => (await p.db.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'load_probe' ORDER BY 1`)).rows.map((r) => r.indexname);
  const ALL = ['load_probe_code_key', 'load_probe_kind', 'load_probe_note', 'load_probe_pkey'];
  const load = (from: number) => p.db.pool.query(`INSERT INTO load_probe SELECT n, n % 7, 'c' || n, CASE WHEN n % 2 = 0 THEN 'Note ' || n END
    FROM generate_series($1::int, $1::int + 999) n`, [from]);

  it('drops the secondary indexes while it loads, keeps the unique ones, and builds the dropped ones again as they were', async () => {
    const definitions = async () => (await p.db.pool.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'load_probe' ORDER BY indexname`)).rows.map((r) => r.indexdef);
    const before = await definitions();
    const { result, builds } = await withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      assert.deepEqual(await indexes(), ['load_probe_code_key', 'load_probe_pkey'], 'uniqueness is kept during the load');
      const loaded = await load(0);
      await assert.rejects(p.db.pool.query(`INSERT INTO load_probe VALUES (100000, 1, 'c1')`), /duplicate key/);
      return loaded;
    });
    assert.equal(result.rowCount, 1_000);
    assert.deepEqual(builds.map((b) => b.name).sort(), ['load_probe_code_key', 'load_probe_kind', 'load_probe_note', 'load_probe_pkey'],
      'the dropped ones built, the kept ones built again');
    assert.deepEqual(await definitions(), before);
    const valid = await p.db.pool.query(`SELECT bool_and(indisvalid AND indisready) AS ok FROM pg_index WHERE indrelid = 'load_probe'::regclass`);
    assert.equal(valid.rows[0].ok, true, 'each index built whole, ready for queries');
  });

  it('leaves the unique indexes it kept compact: rows arriving out of order had split their pages half full', async () => {
    const size = async () => Number((await p.db.pool.query(`SELECT pg_relation_size('load_probe_pkey')::float8 AS b`)).rows[0].b);
    let duringLoad = 0;
    await withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await p.db.pool.query(`INSERT INTO load_probe SELECT n, n % 7 FROM generate_series(100000, 139999) n ORDER BY (n * 7919) % 40009`);
      duringLoad = await size();
    });
    assert.ok(await size() < duringLoad * 0.8, `the key: ${await size()} bytes after the load, ${duringLoad} during it`);
  });

  it('builds them again when the load fails, and the error still surfaces', async () => {
    await assert.rejects(withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await load(5_000);
      throw new Error('the generator broke');
    }), /the generator broke/);
    assert.deepEqual(await indexes(), ALL);
  });

  it('runs the work beside the builds on the rows loaded and returns when both are done; a failure beside surfaces once the indexes are built', async () => {
    let counted = 0;
    const { builds } = await withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], () => load(20_000), {
      beside: async () => { counted = (await p.db.pool.query('SELECT count(*)::int AS n FROM load_probe WHERE id BETWEEN 20000 AND 29999')).rows[0].n; },
      afterBuilds: async () => [{ name: 'keys checked', seconds: 0 }],
    });
    assert.equal(counted, 1_000, 'beside read every row loaded');
    assert.equal(builds.at(-1)?.name, 'keys checked', 'after the builds, counted with them');
    await assert.rejects(withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], () => load(30_000), {
      beside: async () => { throw new Error('the count broke'); },
    }), /the count broke/);
    assert.deepEqual(await indexes(), ALL);
  });

  it('leaves them to the load when another process starts during it', { skip: process.env.DATABASE_URL ? false : 'PGlite: the folder is one process\'s, no other can start' }, async () => {
    await withoutSecondaryIndexes(p.db.pool, MIGRATION_LOCK, ['load_probe'], async () => {
      await load(10_000);
      await migrate(p.db.pool); // what a server or a command starting now does
      assert.deepEqual(await indexes(), ['load_probe_code_key', 'load_probe_pkey'], 'not built halfway through the load');
    });
    assert.deepEqual(await indexes(), ALL);
  });

  it('builds them at the next start when the process died during the load', async () => {
    // what a load leaves when killed between its drop and its end: the definitions kept, the indexes gone
    await p.db.pool.query(`INSERT INTO dropped_indexes (name, table_name, definition)
      SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname IN ('load_probe_kind', 'load_probe_note')`);
    await p.db.pool.query('DROP INDEX load_probe_kind; DROP INDEX load_probe_note');
    await migrate(p.db.pool);
    assert.deepEqual(await indexes(), ALL);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM dropped_indexes')).rows[0].n, 0);
  });
});

describe("a bulk load's rows checked against their foreign keys at the end", () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ seed: false });
    await p.db.pool.query(`CREATE TABLE key_parent (city text, id int, PRIMARY KEY (city, id)); INSERT INTO key_parent SELECT 'a', generate_series(1, 10);
      CREATE TABLE key_kind (code text PRIMARY KEY); INSERT INTO key_kind VALUES ('x'), ('y');
      CREATE TABLE key_child (city text NOT NULL, parent int, kind text NOT NULL REFERENCES key_kind, FOREIGN KEY (city, parent) REFERENCES key_parent)`);
  });
  after(() => p.close());

  it('may when the role may turn the checks off and the tables have no trigger of their own, a deferrable key\'s included', async () => {
    assert.equal(await mayCheckForeignKeysAtEnd(p.db.pool, ['key_child']), true, 'the tests connect as a superuser, on both engines');
    await p.db.pool.query(`CREATE FUNCTION key_touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
      CREATE TRIGGER key_touch BEFORE INSERT ON key_child FOR EACH ROW EXECUTE FUNCTION key_touch()`);
    assert.equal(await mayCheckForeignKeysAtEnd(p.db.pool, ['key_child']), false, 'the setting would turn that trigger off too');
    await p.db.pool.query('DROP TRIGGER key_touch ON key_child');
    await p.db.pool.query('ALTER TABLE key_child ADD CONSTRAINT key_child_once UNIQUE (city, parent) DEFERRABLE');
    assert.equal(await mayCheckForeignKeysAtEnd(p.db.pool, ['key_child']), false, 'a deferrable unique key is checked again by a trigger the setting turns off');
    await p.db.pool.query('ALTER TABLE key_child DROP CONSTRAINT key_child_once');
    assert.equal(await mayCheckForeignKeysAtEnd(p.db.pool, ['key_child']), true);
  });

  it("leaves the load's own rows unchecked as it writes them, checks others' as always, and finds every row that breaks a key at the end", async () => {
    await withTransaction(p.db.pool, async (tx) => {
      await skipRowChecks(tx);
      await tx.query(`INSERT INTO key_child SELECT 'a', n, 'x' FROM generate_series(1, 10) n`);
      await tx.query(`INSERT INTO key_child VALUES ('a', NULL, 'y'), ('a', 11, 'x'), ('b', 1, 'x'), ('a', 12, 'z')`);
    });
    // a server writing after the load's transaction (PGlite's engine is a transaction's while it lasts), maybe on the same pooled connection
    await assert.rejects(p.db.pool.query(`INSERT INTO key_child VALUES ('a', 13, 'x')`), /violates foreign key constraint "key_child_city_parent_fkey"/);
    await assert.rejects(checkForeignKeys(p.db.pool, ['key_child']), (error: Error) => {
      assert.match(error.message, /break 2 of them/);
      assert.match(error.message, /key_child_city_parent_fkey: 3 rows of key_child reference no row of key_parent, such as \(city, parent\)=\(a,11\)/);
      assert.match(error.message, /key_child_kind_fkey: 1 rows of key_child reference no row of key_kind, such as \(kind\)=\(z\)/);
      return true;
    }, 'a null parent breaks nothing (MATCH SIMPLE)');
    await p.db.pool.query(`DELETE FROM key_child WHERE parent > 10 OR city = 'b'`);
    const checks = await checkForeignKeys(p.db.pool, ['key_child']);
    assert.deepEqual(checks.map((c) => c.name), ['key_child_city_parent_fkey', 'key_child_kind_fkey']);
  });

  const marked = async () => (await p.db.pool.query('SELECT table_name FROM unchecked_rows ORDER BY 1')).rows.map((r) => r.table_name);

  it('keeps the tables marked until a check passes, so that the next start checks what a load killed half way wrote', async () => {
    await markRowsUnchecked(p.db.pool, ['key_child']);
    await markRowsUnchecked(p.db.pool, ['key_child']); // a second load's mark is the same
    // what a load leaves when killed after a batch, before its check: the mark and rows no check has seen
    await withTransaction(p.db.pool, async (tx) => {
      await skipRowChecks(tx);
      await tx.query(`INSERT INTO key_child VALUES ('a', 1, 'x'), ('a', 2, 'q')`);
    });
    await assert.rejects(migrate(p.db.pool), (error: Error) => {
      assert.match(error.message, /a bulk load that did not finish \(since 20\d\d-.+\) left key_child unchecked/);
      assert.match(error.message, /key_child_kind_fkey: 1 rows of key_child reference no row of key_kind, such as \(kind\)=\(q\)/);
      assert.match(error.message, /delete those rows/);
      return true;
    }, 'the start fails, as a migration that fails does, naming the key and a row');
    assert.deepEqual(await marked(), ['key_child'], 'still marked: the next start checks again');
    await p.db.pool.query(`DELETE FROM key_child WHERE kind = 'q'`);
    await migrate(p.db.pool);
    assert.deepEqual(await marked(), [], 'checked at the start, and the mark taken off');
  });

  it('takes the mark off when the check at the end of the load passes, and only then', async () => {
    await markRowsUnchecked(p.db.pool, ['key_child']);
    await p.db.pool.query(`INSERT INTO key_child VALUES ('a', 3, 'y')`);
    await checkForeignKeys(p.db.pool, ['key_parent']); // another table's check leaves this one's mark
    assert.deepEqual(await marked(), ['key_child']);
    await checkForeignKeys(p.db.pool, ['key_child']);
    assert.deepEqual(await marked(), []);
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
