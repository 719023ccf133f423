// The rollups the consumer keeps are the rollups a rebuild counts from the orders, exactly, after a
// random mix of lifecycle actions (and the consumer reading some events twice).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CITY, makeStaff, orderInput, registerTestOrder, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { appendEvents, consumerStatus, drainCommitted, readableHead, readStream, type OrderSnapshot } from '../events/index.js';
import { applyTransition, registerOrder, type OrderAction } from '../orders/index.js';
import { DAY_MS, HOUR_MS } from '../../shared/beijing.js';
import { Random } from '../../seed/history/random.js';
import { withTransaction } from '../../db/tx.js';
import { ADVISORY_LOCKS } from '../../db/locks.js';
import { overview, rebuildRollups, refreshOrders, rollupSeries, rollupsConsumer, rollupsState, rollupTotals, topMembers, MEASURE_KEYS, type Measures } from './index.js';

describe('rollups', () => {
  let p: TestPlatform;
  before(async () => (p = await startTestPlatform()));
  after(() => p.close());

  const table = async (name: string, order: string) => (await p.db.pool.query(`SELECT * FROM ${name} ORDER BY ${order}`)).rows;
  const snapshot = async () => ({
    daily: await table('analytics_daily', 'city_code, dim, member, day'),
    units: await table('analytics_unit_daily', 'city_code, unit_id, dim, member, day'),
    months: await table('analytics_unit_monthly', 'city_code, unit_id, dim, member, month'),
    callers: await table('analytics_callers', 'city_code, caller'),
    groups: await table('analytics_caller_groups', 'city_code, caller_group'),
    facts: await table('analytics_order_facts', 'city_code, order_id'),
  });
  /** The units' months hold their days summed. */
  const assertMonthsSumDays = async () => {
    const [days, months] = await Promise.all([
      p.db.pool.query(`SELECT unit_id, dim, member, to_char(day, 'YYYY-MM') AS month, ${MEASURE_KEYS.map((m) => `sum(${m})::text AS ${m}`).join(', ')}
          FROM analytics_unit_daily GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`),
      p.db.pool.query(`SELECT unit_id, dim, member, to_char(month, 'YYYY-MM') AS month, ${MEASURE_KEYS.map((m) => `${m}::text`).join(', ')}
          FROM analytics_unit_monthly ORDER BY 1, 2, 3, 4`)]);
    assert.ok(months.rows.length > 0);
    assert.deepEqual(months.rows, days.rows, "the units' months are their days summed");
  };

  it('kept by the consumer through a random mix of lifecycle actions, equal those rebuilt from the orders', async () => {
    const random = new Random(2026);
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const lead = await makeStaff(p, 'HOTLINE', ['lead', 'supervisor']);
    const visitor = await makeStaff(p, 'HOTLINE', ['visitor']);
    const units: [string, Actor][] = [[await unitId(p, 'UTIL-WATER'), await makeStaff(p, 'UTIL-WATER', ['unit_handler'])],
      [await unitId(p, 'UTIL-POWER'), await makeStaff(p, 'UTIL-POWER', ['unit_handler'])]];
    const unitOf = new Map<string, Actor>();
    const someUnit = () => {
      const [unit, handler] = random.pick(units);
      return { unitId: unit, _handler: handler };
    };
    // what each state allows, and who does it
    const moves: Record<string, (id: string) => [Actor, OrderAction, Record<string, unknown>][]> = {
      registered: () => [[agent, 'answer_directly', { text: '已按政策解答' }], [agent, 'dispatch', someUnit()], [lead, 'cancel', { reason: '重复来电' }]],
      dispatched: (id) => [[unitOf.get(id)!, 'sign', {}], [lead, 'urge', {}]],
      signed: (id) => [[unitOf.get(id)!, 'reply', { text: '已处理完毕' }], [unitOf.get(id)!, 'return', { reason: '不属于本单位职责' }], [lead, 'urge', {}]],
      returned: () => [[lead, 'reject_return', { reason: '属于本单位职责' }]],
      replied: () => [[visitor, 'return_visit', random.chance(0.7) ? { solved: true, satisfaction: 'satisfied' } : { solved: false, satisfaction: 'unsatisfied' }],
        [visitor, 'close', {}]],
      visited: () => [[visitor, 'close', {}], [lead, 'reopen', { reason: '群众不满意，重新办理', ...someUnit() }]],
      closed: () => [[lead, 'archive', {}], [lead, 'reopen', { reason: '问题复发', ...someUnit() }]],
    };
    const ids: string[] = [];
    // callers: one who calls again and again (crossing into 2–5, 6–20 and 21+ while the consumer runs), a few others, some anonymous
    const register = async () => {
      const phone = random.chance(0.7) ? '13800000001' : random.pick(['13800000002', '13800000003', null]);
      ids.push((await registerTestOrder(p, agent, {
        ...(random.chance(0.3) ? { categoryCode: '010215' } : {}),
        // some texts the classifier flags: anger and a matter raised again (舆情), danger
        ...(random.chance(0.3) ? { body: random.pick(['多次反映一直没人处理，太过分了', '楼道里燃气味很重，担心泄漏']) } : {}),
        citizen: phone ? { name: '张三', phone } : { name: '匿名' },
      })).id);
    };
    for (let i = 0; i < 8; i++) await register();
    let applied = 0;
    for (let step = 0; step < 300; step++) {
      if (random.chance(0.1)) await register();
      const id = random.pick(ids);
      const state = (await p.db.pool.query('SELECT state FROM orders WHERE id = $1', [id])).rows[0].state as string;
      const options = moves[state]?.(id);
      if (!options) continue;
      const [actor, action, { _handler, ...input }] = random.pick(options);
      await applyTransition(p.db.pool, actor, id, action, input);
      if (_handler) unitOf.set(id, _handler as Actor);
      applied++;
      // the consumer runs now and then, as the server's does, mid-way through an order's life
      if (random.chance(0.2)) await drainCommitted(p.db.pool, rollupsConsumer);
    }
    assert.ok(applied > 100, `${applied} actions applied`);
    await drainCommitted(p.db.pool, rollupsConsumer);
    // an order refreshed again (an event read twice after a crash) is counted once
    await withTransaction(p.db.pool, (tx) => refreshOrders(tx, CITY, ids.slice(0, 5)));
    const incremental = await snapshot();
    await assertMonthsSumDays();
    const states = (await p.db.pool.query('SELECT DISTINCT state FROM orders WHERE id = ANY($1::uuid[])', [ids])).rows.map((r) => r.state);
    assert.ok(states.length >= 5, `orders end in several states: ${states}`);

    const rebuilt = await rebuildRollups(p.db.pool, CITY);
    assert.ok(rebuilt.orders >= 30);
    assert.deepEqual(await snapshot(), incremental);
    const all = incremental.daily.filter((r) => r.dim === 'all').reduce((n, r) => n + r.orders, 0);
    assert.equal(all, rebuilt.orders, 'each order counted once in the whole');
    const byState = incremental.daily.filter((r) => r.dim === 'state').reduce((n, r) => n + r.orders, 0);
    assert.equal(byState, rebuilt.orders, 'and once among the states');
    const led = (await p.db.pool.query('SELECT count(*)::int AS n FROM orders WHERE lead_unit_id IS NOT NULL')).rows[0].n;
    assert.equal(incremental.units.filter((r) => r.dim === 'all').reduce((n, r) => n + r.orders, 0), led, "each led order once in its unit's rows");
    assert.ok(new Set(incremental.units.map((r) => r.unit_id)).size >= 2, 'both units lead orders');
    const flagged = async (text: string) => (await p.db.pool.query('SELECT count(*)::int AS n FROM orders WHERE body = $1', [text])).rows[0].n;
    const whole = (m: string) => incremental.daily.filter((r) => r.dim === 'all').reduce((n, r) => n + r[m], 0);
    assert.ok(whole('angry') > 0 && whole('danger') > 0);
    assert.deepEqual([whole('angry'), whole('repeated'), whole('danger')],
      [await flagged('多次反映一直没人处理，太过分了'), await flagged('多次反映一直没人处理，太过分了'), await flagged('楼道里燃气味很重，担心泄漏')]);
    const groups: Record<string, number> = {};
    for (const r of incremental.daily.filter((x) => x.dim === 'callers')) groups[r.member] = (groups[r.member] ?? 0) + r.orders;
    const frequent = incremental.callers.find((c) => c.contacts > 20);
    assert.ok(frequent, 'a caller crossed into 21+ as the consumer ran');
    assert.equal(groups['21+'], frequent.contacts, "the frequent caller's orders all moved with them");

    // what a dashboard reads: a series and a top-N, equal to counting the orders themselves
    const span = { from: '2000-01-01', to: '2100-01-01' };
    const counted = (await p.db.pool.query(`SELECT state, count(*)::int AS n, count(*) FILTER (WHERE state IN ('closed', 'archived'))::int AS closed
      FROM orders GROUP BY state ORDER BY count(*) DESC, state`)).rows;
    const top = await topMembers(p.db.pool, CITY, { dim: 'state', ...span, limit: 20 });
    assert.deepEqual(top.map((t) => ({ state: t.member, n: t.measures.orders, closed: t.measures.closed })), counted);
    const series = await rollupSeries(p.db.pool, CITY, { dim: 'all', ...span, grain: 'year' });
    assert.equal(series.reduce((n, x) => n + x.measures.orders, 0), counted.reduce((n, r) => n + r.n, 0));
  });

  it('rebuilds piece by piece (the callers too, in runs), the consumer running between the pieces as orders come and change, and ends where a quiet rebuild ends', async () => {
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const water = await unitId(p, 'UTIL-WATER');
    const pool = p.db.pool;
    const frequent = '13900000011';
    // twelve days of orders, three a day, one of each day's from a caller who calls again and again
    const first = Date.parse('2026-05-26T01:00:00Z'); // the pieces cross from May into June
    const earlier: string[] = [];
    for (let day = 0; day < 12; day++) {
      for (let k = 0; k < 3; k++) {
        const phone = k === 0 ? frequent : `1390100${String(day * 3 + k).padStart(4, '0')}`;
        earlier.push((await registerOrder(pool, agent, orderInput({ citizen: { name: '李四', phone } }), new Date(first + day * DAY_MS + k * HOUR_MS))).order.id);
      }
    }
    await drainCommitted(pool, rollupsConsumer);
    // what a bulk load leaves: orders that no rollup counts
    for (const name of ['analytics_order_facts', 'analytics_daily', 'analytics_unit_daily', 'analytics_unit_monthly', 'analytics_callers',
      'analytics_caller_groups']) {
      await pool.query(`DELETE FROM ${name}`);
    }
    const phases: string[] = [];
    let step = 0;
    let callerRuns = 0;
    const rebuilt = await rebuildRollups(pool, CITY, { pieceOrders: 7, callerPieceContacts: 8, between: async ({ phase, pieces }) => {
      phases.push(phase);
      if (phase === 'callers') callerRuns = pieces;
      const held = await pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'analytics_order_facts'::regclass AND mode = 'ExclusiveLock'`);
      assert.equal(held.rows[0].n, 0, 'no piece holds the facts between pieces');
      // a new order from the frequent caller (the last piece's), and an earlier one dispatched
      await registerTestOrder(p, agent, { citizen: { name: '李四', phone: frequent } });
      await applyTransition(pool, agent, earlier[step]!, 'dispatch', { unitId: water });
      // the consumer reads some of the changes between pieces, the others after the rebuild
      if (step++ % 2 === 0) await drainCommitted(pool, rollupsConsumer);
    } });
    assert.ok(rebuilt.pieces >= 5, `${rebuilt.pieces} pieces`);
    assert.ok(callerRuns >= 3, `the callers counted in ${callerRuns} runs`);
    assert.deepEqual(phases, [...Array(rebuilt.pieces).fill('facts'), ...Array(callerRuns).fill('callers'), ...Array(rebuilt.pieces).fill('rollups')]);
    await drainCommitted(pool, rollupsConsumer);
    const kept = await snapshot();
    await assertMonthsSumDays();
    const contacts = kept.callers.find((c) => c.caller === kept.facts.find((f) => f.order_id === earlier[0])!.caller)!.contacts;
    assert.equal(contacts, 12 + step, 'the frequent caller: every order counted once, those registered during the rebuild too');
    // rows no order counts (rollups that drifted): a rebuild in pieces takes them out, a unit's day and its month,
    // a month without its days, a month of a unit that has no days
    const drift = (table: string, period: string, unit: string, member: string, date: string) =>
      pool.query(`INSERT INTO ${table} (city_code, unit_id, dim, member, ${period}, ${MEASURE_KEYS.join(', ')})
        VALUES ($1, $2, 'state', $3, $4, ${MEASURE_KEYS.map((m) => (m === 'orders' ? 1 : 0)).join(', ')})`, [CITY, unit, member, date]);
    await drift('analytics_unit_daily', 'day', water, 'drifted', '2026-05-27');
    await drift('analytics_unit_monthly', 'month', water, 'drifted', '2026-05-01');
    await drift('analytics_unit_monthly', 'month', water, 'month only', '2026-06-01');
    await drift('analytics_unit_monthly', 'month', await unitId(p, 'HOTLINE'), 'no days', '2026-06-01');
    await rebuildRollups(pool, CITY, { pieceOrders: 7 });
    assert.deepEqual(await snapshot(), kept);
    // and in one transaction (the generator's way), the same rows
    const once = await rebuildRollups(pool, CITY, { atOnce: true });
    assert.deepEqual([once.pieces, once.runs], [1, 1]);
    assert.deepEqual(await snapshot(), kept);
    // ... and so counted in runs, each of every n-th day: the same rows again
    const inRuns = await rebuildRollups(pool, CITY, { atOnce: true, factsPerRun: 15 });
    assert.ok(inRuns.runs >= 4 && inRuns.runs % 7 !== 0, `${inRuns.runs} runs`);
    assert.equal(inRuns.rows, once.rows);
    assert.deepEqual(await snapshot(), kept);

    // a unit's reads over spans whose ends cut their months: the whole months from the months, the rest from the days
    const fromDays = (from: string, to: string, period: string) => pool.query(`SELECT member, ${period} AS period,
        sum(orders)::int AS orders, sum(closed)::int AS closed
        FROM analytics_unit_daily WHERE unit_id = $1 AND dim = 'state' AND day >= $2 AND day < $3 GROUP BY 1, 2 ORDER BY 2, 1`, [water, from, to]);
    const figures = (rows: { member: string; period?: string; measures: Measures }[]) => rows.map((r) =>
      ({ member: r.member, ...(r.period === undefined ? {} : { period: r.period }), orders: r.measures.orders, closed: r.measures.closed }));
    const byMember = <T extends { member: string }>(rows: T[]) => rows.sort((a, b) => a.member.localeCompare(b.member));
    // water's orders of May 26 to June 1 (those dispatched between the pieces) and one of June 3, the
    // consumer's: a span from May 28 to July (days, then June), and May to June 4 (May, then days)
    await applyTransition(pool, agent, earlier[8 * 3]!, 'dispatch', { unitId: water });
    await drainCommitted(pool, rollupsConsumer);
    await assertMonthsSumDays();
    for (const [from, to] of [['2026-05-28', '2026-07-01'], ['2026-05-01', '2026-06-04']] as const) {
      const span = { dim: 'state', from, to, units: [water] } as const;
      const totals = figures(await rollupTotals(pool, CITY, span));
      const days = (await fromDays(from, to, `''`)).rows.map(({ period: _, ...r }) => r);
      assert.deepEqual(byMember(totals), byMember(days), `${from}–${to}`);
      const orders = async (a: string, b: string) => (await fromDays(a, b, `''`)).rows.reduce((n, r) => n + r.orders, 0);
      assert.ok(await orders(from, '2026-06-01') > 0 && await orders('2026-06-01', to) > 0, 'the orders are in both the months read and the days');
      assert.deepEqual(figures(await topMembers(pool, CITY, { ...span, limit: 2 })), figures(await rollupTotals(pool, CITY, span)).slice(0, 2));
      for (const [grain, period] of [['month', `to_char(day, 'YYYY-MM')`], ['year', `to_char(day, 'YYYY')`]] as const) {
        assert.deepEqual(figures(await rollupSeries(pool, CITY, { ...span, grain })), (await fromDays(from, to, period)).rows);
      }
    }
  });
  it('catches a consumer that is behind up to its start, where the log before it holds only this city\'s events', async () => {
    const pool = p.db.pool;
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const water = await unitId(p, 'UTIL-WATER');
    const status = async () => (await consumerStatus(pool)).find((c) => c.name === rollupsConsumer.name)!;
    await drainCommitted(pool, rollupsConsumer);
    // a backlog: orders registered and dispatched that the consumer has not read
    for (let i = 0; i < 6; i++) {
      const order = await registerTestOrder(p, agent, {});
      await applyTransition(pool, agent, order.id, 'dispatch', { unitId: water });
    }
    // the rebuild starts at the readable head: another database's write transaction on the server may hold it back
    await readableHead(pool);
    const before = await status();
    assert.equal(before.behind, 12);
    let during = 0;
    const rebuilt = await rebuildRollups(pool, CITY, { pieceOrders: 7, between: async () => {
      // an order registered while it runs is read by the consumer afterwards
      if (during++ === 0) await registerTestOrder(p, agent, {});
    } });
    assert.equal(rebuilt.caughtUp, true);
    const after = await status();
    assert.equal(after.handled, before.handled, 'the backlog was counted by the rebuild, not read');
    assert.equal(after.behind, 1, 'the order registered during the rebuild is still to read');
    await drainCommitted(pool, rollupsConsumer);
    const kept = await snapshot();
    await rebuildRollups(pool, CITY);
    assert.deepEqual(await snapshot(), kept, 'the rows are those of a rebuild');

    // another city's order events in the backlog: the consumer reads them all, this city's too
    const order = await registerTestOrder(p, agent, {});
    const [registered] = await readStream(pool, CITY, order.id);
    const r = registered!;
    await appendEvents(pool, '999999', [{ type: r.type, stream: 'order', streamId: '00000000-0000-4000-8000-000000000999', seq: 1, at: new Date(),
      actor: agent, fromState: r.fromState, toState: r.toState, payload: r.payload as never, snapshot: r.snapshot as OrderSnapshot }]);
    await readableHead(pool); // both events before the rebuild's start, as above
    const behind = await status();
    const again = await rebuildRollups(pool, CITY, { atOnce: true });
    assert.equal(again.caughtUp, false);
    const { position, handled } = await status();
    assert.deepEqual({ position, handled }, { position: behind.position, handled: behind.handled });
    assert.equal(behind.behind, 2, 'this city\'s event and the other\'s, still to read');
  });
  it('records each rebuild: the figures say they are being recounted while it runs, and interrupted when it stopped half way, until one finishes', async () => {
    const pool = p.db.pool;
    const leader = await makeStaff(p, 'HOTLINE', ['leader']);
    const state = async () => (await overview(pool, leader, { from: '2026-01-01', to: '2026-12-31' })).rollups;
    await rebuildRollups(pool, CITY, { atOnce: true });
    assert.deepEqual(await state(), { state: 'current', since: null });
    const seen: string[] = [];
    await assert.rejects(rebuildRollups(pool, CITY, { pieceOrders: 7, between: async ({ phase }) => {
      seen.push((await rollupsState(pool, CITY)).state);
      if (phase === 'rollups') throw new Error('the operator pressed Ctrl+C');
    } }), /Ctrl\+C/);
    assert.ok(seen.length > 1 && seen.every((x) => x === 'rebuilding'), seen.join());
    const interrupted = await state();
    assert.equal(interrupted.state, 'interrupted');
    assert.ok(interrupted.since instanceof Date && Date.now() - interrupted.since.getTime() < 60_000);
    // another process holding the rebuild's lock (PostgreSQL: PGlite's folder is one process's) is rebuilding
    if ((pool.options.max ?? 10) > 1) {
      const other = await pool.connect();
      try {
        await other.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.rollupsRebuild]);
        assert.equal((await state()).state, 'rebuilding');
      } finally {
        await other.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.rollupsRebuild]);
        other.release();
      }
      assert.equal((await state()).state, 'interrupted');
    }
    // a rebuild that finishes, in pieces or at once, makes them whole again
    await rebuildRollups(pool, CITY, { pieceOrders: 7 });
    assert.deepEqual(await state(), { state: 'current', since: null });
  });
});
