import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import { drainConsumers } from '../../platform.js';
import { signedCallEvents } from '../../testing/telephony.js';
import { answerByUnit, makeStaff, orderInput, PASSWORD, registerTestOrder, startTestPlatform,
  type TestPlatform } from '../../testing/harness.js';
import { readEventStream, type ServerSentEvent } from '../../testing/sse.js';
import type { Actor } from '../auth/index.js';
import { LiveFeed } from '../events/index.js';
import { pendingVisitOf } from '../feedback/index.js';
import { recordVisitAnswer } from '../orders/index.js';
import type { CallEvent } from './index.js';

/** The events of a call answered at `seat`, `start` ms ago, not yet ended. */
function answeredAt(callId: string, caller: string, seat: string, start = Date.now() - 30_000): CallEvent[] {
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  return [
    { id: `${callId}:offered`, callId, type: 'offered', at: at(0), caller, queue: 'general' },
    { id: `${callId}:ringing`, callId, type: 'ringing', at: at(2), seat },
    { id: `${callId}:answered`, callId, type: 'answered', at: at(5), seat, agent: `agent-${seat}` },
  ];
}

describe('the screen-pop: a call answered at a seat reaches the agent signed in to it, and the orders of the call link to it', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let feed: LiveFeed;
  let base: string;
  const token: Record<string, string> = {};
  const streams: AbortController[] = [];
  let anna: Actor & { username: string };
  let bo: Actor & { username: string };
  let visitor: Actor & { username: string };

  before(async () => {
    p = await startTestPlatform();
    [anna, bo, visitor] = [await makeStaff(p, 'HOTLINE', ['agent']), await makeStaff(p, 'HOTLINE', ['agent']), await makeStaff(p, 'HOTLINE', ['visitor'])];
    feed = await LiveFeed.start(p.db.pool, { wake: (f) => p.db.listen('minsheng_events', f), pollMs: 60_000, log: (e) => assert.fail(String(e)) });
    app = await buildApp(p, { feed, checkResponses: true });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    for (const who of [anna, bo]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who.username, password: PASSWORD } });
      token[who.id!] = res.json().token;
    }
  });
  after(async () => {
    for (const s of streams) s.abort();
    await app.close();
    await feed.stop();
    await p.close();
  });

  const as = (who: Actor) => ({ authorization: `Bearer ${token[who.id!]}` });
  const post = (events: CallEvent[]) => app.inject({ method: 'POST', ...signedCallEvents(events) });
  /** The call events `who` receives on the live stream from now on. */
  async function listen(who: Actor): Promise<ServerSentEvent[]> {
    const got: ServerSentEvent[] = [];
    const controller = new AbortController();
    streams.push(controller);
    void readEventStream(`${base}/api/v1/events/stream`, { headers: as(who), signal: controller.signal,
      onMessage: (m) => { if (m.event.startsWith('call.')) got.push(m); } });
    await new Promise((r) => setTimeout(r, 150)); // connected
    return got;
  }
  async function until<T>(what: () => T | undefined, ms = 5_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const found = what();
      if (found !== undefined) return found;
      if (Date.now() > end) assert.fail('waited in vain');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('an agent signs in to a seat, sets it not ready with a reason, and takes it back from a colleague', async () => {
    const none = await app.inject({ method: 'PATCH', url: '/api/v1/seats/mine', headers: as(anna), payload: { state: 'ready' } });
    assert.deepEqual([none.statusCode, none.json().error.code], [409, 'SEAT_NOT_SIGNED_IN']);
    const bosSeat = await app.inject({ method: 'PUT', url: '/api/v1/seats/mine', headers: as(bo), payload: { seat: '2002' } });
    assert.deepEqual([bosSeat.statusCode, bosSeat.json().state], [200, 'ready']);
    const annasSeat = await app.inject({ method: 'PUT', url: '/api/v1/seats/mine', headers: as(anna), payload: { seat: '2002' } });
    assert.equal(annasSeat.json().seat, '2002');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/seats/mine', headers: as(bo) })).json(), null, 'Bo was signed out of 2002');
    const paused = await app.inject({ method: 'PATCH', url: '/api/v1/seats/mine', headers: as(anna), payload: { state: 'not_ready', reason: '培训' } });
    assert.deepEqual([paused.json().state, paused.json().reason], ['not_ready', '培训']);
    await app.inject({ method: 'PATCH', url: '/api/v1/seats/mine', headers: as(anna), payload: { state: 'ready' } });
    const bad = await app.inject({ method: 'PUT', url: '/api/v1/seats/mine', headers: as(anna), payload: { seat: '20 02' } });
    assert.equal(bad.statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url: '/api/v1/seats/mine', headers: as(bo), payload: { seat: '2001' } })).statusCode, 200);
  });

  test("pops the call up on the screen of the agent at the answering seat only, once, with the caller's history to read", async () => {
    const caller = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const earlier = await registerTestOrder(p, anna, { citizen: { name: '张先生', phone: caller } });
    await registerTestOrder(p, anna, { citizen: { phone: caller }, confidential: true });
    await answerByUnit(p, earlier.id);
    const visit = await pendingVisitOf(p.db.pool, p.config.cityCode, earlier.id);
    await recordVisitAnswer(p.db.pool, visitor, visit!.id, { solved: false, satisfaction: 'unsatisfied' });
    const [annas, bos] = [await listen(anna), await listen(bo)];

    const callId = `pbx1-${randomUUID()}`;
    assert.equal((await post(answeredAt(callId, caller, '2002'))).statusCode, 200);
    await post(answeredAt(callId, caller, '2002')); // the telephony retries: no second pop
    const other = `pbx1-${randomUUID()}`;
    await post(answeredAt(other, '13905310099', '2001'));
    const popped = await until(() => annas.find((m) => m.event === 'call.answered'));
    const data = JSON.parse(popped.data);
    assert.deepEqual([data.callId, data.call.seat, data.call.staffId, data.call.state, data.payload.staffId], [callId, '2002', anna.id, 'talking', anna.id]);
    assert.equal(popped.data.includes(caller), false, 'the stream never carries the number');
    await until(() => bos.find((m) => JSON.parse(m.data).callId === other));
    assert.deepEqual(annas.map((m) => JSON.parse(m.data).callId), [callId], "Anna gets her call, once, and not Bo's");
    // the caller hangs up later, in a post of its own: Anna hears of it
    await post([{ id: `${callId}:ended`, callId, type: 'ended', at: new Date().toISOString(), reason: 'caller' }]);
    const ended = await until(() => annas.find((m) => m.event === 'call.ended'));
    assert.deepEqual([JSON.parse(ended.data).call.staffId, JSON.parse(ended.data).payload.outcome], [anna.id, 'answered']);
    annas.splice(annas.indexOf(ended), 1);
    assert.deepEqual(bos.map((m) => JSON.parse(m.data).callId), [other]);

    const profile = await app.inject({ method: 'GET', url: `/api/v1/calls/${callId}/caller`, headers: as(anna) });
    assert.equal(profile.statusCode, 200, profile.body);
    const who = profile.json();
    assert.equal(who.phone, caller);
    assert.deepEqual([who.counts.all, who.counts.days30, who.open, who.dissatisfied, who.confidential], [2, 2, 2, 1, 1]);
    assert.equal(who.orders.length, 2);
    assert.equal(who.orders[1].trackingNo, earlier.trackingNo, 'newest first');
  });

  test('links the orders registered during the call to it: registered, or answered directly', async () => {
    const caller = '13905310077';
    const callId = `pbx1-${randomUUID()}`;
    await post(answeredAt(callId, caller, '2002'));
    const register = (extra: object) => app.inject({ method: 'POST', url: '/api/v1/orders', headers: as(anna),
      payload: { ...orderInput({ citizen: { phone: caller } }), callId, ...extra } });
    const first = await register({});
    assert.equal(first.statusCode, 201, first.body);
    await drainConsumers(p);
    let call = (await app.inject({ method: 'GET', url: `/api/v1/calls/${callId}`, headers: as(anna) })).json();
    assert.deepEqual(call.orders.map((o: { trackingNo: string }) => o.trackingNo), [first.json().trackingNo]);
    assert.equal(call.handling, 'registered');

    const direct = `pbx1-${randomUUID()}`;
    await post(answeredAt(direct, caller, '2002'));
    const answered = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: as(anna),
      payload: { ...orderInput({ citizen: { phone: caller } }), callId: direct } });
    const done = await app.inject({ method: 'POST', url: `/api/v1/orders/${answered.json().id}/actions/answer_directly`, headers: as(anna),
      payload: { text: '已告知办理地点和所需材料。' } });
    assert.equal(done.statusCode, 200, done.body);
    await drainConsumers(p);
    call = (await app.inject({ method: 'GET', url: `/api/v1/calls/${direct}`, headers: as(anna) })).json();
    assert.deepEqual([call.orders.length, call.handling], [1, 'answered_directly']);
  });
});
