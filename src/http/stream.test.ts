import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { makeStaff, orderInput, PASSWORD, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';
import type { Actor } from '../modules/auth/index.js';
import { drainCommitted, LiveFeed } from '../modules/events/index.js';
import { warningsConsumer } from '../modules/analytics/index.js';
import { applyTransition, registerOrder } from '../modules/orders/index.js';
import { readEventStream } from '../testing/sse.js';

/** One Server-Sent Event as received. */
interface Received { id: string | null; event: string; data: any; at: number }

/** An SSE connection read as it arrives. */
class Listener {
  readonly events: Received[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  status = 0;
  ended: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ended = this.read(url, headers).catch(() => undefined);
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    this.status = await readEventStream(url, { headers, signal: this.abort.signal, onOpen: (status) => (this.status = status),
      onMessage: (m) => this.events.push({ id: m.id, event: m.event, data: JSON.parse(m.data), at: Date.now() }),
      onComment: (line) => this.comments.push(line) });
  }

  /** Waits until an event matches (or fails after `ms`). */
  async waitFor(match: (e: Received) => boolean, ms = 15_000): Promise<Received> {
    for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 5))) {
      const found = this.events.find(match);
      if (found) return found;
    }
    throw new Error(`no matching event in ${ms} ms; got ${JSON.stringify(this.events.map((e) => [e.event, e.data.orderId]))}`);
  }

  close(): Promise<void> {
    this.abort.abort();
    return this.ended;
  }
}

