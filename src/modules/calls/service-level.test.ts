import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { beijingDate } from '../../shared/beijing.js';
import { makeStaff, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { absorbCallEvents, signInToSeat, type CallEvent } from './index.js';

/** A call offered `ago` seconds ago at queue `queue`, then each step `after` seconds from its offer. */
function call(ago: number, queue: string, steps: [after: number, type: CallEvent['type'], extra?: Partial<CallEvent>][]): CallEvent[] {
  const callId = `pbx1-${randomUUID()}`;
  const start = Date.now() - ago * 1000;
  return [[0, 'offered', { caller: '13905310100', queue }] as const, ...steps].map(([after, type, extra], i) => ({
    id: `${callId}:${i}`, callId, type, at: new Date(start + after * 1000).toISOString(), ...extra,
  }));
}

describe("the call centre's service level and the team lead's wall", () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let lead: string;
  let agentToken: string;

  before(async () => {
    p = await startTestPlatform();
    let tokenFor: (username: string) => Promise<string>;
    ({ app, tokenFor } = await startTestApp(p));
    const [teamLead, agent, busy] = [await makeStaff(p, 'HOTLINE', ['lead']), await makeStaff(p, 'HOTLINE', ['agent']), await makeStaff(p, 'HOTLINE', ['agent'])];
    [lead, agentToken] = [await tokenFor(teamLead.username), await tokenFor(agent.username)];
    await signInToSeat(p.db.pool, agent, '2001');
    await signInToSeat(p.db.pool, busy, '2002');
    await app.inject({ method: 'PATCH', url: '/api/v1/seats/mine', headers: { authorization: `Bearer ${await tokenFor(busy.username)}` },
      payload: { state: 'not_ready', reason: 'meal' } });
    const events = [
      // answered in 10 s, 60 s of talk with 20 s of hold
      ...call(600, 'hotline', [[2, 'ringing', { seat: '2003' }], [10, 'answered', { seat: '2003', agent: 'a3' }], [30, 'held', { seat: '2003' }],
        [50, 'unheld', { seat: '2003' }], [70, 'ended']]),
      // answered in 20 s (too late for the 15 s), 40 s
      ...call(500, 'hotline', [[20, 'answered', { seat: '2003', agent: 'a3' }], [60, 'ended']]),
      // abandoned after 30 s
      ...call(400, 'hotline', [[30, 'abandoned'], [30, 'ended']]),
      // answered in 5 s at another queue, transferred to 110 after 25 s
      ...call(300, 'elderly', [[5, 'answered', { seat: '2004', agent: 'a4' }], [30, 'transferred', { seat: '2004', target: { kind: 'desk', value: '110' } }],
        [31, 'ended']]),
      // on the wall: waiting 40 s, and a call at seat 2001 now
      ...call(40, 'hotline', [[3, 'ringing', { seat: '2005' }]]),
      ...call(30, 'hotline', [[4, 'answered', { seat: '2001', agent: 'a1' }]]),
    ];
    await absorbCallEvents(p.db.pool, p.config.cityCode, events);
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const get = (url: string, token = lead) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` } });
  // Beijing's yesterday and today: calls of the last minutes are in one or the other, whatever the hour
  const days = () => `from=${beijingDate(Date.now() - 86_400_000)}&to=${beijingDate(new Date())}`;

  test('counts offered, answered, abandoned and answered within 15 s, and gives the rates, ASA and AHT as defined', async () => {
    const res = await get(`/calls/service-level?${days()}&by=queue`);
    assert.equal(res.statusCode, 200, res.body);
    const { total, rows, definitions } = res.json();
    assert.deepEqual(total, { offered: 6, answered: 4, abandoned: 1, answeredInTime: 3, serviceLevel: 0.5, connectionRate: 0.6667, abandonRate: 0.1667,
      asaSeconds: 9.8, ahtSeconds: 42, transferredToDesk: 1 }, 'ASA (10+20+5+4)/4; AHT (60+40+26)/3, answered to end, of the answered calls that ended');
    assert.deepEqual(rows.map((r: { key: string; offered: number }) => [r.key, r.offered]), [['elderly', 1], ['hotline', 5]]);
    assert.match(definitions.connectionRate.zh, /95%/);
  });

  test('by agent counts the calls each seat answered first', async () => {
    const { rows } = (await get(`/calls/service-level?${days()}&by=agent`)).json();
    assert.deepEqual(rows.map((r: { label: string; answered: number; answeredInTime: number }) => [r.label, r.answered, r.answeredInTime]),
      [['2001 · a1', 1, 1], ['2003 · a3', 2, 1], ['2004 · a4', 1, 1]]);
  });

  test("shows the wall: calls waiting by queue, the longest wait, seats by state with the call each is on, the last 15 minutes", async () => {
    const res = await get('/calls/wall');
    assert.equal(res.statusCode, 200, res.body);
    const wall = res.json();
    assert.equal(wall.queues.length, 1);
    assert.deepEqual([wall.queues[0].queue, wall.queues[0].waiting], ['hotline', 1]);
    assert.ok(wall.queues[0].longestWaitSeconds >= 40 && wall.queues[0].longestWaitSeconds < 100);
    assert.deepEqual(wall.seatCounts, { ready: 0, not_ready: 1, after_call_work: 0, on_call: 1 });
    const at2001 = wall.seats.find((s: { seat: string }) => s.seat === '2001');
    assert.equal(at2001.call.state, 'talking');
    assert.deepEqual([wall.last15Minutes.offered, wall.last15Minutes.answered], [6, 4]);
  });

  test('exports the figures to Excel, definitions first, and keeps them from agents', async () => {
    const res = await get(`/calls/service-level.xlsx?${days()}&by=queue`);
    assert.equal(res.statusCode, 200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(book.worksheets.map((w) => w.name), ['说明 Definitions', '服务水平 Figures']);
    const figures = book.getWorksheet('服务水平 Figures')!;
    assert.deepEqual((figures.lastRow!.values as ExcelJS.CellValue[]).slice(1, 4), ['合计 Total', 6, 4]);
    assert.equal((await get('/calls/wall', agentToken)).statusCode, 403);
    assert.equal((await get(`/calls/service-level?from=2026-01-01&to=2026-12-31`)).json().error.code, 'VALIDATION_FAILED');
  });
});
