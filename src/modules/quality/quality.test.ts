import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { drainConsumers } from '../../platform.js';
import { beijingMonth } from '../../shared/beijing.js';
import { signedCallEvents } from '../../testing/telephony.js';
import { makeCast, registerTestOrder, startTestApp, startTestPlatform, unitIds, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { applyTransition } from '../orders/index.js';
import { monthSpan } from './index.js';

type Staff = Actor & { username: string };
const SHEET = {
  name: '受理质检评分表',
  items: [
    { label: '分类准确', max: 25, guide: '诉求类型与分类到末级' },
    { label: '派单准确', max: 25 },
    { label: '记录完整', max: 25, guide: '时间、地点、诉求、联系方式' },
    { label: '服务规范', max: 25 },
  ],
};

describe('quality review: samples of every agent\'s month, scored on the hotline\'s sheet, each agent reading their own', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let cast: Record<'anna' | 'bo' | 'lead' | 'lead2' | 'dora' | 'visitor' | 'water' | 'power' | 'supervisor', Staff>;
  const token: Record<string, string> = {};
  const month = beijingMonth(new Date());
  const work = { misrouted: '', upheld: '', reopened: '', withCall: '', annaOrders: [] as string[], boOrders: [] as string[] };

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    cast = await makeCast(p, {
      anna: ['HOTLINE', ['agent']], bo: ['HOTLINE', ['agent']], lead: ['HOTLINE', ['lead']], lead2: ['HOTLINE', ['lead']],
      dora: ['HOTLINE', ['dispatcher']], visitor: ['HOTLINE', ['visitor']], water: ['UTIL-WATER', ['unit_handler']], power: ['UTIL-POWER', ['unit_handler']],
      supervisor: ['HOTLINE', ['supervisor']],
    });
    for (const who of Object.values(cast)) token[who.id!] = await started.tokenFor(who.username);
    const { pool } = p.db;
    const [waterUnit, powerUnit] = await unitIds(p, ['UTIL-WATER', 'UTIL-POWER'] as const);
    const act = (who: Actor, id: string, action: Parameters<typeof applyTransition>[3], input = {}) => applyTransition(pool, who, id, action, input);

    // anna's month: six orders, one of them during a call, and a call with no order
    await call('c-quality-1', 'seat-anna', cast.anna);
    await call('c-quality-2', 'seat-anna', cast.anna);
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await registerTestOrder(p, cast.anna));
    orders.push(await registerTestOrder(p, cast.anna, { callId: 'c-quality-2' }));
    work.annaOrders = orders.map((o) => o.id);
    [work.misrouted, work.upheld, work.reopened] = work.annaOrders as [string, string, string];
    work.withCall = work.annaOrders[5]!;
    // returned by the water company and dispatched elsewhere by the hotline: anna's dispatch was wrong
    await act(cast.anna, work.misrouted, 'dispatch', { unitId: waterUnit });
    await act(cast.water, work.misrouted, 'return', { reason: '不属于本单位职责' });
    await act(cast.dora, work.misrouted, 'dispatch', { unitId: powerUnit });
    // and the power company returns it too: back to water, dora's dispatch was wrong as well
    await act(cast.power, work.misrouted, 'return', { reason: '不属于本单位职责' });
    await act(cast.lead, work.misrouted, 'dispatch', { unitId: waterUnit });
    // returned, and the return rejected: the unit was wrong, not anna
    await act(cast.anna, work.upheld, 'dispatch', { unitId: waterUnit });
    await act(cast.water, work.upheld, 'return', { reason: '不属于本单位职责' });
    await act(cast.lead, work.upheld, 'reject_return', { reason: '供水属于本单位' });
    // unsolved at the return visit and reopened
    await act(cast.anna, work.reopened, 'dispatch', { unitId: waterUnit });
    await act(cast.water, work.reopened, 'sign');
    await act(cast.water, work.reopened, 'reply', { text: '已处理' });
    await act(cast.visitor, work.reopened, 'return_visit', { solved: false, satisfaction: 'unsatisfied' });
    await act(cast.visitor, work.reopened, 'reopen', { reason: '仍然停水' });
    for (let i = 0; i < 3; i++) work.boOrders.push((await registerTestOrder(p, cast.bo)).id);
    await registerTestOrder(p, cast.lead);
    await drainConsumers(p);
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  /** A call answered at `seat` by `agent` (signed in to it), 2 minutes long, ended. */
  async function call(callId: string, seat: string, agent: Staff) {
    const sat = await app.inject({ method: 'PUT', url: '/api/v1/seats/mine', headers: as(agent), payload: { seat } });
    assert.equal(sat.statusCode, 200, sat.body);
    const at = (s: number) => new Date(Date.now() - 300_000 + s * 1000).toISOString();
    const res = await app.inject({ method: 'POST', ...signedCallEvents([
      { id: `${callId}:o`, callId, type: 'offered', at: at(0), caller: '13912345678', queue: 'general' },
      { id: `${callId}:a`, callId, type: 'answered', at: at(4), seat },
      { id: `${callId}:e`, callId, type: 'ended', at: at(124), seat },
    ]) });
    assert.equal(res.statusCode, 200, res.body);
  }
  const as = (who: Actor) => ({ authorization: `Bearer ${token[who.id!]}` });
  const api = (who: Actor, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: as(who), ...(payload ? { payload } : {}) });
  const reviewsOf = async (who: Staff, query = '') => {
    const res = await api(cast.lead, 'GET', `/quality/reviews?month=${month}&agentId=${who.id}&limit=200${query}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as { id: string; kind: string; subjectId: string; reasons: string[]; state: string; percent: number | null }[];
  };

  it('draws every mis-routed and reopened order, and random orders and calls up to the numbers asked; drawn again, adds nothing', async () => {
    const draw = await api(cast.lead, 'POST', '/quality/draws', { month, ordersPerAgent: 2, callsPerAgent: 1, seed: 's1' });
    assert.equal(draw.statusCode, 200, draw.body);
    // anna: her two marked orders, two random others, her call without an order; bo: two random; the lead: one random
    assert.deepEqual(draw.json().added, { random: 5, calls: 1, misrouted: 2, reopened: 1 });
    const anna = await reviewsOf(cast.anna);
    const bySubject = new Map(anna.map((r) => [r.subjectId, r]));
    assert.deepEqual(bySubject.get(work.misrouted)?.reasons, ['misrouted']);
    assert.deepEqual(bySubject.get(work.reopened)?.reasons, ['reopened']);
    assert.ok(!bySubject.get(work.upheld)?.reasons.includes('misrouted'), 'a return the hotline rejected is no mis-routing');
    assert.deepEqual(anna.filter((r) => r.kind === 'call').map((r) => r.subjectId), ['c-quality-1'], 'the call with an order is reviewed with its order');
    assert.equal(anna.filter((r) => r.kind === 'order' && r.reasons.includes('random')).length, 2);
    assert.ok(anna.every((r) => r.kind === 'call' || work.annaOrders.includes(r.subjectId)));
    assert.equal((await reviewsOf(cast.bo)).length, 2);
    // dora's one sample: the order she sent to the wrong unit after anna had (her dispatch of anna's order is no work of hers otherwise)
    assert.deepEqual((await reviewsOf(cast.dora)).map((r) => [r.subjectId, r.reasons]), [[work.misrouted, ['misrouted']]]);

    const again = await api(cast.lead, 'POST', '/quality/draws', { month, ordersPerAgent: 2, callsPerAgent: 1 });
    assert.deepEqual(again.json().added, { random: 0, calls: 0, misrouted: 0, reopened: 0 });
    const more = await api(cast.lead, 'POST', '/quality/draws', { month, ordersPerAgent: 3, callsPerAgent: 1 });
    assert.deepEqual(more.json().added, { random: 2, calls: 0, misrouted: 0, reopened: 0 }, 'one more for anna and bo; the lead has no other order');
    assert.equal(new Set((await reviewsOf(cast.bo)).map((r) => r.subjectId)).size, 3, 'never the same order twice');
  });

  it('the same seed draws the same samples', async () => {
    const { pool } = p.db;
    const drawn = async () => (await pool.query(`SELECT subject_id FROM quality_reviews WHERE agent_id = $1 AND 'random' = ANY(reasons) ORDER BY 1`, [cast.bo.id])).rows;
    const first = await drawn();
    await pool.query(`DELETE FROM quality_reviews WHERE agent_id = $1`, [cast.bo.id]);
    await api(cast.lead, 'POST', '/quality/draws', { month, ordersPerAgent: 2, seed: 's1' });
    const second = await drawn();
    assert.equal(second.length, 2);
    assert.ok(second.every((r) => first.some((f) => f.subject_id === r.subject_id)));
    await api(cast.lead, 'POST', '/quality/draws', { month, ordersPerAgent: 3 });
  });

  it('scores a sample on the active sheet, in halves, never on a retired sheet, never one\'s own work', async () => {
    const created = await api(cast.lead, 'POST', '/quality/sheets', SHEET);
    assert.equal(created.statusCode, 201, created.body);
    const sheet = created.json();
    assert.equal(sheet.total, 100);
    assert.equal((await api(cast.lead, 'POST', '/quality/sheets', { name: '重复', items: [{ label: '分类', max: 5 }, { label: '分类', max: 5 }] })).json().error.code,
      'QUALITY_SHEET_INVALID');
    assert.equal((await api(cast.anna, 'POST', '/quality/sheets', SHEET)).statusCode, 403);

    const misrouted = (await reviewsOf(cast.anna)).find((r) => r.subjectId === work.misrouted)!;
    const score = (who: Staff, id: string, body: object) => api(who, 'PUT', `/quality/reviews/${id}`, body);
    assert.equal((await score(cast.lead, misrouted.id, { sheetId: sheet.id, scores: [20, 10, 25] })).json().error.code, 'QUALITY_SCORES_INVALID');
    assert.equal((await score(cast.lead, misrouted.id, { sheetId: sheet.id, scores: [20, 10, 25, 26] })).json().error.code, 'QUALITY_SCORES_INVALID');
    assert.equal((await score(cast.lead, misrouted.id, { sheetId: sheet.id, scores: [20, 10.3, 25, 20] })).json().error.code, 'QUALITY_SCORES_INVALID');
    assert.equal((await score(cast.anna, misrouted.id, { sheetId: sheet.id, scores: [20, 10, 25, 20] })).statusCode, 403);
    const scored = await score(cast.lead, misrouted.id, { sheetId: sheet.id, scores: [20, 10.5, 25, 20], comment: '派单前未核对供水与供电职责' });
    assert.equal(scored.statusCode, 200, scored.body);
    assert.deepEqual([scored.json().state, scored.json().score, scored.json().maxScore, scored.json().percent], ['reviewed', 75.5, 100, 75.5]);
    // the agent is told, and may read it now
    const told = (await api(cast.anna, 'GET', '/notices')).json().items.filter((n: { kind: string }) => n.kind === 'quality_reviewed');
    assert.deepEqual(told.map((n: { message: string; detail: { reviewId: string } }) => [n.message, n.detail.reviewId]),
      [[`您 ${month} 的一项工作已完成质检评分：75.5 / 100 分`, misrouted.id]]);

    // a lead's own samples: unseen by them while they wait, scored by another lead
    assert.deepEqual((await api(cast.lead, 'GET', `/quality/reviews?month=${month}&agentId=${cast.lead.id}`)).json().items, []);
    const own = (await api(cast.lead2, 'GET', `/quality/reviews?month=${month}&agentId=${cast.lead.id}`)).json().items[0];
    assert.equal((await api(cast.lead, 'GET', `/quality/reviews/${own.id}`)).statusCode, 404);
    assert.equal((await score(cast.lead, own.id, { sheetId: sheet.id, scores: [25, 25, 25, 25] })).json().error.code, 'QUALITY_OWN_WORK');
    assert.equal((await score(cast.lead2, own.id, { sheetId: sheet.id, scores: [25, 25, 25, 25] })).statusCode, 200, 'another lead scores it');

    // a new version of the sheet retires the old: new reviews use the new one; a review scored on the old may be scored again on it
    const v2 = (await api(cast.lead, 'POST', '/quality/sheets', { ...SHEET, name: '受理质检评分表（2）', replaces: sheet.id })).json();
    const sheets = (await api(cast.lead, 'GET', '/quality/sheets')).json();
    assert.deepEqual(sheets.map((s: { id: string; active: boolean }) => [s.id, s.active]), [[v2.id, true], [sheet.id, false]]);
    const reopened = (await reviewsOf(cast.anna)).find((r) => r.subjectId === work.reopened)!;
    assert.equal((await score(cast.lead, reopened.id, { sheetId: sheet.id, scores: [25, 25, 25, 25] })).json().error.code, 'QUALITY_SHEET_RETIRED');
    assert.equal((await score(cast.lead, reopened.id, { sheetId: v2.id, scores: [25, 25, 15, 20], comment: '记录未写明停水时段' })).statusCode, 200);
    assert.equal((await score(cast.lead, misrouted.id, { sheetId: sheet.id, scores: [20, 10, 25, 20], comment: '派单前未核对职责' })).statusCode, 200);
    const audit = await p.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'quality.reviewed' AND subject_id = $1`, [misrouted.id]);
    assert.equal(audit.rows[0].n, 2, 'every scoring is audited');
  });

  it('gives each agent\'s month: samples, average and lowest score, each item\'s average', async () => {
    const res = await api(cast.supervisor, 'GET', `/quality/scores?month=${month}`);
    assert.equal(res.statusCode, 200, res.body);
    const anna = res.json().agents.find((a: { agentId: string }) => a.agentId === cast.anna.id);
    // 75/100 and 85/100
    assert.deepEqual({ ...anna, items: undefined }, { agentId: cast.anna.id, agentName: cast.anna.username, drawn: 6, reviewed: 2, misrouted: 1, reopened: 1,
      averagePercent: 80, lowestPercent: 75, items: undefined });
    assert.deepEqual(anna.items, [
      { label: '分类准确', percent: 90, reviews: 2 }, { label: '派单准确', percent: 70, reviews: 2 },
      { label: '记录完整', percent: 80, reviews: 2 }, { label: '服务规范', percent: 80, reviews: 2 }]);
    assert.equal((await api(cast.anna, 'GET', `/quality/scores?month=${month}`)).statusCode, 403);

    // the same in a workbook: the agents' scores, then every scored review with its items and comment
    const file = await api(cast.supervisor, 'GET', `/quality/scores.xlsx?month=${month}`);
    assert.equal(file.statusCode, 200, file.body);
    assert.equal(file.headers['content-disposition'], `attachment; filename="quality-${month}.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const [scores, detail] = [book.getWorksheet('质检成绩 Scores')!, book.getWorksheet('质检记录 Reviews')!];
    const annaRow = scores.getRows(3, scores.rowCount - 2)!.find((r) => r.getCell(1).value === cast.anna.username)!;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((c) => annaRow.getCell(c).value), [cast.anna.username, 6, 2, 1, 1, 0.8, 0.75]);
    const comments = detail.getRows(2, detail.rowCount - 1)!.map((r) => r.getCell(9).value);
    assert.ok(comments.includes('派单前未核对职责') && comments.includes('记录未写明停水时段'), String(comments));
    assert.equal((await api(cast.anna, 'GET', `/quality/scores.xlsx?month=${month}`)).statusCode, 403);
  });

  it('shows an agent their own reviews once scored, and nobody else\'s', async () => {
    const mine = await api(cast.anna, 'GET', `/quality/reviews/mine?month=${month}`);
    assert.equal(mine.statusCode, 200, mine.body);
    assert.equal(mine.json().reviewed, 2);
    assert.equal(mine.json().averagePercent, 80);
    assert.deepEqual(mine.json().items.map((r: { comment: string }) => r.comment).sort(), ['派单前未核对职责', '记录未写明停水时段'].sort());
    const pending = (await reviewsOf(cast.anna, '&state=pending'))[0]!;
    assert.equal((await api(cast.anna, 'GET', `/quality/reviews/${pending.id}`)).json().error.code, 'QUALITY_REVIEW_NOT_FOUND', 'what is drawn and waiting stays unseen');
    const bos = (await reviewsOf(cast.bo))[0]!;
    assert.equal((await api(cast.anna, 'GET', `/quality/reviews/${bos.id}`)).statusCode, 404);
    assert.equal((await api(cast.anna, 'GET', `/quality/reviews?month=${month}`)).statusCode, 403);
    assert.equal((await api(cast.bo, 'GET', `/quality/reviews/mine?month=${month}`)).json().reviewed, 0);
  });

  it('refuses a month that is no month, and counts months in Beijing time', async () => {
    const bad = await api(cast.lead, 'POST', '/quality/draws', { month: '2026-13', ordersPerAgent: 1 });
    assert.deepEqual([bad.statusCode, bad.json().error.code], [400, 'VALIDATION_FAILED']);
    assert.deepEqual(monthSpan('2026-12'), { from: new Date('2026-11-30T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z'), first: '2026-12-01' });
  });

  it("draws an order reopened again in a later month into that month's sample, the earlier one kept as scored", async () => {
    const { pool } = p.db;
    const [waterUnit] = await unitIds(p, ['UTIL-WATER'] as const);
    const next = monthSpan(month).to; // the first moment of next month (Beijing)
    const later = new Date(next.getTime() + 3_600_000);
    const id = work.reopened;
    await applyTransition(pool, cast.water, id, 'sign', {});
    await applyTransition(pool, cast.water, id, 'reply', { text: '已再次处理' });
    await applyTransition(pool, cast.visitor, id, 'return_visit', { solved: false, satisfaction: 'unsatisfied' });
    await applyTransition(pool, cast.visitor, id, 'reopen', { reason: '仍未解决' }, later);
    await drainConsumers(p);
    const nextMonth = beijingMonth(later);
    const drawn = await api(cast.lead, 'POST', '/quality/draws', { month: nextMonth, ordersPerAgent: 0 });
    assert.deepEqual(drawn.json().added, { random: 0, calls: 0, misrouted: 0, reopened: 1 });
    const items = (await api(cast.lead, 'GET', `/quality/reviews?month=${nextMonth}&agentId=${cast.anna.id}`)).json().items;
    assert.deepEqual(items.map((r: { subjectId: string; reasons: string[]; state: string }) => [r.subjectId, r.reasons, r.state]), [[id, ['reopened'], 'pending']]);
    const earlier = (await reviewsOf(cast.anna)).find((r) => r.subjectId === id)!;
    assert.deepEqual([earlier.reasons, earlier.state], [['reopened'], 'reviewed'], "this month's review stays as it was");
    void waterUnit;
  });
});

