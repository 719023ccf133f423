import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../http/app.js';
import { overview, today } from '../modules/analytics/index.js';
import { systemActor } from '../modules/auth/index.js';
import { beijingDate } from '../shared/beijing.js';
import { findStaffByUsername, listAreas, routeUnits } from '../modules/directory/index.js';
import { getTree } from '../modules/taxonomy/index.js';
import { CITY, orderInput, startTestPlatform } from '../testing/harness.js';
import { seedDemoCalls } from './calls.js';
import { describeDemoAccounts, seedDemoHistory, seedDemoStaff, unitAccountName } from './demo.js';

test('the demo gives every unit routing sends orders to an account, and an order walks to closure with the printed logins', async () => {
  const p = await startTestPlatform();
  try {
    const demo = await seedDemoStaff(p.db.pool, CITY);
    const printed = describeDemoAccounts(demo).join('\n');
    for (const login of [...demo.people, ...demo.unitAccounts.examples]) assert.ok(printed.includes(login.password), login.username);

    // every unit kind of the tree, in one street of every district: each suggested unit has its account
    const kinds = [...new Set((await getTree(p.db.pool, CITY)).map((c) => c.unitKind).filter((k) => k !== null))];
    const streets = [];
    for (const district of await listAreas(p.db.pool, CITY)) streets.push((await listAreas(p.db.pool, CITY, district.code))[0]!);
    assert.ok(kinds.length > 30 && streets.length >= 12, `${kinds.length} kinds, ${streets.length} districts`);
    const missing = new Set<string>();
    for (const street of streets) {
      for (const kind of kinds) {
        for (const { unit } of await routeUnits(p.db.pool, CITY, kind, street.code)) {
          if (!(await findStaffByUsername(p.db.pool, CITY, unitAccountName(unit.code)))) missing.add(`${unit.code} ${unit.name}`);
        }
      }
    }
    assert.deepEqual([...missing], []);

    // the walk a newcomer makes over HTTP, with nothing but the printed logins
    const app = await buildApp(p, { checkResponses: true });
    const passwords = new Map(demo.people.map((l) => [l.username, l.password]));
    const tokenFor = async (username: string) => {
      const password = passwords.get(username) ?? demo.unitAccounts.password;
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      assert.equal(res.statusCode, 200, `${username}: ${res.body}`);
      return { authorization: `Bearer ${res.json().token}` };
    };
    const act = async (username: string, id: string, action: string, payload: object = {}) => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/${action}`, headers: await tokenFor(username), payload });
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      return res.json();
    };
    const input = orderInput({ location: { address: '经十路', areaCode: streets.at(-1)!.code } });
    const created = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: await tokenFor('agent1'), payload: input });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const suggested = (await app.inject({ url: `/api/v1/orders/${id}/suggested-units`, headers: await tokenFor('dispatcher1') })).json();
    const dispatched = await act('dispatcher1', id, 'dispatch', { unitId: suggested[0].unit.id });
    const unitLogin = unitAccountName(dispatched.leadUnit.code);
    await act(unitLogin, id, 'sign');
    await act(unitLogin, id, 'reply', { text: '已安排维修人员上门，供水已恢复。' });
    await act('visitor1', id, 'return_visit', { solved: true, satisfaction: 'satisfied' });
    assert.equal((await act('visitor1', id, 'close')).state, 'closed');
    const history = (await app.inject({ url: `/api/v1/orders/${id}/events`, headers: await tokenFor('lead1') })).json();
    assert.deepEqual(history.map((e: { actor: { name: string } }) => e.actor.name),
      ['受理员一', '派单员一', `${dispatched.leadUnit.name}经办人`, `${dispatched.leadUnit.name}经办人`, '回访员一', '回访员一']);
    await app.close();
  } finally {
    await p.close();
  }
});

test("the demo's call centre: a week of calls between 08:00 and 20:00, every one ended", async () => {
  const p = await startTestPlatform();
  try {
    // noon in Beijing: six full days (60 calls each) and today up to 11:50 (3 h 50 min of 12 h: 19 calls)
    const now = Date.parse('2026-12-05T04:00:00Z');
    const count = await seedDemoCalls(p.db.pool, CITY, now);
    assert.equal(count, 6 * 60 + 19);
    const r = await p.db.pool.query(`SELECT count(*)::int AS calls, count(*) FILTER (WHERE state = 'ended')::int AS ended,
      count(DISTINCT (offered_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days,
      min(extract(hour FROM offered_at AT TIME ZONE 'Asia/Shanghai'))::int AS first_hour,
      max(extract(hour FROM offered_at AT TIME ZONE 'Asia/Shanghai'))::int AS last_hour FROM calls`);
    assert.deepEqual(r.rows[0], { calls: count, ended: count, days: 7, first_hour: 8, last_hour: 19 });
  } finally {
    await p.close();
  }
});

test("the demo's history: twenty-five months before its own orders, handled, counted in the dashboards, so that last year has figures to compare", async () => {
  const p = await startTestPlatform();
  try {
    const now = new Date();
    const until = now.getTime() - 30 * 86_400_000;
    assert.equal(await seedDemoHistory(p.db.pool, CITY, now), 7_200);
    const r = (await p.db.pool.query(`SELECT min(created_at) AS first, max(created_at) AS last,
      count(*) FILTER (WHERE state = 'closed')::int AS closed FROM orders`)).rows[0];
    assert.ok(r.last.getTime() <= until && r.first.getTime() > until - 761 * 86_400_000, `${r.first.toISOString()} to ${r.last.toISOString()}`);
    assert.ok(r.closed > 0.99 * 7_200, `${r.closed} closed: a month on, the history is handled`);

    // the dashboards read the history from the rollups: a month of it as many as its orders
    const admin = systemActor(CITY);
    const month = { from: beijingDate(new Date(until - 60 * 86_400_000)), to: beijingDate(new Date(until - 31 * 86_400_000)) };
    const inMonth = Number((await p.db.pool.query(`SELECT count(*) FROM orders
      WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $1::date AND $2::date`, [month.from, month.to])).rows[0].count);
    assert.ok(inMonth > 150, `${inMonth} orders in ${month.from}…${month.to}: about as many a day as the demo registers`);
    assert.equal((await overview(p.db.pool, admin, month)).current.measures.orders, inMonth);
    const lastYear = (await overview(p.db.pool, admin, { from: beijingDate(new Date(until)), to: beijingDate(now) })).lastYear;
    assert.ok(lastYear.measures.orders > 150, `the demo's own days a year ago: ${lastYear.measures.orders} orders`);
    assert.ok((await today(p.db.pool, admin, now)).lastYearTotal > 0, 'the leadership screen has the same day last year to compare');
    // the last 12 months against the 12 before: both whole, not a year against its last month
    const year = await overview(p.db.pool, admin, { from: beijingDate(new Date(now.getTime() - 364 * 86_400_000)), to: beijingDate(now) });
    assert.ok(year.lastYear.measures.orders > 0.6 * (year.current.measures.orders - 260), `a year: ${year.current.measures.orders}, the year before: ${year.lastYear.measures.orders}`);
    // and the similar orders find its orders: their keywords are indexed
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM order_text_keys')).rows[0].n, 7_200);
  } finally {
    await p.close();
  }
});
