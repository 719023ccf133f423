import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { beijingDate } from '../../shared/beijing.js';
import { signedSeatEvents } from '../../testing/telephony.js';
import { makeStaff, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { absorbCallEvents, seatTime, serviceLevel, type CallEvent, setSeatState, signInToSeat, signOutOfSeat } from './index.js';

describe("seats' states from the agent and from the telephony, their history, and after-call work in the handling time", () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let agent: Actor;
  let tokenFor: (username: string) => Promise<string>;
  const t0 = Date.now() - 3_600_000;
  const at = (s: number) => new Date(t0 + s * 1000);

  before(async () => {
    p = await startTestPlatform();
    ({ app, tokenFor } = await startTestApp(p));
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const history = async (seat: string) => (await p.db.pool.query(
    `SELECT state, reason, source, extract(epoch FROM ended_at - started_at)::int AS seconds, after_call FROM seat_states WHERE seat = $1 ORDER BY started_at`,
    [seat])).rows;
  const postSeats = (events: object[]) => app.inject({ method: 'POST', ...signedSeatEvents(events) });

  test('after-call work that follows a call counts in its handling time: talk + hold + wrap-up', async () => {
    await signInToSeat(p.db.pool, agent, '4001', at(0));
    const callId = 'acw-1';
    // answered at 10 s, 20 s of hold, ended at 130 s: 120 s of talk with hold inside (talk 100, hold 20)
    await absorbCallEvents(p.db.pool, p.config.cityCode, [
      { id: 'acw-1:o', callId, type: 'offered', at: at(5).toISOString(), caller: '13905310200', queue: 'hotline' },
      { id: 'acw-1:a', callId, type: 'answered', at: at(10).toISOString(), seat: '4001' },
      { id: 'acw-1:h', callId, type: 'held', at: at(50).toISOString(), seat: '4001' },
      { id: 'acw-1:u', callId, type: 'unheld', at: at(70).toISOString(), seat: '4001' },
      { id: 'acw-1:e', callId, type: 'ended', at: at(130).toISOString(), seat: '4001' },
    ]);
    const call = (await p.db.pool.query('SELECT talk_seconds, hold_seconds FROM calls WHERE call_id = $1', [callId])).rows[0];
    const handled = Number(call.talk_seconds) + Number(call.hold_seconds);
    await setSeatState(p.db.pool, agent, 'after_call_work', null, at(131));
    await setSeatState(p.db.pool, agent, 'after_call_work', null, at(140)); // again: nothing changes
    await setSeatState(p.db.pool, agent, 'ready', null, at(176));
    assert.deepEqual(await history('4001'), [
      { state: 'ready', reason: null, source: 'agent', seconds: 131, after_call: null },
      { state: 'after_call_work', reason: null, source: 'agent', seconds: 45, after_call: callId },
      { state: 'ready', reason: null, source: 'agent', seconds: null, after_call: null },
    ]);
    const level = await serviceLevel(p.db.pool, agent, { from: beijingDate(at(0)), to: beijingDate(new Date()), by: 'queue' });
    assert.equal(level.rows.find((r) => r.key === 'hotline')?.ahtSeconds, handled + 45);
  });

  test('a seat that transferred a call away wraps that call up, not the one before; so does the seat that took it', async () => {
    const [a, b] = [await makeStaff(p, 'HOTLINE', ['agent']), await makeStaff(p, 'HOTLINE', ['agent'])];
    await signInToSeat(p.db.pool, a, '4101', at(1000));
    await signInToSeat(p.db.pool, b, '4102', at(1000));
    const events = (callId: string, steps: [number, CallEvent['type'], Partial<CallEvent>?][]): CallEvent[] => steps.map(([s, type, extra], i) =>
      ({ id: `${callId}:${i}`, callId, type, at: at(s).toISOString(), ...(type === 'offered' ? { caller: '13905310201', queue: 'hotline' } : {}), ...extra }));
    // W: answered at 4101 and ended; X: answered at 4101, transferred to 4102, ended there
    await absorbCallEvents(p.db.pool, p.config.cityCode, [
      ...events('acw-w', [[1010, 'offered'], [1012, 'answered', { seat: '4101' }], [1060, 'ended', { seat: '4101' }]]),
      ...events('acw-x', [[1100, 'offered'], [1102, 'answered', { seat: '4101' }], [1150, 'transferred', { seat: '4101', target: { kind: 'seat', value: '4102' } }],
        [1155, 'answered', { seat: '4102' }]]),
    ]);
    await setSeatState(p.db.pool, a, 'after_call_work', null, at(1151)); // while 4102 talks with the caller
    await setSeatState(p.db.pool, a, 'ready', null, at(1171));
    await absorbCallEvents(p.db.pool, p.config.cityCode, [{ id: 'acw-x:end', callId: 'acw-x', type: 'ended', at: at(1200).toISOString(), seat: '4102' }]);
    await setSeatState(p.db.pool, b, 'after_call_work', null, at(1201));
    await setSeatState(p.db.pool, b, 'ready', null, at(1231));
    const wrapped = (await p.db.pool.query(
      `SELECT seat, after_call, extract(epoch FROM ended_at - started_at)::int AS seconds FROM seat_states WHERE state = 'after_call_work' AND seat IN ('4101', '4102') ORDER BY seat`)).rows;
    assert.deepEqual(wrapped, [{ seat: '4101', after_call: 'acw-x', seconds: 20 }, { seat: '4102', after_call: 'acw-x', seconds: 30 }]);
  });

  test("a telephony clock running ahead starts the seat's state now, never in the future: the history does not overlap", async () => {
    const c = await makeStaff(p, 'HOTLINE', ['agent']);
    const now = new Date();
    await signInToSeat(p.db.pool, c, '4103', new Date(now.getTime() - 600_000));
    const ahead = await postSeats([{ id: 'pbx-ahead', seat: '4103', state: 'not_ready', reason: 'meeting', at: new Date(now.getTime() + 240_000).toISOString() }]);
    assert.deepEqual(ahead.json().results, [{ id: 'pbx-ahead', outcome: 'accepted' }]);
    await setSeatState(p.db.pool, c, 'ready', null, new Date(Date.now() + 1000));
    const rows = (await p.db.pool.query(`SELECT started_at, ended_at FROM seat_states WHERE seat = '4103' ORDER BY started_at`)).rows;
    assert.equal(rows.length, 3);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i].started_at >= rows[i - 1].ended_at, `period ${i} starts after the one before ends`);
    assert.ok(rows[1].started_at.getTime() <= Date.now(), 'not in the future');
  });

  test("the telephony's pause and wrap-up set the seat's state, in the order they happened, each once", async () => {
    await signInToSeat(p.db.pool, agent, '4002', at(200));
    const sent = await postSeats([
      { id: 'pbx-s1', seat: '4002', state: 'not_ready', reason: 'meeting', at: at(300).toISOString() },
      { id: 'pbx-s0', seat: '4002', state: 'ready', at: at(250).toISOString() }, // older, posted in the same breath: applied first
      { id: 'pbx-s9', seat: '4002', state: 'ready', at: new Date(Date.now() + 3_600_000).toISOString() },
    ]);
    assert.equal(sent.statusCode, 200, sent.body);
    assert.deepEqual(sent.json().results, [{ id: 'pbx-s1', outcome: 'accepted' }, { id: 'pbx-s0', outcome: 'unchanged' }, { id: 'pbx-s9', outcome: 'in_future' }]);
    const late = await postSeats([{ id: 'pbx-s2', seat: '4002', state: 'ready', at: at(280).toISOString() }]);
    assert.deepEqual(late.json().results, [{ id: 'pbx-s2', outcome: 'stale' }], 'a state older than the seat\'s own is history already');
    const again = await postSeats([{ id: 'pbx-s1', seat: '4002', state: 'not_ready', reason: 'meeting', at: at(300).toISOString() }]);
    assert.deepEqual(again.json().results, [{ id: 'pbx-s1', outcome: 'unchanged' }]);
    const seat = (await p.db.pool.query(`SELECT staff_id, state, reason, source FROM seats WHERE seat = '4002'`)).rows[0];
    assert.deepEqual(seat, { staff_id: agent.id, state: 'not_ready', reason: 'meeting', source: 'telephony' }, 'the agent stays signed in');
    await signOutOfSeat(p.db.pool, agent, at(400));
    assert.deepEqual(await history('4002'), [
      { state: 'ready', reason: null, source: 'agent', seconds: 100, after_call: null },
      { state: 'not_ready', reason: 'meeting', source: 'telephony', seconds: 100, after_call: null },
    ]);
    // the agent's sign-in elsewhere closed 4001's period too
    assert.ok((await history('4001')).every((row) => row.seconds !== null));
  });

  test('a seat nobody signed in to is kept with the state the telephony gives; a post must be signed', async () => {
    const sent = await postSeats([{ id: 'pbx-x1', seat: '4999', state: 'after_call_work', at: at(500).toISOString() }]);
    assert.deepEqual(sent.json().results, [{ id: 'pbx-x1', outcome: 'accepted' }]);
    assert.deepEqual((await p.db.pool.query(`SELECT staff_id, state FROM seats WHERE seat = '4999'`)).rows, [{ staff_id: null, state: 'after_call_work' }]);
    const unsigned = await app.inject({ method: 'POST', url: '/api/v1/telephony/seats', headers: { 'content-type': 'application/json' },
      payload: { events: [{ id: 'x', seat: '4999', state: 'ready', at: at(600).toISOString() }] } });
    assert.deepEqual([unsigned.statusCode, unsigned.json().error.code], [401, 'TELEPHONY_UNSIGNED']);
    const bad = await postSeats([{ id: 'x', seat: '4999', state: 'on_call', at: at(600).toISOString() }]);
    assert.deepEqual([bad.statusCode, bad.json().error.code], [400, 'VALIDATION_FAILED']);
  });

  test("gives each agent's seat time: signed in, ready, not ready by reason, after-call work, calls answered, talk, occupancy", async () => {
    const lead = await makeStaff(p, 'HOTLINE', ['lead']);
    const token = await tokenFor(lead.username);
    const res = await app.inject({ method: 'GET', url: `/api/v1/calls/seat-time?from=${beijingDate(at(0))}&to=${beijingDate(new Date())}`,
      headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    const mine = res.json().agents.find((a: { staffId: string }) => a.staffId === agent.id);
    const call = (await p.db.pool.query(`SELECT talk_seconds + hold_seconds AS talk FROM calls WHERE call_id = 'acw-1'`)).rows[0];
    const talk = Math.round(Number(call.talk));
    // 4001: ready 0–131 s, after-call work 131–176 s, ready 176–200 s; 4002: ready 200–300 s, not ready (meeting) 300–400 s
    assert.deepEqual(mine, { staffId: agent.id, name: agent.name, signedInSeconds: 400, readySeconds: 255, notReadySeconds: 100,
      notReadyByReason: [{ reason: 'meeting', seconds: 100 }], afterCallWorkSeconds: 45, answered: 1, talkSeconds: talk,
      occupancy: Math.round(((Number(call.talk) + 45) / 300) * 10_000) / 10_000 });
    assert.equal(res.json().agents.some((a: { staffId: string | null }) => a.staffId === null), false, 'a seat nobody signed in to is nobody\'s time');
    const agentToken = await tokenFor((agent as Actor & { username: string }).username);
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/calls/seat-time', headers: { authorization: `Bearer ${agentToken}` } })).statusCode, 403);
    const tooLong = await app.inject({ method: 'GET', url: '/api/v1/calls/seat-time?from=2026-01-01&to=2026-03-01', headers: { authorization: `Bearer ${token}` } });
    assert.deepEqual([tooLong.statusCode, tooLong.json().error.code], [400, 'VALIDATION_FAILED']);
  });

  test("counts a call still going in the agent's talk, up to now", async () => {
    const c = await makeStaff(p, 'HOTLINE', ['agent']);
    await signInToSeat(p.db.pool, c, '4301', at(2000));
    await absorbCallEvents(p.db.pool, p.config.cityCode, [
      { id: 'going:0', callId: 'going', type: 'offered', at: at(2005).toISOString(), caller: '13905310202', queue: 'hotline' },
      { id: 'going:1', callId: 'going', type: 'answered', at: at(2010).toISOString(), seat: '4301' },
    ]);
    const lead = await makeStaff(p, 'HOTLINE', ['lead']);
    const day = beijingDate(at(2000));
    const read = await seatTime(p.db.pool, lead, { from: day, to: beijingDate(at(2070)) }, at(2070));
    const mine = read.agents.find((a) => a.staffId === c.id)!;
    assert.deepEqual([mine.answered, mine.talkSeconds, mine.signedInSeconds], [1, 60, 70], 'answered 60 s ago, still talking');
  });
});
