import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { makeStaff, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { signedCallEvents } from '../../testing/telephony.js';
import { seededRandom, shuffle } from '../../shared/random.js';
import { absorbCallEvents, deriveCall, type CallEvent } from './index.js';

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  return shuffle([...items], next);
}

/** Builds a call's events, each `after` seconds from the call's start. */
function callEvents(callId: string, start: Date, steps: [after: number, type: CallEvent['type'], extra?: Partial<CallEvent>][]): CallEvent[] {
  return steps.map(([after, type, extra], i) => ({
    id: `${callId}:${i}:${type}`, callId, type, at: new Date(start.getTime() + after * 1000).toISOString(), ...extra,
  }));
}

/** A queue call: rung at a seat that lets it ring out, answered at the next, held half a minute, ended by the caller. */
function answeredCall(callId: string, caller: string, start = new Date(Date.now() - 600_000)): CallEvent[] {
  return callEvents(callId, start, [
    [0, 'offered', { caller, callee: '12345', queue: 'general' }],
    [3, 'ringing', { seat: '2001', agent: 'agent01', queue: 'general' }],
    [18, 'not_answered', { seat: '2001', reason: 'timeout' }],
    [18.5, 'ringing', { seat: '2002', agent: 'agent02', queue: 'general' }],
    [21, 'answered', { seat: '2002', agent: 'agent02', queue: 'general' }],
    [21, 'answered', { seat: '2002', agent: 'agent02', queue: 'general', recording: '/var/spool/asterisk/monitor/q-1.wav' }],
    [60, 'held', { seat: '2002' }],
    [90, 'unheld', { seat: '2002' }],
    [200, 'ended', { reason: 'caller' }],
  ]);
}

