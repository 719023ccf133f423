// The analysis over HTTP on a generated history of two years: each figure equals counting the
// orders themselves (this month, the one before, the same month last year; a year by month and
// top-level category), rankings by volume and by growth, and every figure scoped by the reader:
// the hotline and a city-wide key read the city, a unit's manager and a unit's key their subtree's
// orders, a key without the scope nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { CITY, makeStaff, registerTestOrder, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { drainCommitted } from '../events/index.js';
import { applyTransition } from '../orders/index.js';
import { createApiKey } from '../auth/index.js';
import { loadWorld } from '../../seed/history/world.js';
import { writeHistory } from '../../seed/history/write.js';
import { figuresOf, rebuildRollups, rollupsConsumer, today, yearBefore } from './index.js';
import { spanBefore } from './analysis.js';
import { MEASURE_KEYS, type Measures } from './rollups.js';
import { beijingDate } from '../../shared/beijing.js';

const END = new Date('2026-11-30T16:00:00Z'); // midnight in Beijing, 1 December 2026
const BEIJING = `(created_at AT TIME ZONE 'Asia/Shanghai')::date`;

describe('analysis', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let headers: (username: string) => Promise<Record<string, string>>;
  let leader: Record<string, string>;
  before(async () => {
    p = await startTestPlatform();
    await writeHistory(p.db.pool, CITY, await loadWorld(p.db.pool, CITY), { orders: 6_000, years: 2, seed: 8, end: END });
    await rebuildRollups(p.db.pool, CITY);
    const started = await startTestApp(p);
    app = started.app;
    headers = async (username) => ({ authorization: `Bearer ${await started.tokenFor(username)}` });
    leader = await headers((await makeStaff(p, 'HOTLINE', ['leader'])).username);
  });
  after(() => p.close());

  const get = async (url: string, h: Record<string, string>) => {
    const res = await app.inject({ method: 'GET', url, headers: h });
    return { status: res.statusCode, body: res.json() };
  };
  const count = async (where: string, values: unknown[]) =>
    (await p.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE city_code = '${CITY}' AND ${where}`, values)).rows[0].n as number;
  const inDays = (from: string, to: string) => `${BEIJING} BETWEEN '${from}'::date AND '${to}'::date`;

  it("gives a month's figures against the month before and the same month last year, each as the orders count", async () => {
    const { status, body } = await get('/api/v1/analytics/overview?from=2026-11-01&to=2026-11-30', leader);
    assert.equal(status, 200);
    assert.equal(body.scope, 'city');
    assert.deepEqual([body.previous.from, body.previous.to, body.lastYear.from, body.lastYear.to], ['2026-10-01', '2026-10-31', '2025-11-01', '2025-11-30']);
    for (const key of ['current', 'previous', 'lastYear'] as const) {
      const { from, to, measures, rates } = body[key];
      assert.equal(measures.orders, await count(inDays(from, to), []), `${key}: orders`);
      assert.ok(measures.orders > 30, `${key}: a month of a generated city`);
      const closed = await count(`${inDays(from, to)} AND state IN ('closed', 'archived') AND closed_at IS NOT NULL`, []);
      assert.equal(measures.closed, closed, `${key}: closed`);
      assert.equal(rates.closedRate, closed / measures.orders);
    }
    assert.ok(body.current.rates.satisfactionRate > 0 && body.current.rates.satisfactionRate <= 1);
    assert.ok(body.current.avgHandlingHours > 0);
  });

  it('keeps every rate a share: reopened orders, open again, count over the dispatched orders, not the closed', () => {
    // a unit's month: three dispatched orders, one closed, two reopened and in hand again
    const measures = Object.fromEntries(MEASURE_KEYS.map((m) => [m, 0])) as Measures;
    const { rates } = figuresOf({ ...measures, orders: 4, direct: 1, closed: 2, reopened: 2, overdue: 1, visited: 1, satisfied: 1 });
    assert.equal(rates.reopenRate, 2 / 3);
    assert.equal(rates.closedRate, 2 / 4);
    assert.equal(rates.overdueRate, 1 / 3);
    for (const [name, rate] of Object.entries(rates)) assert.ok(rate === null || (rate >= 0 && rate <= 1), `${name}: ${rate}`);
  });

  it('draws a year by month and top-level category, each month beside the month before and the same month a year earlier', async () => {
    const { status, body } = await get('/api/v1/analytics/trend?from=2025-12-01&to=2026-11-30&dim=category1&grain=month&limit=3', leader);
    assert.equal(status, 200);
    assert.equal(body.series.length, 3);
    const month = (period: string, categoryPrefix: string) =>
      count(`to_char(${BEIJING}, 'YYYY-MM') = $1 AND category_id IN (SELECT id FROM categories WHERE code LIKE $2)`, [period, `${categoryPrefix}%`]);
    for (const series of body.series) {
      assert.ok(series.label, `category ${series.member} is named`);
      assert.deepEqual(series.points.map((x: { period: string }) => x.period).slice(0, 2), ['2025-12', '2026-01']);
      assert.equal(series.points.length, 12);
      for (const point of [series.points[0], series.points[6], series.points[11]]) {
        assert.equal(point.measures.orders, await month(point.period, series.member), `${series.member} ${point.period}`);
        assert.equal(point.lastYear.measures.orders, await month(yearBefore(`${point.period}-01`).slice(0, 7), series.member));
      }
      assert.deepEqual(series.points[1].previous.measures, series.points[0].measures, "January's 环比 is December");
    }
    // the biggest first, as the ranking has them
    const ranked = await get('/api/v1/analytics/top?from=2025-12-01&to=2026-11-30&dim=category1&limit=3', leader);
    assert.deepEqual(body.series.map((s: { member: string }) => s.member), ranked.body.items.map((t: { member: string }) => t.member));
  });

  it('compares a period the span cuts over the same days: ten days of November against ten of October and of November last year', async () => {
    const { body } = await get('/api/v1/analytics/trend?from=2026-06-01&to=2026-11-10&dim=all&grain=month', leader);
    const last = body.series[0].points.at(-1);
    assert.equal(last.period, '2026-11');
    assert.equal(last.measures.orders, await count(inDays('2026-11-01', '2026-11-10'), []));
    assert.equal(last.previous.measures.orders, await count(inDays('2026-10-01', '2026-10-10'), []));
    assert.equal(last.lastYear.measures.orders, await count(inDays('2025-11-01', '2025-11-10'), []));
    const whole = body.series[0].points.at(-2);
    assert.equal(whole.lastYear.measures.orders, await count(inDays('2025-10-01', '2025-10-31'), []), 'a whole month against the whole month');
  });

  it('ranks districts by orders with their share, and by growth against the span before', async () => {
    const byOrders = (await get('/api/v1/analytics/top?from=2026-09-01&to=2026-11-30&dim=district&limit=50', leader)).body;
    assert.equal(byOrders.total, await count(inDays('2026-09-01', '2026-11-30'), []));
    assert.ok(byOrders.items.length >= 5);
    const areas = new Map((await p.db.pool.query('SELECT code, name FROM areas')).rows.map((r) => [r.code, r.name]));
    for (const item of byOrders.items) {
      assert.equal(item.label, areas.get(item.member));
      assert.equal(item.measures.orders, await count(`${inDays('2026-09-01', '2026-11-30')} AND area_code LIKE $1`, [`${item.member}%`]));
      assert.equal(item.previousOrders, await count(`${inDays('2026-06-01', '2026-08-31')} AND area_code LIKE $1`, [`${item.member}%`]));
    }
    const orders = byOrders.items.map((t: { measures: { orders: number } }) => t.measures.orders);
    assert.deepEqual(orders, [...orders].sort((a, b) => b - a));
    assert.ok(Math.abs(byOrders.items.reduce((n: number, t: { share: number }) => n + t.share, 0) - 1) < 0.05, 'the districts hold nearly all');
    const growth = (await get('/api/v1/analytics/top?from=2026-09-01&to=2026-11-30&dim=district&limit=50&order=growth', leader)).body.items;
    const gains = growth.map((t: { measures: { orders: number }; previousOrders: number }) => t.measures.orders - t.previousOrders);
    assert.deepEqual(gains, [...gains].sort((a, b) => b - a));
  });

  it("gives a unit's manager, and a unit's key, the orders their unit and the units below it lead; a city-wide key the city", async () => {
    // the unit with sub-units that leads the most orders of the history
    const [unit] = (await p.db.pool.query(`SELECT a.id, a.code, count(*)::int AS orders, array_agg(DISTINCT u.id) AS subtree
        FROM units a JOIN units u ON u.path LIKE a.path || '%' JOIN orders o ON o.lead_unit_id = u.id
       GROUP BY a.id, a.code HAVING count(DISTINCT u.id) > 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
    assert.ok(unit, 'a unit with sub-units leads orders');
    const manager = await headers((await makeStaff(p, unit.code, ['unit_manager'])).username);
    const { key } = await createApiKey(p.db.pool, { ...(await makeStaff(p, 'HOTLINE', ['admin'])) }, { name: 'district', scopes: ['analytics:read'], unitId: unit.id });
    const { key: cityKey } = await createApiKey(p.db.pool, await makeStaff(p, 'HOTLINE', ['admin']), { name: 'city', scopes: ['analytics:read'] });
    const { key: ordersKey } = await createApiKey(p.db.pool, await makeStaff(p, 'HOTLINE', ['admin']), { name: 'orders', scopes: ['orders:read'] });
    const span = 'from=2024-12-01&to=2026-11-30';
    const led = await count(`${inDays('2024-12-01', '2026-11-30')} AND lead_unit_id = ANY($1::uuid[])`, [unit.subtree]);
    for (const h of [manager, { 'x-api-key': key }]) {
      const { status, body } = await get(`/api/v1/analytics/overview?${span}`, h);
      assert.equal(status, 200);
      assert.equal(body.scope, 'units');
      assert.equal(body.current.measures.orders, led);
      const units = (await get(`/api/v1/analytics/top?${span}&dim=unit&limit=500`, h)).body.items.map((t: { member: string }) => t.member);
      assert.ok(units.length > 0 && units.every((id: string) => unit.subtree.includes(id)), 'only its own subtree in the ranking');
    }
    const city = await get(`/api/v1/analytics/overview?${span}`, { 'x-api-key': cityKey });
    assert.equal(city.body.scope, 'city');
    assert.equal(city.body.current.measures.orders, await count(inDays('2024-12-01', '2026-11-30'), []));
    // the hour of registration is counted for the city only
    for (const url of [`/api/v1/analytics/top?${span}&dim=hour`, '/api/v1/analytics/today']) {
      const refused = await get(url, manager);
      assert.equal(refused.status, 403, url);
      assert.equal(refused.body.error.code, 'ANALYTICS_CITY_ONLY');
      assert.equal(refused.body.error.message, '该项统计只对全市开放：按受理时段（每小时）统计，含今日分时受理量', 'said in words, not as the parameter');
    }
    assert.equal((await get(`/api/v1/analytics/overview?${span}`, { 'x-api-key': ordersKey })).status, 403);
    assert.equal((await get(`/api/v1/analytics/overview?${span}`, {})).status, 401);
    // the early warnings are the hotline's: a city-wide key that reads orders or the analysis reads them (as the
    // hot topics, with their orders); a unit's key or its manager does not, nor a key for something else
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    const { key: unitOrdersKey } = await createApiKey(p.db.pool, admin, { name: 'district orders', scopes: ['orders:read'], unitId: unit.id });
    const { key: writeKey } = await createApiKey(p.db.pool, admin, { name: 'intake', scopes: ['orders:write'] });
    for (const h of [{ 'x-api-key': ordersKey }, { 'x-api-key': cityKey }]) assert.equal((await get('/api/v1/warnings', h)).status, 200, JSON.stringify(h));
    for (const h of [{ 'x-api-key': unitOrdersKey }, { 'x-api-key': key }, { 'x-api-key': writeKey }, manager]) {
      assert.equal((await get('/api/v1/warnings', h)).status, 403, JSON.stringify(h));
    }
  });

  it('groups callers by how often they have called, each group as counting the orders of its callers', async () => {
    const { status, body } = await get('/api/v1/analytics/callers?from=2025-12-01&to=2026-11-30', leader);
    assert.equal(status, 200);
    const bucket = `CASE WHEN n = 1 THEN '1' WHEN n <= 5 THEN '2-5' WHEN n <= 20 THEN '6-20' ELSE '21+' END`;
    const callers = `SELECT coalesce(citizen_phone, citizen_identity) AS caller, count(*)::int AS n FROM orders WHERE city_code = '${CITY}'
      AND coalesce(citizen_phone, citizen_identity) IS NOT NULL GROUP BY 1`;
    const expected = new Map((await p.db.pool.query(`SELECT ${bucket} AS g, count(*)::int AS callers, sum(n)::int AS contacts FROM (${callers}) k GROUP BY 1`)).rows
      .map((r) => [r.g, r]));
    const orders = new Map((await p.db.pool.query(`SELECT ${bucket} AS g, count(*)::int AS orders,
        count(*) FILTER (WHERE o.channel = 'phone')::int AS phone, count(*) FILTER (WHERE o.request_type = 'complaint')::int AS complaints
      FROM orders o JOIN (${callers}) k ON k.caller = coalesce(o.citizen_phone, o.citizen_identity)
      WHERE ${inDays('2025-12-01', '2026-11-30')} GROUP BY 1`)).rows.map((r) => [r.g, r]));
    assert.deepEqual(body.groups.map((g: { group: string }) => g.group), ['1', '2-5', '6-20', '21+']);
    for (const g of body.groups) {
      assert.equal(g.callers, expected.get(g.group)?.callers ?? 0, `${g.group}: callers`);
      assert.equal(g.contacts, expected.get(g.group)?.contacts ?? 0, `${g.group}: contacts`);
      assert.equal(g.measures.orders, orders.get(g.group)?.orders ?? 0, `${g.group}: orders in the span`);
      assert.equal(g.channels.find((c: { member: string }) => c.member === 'phone')?.orders ?? 0, orders.get(g.group)?.phone ?? 0);
      assert.equal(g.types.find((c: { member: string }) => c.member === 'complaint')?.orders ?? 0, orders.get(g.group)?.complaints ?? 0);
      assert.equal(g.categories.reduce((n: number, c: { orders: number }) => n + c.orders, 0), g.measures.orders, 'each order in one category');
    }
    assert.ok(body.groups.every((g: { callers: number }) => g.callers > 0), 'the generator has callers in every group');
    assert.equal(body.anonymous, await count(`${inDays('2025-12-01', '2026-11-30')} AND citizen_phone IS NULL AND citizen_identity IS NULL`, []));
  });

  it("gives today hour by hour against the same date a year earlier, up to the same time then, each hour as the orders count", async () => {
    const at = new Date('2026-11-30T10:30:00Z'); // 18:30 in Beijing
    const hotline = await makeStaff(p, 'HOTLINE', ['leader']);
    const body = await today(p.db.pool, hotline, at);
    assert.deepEqual([body.date, body.hour, body.minute, body.lastYearDate], ['2026-11-30', 18, 30, '2025-11-30']);
    const hourly = async (date: string) => (await p.db.pool.query(`SELECT extract(hour FROM created_at AT TIME ZONE 'Asia/Shanghai')::int AS h, count(*)::int AS n
        FROM orders WHERE city_code = $1 AND ${BEIJING} = $2::date GROUP BY 1`, [CITY, date])).rows;
    const now = new Map((await hourly('2026-11-30')).map((r) => [r.h, r.n]));
    const then = new Map((await hourly('2025-11-30')).map((r) => [r.h, r.n]));
    assert.ok(now.size > 3 && then.size > 3, 'a generated day has orders in several hours');
    for (const h of body.hours) {
      assert.equal(h.orders, now.get(h.hour) ?? 0, `today ${h.hour}:00`);
      assert.equal(h.lastYear, then.get(h.hour) ?? 0, `a year earlier ${h.hour}:00`);
    }
    const sum = (m: Map<number, number>, upTo = 24) => [...m].filter(([h]) => h < upTo).reduce((n, [, c]) => n + c, 0);
    assert.equal(body.soFar, sum(now));
    assert.equal(body.lastYearTotal, sum(then));
    assert.equal(body.lastYearSoFar, Math.round(sum(then, 18) + (then.get(18) ?? 0) / 2), 'the hour under way half counted at half past');
    // the same hours ranked as a dimension, over a month: the day's rhythm
    const rhythm = await get('/api/v1/analytics/top?from=2026-11-01&to=2026-11-30&dim=hour&limit=24', leader);
    assert.equal(rhythm.status, 200);
    assert.equal(rhythm.body.items.reduce((n: number, i: { measures: { orders: number } }) => n + i.measures.orders, 0), rhythm.body.total);
    assert.ok(rhythm.body.items.every((i: { member: string }) => /^([01]\d|2[0-3])$/.test(i.member)));
  });

  it("counts a unit's first order in its figures as soon as the rollups have it, though they were read before", async () => {
    // a community office that leads nothing in the history: its manager's figures are read (and the
    // units that lead orders held), then an order is dispatched to it and counted
    const [community] = (await p.db.pool.query(`SELECT u.id, u.code FROM units u WHERE u.level = 'community' AND u.active
       AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.lead_unit_id = u.id) ORDER BY u.code LIMIT 1`)).rows;
    const manager = await headers((await makeStaff(p, community.code, ['unit_manager'])).username);
    const day = beijingDate(Date.now());
    const todays = async () => (await get(`/api/v1/analytics/overview?from=${day}&to=${day}`, manager)).body.current.measures.orders;
    assert.equal(await todays(), 0);
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const order = await registerTestOrder(p, agent, { categoryCode: '010216' });
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: community.id });
    await drainCommitted(p.db.pool, rollupsConsumer);
    assert.equal(await todays(), 1);
  });

  it('refuses a period backwards or too long, and an unknown dimension, with a stable code', async () => {
    const backwards = await get('/api/v1/analytics/overview?from=2026-11-30&to=2026-11-01', leader);
    assert.equal(backwards.status, 422);
    assert.equal(backwards.body.error.code, 'ANALYTICS_INVALID_PERIOD');
    const daily = await get('/api/v1/analytics/trend?from=2020-01-01&to=2026-11-30&dim=all&grain=day', leader);
    assert.equal(daily.status, 422);
    assert.match(daily.body.error.message, /400/);
    const long = await get('/api/v1/analytics/overview?from=2010-01-01&to=2026-11-30', leader);
    assert.equal(long.status, 422);
    assert.match(long.body.error.message, /最长 11 年/, 'said as the limit it is, not by a grain the reader never chose');
    const far = await get('/api/v1/analytics/overview?from=9999-12-01&to=9999-12-31', leader);
    assert.equal(far.status, 422, 'a date whose comparisons the database cannot hold');
    assert.equal(far.body.error.code, 'ANALYTICS_INVALID_PERIOD');
    const dim = await get('/api/v1/analytics/top?from=2026-11-01&to=2026-11-30&dim=community', leader);
    assert.equal(dim.status, 400);
    assert.equal(dim.body.error.code, 'VALIDATION_FAILED');
  });
});

