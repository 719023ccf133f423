// The 110 police desk hands non-police matters over to 12345 (国办发〔2022〕12号): each becomes an
// order of the `police_110` channel, its reference the handover's, registered once however often
// the desk's system sends it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { beijingDate } from '../../shared/beijing.js';
import { makeStaff, orderInput, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { signedCallEvents } from '../../testing/telephony.js';

describe('110 handovers (非警务警情移交)', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let desk: string;
  let admin: string;
  let tokenOf: (username: string) => Promise<string>;

  before(async () => {
    p = await startTestPlatform();
    let tokenFor: (username: string) => Promise<string>;
    ({ app, tokenFor } = await startTestApp(p));
    tokenOf = tokenFor;
    admin = await tokenFor((await makeStaff(p, 'HOTLINE', ['admin'])).username);
    const issued = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { authorization: `Bearer ${admin}` },
      payload: { name: '110 接处警系统', scopes: ['orders:create'] } });
    desk = issued.json().key;
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const handOver = (ref: string, body = '小区门口共享单车堆放堵塞通道，报警人要求有关部门清理（110 移交，非警务警情）。') =>
    app.inject({ method: 'POST', url: '/api/v1/orders', headers: { 'x-api-key': desk },
      payload: { ...orderInput({ channel: 'police_110', channelRef: ref, title: '共享单车堵塞通道', body }), citizen: { phone: '13905310110' } } });

  test('a handover becomes one order of the 110 channel, however often it is sent, and another matter under its reference is refused', async () => {
    const ref = `JJ${randomUUID().slice(0, 12)}`;
    const first = await handOver(ref);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().channel, 'police_110');
    const again = await handOver(ref);
    assert.deepEqual([again.statusCode, again.json().id], [200, first.json().id], 'sent again: the same order');
    const other = await handOver(ref, '另一件事');
    assert.deepEqual([other.statusCode, other.json().error.code], [409, 'IDEMPOTENCY_CONFLICT']);
    const channels = (await app.inject({ method: 'GET', url: '/api/v1/channels', headers: { authorization: `Bearer ${admin}` } })).json();
    assert.deepEqual(channels.find((c: { code: string }) => c.code === 'police_110')?.name, { zh: '110 移交', en: '110 handover' });
  });

  test("the call centre's statistics count both ways: the calls transferred to 110, 119 and 120, and the handovers from 110", async () => {
    await handOver(`JJ${randomUUID().slice(0, 12)}`);
    await handOver(`JJ${randomUUID().slice(0, 12)}`);
    const at = (s: number) => new Date(Date.now() - 120_000 + s * 1000).toISOString();
    const sent = await app.inject({ method: 'POST', ...signedCallEvents([
      { id: 'l1:o', callId: 'l1', type: 'offered', at: at(0), caller: '13905310111', queue: 'hotline' },
      { id: 'l1:a', callId: 'l1', type: 'answered', at: at(3), seat: '2001' },
      { id: 'l1:t', callId: 'l1', type: 'transferred', at: at(40), seat: '2001', target: { kind: 'desk', value: '110' } },
      { id: 'l1:e', callId: 'l1', type: 'ended', at: at(41), seat: '2001' },
    ]) });
    assert.equal(sent.statusCode, 200, sent.body);
    const supervisor = await tokenOf((await makeStaff(p, 'HOTLINE', ['supervisor'])).username);
    const today = beijingDate(new Date());
    const level = await app.inject({ method: 'GET', url: `/api/v1/calls/service-level?from=${beijingDate(Date.now() - 86_400_000)}&to=${today}`, headers: { authorization: `Bearer ${supervisor}` } });
    assert.equal(level.statusCode, 200, level.body);
    // three handovers in all: the first test's and these two
    assert.deepEqual(level.json().linkage, { toDesks: [{ desk: '110', calls: 1 }, { desk: '119', calls: 0 }, { desk: '120', calls: 0 }], fromPolice110: 3 });
  });
});

