// Early warning: a burst of one matter from one place raises one warning at the report that crosses
// the line, later reports join it, the place's history decides what a burst is, and people take it
// in hand and close it over HTTP. The replay against a generated history's ground truth is in
// warning-replay.test.ts; the figures (latency, precision, false warnings a day) in bench/warnings.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeStaff, orderInput, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { drainCommitted, headCursor, readAfter, readStream } from '../events/index.js';
import { registerOrder, updateOrder } from '../orders/index.js';
import { withTransaction } from '../../db/tx.js';
import {
  DEFAULT_WARNING_SETTINGS, expectedInWindow, observeReports, poissonTail, reportOf, warningsConsumer, type Report,
} from './index.js';

const MINUTE = 60_000;

describe('early warning', () => {
  let p: TestPlatform;
  let agent: Actor;
  let communities: string[];
  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    communities = (await p.db.pool.query(`SELECT code FROM areas WHERE parent_code = '370102001' ORDER BY code LIMIT 3`)).rows.map((r) => r.code);
    assert.equal(communities.length, 3);
  });
  after(() => p.close());

  const warnings = async () => (await p.db.pool.query('SELECT * FROM early_warnings ORDER BY crossed_at')).rows;
  const report = (community: string, at: Date, categoryCode = '010216') => registerOrder(p.db.pool, agent, orderInput({
    categoryCode, title: '小区突然停水', body: '小区突然停水，没有任何通知，家里老人孩子没水用', location: { address: '解放路', areaCode: community },
  }), at).then((r) => r.order);

  it('computes the Poisson tail, the chance of as many reports as seen', () => {
    assert.equal(poissonTail(0, 5), 0);
    assert.equal(poissonTail(2, 0), 1);
    assert.ok(Math.abs(poissonTail(1, 1) - (1 - Math.exp(-1))) < 1e-12);
    // P(X ≥ 5 | λ = 0.1) = 1 − e^−0.1 (1 + 0.1 + 0.01/2 + 0.001/6 + 0.0001/24) ≈ 7.667e-8
    assert.ok(Math.abs(poissonTail(0.1, 5) / 7.6671e-8 - 1) < 1e-3);
    assert.ok(Math.abs(poissonTail(10, 5) - 0.970747) < 1e-5);
    assert.equal(expectedInWindow(24, DEFAULT_WARNING_SETTINGS), 2, 'one an hour on average, twice that at the peak');
  });

  it('raises one warning at the report that crosses the line, and later reports of the burst join it', async () => {
    const [a, b] = communities as [string, string];
    const start0 = await headCursor(p.db.pool);
    const start = Date.now() - 30 * MINUTE;
    const burst = [];
    // twelve neighbours report the water cut within twenty minutes; between them, another matter from
    // the same community and the same matter from the next community
    for (let i = 0; i < 12; i++) {
      burst.push(await report(a, new Date(start + i * 100_000)));
      if (i % 4 === 0) await report(a, new Date(start + i * 100_000 + 1000), '010215');
      if (i % 4 === 1) await report(b, new Date(start + i * 100_000 + 1000));
    }
    await drainCommitted(p.db.pool, warningsConsumer);
    const [warning, ...others] = await warnings();
    assert.equal(others.length, 0, 'one incident, one warning');
    assert.equal(warning.area_code, a);
    assert.deepEqual(warning.category_path, ['01', '0102', '010216']);
    assert.equal(warning.status, 'open');
    assert.equal(warning.reports, 12);
    assert.equal(warning.crossing_order_id, burst[4]!.id, 'the fifth report crosses the line (no history, the minimum of five)');
    assert.ok(warning.expected < 1e-9, 'the burst does not predict itself');
    assert.equal(warning.first_report_at.toISOString(), burst[0]!.createdAt);
    const joined = (await p.db.pool.query('SELECT order_id FROM early_warning_reports WHERE warning_id = $1 ORDER BY at', [warning.id])).rows;
    assert.deepEqual(joined.map((r) => r.order_id), burst.map((o) => o.id), 'the burst, and nothing else');

    const events = await readStream(p.db.pool, p.config.cityCode, warning.id);
    assert.deepEqual(events.map((e) => e.type), ['warning.raised', ...Array(7).fill('warning.report_joined')]);
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    assert.deepEqual(events[0]!.payload.orderIds, burst.slice(0, 5).map((o) => o.id));
    const last = events.at(-1)!;
    assert.equal(last.stream === 'warning' && last.snapshot.reports, 12, 'the snapshot counts the reports');

    // a batch read again (after a failure rolled back a later part of the work): nothing is raised or joined twice
    const registered = (await readAfter(p.db.pool, start0, 1000)).filter((e) => e.type === 'order.registered');
    await withTransaction(p.db.pool, (tx) => warningsConsumer.handle(tx, registered, undefined));
    assert.equal((await warnings()).length, 1, 'no second warning');
    assert.equal((await warnings())[0].reports, 12, 'no report twice');
    // the same where the window's rows are gone: the joins find the reports held already
    await p.db.pool.query('DELETE FROM warning_recent WHERE area_code = $1', [a]);
    const outcomes = await withTransaction(p.db.pool, (tx) => observeReports(tx, p.config.cityCode,
      registered.map((e) => reportOf(e)!).filter((r) => r.areaCode === a && r.categoryCode === '010216'),
      { settings: DEFAULT_WARNING_SETTINGS, now: () => new Date(), staleBefore: null }));
    assert.deepEqual(outcomes, Array(12).fill('counted'));
    assert.equal((await warnings())[0].reports, 12, 'no report twice');
    assert.equal((await readStream(p.db.pool, p.config.cityCode, warning.id)).length, 8, 'and no event');
  });

  it('counts a message from a citizen channel once an agent has classified it, at the time it came in', async () => {
    const community = communities[2]!;
    const start = Date.now() - 20 * MINUTE;
    const unclassified = [];
    for (let i = 0; i < 5; i++) {
      unclassified.push((await registerOrder(p.db.pool, agent, orderInput({ channel: 'phone', categoryCode: undefined, title: '燃气味很重', body: '楼道里燃气味很重',
        location: { address: '楼道', areaCode: community } }), new Date(start + i * MINUTE))).order);
    }
    await drainCommitted(p.db.pool, warningsConsumer);
    assert.equal((await warnings()).filter((w) => w.area_code === community).length, 0, 'no category yet: no report');
    for (const order of unclassified) await updateOrder(p.db.pool, agent, order.id, { categoryCode: '010213' });
    await updateOrder(p.db.pool, agent, unclassified[0]!.id, { categoryCode: '010216' }); // reclassified: counted once, where first counted
    await drainCommitted(p.db.pool, warningsConsumer);
    const [warning, ...more] = (await warnings()).filter((w) => w.area_code === community);
    assert.equal(more.length, 0);
    assert.equal(warning.category_code, '010213');
    assert.equal(warning.reports, 5);
    assert.equal(warning.first_report_at.toISOString(), unclassified[0]!.createdAt, 'at the time each came in');
  });

  it("lets the place's history decide: a burst where such reports are common raises nothing, an old burst neither", async () => {
    const busy: Omit<Report, 'orderId' | 'at'> = { areaCode: '370102001', areaPath: ['370102', '370102001'], categoryCode: '010209',
      categoryPath: ['01', '0102', '010209'] };
    const quiet = { ...busy, areaCode: '370102002', areaPath: ['370102', '370102002'] };
    const other = { ...busy, areaCode: '370102003', areaPath: ['370102', '370102003'] };
    const now = new Date('2026-06-15T02:00:00Z');
    let n = 0;
    const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    // four weeks of a busy cell: 40 reports a day, evenly spread
    const history: Report[] = Array.from({ length: 28 * 40 }, (_, i) => ({ ...busy, orderId: id(), at: new Date(now.getTime() - 28 * 86_400_000 + i * 36 * MINUTE) }));
    const burst = (cell: typeof busy, from: Date) => Array.from({ length: 6 }, (_, i) => ({ ...cell, orderId: id(), at: new Date(from.getTime() + i * 5 * MINUTE) }));
    const options = { settings: DEFAULT_WARNING_SETTINGS, now: (r: Report) => r.at, staleBefore: new Date(now.getTime() - 3_600_000) };
    const before = (await warnings()).length;
    const outcomes = await withTransaction(p.db.pool, async (tx) => [
      ...await observeReports(tx, p.config.cityCode, history, options),
      ...await observeReports(tx, p.config.cityCode, burst(busy, now), options),
      ...await observeReports(tx, p.config.cityCode, burst(other, new Date(now.getTime() - 2 * 3_600_000)), options),
    ]);
    assert.equal(outcomes.filter((o) => o !== 'counted').length, 0, 'six in half an hour where 40 a day is usual; an old burst');
    const fresh = await withTransaction(p.db.pool, (tx) => observeReports(tx, p.config.cityCode, burst(quiet, now), options));
    assert.deepEqual(fresh, ['counted', 'counted', 'counted', 'counted', 'raised', 'joined'], 'the same six where nothing is usual');
    assert.equal((await warnings()).length, before + 1);
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let tokenFor: (username: string) => Promise<string>;
    const auth: Record<string, Record<string, string>> = {};
    let warningId: string;
    before(async () => {
      ({ app, tokenFor } = await startTestApp(p));
      const cast = { agent: ['HOTLINE', ['agent']], supervisor: ['HOTLINE', ['supervisor']], admin: ['HOTLINE', ['admin']],
        water: ['UTIL-WATER', ['unit_handler']] } as const;
      for (const [name, [unit, roles]] of Object.entries(cast)) {
        const staff = await makeStaff(p, unit, [...roles]);
        auth[name] = { authorization: `Bearer ${await tokenFor(staff.username)}` };
      }
      warningId = (await warnings()).find((w) => w.area_code === communities[0]).id;
    });
    after(() => app.close());
    const call = (who: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { ...auth[who], 'accept-language': 'zh-CN' }, ...(payload ? { payload } : {}) });

    it('lists warnings to the hotline with their place and matter by name, never to a unit', async () => {
      const list = await call('agent', 'GET', '/warnings?status=open');
      assert.equal(list.statusCode, 200, list.body);
      const first = list.json().items.find((w: any) => w.id === warningId);
      assert.equal(first.category.name, '自来水供应');
      assert.deepEqual(first.area.path.map((a: any) => a.code), ['370102', '370102001', first.area.code]);
      assert.equal((await call('water', 'GET', '/warnings')).statusCode, 403);
      const one = await call('agent', 'GET', `/warnings/${warningId}`);
      assert.equal(one.json().reportOrders.length, 12);
      assert.match(one.json().reportOrders[0].trackingNo, /^\d{8}-\d{8}$/);
      assert.equal(one.json().reportOrders[0].title, '小区突然停水');
      assert.equal((await call('agent', 'GET', '/warnings/00000000-0000-4000-8000-000000000000')).json().error.code, 'WARNING_NOT_FOUND');
      assert.equal((await call('agent', 'GET', '/warnings/nope')).json().error.code, 'VALIDATION_FAILED');
      assert.equal((await call('agent', 'GET', '/warnings?status=lost')).statusCode, 400);
    });

    it('is acknowledged and closed by a supervisor, once each, with the outcome; a report after that starts afresh', async () => {
      assert.equal((await call('agent', 'POST', `/warnings/${warningId}/acknowledge`, {})).statusCode, 403);
      await p.db.pool.query(`UPDATE staff SET display_name = '督办员张三' WHERE username LIKE 'supervisor\\_%'`);
      const taken = await call('supervisor', 'POST', `/warnings/${warningId}/acknowledge`, { text: '已通知供水公司抢修' });
      assert.equal(taken.statusCode, 200, taken.body);
      assert.equal(taken.json().status, 'acknowledged');
      assert.equal(taken.json().acknowledgedText, '已通知供水公司抢修');
      assert.equal(taken.json().acknowledgedBy, '督办员张三', 'who, by name as people read it');
      const again = await call('supervisor', 'POST', `/warnings/${warningId}/acknowledge`, {});
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.message, '该预警已确认，不能再执行此操作');
      assert.equal((await call('supervisor', 'POST', `/warnings/${warningId}/close`, { outcome: 'maybe' })).statusCode, 400);
      const closed = await call('supervisor', 'POST', `/warnings/${warningId}/close`, { outcome: 'confirmed', text: '管道破裂，已修复' });
      assert.equal(closed.json().status, 'closed');
      assert.equal(closed.json().outcome, 'confirmed');
      assert.equal(closed.json().closedBy, '督办员张三');
      assert.equal((await call('supervisor', 'POST', `/warnings/${warningId}/close`, { outcome: 'false_alarm' })).statusCode, 409);
      const events = await readStream(p.db.pool, p.config.cityCode, warningId);
      assert.deepEqual(events.slice(-2).map((e) => [e.type, e.fromState, e.toState, e.actor.role]),
        [['warning.acknowledged', 'open', 'acknowledged', 'supervisor'], ['warning.closed', 'acknowledged', 'closed', 'supervisor']]);

      await report(communities[0]!, new Date());
      await drainCommitted(p.db.pool, warningsConsumer);
      assert.equal((await p.db.pool.query('SELECT reports FROM early_warnings WHERE id = $1', [warningId])).rows[0].reports, 12,
        'a closed warning takes no more reports');
      assert.equal((await warnings()).filter((w) => w.area_code === communities[0]).length, 1, 'and its reports do not raise it again');
    });

    it("closes a warning between the detector's batches: a close waits for the batch in progress", async () => {
      // the warning raised in the quiet cell above; a batch counts with the open warnings it read at its start
      const id = (await warnings()).find((w) => w.area_code === '370102002' && w.status === 'open').id;
      let closing: Promise<unknown> | undefined;
      let closedAt = 0;
      const batchEnd = await withTransaction(p.db.pool, async (tx) => {
        await tx.query('SELECT 1 FROM event_consumers WHERE name = $1 FOR UPDATE SKIP LOCKED', [warningsConsumer.name]); // as a batch takes it
        closing = call('supervisor', 'POST', `/warnings/${id}/close`, { outcome: 'false_alarm' }).then((r) => {
          closedAt = Date.now();
          assert.equal(r.json().status, 'closed', r.body);
        });
        await new Promise((resolve) => setTimeout(resolve, 300));
        return Date.now();
      });
      await closing;
      assert.ok(closedAt >= batchEnd, 'the close waited for the batch');
    });

    it('keeps its thresholds per city, changed by an admin within their ranges', async () => {
      assert.deepEqual((await call('agent', 'GET', '/warnings/settings')).json(), DEFAULT_WARNING_SETTINGS);
      assert.equal((await call('supervisor', 'PATCH', '/warnings/settings', { minReports: 8 })).statusCode, 403);
      assert.equal((await call('admin', 'PATCH', '/warnings/settings', { minReports: 1 })).statusCode, 400);
      assert.equal((await call('admin', 'PATCH', '/warnings/settings', {})).statusCode, 400);
      const crossed = await call('admin', 'PATCH', '/warnings/settings', { joinHours: 1, windowMinutes: 120 });
      assert.equal(crossed.json().error.code, 'WARNING_INVALID_SETTINGS', 'a window longer than a warning takes reports');
      const changed = await call('admin', 'PATCH', '/warnings/settings', { minReports: 8, windowMinutes: 30 });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(changed.json(), { ...DEFAULT_WARNING_SETTINGS, minReports: 8, windowMinutes: 30 });
      await call('admin', 'PATCH', '/warnings/settings', { minReports: DEFAULT_WARNING_SETTINGS.minReports, windowMinutes: DEFAULT_WARNING_SETTINGS.windowMinutes });
    });
  });
});
