import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepTimersNow } from '../../platform.js';
import { startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { pendingTimers } from '../timers/index.js';
import { absorbCallEvents, endLostCalls, ensureLostCallsSweep, LOST_CALLS_TIMER, type CallEvent } from './index.js';

describe('calls whose end never came', () => {
  let p: TestPlatform;
  const now = new Date();
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  const answered = (callId: string, minutesAgo: number): CallEvent[] => [
    { id: `${callId}:o`, callId, type: 'offered', at: ago(minutesAgo), caller: '13905310300', queue: 'hotline' },
    { id: `${callId}:a`, callId, type: 'answered', at: ago(minutesAgo - 0.5), seat: '2001' },
    { id: `${callId}:h`, callId, type: 'held', at: ago(minutesAgo - 2), seat: '2001' },
  ];
  const record = async (callId: string) => (await p.db.pool.query(
    `SELECT state, outcome, end_reason, ended_at, talk_seconds::float AS talk, hold_seconds::float AS hold FROM calls WHERE call_id = $1`, [callId])).rows[0];

  before(async () => {
    p = await startTestPlatform();
    await absorbCallEvents(p.db.pool, p.config.cityCode, [...answered('lost-1', 300), ...answered('live-1', 60)], now);
  });
  after(async () => {
    await p.close();
  });

  test('a call heard nothing of for 4 hours is ended where its last event left it; a call of an hour ago is left alone', async () => {
    assert.deepEqual(await endLostCalls(p.db.pool, p.config.cityCode, now), ['lost-1']);
    const lost = await record('lost-1');
    assert.deepEqual([lost.state, lost.outcome, lost.end_reason, lost.ended_at.toISOString()], ['ended', 'answered', 'lost', ago(298)]);
    assert.deepEqual([lost.talk, lost.hold], [90, 0], 'talk up to the last event known: 1.5 minutes; the hold began with it');
    assert.equal((await record('live-1')).state, 'held');
    assert.deepEqual(await endLostCalls(p.db.pool, p.config.cityCode, now), [], 'once');
  });

  test("the telephony's own end, come after all, is the call's end", async () => {
    await absorbCallEvents(p.db.pool, p.config.cityCode, [
      { id: 'lost-1:u', callId: 'lost-1', type: 'unheld', at: ago(297), seat: '2001' },
      { id: 'lost-1:e', callId: 'lost-1', type: 'ended', at: ago(290), seat: '2001', reason: 'caller' }], now);
    const ended = await record('lost-1');
    assert.deepEqual([ended.state, ended.end_reason, ended.ended_at.toISOString(), ended.hold], ['ended', 'caller', ago(290), 60]);
  });

  test('the sweep is a timer every 15 minutes, scheduled once however many processes start', async () => {
    await ensureLostCallsSweep(p.db.pool, p.config.cityCode, now);
    await ensureLostCallsSweep(p.db.pool, p.config.cityCode, now);
    const [timer, ...more] = await pendingTimers(p.db.pool, p.config.cityCode, [LOST_CALLS_TIMER]);
    assert.deepEqual([timer?.dueAt.getTime(), more.length], [now.getTime() + 15 * 60_000, 0]);
    await absorbCallEvents(p.db.pool, p.config.cityCode, answered('lost-2', 400), now);
    await sweepTimersNow(p, new Date(now.getTime() + 15 * 60_000));
    for (let i = 0; i < 50 && (await record('lost-2')).state !== 'ended'; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await record('lost-2')).end_reason, 'lost');
    const [next] = await pendingTimers(p.db.pool, p.config.cityCode, [LOST_CALLS_TIMER]);
    assert.equal(next?.dueAt.getTime(), now.getTime() + 30 * 60_000, 'the next one scheduled');
  });
});
