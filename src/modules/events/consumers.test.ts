import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Actor } from '../auth/index.js';
import { makeStaff, registerTestOrder, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { withTransaction } from '../../db/tx.js';
import { LiveFeed } from './live.js';
import {
  appendEvents, consumersBehind, consumerStatus, drain, eventsAfter, drainCommitted, ensureConsumers, headCursor, readAfter, readableHead, readStream, runBatch, startConsumers, type Consumer, type NewEvent, type StoredEvent,
} from './index.js';

describe('durable consumers', () => {
  let p: TestPlatform;
  let agent: Actor;

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    // what the test consumers did: a second handling of one event breaks the primary key
    await p.db.pool.query('CREATE TABLE test_handled (consumer text, position bigint, at timestamptz DEFAULT clock_timestamp(), PRIMARY KEY (consumer, position))');
  });
  after(() => p.close());

  /** A consumer that records each registration it handles; `fail` decides whether a handling throws. */
  function recorder(name: string, fail: (e: StoredEvent) => boolean = () => false): Consumer {
    return {
      name, types: ['order.registered'],
      async handle(tx, events) {
        for (const e of events) {
          if (fail(e)) throw new Error(`cannot handle ${e.position}`);
          await tx.query('INSERT INTO test_handled (consumer, position) VALUES ($1, $2)', [name, e.position]);
        }
      },
    };
  }
  const handled = async (name: string) =>
    (await p.db.pool.query('SELECT position FROM test_handled WHERE consumer = $1 ORDER BY position', [name])).rows.map((r) => Number(r.position));
  const positionsOf = async (ids: string[]) =>
    (await p.db.pool.query(`SELECT id FROM events WHERE stream_id = ANY($1::uuid[]) AND type = 'order.registered' ORDER BY id`, [ids]))
      .rows.map((r) => Number(r.id));

  it('starts at the head of the log, and handles each later event once', async () => {
    await registerTestOrder(p, agent);
    await readableHead(p.db.pool); // a consumer starts at the readable head: with this order behind it
    const consumer = recorder('from-head');
    await ensureConsumers(p.db.pool, [consumer]);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await registerTestOrder(p, agent)).id);
    await readableHead(p.db.pool); // another database's write transaction on the server may hold the log back
    assert.equal(await drain(p.db.pool, consumer), 'idle');
    assert.equal(await drain(p.db.pool, consumer), 'idle', 'a second pass finds nothing new');
    assert.deepEqual(await handled('from-head'), await positionsOf(ids));
    const [status] = (await consumerStatus(p.db.pool)).filter((c) => c.name === 'from-head');
    assert.equal(status!.handled, 3);
    assert.equal(status!.behind, 0);
  });

  it('retries a failing handler later each time, shows the failure, and never passes the failing event', async () => {
    const consumer = recorder('flaky', (e) => broken.has(e.position));
    const broken = new Set<number>();
    await ensureConsumers(p.db.pool, [consumer]);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await registerTestOrder(p, agent)).id);
    const positions = await positionsOf(ids);
    broken.add(positions[1]!);
    await readableHead(p.db.pool);
    const t0 = new Date();
    assert.equal(await runBatch(p.db.pool, consumer, t0), 'failed');
    assert.deepEqual(await handled('flaky'), [], 'the failing batch is rolled back whole');
    let [status] = (await consumerStatus(p.db.pool, t0)).filter((c) => c.name === 'flaky');
    assert.equal(status!.failures, 1);
    assert.match(status!.lastError!, /cannot handle/);
    assert.equal(status!.behind >= 3, true);
    assert.equal(await runBatch(p.db.pool, consumer, new Date(t0.getTime() + 500)), 'waiting', 'not before the back-off');
    // after the back-off, one event at a time: the first goes through, the faulty one fails again, later
    await drain(p.db.pool, consumer, new Date(t0.getTime() + 1_001));
    assert.deepEqual(await handled('flaky'), [positions[0]]);
    [status] = (await consumerStatus(p.db.pool, t0)).filter((c) => c.name === 'flaky');
    assert.equal(status!.failures, 2);
    assert.equal(new Date(status!.retryAt!).getTime() - t0.getTime() - 1_001, 2_000, 'the second wait is twice the first');
    broken.clear();
    assert.equal(await drain(p.db.pool, consumer, new Date(t0.getTime() + 3_002)), 'idle');
    assert.deepEqual(await handled('flaky'), positions, 'each event once, in order, none skipped');
    [status] = (await consumerStatus(p.db.pool)).filter((c) => c.name === 'flaky');
    assert.equal(status!.failures, 0);
    assert.equal(status!.lastError, null);
  });

  it('runs a consumer in one process at a time: two runners racing handle each event once', async () => {
    const consumer = recorder('raced');
    await ensureConsumers(p.db.pool, [consumer]);
    // on a server, a second pool is a second process's connections; on PGlite the pool's connections take turns at the one session
    const other = p.db.engine === 'postgres' ? new pg.Pool({ connectionString: p.config.databaseUrl, max: 4 }) : p.db.pool;
    other.on('error', () => undefined); // a socket still closing when the test database is dropped
    try {
      const ids: string[] = [];
      const writing = (async () => {
        for (let i = 0; i < 30; i++) ids.push((await registerTestOrder(p, agent)).id);
      })();
      const racing = async (pool: pg.Pool) => {
        for (let i = 0; i < 20; i++) await drain(pool, consumer);
      };
      await Promise.all([writing, racing(p.db.pool), racing(other), racing(other)]);
      await drainCommitted(p.db.pool, consumer);
      assert.deepEqual(await handled('raced'), await positionsOf(ids));
    } finally {
      if (other !== p.db.pool) await other.end();
    }
  });

  /** A consumer that prepares each batch as its events' positions, and records what it handles; `during` runs inside a preparation. */
  function preparing(name: string, during: (events: StoredEvent[], call: number) => Promise<void> = async () => undefined) {
    const prepares: { outside: boolean; positions: number[] }[] = [];
    const consumer: Consumer<number[]> = {
      name, types: ['order.registered'],
      async prepare(db, events) {
        prepares.push({ outside: db === p.db.pool, positions: events.map((e) => e.position) });
        await during(events, prepares.length);
        return events.map((e) => e.position);
      },
      async handle(tx, events, positions) {
        assert.deepEqual(positions, events.map((e) => e.position), 'the handler gets what was prepared from its own events');
        for (const e of events) await tx.query('INSERT INTO test_handled (consumer, position) VALUES ($1, $2)', [name, e.position]);
      },
    };
    return { consumer, prepares };
  }
  const registered = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await registerTestOrder(p, agent)).id);
    await readableHead(p.db.pool);
    return ids;
  };

  it('prepares a batch before its transaction, and prepares it again in its transaction when the cursor moved meanwhile', async () => {
    const later: string[] = [];
    const { consumer, prepares } = preparing('moved', async (events, call) => {
      if (call > 1) return;
      // as if the batch were handled elsewhere meanwhile (the cursor moved past it), and one more order came in
      await withTransaction(p.db.pool, async (tx) => {
        for (const e of events) await tx.query('INSERT INTO test_handled (consumer, position) VALUES ($1, $2)', ['moved', e.position]);
        await tx.query('UPDATE event_consumers SET tx_id = $2::xid8, position = $3 WHERE name = $1', ['moved', events.at(-1)!.txId, events.at(-1)!.position]);
      });
      later.push(...await registered(1));
    });
    await readableHead(p.db.pool);
    await ensureConsumers(p.db.pool, [consumer]);
    const ids = await registered(2);
    assert.equal(await runBatch(p.db.pool, consumer), 'idle');
    const [first, second, third] = await positionsOf([...ids, ...later]);
    assert.deepEqual(prepares, [
      { outside: true, positions: [first, second] }, // read ahead
      { outside: false, positions: [third] }, // the cursor had moved: the batch after it, read and prepared in the transaction
    ]);
    assert.deepEqual(await handled('moved'), [first, second, third], 'each event handled once');
  });

  it('keeps the batch it read ahead: an event committed while the batch is prepared waits for the next batch', async () => {
    const later: string[] = [];
    const { consumer, prepares } = preparing('read-ahead', async (_events, call) => {
      if (call === 1) later.push(...await registered(1));
    });
    await readableHead(p.db.pool);
    await ensureConsumers(p.db.pool, [consumer]);
    const ids = await registered(2);
    assert.equal(await runBatch(p.db.pool, consumer), 'idle');
    assert.equal(await runBatch(p.db.pool, consumer), 'idle');
    const [first, second, third] = await positionsOf([...ids, ...later]);
    assert.deepEqual(prepares, [{ outside: true, positions: [first, second] }, { outside: true, positions: [third] }]);
    assert.deepEqual(await handled('read-ahead'), [first, second, third]);
  });

  it('lets one runner at a time prepare a consumer\'s batch: another process finds it busy, not a batch to work out again', {
    skip: process.env.DATABASE_URL ? false : 'PGlite is one session, one process: the lock excludes nothing there',
  }, async () => {
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => { entered = resolve; });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const { consumer, prepares } = preparing('one-preparer', async () => {
      entered();
      await gate;
    });
    await readableHead(p.db.pool);
    await ensureConsumers(p.db.pool, [consumer]);
    const ids = await registered(2);
    const other = new pg.Pool({ connectionString: p.config.databaseUrl, max: 4 });
    other.on('error', () => undefined);
    try {
      const first = runBatch(p.db.pool, consumer);
      await inside;
      assert.equal(await runBatch(other, consumer), 'busy', 'a second process does not prepare the batch being prepared');
      open();
      assert.equal(await first, 'idle');
      assert.equal(await runBatch(other, consumer), 'idle', 'the lock is released after the batch');
    } finally {
      await other.end();
    }
    assert.equal(prepares.length, 1);
    assert.deepEqual(await handled('one-preparer'), await positionsOf(ids));
  });

  it('records a failing preparation as the handler\'s failure, and retries it event by event', async () => {
    const failing = new Set<number>();
    const consumer: Consumer<void> = {
      ...recorder('failing-preparation'),
      async prepare(_db, events) {
        for (const e of events) if (failing.has(e.position)) throw new Error(`cannot prepare ${e.position}`);
      },
    };
    await readableHead(p.db.pool);
    await ensureConsumers(p.db.pool, [consumer]);
    const [good, bad] = await positionsOf([(await registerTestOrder(p, agent)).id, (await registerTestOrder(p, agent)).id]) as [number, number];
    failing.add(bad);
    await readableHead(p.db.pool);
    assert.equal(await runBatch(p.db.pool, consumer), 'failed');
    const [status] = (await consumerStatus(p.db.pool)).filter((c) => c.name === 'failing-preparation');
    assert.equal(status!.failures, 1);
    assert.match(status!.lastError ?? '', new RegExp(`cannot prepare ${bad}`));
    assert.deepEqual(await handled('failing-preparation'), [], 'the batch rolled back');
    // one event at a time after the back-off: the good one passes, the bad one fails alone
    assert.equal(await runBatch(p.db.pool, consumer, new Date(Date.now() + 10_000)), 'more');
    assert.equal(await runBatch(p.db.pool, consumer, new Date(Date.now() + 10_000)), 'failed');
    assert.deepEqual(await handled('failing-preparation'), [good]);
  });

  it('reads in commit order across transaction ids of different lengths (…98, 99, 100…), a page at a time', async () => {
    // transaction ids sort as numbers, not as their text: events of old transactions 97 to 102, written
    // as a loader would (their transactions long over, below every running one, so readers pass them)
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await registerTestOrder(p, agent));
    const [model] = await readStream(p.db.pool, agent.cityCode, orders[0]!.id);
    const written = await p.db.pool.query(
      `INSERT INTO events (city_code, stream, stream_id, seq, type, actor_kind, at, to_state, payload, snapshot, tx_id)
       SELECT $1, 'order', stream_id, 100, 'order.signed', 'system', now(), 'signed', '{}', $2, tx::xid8
         FROM unnest($3::uuid[], $4::text[]) AS t(stream_id, tx)
       RETURNING id`, [agent.cityCode, JSON.stringify(model!.snapshot), orders.map((o) => o.id), ['102', '99', '100', '97', '101', '98']]);
    const byTx = new Map(orders.map((o, i) => [o.id, ['102', '99', '100', '97', '101', '98'][i]!]));
    const read: string[] = [];
    for (let cursor = { txId: '96', position: 0 }; ;) {
      const page = await readAfter(p.db.pool, cursor, 2);
      if (page.length === 0 || BigInt(page[0]!.txId) > 102n) break;
      read.push(...page.filter((e) => e.type === 'order.signed' && byTx.has(e.streamId)).map((e) => e.txId));
      cursor = page.at(-1)!;
    }
    assert.equal(written.rowCount, 6);
    assert.deepEqual(read, ['97', '98', '99', '100', '101', '102'], 'every event once, in the order of their transactions');
  });

  it('wakes on NOTIFY: an event is handled within moments of its commit, without polling', async () => {
    const consumer = recorder('woken');
    await ensureConsumers(p.db.pool, [consumer]);
    const stop = startConsumers(p.db.pool, [consumer], { wake: (f) => p.db.listen('minsheng_events', f), pollMs: 3_600_000,
      log: (error) => assert.fail(String(error)) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 100)); // the first pass, at start, finds nothing
      const order = await registerTestOrder(p, agent);
      const committed = Date.now();
      const [position] = await positionsOf([order.id]);
      for (let waited = 0; !(await handled('woken')).includes(position!); waited += 10) {
        assert.ok(waited < 5_000, 'handled within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      console.log(`# a committed event was handled after ${Date.now() - committed} ms`);
    } finally {
      await stop();
    }
  });

  it('never passes over an event whose transaction commits after a later one (two interleaved transactions)', {
    skip: process.env.DATABASE_URL ? false : 'PGlite is one session: its transactions never interleave',
  }, async () => {
    const consumer = recorder('interleaved');
    await ensureConsumers(p.db.pool, [consumer]);
    const [early, late] = [await registerTestOrder(p, agent), await registerTestOrder(p, agent)];
    await drainCommitted(p.db.pool, consumer);
    const before = await handled('interleaved');
    const start = await headCursor(p.db.pool);
    const fact = (orderId: string, snapshotOf: StoredEvent): NewEvent => ({ type: 'order.registered', stream: 'order', streamId: orderId,
      seq: 100, at: new Date(), actor: agent, fromState: null, toState: 'registered', payload: { channel: 'phone', channelRef: null },
      snapshot: snapshotOf.snapshot! });
    const [earlyEvent] = await readStream(p.db.pool, agent.cityCode, early.id);
    const first = await p.db.pool.connect();
    const second = await p.db.pool.connect();
    try {
      // the first transaction takes its position first and commits last
      await first.query('BEGIN');
      const [firstPosition] = await appendEvents(first, agent.cityCode, [fact(early.id, earlyEvent!)]);
      await withTransaction(p.db.pool, (tx) => appendEvents(tx, agent.cityCode, [fact(late.id, earlyEvent!)]));
      const secondPosition = (await positionsOf([late.id])).at(-1)!;
      assert.ok(secondPosition > firstPosition!, 'positions are taken in the order of the inserts');
      // a reader keeping "the last id seen" reads the second event and moves past the first
      const naive = await second.query('SELECT id FROM events WHERE id > $1 ORDER BY id', [start.position]);
      assert.deepEqual(naive.rows.map((r) => Number(r.id)), [secondPosition]);
      // the consumer reads neither while the first transaction is open
      await drain(p.db.pool, consumer);
      assert.deepEqual(await handled('interleaved'), before);
      await first.query('COMMIT');
      const missed = await second.query('SELECT id FROM events WHERE id > $1 ORDER BY id', [secondPosition]);
      assert.deepEqual(missed.rows, [], 'the naive reader never sees the first event');
      await drainCommitted(p.db.pool, consumer);
      const after = (await handled('interleaved')).filter((x) => !before.includes(x));
      assert.deepEqual(after.sort((a, b) => a - b), [firstPosition, secondPosition], 'the consumer handles both');
    } finally {
      await first.query('ROLLBACK').catch(() => undefined);
      first.release();
      second.release();
    }
  });

  it('reads again soon what a transaction held back and then ended without a wake-up: the readers ask what is after their place, not what is held now', {
    skip: process.env.DATABASE_URL ? false : 'PGlite is one session: its transactions never interleave',
  }, async () => {
    const consumer = recorder('left-behind');
    await ensureConsumers(p.db.pool, [consumer]);
    const feed = await LiveFeed.start(p.db.pool, { wake: async () => () => undefined, pollMs: 3_600_000, log: (error) => assert.fail(String(error)) });
    const holder = await p.db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_current_xact_id()'); // a transaction id below the order's: the order's event waits behind it
      const order = await registerTestOrder(p, agent);
      const [position] = await positionsOf([order.id]);
      await drain(p.db.pool, consumer);
      await feed.read();
      assert.equal((await handled('left-behind')).includes(position!), false, 'held back while the transaction runs');
      // the transaction ends between a read and the readers' question, and sends no NOTIFY
      await holder.query('COMMIT');
      assert.equal(await consumersBehind(p.db.pool, [consumer]), true, 'the consumer is told it has events to read');
      assert.equal(await eventsAfter(p.db.pool, feed.position), true, 'the live feed is told it has events to read');
      const seen: number[] = [];
      feed.subscribe((events) => seen.push(...events.map((e) => e.position)));
      // (another test's transaction on the server may hold the log a moment longer)
      for (const deadline = Date.now() + 60_000; !seen.includes(position!); await new Promise((resolve) => setTimeout(resolve, 10))) {
        assert.ok(Date.now() < deadline, 'the live feed reads the event');
        await feed.read();
      }
      await drainCommitted(p.db.pool, consumer);
      assert.ok((await handled('left-behind')).includes(position!));
      assert.equal(await consumersBehind(p.db.pool, [consumer]), false);
      assert.equal(await eventsAfter(p.db.pool, feed.position), false);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
      await feed.stop();
    }
  });
});