describe("a call's record, derived from its events", () => {
  test('gives the waiting, ringing, talking and hold times of a call answered at the second seat rung', () => {
    const r = deriveCall('c1', answeredCall('c1', '13905310001', new Date('2026-12-05T01:00:00Z')));
    assert.equal(r.state, 'ended');
    assert.equal(r.outcome, 'answered');
    assert.equal(r.callerPhone, '13905310001');
    assert.equal(r.queue, 'general');
    assert.equal(r.seat, '2002');
    assert.equal(r.agent, 'agent02');
    assert.equal(r.rings, 2, 'two seats rung before the answer');
    assert.equal(r.waitSeconds, 21);
    assert.equal(r.ringSeconds, 2.5, "the answering seat's own ringing");
    assert.equal(r.holdSeconds, 30);
    assert.equal(r.talkSeconds, 149, '179 s from answer to end, less 30 s on hold');
    assert.equal(r.offeredAt?.toISOString(), '2026-12-05T01:00:00.000Z');
    assert.equal(r.endedAt?.toISOString(), '2026-12-05T01:03:20.000Z');
    assert.equal(r.endReason, 'caller');
    assert.equal(r.recording, '/var/spool/asterisk/monitor/q-1.wav');
    assert.equal(r.events, 9);
  });

  test('is the same whatever order the events come in, and however often each comes', () => {
    const events = answeredCall('c2', '13905310002');
    const expected = deriveCall('c2', events);
    for (let seed = 1; seed <= 50; seed++) {
      const next = seededRandom(seed);
      const repeated = events.flatMap((e) => (next() < 0.3 ? [e, { ...e }] : [e]));
      assert.deepEqual(deriveCall('c2', shuffled(repeated, next)), expected, `seed ${seed}`);
    }
  });

  test('follows the call as it goes: queued, ringing, talking, held, then ended', () => {
    const events = answeredCall('c3', '13905310003');
    const states = [1, 2, 5, 7, 8, 9].map((n) => deriveCall('c3', events.slice(0, n)).state);
    assert.deepEqual(states, ['queued', 'ringing', 'talking', 'held', 'talking', 'ended']);
    assert.equal(deriveCall('c3', events.slice(0, 8)).outcome, null, 'no outcome before the end');
  });

  test('counts a caller who hung up while waiting as abandoned, with the time they waited', () => {
    const r = deriveCall('c4', callEvents('c4', new Date('2026-12-05T02:00:00Z'), [
      [0, 'offered', { caller: '13905310004', queue: 'general' }],
      [2, 'ringing', { seat: '2001' }],
      [17, 'not_answered', { seat: '2001', reason: 'timeout' }],
      [40, 'abandoned', { queue: 'general' }],
      [40.2, 'ended', { reason: 'caller' }],
    ]));
    assert.equal(r.outcome, 'abandoned');
    assert.equal(r.waitSeconds, 40);
    assert.equal(r.talkSeconds, null);
    assert.equal(r.seat, null);
    assert.equal(r.rings, 1);
  });

  test('is ended by an abandon alone, and a call that ends unanswered without one is unanswered', () => {
    const start = new Date('2026-12-05T02:10:00Z');
    const abandoned = deriveCall('c5', callEvents('c5', start, [[0, 'offered', { caller: '1' }], [9, 'abandoned']]));
    assert.deepEqual([abandoned.state, abandoned.outcome, abandoned.endedAt?.toISOString()], ['ended', 'abandoned', '2026-12-05T02:10:09.000Z']);
    const timedOut = deriveCall('c6', callEvents('c6', start, [[0, 'offered', { caller: '1' }], [300, 'ended', { reason: 'system' }]]));
    assert.deepEqual([timedOut.outcome, timedOut.waitSeconds], ['unanswered', 300]);
  });

  test('records a transfer to the 110 desk and a third party joined; the transfer ends the hold the agent put the caller on', () => {
    const r = deriveCall('c7', callEvents('c7', new Date('2026-12-05T03:00:00Z'), [
      [0, 'offered', { caller: '13905310007' }],
      [1, 'ringing', { seat: '2003' }],
      [4, 'answered', { seat: '2003', agent: 'agent03' }],
      [30, 'joined', { party: '110' }],
      [30, 'joined', { party: '110' }],
      [50, 'held', { seat: '2003' }],
      [55, 'transferred', { seat: '2003', target: { kind: 'desk', value: '110' } }],
      [64, 'ended', { reason: 'transfer' }],
    ]));
    assert.equal(r.outcome, 'transferred');
    assert.deepEqual(r.transfers, [{ at: '2026-12-05T03:00:55.000Z', kind: 'desk', value: '110', seat: '2003' }]);
    assert.deepEqual(r.parties, [{ at: '2026-12-05T03:00:30.000Z', party: '110' }], 'one party, joined once');
    assert.equal(r.holdSeconds, 5);
    assert.equal(r.talkSeconds, 55);
  });

  test('runs a hold still on when the call ends to the end of the call', () => {
    const r = deriveCall('c8', callEvents('c8', new Date('2026-12-05T03:10:00Z'), [
      [0, 'offered', { caller: '13905310008' }], [3, 'answered', { seat: '2003' }], [40, 'held', { seat: '2003' }], [70, 'ended', { reason: 'caller' }],
    ]));
    assert.deepEqual([r.holdSeconds, r.talkSeconds], [30, 37]);
  });
});