describe('the period before (环比)', () => {
  const before = (from: string, to: string) => {
    const { from: f, to: t } = spanBefore({ from, to, days: (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 });
    return `${f}..${t}`;
  };
  it('is the months before for a span from a month\'s first day: a month, a quarter, a year, a month so far', () => {
    assert.equal(before('2026-03-01', '2026-03-31'), '2026-02-01..2026-02-28', 'March against the whole of February');
    assert.equal(before('2026-01-01', '2026-01-31'), '2025-12-01..2025-12-31');
    assert.equal(before('2026-07-01', '2026-09-30'), '2026-04-01..2026-06-30', 'a quarter against the quarter before');
    assert.equal(before('2026-01-01', '2026-12-31'), '2025-01-01..2025-12-31');
    assert.equal(before('2026-12-01', '2026-12-08'), '2026-11-01..2026-11-08', 'the month so far against the same days of the last');
    assert.equal(before('2026-10-01', '2026-12-08'), '2026-07-01..2026-09-08');
    assert.equal(before('2026-03-01', '2026-03-30'), '2026-02-01..2026-02-28', 'a day February lacks: its last');
    assert.equal(before('2024-03-01', '2024-03-29'), '2024-02-01..2024-02-29');
  });
  it('is the span of its length just before for any other span', () => {
    assert.equal(before('2026-11-05', '2026-11-14'), '2026-10-26..2026-11-04');
    assert.equal(before('2026-11-02', '2026-11-30'), '2026-10-04..2026-11-01');
  });
});
