// Webhooks against a receiver on this machine: a unit's manager subscribes their unit, an admin
// another unit for one event type; orders are dispatched to both. The receiver refuses the first
// two tries: the batch comes again, the events arrive in the order of the log, each unit's own and
// no other's, signed with the secret shown at creation. A replay from a point in time sends them
// again; a paused subscription gets nothing; a unit's manager cannot reach another unit's; private
// addresses are refused unless the deployment allows them.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeStaff, orderInput, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { applyTransition, registerOrder } from '../orders/index.js';
import { createSubscription, deliverDue, isPrivateAddress } from './index.js';
import { readableHead } from '../events/index.js';

interface Received { headers: IncomingMessage['headers']; body: string; json: { subscriptionId: string; events: { position: number; type: string; orderId: string }[] } }

/** A receiver: takes POSTs, refusing the next `refuse` with 500; `taken` are those it answered 200. */
async function receiver() {
  const state = { refuse: 0, taken: [] as Received[], refused: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (state.refuse > 0) {
        state.refuse--;
        state.refused++;
        res.writeHead(500).end('busy');
        return;
      }
      state.taken.push({ headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { state, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

describe('webhooks', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let auth: (username: string) => Promise<Record<string, string>>;
  let agent: Actor;
  let water: string;
  let power: string;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let manager: Record<string, string>;
  let admin: Record<string, string>;
  const subs: Record<string, { id: string; secret: string }> = {};

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    auth = async (username) => ({ authorization: `Bearer ${await started.tokenFor(username)}` });
    agent = await makeStaff(p, 'HOTLINE', ['agent', 'dispatcher']);
    [water, power] = [await unitId(p, 'UTIL-WATER'), await unitId(p, 'UTIL-POWER')];
    manager = await auth((await makeStaff(p, 'UTIL-WATER', ['unit_manager'])).username);
    admin = await auth((await makeStaff(p, 'HOTLINE', ['admin'])).username);
    hooks = await receiver();
  });
  after(async () => {
    await hooks?.close();
    await app?.close();
    await p?.close();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  /** Rounds until nothing is due; the time a failed batch waits passes at once (its next try is brought to now). */
  const deliverAll = async () => {
    await readableHead(p.db.pool); // another database's write transaction on the server may hold the log back
    for (let i = 0; i < 20; i++) {
      await p.db.pool.query('UPDATE webhook_subscriptions SET next_attempt_at = now() WHERE next_attempt_at > now()');
      await deliverDue(p.db.pool, { allowPrivate: true });
    }
  };
  const positions = (of: string) => hooks.state.taken.filter((r) => r.json.subscriptionId === of).flatMap((r) => r.json.events.map((e) => e.position));
  /** What the log holds of the orders `unit` is in, from SQL of its own: the events a subscription of the unit must get. */
  const logOf = async (unit: string, types?: string[]) => (await p.db.pool.query(
    `SELECT id FROM events WHERE stream = 'order' AND snapshot->'units' ? $1 AND ($2::text[] IS NULL OR type = ANY($2)) ORDER BY tx_id, id`,
    [unit, types ?? null])).rows.map((r) => Number(r.id));

  it("delivers each unit its own orders' events in the order of the log, signed, a refused batch again", async () => {
    const made = await call('POST', '/webhooks', manager, { name: '自来水集团工单系统', url: hooks.url });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.match(made.body.secret, /^whsec_/);
    assert.equal(made.body.unit.id, water);
    subs.water = made.body;
    const other = await call('POST', '/webhooks', admin, { name: '供电公司派单', url: hooks.url, unitId: power, types: ['order.dispatched'] });
    assert.equal(other.status, 201);
    subs.power = other.body;

    // three orders to water (one signed), one to power, one answered directly
    for (const [unit, sign] of [[water, true], [water, false], [water, false], [power, false]] as const) {
      const { order } = await registerOrder(p.db.pool, agent, orderInput());
      await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: unit } as never);
      if (sign) await applyTransition(p.db.pool, await makeStaff(p, 'UTIL-WATER', ['unit_handler']), order.id, 'sign', {} as never);
    }
    const { order: direct } = await registerOrder(p.db.pool, agent, orderInput());
    await applyTransition(p.db.pool, agent, direct.id, 'answer_directly', { text: '已解答' } as never);

    hooks.state.refuse = 2;
    await deliverAll();
    assert.equal(hooks.state.refused, 2, 'two tries refused');
    assert.deepEqual(positions(subs.water!.id), await logOf(water), "water: every event of its orders, in the log's order, once");
    assert.deepEqual(positions(subs.power!.id), await logOf(power, ['order.dispatched']), 'power: its dispatch only');
    assert.equal(positions(subs.water!.id).length, 4, 'three dispatches and a signing');

    for (const r of hooks.state.taken) {
      const secret = r.json.subscriptionId === subs.water!.id ? subs.water!.secret : subs.power!.secret;
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['minsheng-signature']))!;
      assert.equal(v1, createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex'), 'signed with its secret');
      assert.ok(Math.abs(Number(t) - Date.now() / 1000) < 60);
      const events = r.json.events;
      assert.equal(r.headers['minsheng-delivery'], `${r.json.subscriptionId}:${events[0]!.position}-${events.at(-1)!.position}`);
    }
    // the two refusals, wherever they fell, are in the tries; each subscription's last try was taken
    let refused = 0;
    for (const sub of [subs.water!, subs.power!]) {
      const seen = await call('GET', `/webhooks/${sub.id}`, admin);
      assert.equal(seen.status, 200);
      assert.deepEqual([seen.body.failures, seen.body.lastError, seen.body.attempts[0].status], [0, null, 200]);
      refused += seen.body.attempts.filter((a: { status: number; error: string }) => a.status === 500 && a.error === 'HTTP 500').length;
    }
    assert.equal(refused, 2);
  });

  it('sends everything again from a point in time, and nothing while paused', async () => {
    const before = positions(subs.water!.id);
    const replay = await call('POST', `/webhooks/${subs.water!.id}/replay`, manager, { from: new Date(Date.now() - 3_600_000).toISOString() });
    assert.equal(replay.status, 200);
    await deliverAll();
    assert.deepEqual(positions(subs.water!.id), [...before, ...before], 'the same events, in the same order, once more');

    assert.equal((await call('PATCH', `/webhooks/${subs.water!.id}`, manager, { active: false })).status, 200);
    const { order } = await registerOrder(p.db.pool, agent, orderInput());
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: water } as never);
    await deliverAll();
    assert.equal(positions(subs.water!.id).length, 2 * before.length, 'paused: nothing sent');
    assert.equal((await call('PATCH', `/webhooks/${subs.water!.id}`, manager, { active: true })).status, 200);
    await deliverAll();
    assert.deepEqual(positions(subs.water!.id).slice(2 * before.length), (await logOf(water)).slice(before.length), 'resumed where it stopped');
  });

  it("keeps a unit's manager to their own unit, and the server out of private networks", async () => {
    assert.equal((await call('POST', '/webhooks', manager, { name: 'x', url: hooks.url, unitId: power })).status, 403);
    assert.equal((await call('POST', '/webhooks', manager, { name: 'x', url: hooks.url, unitId: null })).status, 403, 'the whole city: admins only');
    const hidden = await call('GET', `/webhooks/${subs.power!.id}`, manager);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.code, 'WEBHOOK_NOT_FOUND');
    assert.deepEqual((await call('GET', '/webhooks', manager)).body.items.map((s: { id: string }) => s.id), [subs.water!.id]);
    assert.equal((await call('GET', '/webhooks', admin)).body.items.length, 2);
    const handler = await auth((await makeStaff(p, 'UTIL-WATER', ['unit_handler'])).username);
    assert.equal((await call('GET', '/webhooks', handler)).status, 403);

    const bad = await call('POST', '/webhooks', admin, { name: 'x', url: 'ftp://example.org/hook' });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.code, 'WEBHOOK_INVALID');
    assert.equal((await call('POST', '/webhooks', admin, { name: 'x', url: hooks.url, types: ['order.nothing'] })).status, 400);
    const actor = (await makeStaff(p, 'HOTLINE', ['admin']));
    await assert.rejects(createSubscription(p.db.pool, actor, { name: 'x', url: hooks.url }, false), { code: 'WEBHOOK_INVALID' });
    await assert.rejects(createSubscription(p.db.pool, actor, { name: 'x', url: 'http://[::1]:9/' }, false), { code: 'WEBHOOK_INVALID' });
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      assert.ok(isPrivateAddress(a), a);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '2400:3200::1']) assert.ok(!isPrivateAddress(a), a);
  });
});