describe('the live event stream', () => {
  let p: TestPlatform;
  let feed: LiveFeed;
  let app: FastifyInstance;
  let base: string;
  let agent: Actor, water: Actor, power: Actor;
  let waterUnit: string;
  const tokens: Record<string, string> = {};
  const listeners: Listener[] = [];

  before(async () => {
    p = await startTestPlatform();
    p.config.streamHeartbeatSeconds = 1;
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    power = await makeStaff(p, 'UTIL-POWER', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
    feed = await LiveFeed.start(p.db.pool, { wake: (f) => p.db.listen('minsheng_events', f), pollMs: 60_000, log: (e) => assert.fail(String(e)) });
    app = await buildApp(p, { feed });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    for (const who of [agent, water, power] as (Actor & { username: string })[]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who.username, password: PASSWORD } });
      tokens[who.id!] = res.json().token;
    }
  });
  after(async () => {
    await Promise.all(listeners.map((l) => l.close()));
    await app.close();
    await feed.stop();
    await p.close();
  });

  const ticketFor = async (who: Actor) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/events/tickets', headers: { authorization: `Bearer ${tokens[who.id!]}` } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { ticket: string; url: string };
  };
  const listen = async (who: Actor, extra = '') => {
    const listener = new Listener(`${base}${(await ticketFor(who)).url}${extra}`);
    listeners.push(listener);
    await new Promise((r) => setTimeout(r, 100)); // connected
    return listener;
  };

  it('sends a committed change at once, to the hotline for the whole city and to a unit for its own orders only', async () => {
    const [hotline, waterStream, powerStream] = [await listen(agent), await listen(water), await listen(power)];
    const { order } = await registerOrder(p.db.pool, agent, orderInput());
    const sentAt = Date.now();
    const registered = await hotline.waitFor((e) => e.data.orderId === order.id && e.event === 'order.registered');
    console.log(`# committed → received by an SSE client in ${registered.at - sentAt} ms`);
    assert.equal(registered.id, String(registered.data.position));
    assert.equal(registered.data.order.trackingNo, order.trackingNo);
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: waterUnit });
    const dispatched = await waterStream.waitFor((e) => e.data.orderId === order.id);
    assert.equal(dispatched.event, 'order.dispatched', 'the unit sees the order from its dispatch on');
    assert.equal(dispatched.data.payload.unitId, waterUnit);
    await hotline.waitFor((e) => e.data.orderId === order.id && e.event === 'order.dispatched');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(powerStream.events.some((e) => e.data.orderId === order.id), false, "another unit's order is never sent");
    const sent = JSON.stringify(hotline.events);
    for (const secret of ['13812345678', '张三丰', '解放路100号']) assert.equal(sent.includes(secret), false, `no personal data (${secret})`);
  });

  it('sends an early warning to the hotline as it is raised, never to a unit', async () => {
    const [hotline, waterStream] = [await listen(agent), await listen(water)];
    const community = (await p.db.pool.query(`SELECT code FROM areas WHERE parent_code = '370102002' ORDER BY code LIMIT 1`)).rows[0].code;
    const reports = [];
    for (let i = 0; i < 5; i++) {
      reports.push((await registerOrder(p.db.pool, agent, orderInput({ categoryCode: '010213', location: { address: '燃气', areaCode: community } }))).order);
    }
    const crossed = Date.now();
    await drainCommitted(p.db.pool, warningsConsumer);
    const raised = await hotline.waitFor((e) => e.event === 'warning.raised' && e.data.warning.areaCode === community);
    console.log(`# the crossing report committed → its warning received by an SSE client in ${raised.at - crossed} ms (the consumer run by hand)`);
    assert.equal(raised.data.stream, 'warning');
    assert.deepEqual(raised.data.payload.orderIds, reports.map((o) => o.id));
    assert.equal(raised.data.warning.status, 'open');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(waterStream.events.some((e) => e.event.startsWith('warning.')), false, 'a unit is not sent the city\'s warnings');
  });

  it('resumes after Last-Event-ID with what was missed, then the live events, none twice', async () => {
    const first = await listen(agent);
    const a = (await registerOrder(p.db.pool, agent, orderInput())).order;
    const last = await first.waitFor((e) => e.data.orderId === a.id);
    await first.close();
    const missed = (await registerOrder(p.db.pool, agent, orderInput())).order;
    await applyTransition(p.db.pool, agent, missed.id, 'dispatch', { unitId: waterUnit });
    const again = await listen(agent, `&lastEventId=${last.id}`);
    await again.waitFor((e) => e.data.orderId === missed.id && e.event === 'order.dispatched');
    const live = (await registerOrder(p.db.pool, agent, orderInput())).order;
    await again.waitFor((e) => e.data.orderId === live.id);
    const ids = again.events.map((e) => Number(e.id));
    assert.ok(ids.every((id) => id > Number(last.id)), 'nothing before Last-Event-ID');
    assert.deepEqual(ids, [...new Set(ids)].sort((x, y) => x - y), 'in order, none twice');
    const unknown = await listen(agent, '&lastEventId=999999999999');
    await unknown.waitFor((e) => e.event === 'reset');
  });

  it('refuses a stream without a valid ticket or session, and ends the stream when the session ends', async () => {
    const refused = new Listener(`${base}/api/v1/events/stream?ticket=mst_not-a-ticket-at-all`);
    await refused.ended;
    assert.equal(refused.status, 401);
    const anonymous = new Listener(`${base}/api/v1/events/stream`);
    await anonymous.ended;
    assert.equal(anonymous.status, 401);
    const byHeader = new Listener(`${base}/api/v1/events/stream`, { authorization: `Bearer ${tokens[water.id!]}` });
    listeners.push(byHeader);
    const stream = await listen(water);
    await new Promise((r) => setTimeout(r, 1_200));
    assert.ok(stream.comments.some((c) => c.startsWith(': ping')), 'heartbeats');
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { authorization: `Bearer ${tokens[water.id!]}` } });
    await stream.waitFor((e) => e.event === 'end', 3_000);
    await stream.ended;
    await byHeader.waitFor((e) => e.event === 'end', 3_000);
    const res = await app.inject({ method: 'POST', url: '/api/v1/events/tickets', headers: { authorization: `Bearer ${tokens[water.id!]}` } });
    assert.equal(res.statusCode, 401, 'no ticket for an ended session');
  });
});
