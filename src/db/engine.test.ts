import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prepared, withTransaction } from './tx.js';
import { copyRows } from './copy.js';
import { openDatabase } from './engine.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestPlatform, type TestPlatform } from '../testing/harness.js';

describe('database engine', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform({ seed: false });
    await p.db.pool.query('CREATE TABLE t_parent (id int PRIMARY KEY); CREATE TABLE t_child (parent int REFERENCES t_parent (id))');
  });
  after(() => p.close());

  const insertChild = (parent: number) => prepared('INSERT INTO t_child (parent) VALUES ($1)', [parent]);

  it('runs a prepared statement again after its execution failed, on a pooled query and inside a transaction', async () => {
    await assert.rejects(p.db.pool.query(insertChild(1)), /foreign key/);
    await assert.rejects(p.db.pool.query(insertChild(1)), /foreign key/); // not "already exists"
    await p.db.pool.query('INSERT INTO t_parent VALUES (1)');
    await p.db.pool.query(insertChild(1));
    await assert.rejects(withTransaction(p.db.pool, (c) => c.query(insertChild(2))), /foreign key/);
    await withTransaction(p.db.pool, (c) => c.query(insertChild(1)));
    assert.equal((await p.db.pool.query('SELECT count(*) AS n FROM t_child')).rows[0].n, 2);
  });

  it('rolls back everything a failed transaction wrote', async () => {
    await assert.rejects(withTransaction(p.db.pool, async (c) => {
      await c.query('INSERT INTO t_parent VALUES (2)');
      await c.query('INSERT INTO t_child VALUES (99)');
    }), /foreign key/);
    assert.equal((await p.db.pool.query('SELECT count(*) AS n FROM t_parent WHERE id = 2')).rows[0].n, 0);
  });

  it('answers queries that waited for the connection of a query that failed', async () => {
    // pg-pool replaces a client whose query failed once that client has ended; on PGlite (one
    // pooled connection) the queries queued behind it waited for ever until the worker socket ended
    const answers = await Promise.race([
      Promise.all(Array.from({ length: 6 }, (_, i) => p.db.pool.query('SELECT $1::int AS n', [i % 2 ? i : 'not a number'])
        .then((r) => r.rows[0].n as number, (error: Error) => error.message))),
      new Promise((resolve) => setTimeout(() => resolve('stranded'), 5_000)),
    ]);
    assert.deepEqual(answers, [0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? i : 'invalid input syntax for type integer: "not a number"')));
  });

  it('loads rows by COPY inside a transaction, escapes what delimits, and reports a bad row without losing the connection', async () => {
    await p.db.pool.query('CREATE TABLE t_copied (n int, note text, at timestamptz, flag boolean)');
    const at = new Date('2026-12-03T08:00:00Z');
    const rows = Array.from({ length: 5_000 }, (_, i) => [i, i % 2 ? `第${i}行\t带\\反斜杠\n换行` : null, at, i % 3 === 0]);
    assert.equal(await withTransaction(p.db.pool, (c) => copyRows(c, 't_copied', ['n', 'note', 'at', 'flag'], rows)), 5_000);
    const back = (await p.db.pool.query('SELECT n, note, at, flag FROM t_copied WHERE n IN (0, 7) ORDER BY n')).rows;
    assert.deepEqual(back, [{ n: 0, note: null, at, flag: true }, { n: 7, note: '第7行\t带\\反斜杠\n换行', at, flag: false }]);
    await assert.rejects(withTransaction(p.db.pool, (c) => copyRows(c, 't_copied', ['n'], [[1], ['not a number']])), /invalid input syntax/);
    assert.equal((await p.db.pool.query('SELECT count(*) AS n FROM t_copied')).rows[0].n, 5_000);
  });

  it('keeps a transaction to its connection: another connection neither writes into it nor reads it, and shares its prepared statements', async () => {
    await p.db.pool.query('CREATE TABLE t_isolated (n int)');
    const count = prepared('SELECT count(*) AS n FROM t_isolated', []);
    const [a, b] = [await p.db.pool.connect(), await p.db.pool.connect()];
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO t_isolated VALUES (1)');
      assert.equal((await a.query(count)).rows[0].n, 1); // prepared by a, inside its transaction
      // b's statements: on a server they run beside a's transaction; on PGlite (one session) they
      // wait for it to end, so that neither lands inside it
      let bDone = false;
      const bWrote = b.query('INSERT INTO t_isolated VALUES (2)').then(() => b.query(count)).then((r) => { bDone = true; return r.rows[0].n as number; });
      await new Promise((r) => setTimeout(r, 200));
      if (p.db.engine === 'pglite') assert.equal(bDone, false, 'waits for the transaction');
      await a.query('ROLLBACK'); // a's row goes; b's stays
      assert.equal(await bWrote, 1, 'b saw its own row, never a\'s');
      assert.equal((await a.query(count)).rows[0].n, 1);
    } finally {
      a.release();
      b.release();
    }
  });

  it('prepares a statement once when two connections ask for it at once, while a third holds a transaction', async () => {
    const holder = await p.db.pool.connect();
    const [b, c] = [await p.db.pool.connect(), await p.db.pool.connect()];
    try {
      await holder.query('BEGIN'); // on PGlite b's and c's first use of the statement queue behind it, each with its Parse
      const statement = prepared(`SELECT $1::int * 2 AS n -- ${Date.now()}`, [21]);
      const both = Promise.all([b.query(statement), c.query(statement)]);
      await new Promise((r) => setTimeout(r, 100));
      await holder.query('COMMIT');
      assert.deepEqual((await both).map((r) => r.rows[0].n), [42, 42]);
    } finally {
      for (const client of [holder, b, c]) client.release();
    }
  });

  it('returns counts as numbers on both engines', async () => {
    assert.equal(typeof (await p.db.pool.query('SELECT count(*) AS n FROM t_parent')).rows[0].n, 'number');
  });

  it('plans without parallel workers on a server, unless its URL asks for them', {
    skip: process.env.DATABASE_URL ? false : 'a server only: PGlite starts no workers',
  }, async () => {
    const settings = async (options: string | null) => {
      const url = new URL(p.config.databaseUrl!);
      if (options) url.searchParams.set('options', options);
      const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
      try {
        return (await db.pool.query(`SELECT current_setting('max_parallel_workers_per_gather') AS workers, current_setting('work_mem') AS memory`)).rows[0];
      } finally {
        await db.close();
      }
    };
    assert.equal((await settings(null)).workers, '0');
    // the URL's options are added to ours, not put in their place
    assert.deepEqual(await settings('-c work_mem=8MB'), { workers: '0', memory: '8MB' });
    assert.equal((await settings('-c max_parallel_workers_per_gather=2')).workers, '2');
  });

  it('checkpoints a PGlite folder by itself once the WAL since the last passes its limit, inside a long transaction too, leaving it whole', {
    skip: process.env.DATABASE_URL ? 'PGlite only: a server has its checkpointer' : false,
  }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-wal-'));
    const db = await openDatabase({ dataDir: dir, checkpointWalBytes: 8 * 2 ** 20 });
    const client = await db.pool.connect();
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      const wal = async () => (await client.query(`SELECT (pg_control_checkpoint()).redo_lsn::text AS redo,
        pg_wal_lsn_diff(pg_current_wal_insert_lsn(), (pg_control_checkpoint()).redo_lsn)::float8 AS since`)).rows[0] as { redo: string; since: number };
      const checkpointed = async (after: string) => {
        const deadline = Date.now() + 10_000;
        let now = await wal();
        while (now.redo === after && Date.now() < deadline) {
          await pause(100);
          now = await wal();
        }
        return now;
      };
      await client.query('CREATE TABLE w (s text)');
      // not between a BEGIN and its first statement: that one may still set the isolation level
      await client.query('BEGIN');
      await pause(1500);
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await client.query('COMMIT');
      // a transaction writing three times the limit, left open between its statements
      await client.query('BEGIN');
      const before = await wal();
      await client.query(`INSERT INTO w SELECT repeat(md5(g::text), 16) FROM generate_series(1, 40000) g`);
      const during = await checkpointed(before.redo);
      assert.notEqual(during.redo, before.redo, 'a checkpoint inside the transaction');
      assert.ok(during.since < 8 * 2 ** 20, `${during.since} bytes of WAL since the checkpoint`);
      await client.query(`INSERT INTO w VALUES ('last')`);
      await client.query('COMMIT');
      assert.equal((await client.query('SELECT count(*)::int AS n FROM w')).rows[0].n, 40_001);
      // a failed transaction is left failed, for its connection to roll back
      await client.query('BEGIN');
      await client.query(`INSERT INTO w SELECT repeat(md5(g::text), 16) FROM generate_series(1, 40000) g`);
      await assert.rejects(client.query('SELECT 1 / 0'), /division by zero/);
      await pause(2500); // the keeper looks twice
      await assert.rejects(client.query('SELECT 1'), /current transaction is aborted/);
      await client.query('ROLLBACK');
      assert.equal((await client.query('SELECT count(*)::int AS n FROM w')).rows[0].n, 40_001);
      // and then checkpointed, once free
      const after = await checkpointed((await wal()).redo);
      assert.ok(after.since < 8 * 2 ** 20, `${after.since} bytes of WAL since the checkpoint`);
    } finally {
      await client.query('ROLLBACK'); // a warning only, when the transaction ended
      client.release();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