describe('the telephony posts call events; the hotline reads its calls', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let agentToken: string;
  let leaderToken: string;
  let handlerToken: string;

  before(async () => {
    p = await startTestPlatform();
    ({ app } = await startTestApp(p));
    const { tokenFor } = await startTestApp(p);
    const [agent, leader, handler] = [await makeStaff(p, 'HOTLINE', ['agent']), await makeStaff(p, 'HOTLINE', ['leader']),
      await makeStaff(p, 'UTIL-WATER', ['unit_handler'])];
    [agentToken, leaderToken, handlerToken] = [await tokenFor(agent.username), await tokenFor(leader.username), await tokenFor(handler.username)];
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  /** Posts events as the telephony does, signed as docs/telephony.md says. */
  /** Posts events as the telephony does, signed as docs/telephony.md says. */
  const post = (events: unknown[], sign: { secret?: string; at?: number; raw?: string } = {}) =>
    app.inject({ method: 'POST', ...signedCallEvents(events, sign) });
  const read = (callId: string, token = agentToken) =>
    app.inject({ method: 'GET', url: `/api/v1/calls/${encodeURIComponent(callId)}`, headers: { authorization: `Bearer ${token}` } });
  /** A call as the API gives it, without its timeline. */
  async function recordOf(callId: string) {
    const res = await read(callId);
    assert.equal(res.statusCode, 200, res.body);
    const { timeline: _timeline, ...call } = res.json();
    return call;
  }

  test('keeps each event once and reports the repeats', async () => {
    const callId = `pbx1-${randomUUID()}`;
    const events = answeredCall(callId, '13905310011');
    const first = await post(events);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json().results.map((r: { outcome: string }) => r.outcome), events.map(() => 'accepted'));
    assert.equal(first.json().changed, 1);
    const again = await post(events.slice(0, 3));
    assert.deepEqual(again.json().results.map((r: { outcome: string }) => r.outcome), ['duplicate', 'duplicate', 'duplicate']);
    assert.equal(again.json().changed, 0);
    const twice = await post([events[0], events[0]].map((e) => ({ ...e, id: `${e!.id}-x` })));
    assert.deepEqual(twice.json().results.map((r: { outcome: string }) => r.outcome), ['accepted', 'duplicate'], 'twice in one post: kept once');
    const call = await recordOf(callId);
    assert.deepEqual([call.state, call.outcome, call.seat, call.waitSeconds, call.talkSeconds, call.holdSeconds, call.events],
      ['ended', 'answered', '2002', 21, 149, 30, 10]);
    const logged = await p.db.pool.query(
      `SELECT e.type FROM events e JOIN calls c ON c.id = e.stream_id WHERE c.call_id = $1 AND e.stream = 'call' ORDER BY e.seq`, [callId]);
    assert.deepEqual(logged.rows.map((r) => r.type), ['call.ended'], 'a call heard of only once it was over pops nothing up');
    const elsewhere = await post([{ ...events[0]!, callId: `pbx1-${randomUUID()}` }]);
    assert.equal(elsewhere.json().results[0].outcome, 'duplicate');
    const calls = await p.db.pool.query('SELECT count(*)::int AS n FROM calls WHERE events = 0');
    assert.equal(calls.rows[0].n, 0, 'a known event posted under another call makes no empty call');
  });

  test('gives the same call when its events come late, out of order and in separate posts', async () => {
    const inOrder = `pbx1-${randomUUID()}`;
    const scattered = `pbx1-${randomUUID()}`;
    const start = new Date(Date.now() - 900_000);
    await post(answeredCall(inOrder, '13905310012', start));
    const events = shuffled(answeredCall(scattered, '13905310012', start), seededRandom(7));
    for (let i = 0; i < events.length; i += 2) assert.equal((await post(events.slice(i, i + 2))).statusCode, 200);
    const [a, b] = [await recordOf(inOrder), await recordOf(scattered)];
    assert.deepEqual({ ...b, callId: inOrder }, a);
  });

  test("absorbs about one call at the same time miss none of each other's events (the call's row is locked)", async () => {
    const callId = `pbx1-${randomUUID()}`;
    const events = answeredCall(callId, '13905310013');
    // straight to the store, one transaction each: on PostgreSQL they run side by side, as in two server processes
    await Promise.all(events.map((e) => absorbCallEvents(p.db.pool, p.config.cityCode, [e])));
    const call = await recordOf(callId);
    const expected = deriveCall(callId, events);
    assert.deepEqual([call.state, call.outcome, call.rings, call.waitSeconds, call.talkSeconds, call.holdSeconds, call.events],
      [expected.state, expected.outcome, expected.rings, expected.waitSeconds, expected.talkSeconds, expected.holdSeconds, expected.events]);
  });

  test('answers posts absorbed together each with its own results, an event in two of them kept once', async () => {
    const callId = `pbx1-${randomUUID()}`;
    const events = answeredCall(callId, '13905310017');
    const posts = [events.slice(0, 3), events.slice(2, 6), events.slice(6)];
    const answers = await Promise.all(posts.map((events) => post(events)));
    assert.deepEqual(answers.map((a) => a.statusCode), [200, 200, 200]);
    const outcomes = answers.map((a) => a.json().results.map((r: { id: string; outcome: string }) => `${r.id.split(':')[1]}:${r.outcome}`));
    assert.deepEqual(outcomes.map((o) => o.length), [3, 4, 3], 'each post gets the results of its own events, in its order');
    const shared = [outcomes[0][2], outcomes[1][0]].sort();
    assert.deepEqual(shared, ['2:accepted', '2:duplicate'], 'the event in two posts is kept once');
    assert.equal((await recordOf(callId)).events, 9);
  });

  test('refuses an unsigned, wrongly signed or stale post, and a malformed one, with their codes', async () => {
    const events = answeredCall(`pbx1-${randomUUID()}`, '13905310014').slice(0, 1);
    const unsigned = await app.inject({ method: 'POST', url: '/api/v1/telephony/events', payload: { events } });
    assert.deepEqual([unsigned.statusCode, unsigned.json().error.code], [401, 'TELEPHONY_UNSIGNED']);
    const wrong = await post(events, { secret: 'not-the-telephony-secret' });
    assert.deepEqual([wrong.statusCode, wrong.json().error.code], [401, 'TELEPHONY_UNSIGNED']);
    const stale = await post(events, { at: Date.now() - 10 * 60_000 });
    assert.deepEqual([stale.statusCode, stale.json().error.code], [401, 'TELEPHONY_STALE']);
    const badType = await post([{ ...events[0], type: 'exploded' }]);
    assert.deepEqual([badType.statusCode, badType.json().error.code], [400, 'VALIDATION_FAILED']);
    const none = await post([]);
    assert.deepEqual([none.statusCode, none.json().error.code], [400, 'VALIDATION_FAILED']);
    const notJson = await post([], { raw: '{"events": [' });
    assert.deepEqual([notJson.statusCode, notJson.json().error.code], [400, 'BAD_JSON']);
  });

  test('refuses an event stamped far in the future, or lacking what its type needs, on its own, and keeps the others of its post', async () => {
    const callId = `pbx1-${randomUUID()}`;
    const [offered, ringing] = answeredCall(callId, '13905310015');
    const ahead = { ...ringing!, at: new Date(Date.now() + 3_600_000).toISOString() };
    const res = await post([offered, ahead]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().results, [{ id: offered!.id, outcome: 'accepted' }, { id: ahead.id, outcome: 'refused', code: 'CALL_EVENT_IN_FUTURE' }]);
    assert.equal((await recordOf(callId)).state, 'queued');
    // a transfer to nowhere means nothing; the same id then given in full is kept
    const transfer = { id: `${callId}:t`, callId, type: 'transferred', at: ringing!.at, seat: '2001' };
    const again = await post([transfer, { ...transfer, target: { kind: 'desk', value: '110' } }]);
    assert.deepEqual(again.json().results.map((r: { outcome: string; code?: string }) => r.code ?? r.outcome), ['CALL_EVENT_INCOMPLETE', 'accepted']);
    assert.deepEqual((await recordOf(callId)).transfers.map((t: { value: string }) => t.value), ['110']);
  });

  test('lists calls newest first with the numbers masked, shows the number to an agent (audited) and masks it for a leader', async () => {
    const callId = `pbx1-${randomUUID()}`;
    await post(answeredCall(callId, '13905310016', new Date(Date.now() - 60_000)));
    const list = await app.inject({ method: 'GET', url: '/api/v1/calls?seat=2002&outcome=answered&limit=5', headers: { authorization: `Bearer ${leaderToken}` } });
    assert.equal(list.statusCode, 200, list.body);
    const first = list.json().items[0];
    assert.deepEqual([first.callId, first.callerPhone], [callId, '139****0016']);
    const forAgent = await read(callId);
    assert.equal(forAgent.json().callerPhone, '13905310016');
    assert.deepEqual(forAgent.json().timeline.map((e: CallEvent) => e.type),
      ['offered', 'ringing', 'not_answered', 'ringing', 'answered', 'answered', 'held', 'unheld', 'ended']);
    const audit = await p.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'call.read_unmasked' AND subject_id = $1", [callId]);
    assert.equal(audit.rows[0].n, 1);
    const forLeader = await read(callId, leaderToken);
    assert.equal(forLeader.json().callerPhone, '139****0016');
    assert.equal(forLeader.json().timeline[0].caller, '139****0016');
    const forUnit = await read(callId, handlerToken);
    assert.deepEqual([forUnit.statusCode, forUnit.json().error.code], [403, 'AUTH_FORBIDDEN']);
    const missing = await read('no-such-call');
    assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'CALL_NOT_FOUND']);
  });
});
