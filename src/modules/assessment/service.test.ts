import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { Actor } from '../auth/index.js';
import { visitQueue } from '../feedback/index.js';
import { applyTransition, decideVisit, recordVisitAnswer as recordResult, recordVisitUnreached as recordUnreached, registerOrder } from '../orders/index.js';
import { makeStaff, orderInput, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { assessUnits, assessmentWorkbook, figureOrders, periodOf, type Assessment } from './index.js';

const at = (local: string) => new Date(`${local}+08:00`);

// A small month, checked by hand. 济南水务集团 (UTIL-WATER) gets six rounds in November 2026:
//  r1 signed and replied on time; visited: solved, satisfied
//  r2 signed late (due Tue 3rd 10:00) and replied late (due Wed 4th 10:00); visited: solved, basically satisfied
//  r3 on time; visited: unsolved, unsatisfied; the supervisor reopens it → r3b, signed on time, not yet replied
//  r4 returned within the window, and the return upheld (dispatched to 历下区 instead): not held against the unit
//  r5 returned, the return rejected; signed and replied on time; the citizen not reached in 3 calls
// accountable 5 (r4 out), signed on time 4 (r1 r3 r3b r5), replied on time 3 (r1 r3 r5), overdue 1 (r2),
// visits reached 3 (r1 r2 r3), solved 2, satisfied 1 + basically 1, unreachable 1, reopened 1.
// Response 4/5, on-time reply 3/5, resolution 2/3, satisfaction 2/3;
// score = 100 × (20×0.8 + 30×0.6 + 25×2/3 + 25×2/3) / 100 = 67.33.
// 市城乡水务局 (DEPT-WATER) has one round, on time, not visited: score 100 × (20 + 30) / 50 = 100, rank 1 of the departments.
// An order dispatched on 30 October is not in November.
describe('assessment of a hand-checked month', () => {
  let p: TestPlatform;
  let agent: Actor;
  let visitor: Actor;
  let supervisor: Actor;
  let water: Actor;
  let units: Record<string, string>;
  let result: Assessment;

  async function order(dispatchAt: string, unit = 'UTIL-WATER') {
    const { order } = await registerOrder(p.db.pool, agent, orderInput(), new Date(at(dispatchAt).getTime() - 600_000));
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: units[unit] }, at(dispatchAt));
    return order.id;
  }
  const act = (actor: Actor, id: string, action: Parameters<typeof applyTransition>[3], when: string, input = {}) =>
    applyTransition(p.db.pool, actor, id, action, input, at(when));
  async function visit(id: string, when: string, result: { solved: boolean; satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied' }) {
    const v = (await visitQueue(p.db.pool, visitor, { limit: 200, offset: 0 }, at(when))).items.find((x) => x.orderId === id)!;
    return recordResult(p.db.pool, visitor, v.id, result, at(when));
  }

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent', 'lead']);
    visitor = await makeStaff(p, 'HOTLINE', ['visitor']);
    supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const deptWater = await makeStaff(p, 'DEPT-WATER', ['unit_handler']);
    const district = await makeStaff(p, 'D370102', ['unit_manager']);
    units = { 'UTIL-WATER': await unitId(p, 'UTIL-WATER'), 'DEPT-WATER': await unitId(p, 'DEPT-WATER'), D370102: await unitId(p, 'D370102') };

    const r1 = await order('2026-11-02T10:00');
    await act(water, r1, 'sign', '2026-11-02T11:00');
    await act(water, r1, 'reply', '2026-11-03T10:00', { text: '已修复' });
    await visit(r1, '2026-11-03T15:00', { solved: true, satisfaction: 'satisfied' });

    const r2 = await order('2026-11-02T10:00');
    await act(water, r2, 'sign', '2026-11-04T09:00');
    await act(water, r2, 'reply', '2026-11-05T10:00', { text: '已修复' });
    await visit(r2, '2026-11-05T15:00', { solved: true, satisfaction: 'basically_satisfied' });

    const r3 = await order('2026-11-02T10:00');
    await act(water, r3, 'sign', '2026-11-02T11:00');
    await act(water, r3, 'reply', '2026-11-03T10:00', { text: '已修复' });
    const unsatisfied = await visit(r3, '2026-11-03T15:00', { solved: false, satisfaction: 'unsatisfied' });
    await decideVisit(p.db.pool, supervisor, unsatisfied.id, { decision: 'reopen', reason: '仍未解决' }, at('2026-11-06T10:00'));
    await act(water, r3, 'sign', '2026-11-06T11:00');

    const r4 = await order('2026-11-02T10:00');
    await act(water, r4, 'return', '2026-11-02T12:00', { reason: '属地管理' });
    await act(agent, r4, 'dispatch', '2026-11-02T13:00', { unitId: units.D370102 });
    await act(district, r4, 'sign', '2026-11-02T14:00');
    await act(district, r4, 'reply', '2026-11-03T09:00', { text: '已处理' });
    await visit(r4, '2026-11-03T16:00', { solved: true, satisfaction: 'satisfied' });

    const r5 = await order('2026-11-02T10:00');
    await act(water, r5, 'return', '2026-11-02T12:00', { reason: '不属于本单位' });
    await act(supervisor, r5, 'reject_return', '2026-11-02T12:30', { reason: '供水属水务集团' });
    await act(water, r5, 'sign', '2026-11-02T13:00');
    await act(water, r5, 'reply', '2026-11-03T10:00', { text: '已修复' });
    const pending = (await visitQueue(p.db.pool, visitor, { limit: 200, offset: 0 }, at('2026-11-03T11:00'))).items.find((x) => x.orderId === r5)!;
    for (const when of ['2026-11-03T11:00', '2026-11-03T15:00', '2026-11-03T19:00']) {
      await recordUnreached(p.db.pool, visitor, pending.id, '无人接听', at(when));
    }

    const dept = await order('2026-11-10T10:00', 'DEPT-WATER');
    await act(deptWater, dept, 'sign', '2026-11-10T11:00');
    await act(deptWater, dept, 'reply', '2026-11-11T10:00', { text: '已答复' });

    const october = await order('2026-10-30T10:00');
    await act(water, october, 'sign', '2026-11-03T10:00');

    result = await assessUnits(p.db.pool, supervisor, periodOf({ month: '2026-11' }));
  });
  after(() => p.close());

  const of = (code: string) => result.units.find((u) => u.unit.code === code)!;

  test('the figures of each unit are the hand-counted ones', () => {
    const f = of('UTIL-WATER').figures;
    assert.deepEqual(
      [f.received, f.accountable, f.returnUpheld, f.returnRejected, f.signedOnTime, f.repliedOnTime, f.overdue, f.visited, f.solved,
        f.satisfied, f.basicallySatisfied, f.unsatisfied, f.unreachable, f.reopened],
      [6, 5, 1, 1, 4, 3, 1, 3, 2, 1, 1, 1, 1, 1]);
  });

  test('the three rates and the score follow the written formulas', () => {
    const water = of('UTIL-WATER');
    assert.equal(water.rates.responseRate, 0.8);
    assert.equal(water.rates.onTimeReplyRate, 0.6);
    assert.equal(water.rates.resolutionRate, 2 / 3);
    assert.equal(water.rates.satisfactionRate, 2 / 3);
    assert.equal(water.score!.toFixed(2), '67.33');
    const dept = of('DEPT-WATER');
    assert.equal(dept.rates.resolutionRate, null, 'no visit yet: no rate, not 0 %');
    assert.equal(dept.score, 100);
  });

  test('units are ranked within their level', () => {
    assert.equal(of('DEPT-WATER').rank, 1);
    assert.equal(of('UTIL-WATER').rank, 2);
    assert.equal(of('UTIL-WATER').groupSize, 2);
    assert.equal(of('D370102').rank, 1, 'districts are ranked among districts');
    assert.equal(of('D370102').group.key, 'district');
  });

  test('every figure lists the orders that make it up', async () => {
    const period = periodOf({ month: '2026-11' });
    for (const figure of ['received', 'signedOnTime', 'repliedOnTime', 'overdue', 'unreachable'] as const) {
      const rows = (await figureOrders(p.db.pool, supervisor, units['UTIL-WATER']!, period, figure, { limit: 200, offset: 0 })).items;
      assert.equal(rows.length, of('UTIL-WATER').figures[figure], figure);
    }
    await assert.rejects(figureOrders(p.db.pool, supervisor, units['UTIL-WATER']!, period, 'nonsense', { limit: 10, offset: 0 }),
      { code: 'ASSESSMENT_UNKNOWN_FIGURE' });
    await assert.rejects(figureOrders(p.db.pool, water, units.D370102!, period, 'received', { limit: 10, offset: 0 }),
      { code: 'AUTH_FORBIDDEN' });
  });

  test('periods are Beijing months or day ranges, checked', () => {
    assert.equal(periodOf({ month: '2026-12' }).to.toISOString(), '2026-12-31T16:00:00.000Z');
    assert.equal(periodOf({ from: '2026-11-01', to: '2026-11-15' }).to.toISOString(), '2026-11-15T16:00:00.000Z');
    assert.throws(() => periodOf({ month: '2026-13' }), { code: 'ASSESSMENT_INVALID_PERIOD' });
    assert.throws(() => periodOf({ from: '2026-11-15', to: '2026-11-01' }), { code: 'ASSESSMENT_INVALID_PERIOD' });
    assert.throws(() => periodOf({ from: '2025-01-01', to: '2026-11-01' }), { code: 'ASSESSMENT_INVALID_PERIOD' });
  });

  test('the Excel export has a sheet per level, with the rates as formulas over the figures', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await assessmentWorkbook(result, '济南市') as never);
    assert.deepEqual(book.worksheets.map((s) => s.name), ['说明 Rules', '市直部门及单位', '区县']);
    const sheet = book.getWorksheet('市直部门及单位')!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const row = sheet.getRow(3);
    assert.equal(row.getCell(3).value, 'UTIL-WATER');
    const responseColumn = header.indexOf('响应率 response rate') + 1;
    const cell = row.getCell(responseColumn).value as { formula: string; result: number };
    assert.match(cell.formula, /^IF\([A-Z]+3=0,"",\([A-Z]+3\)\/[A-Z]+3\)$/);
    assert.equal(cell.result, 0.8);
    const scoreCell = row.getCell(header.length).value as { formula: string; result: number };
    assert.equal(scoreCell.result.toFixed(2), '67.33');
    assert.match(String(book.getWorksheet('说明 Rules')!.getRow(4).getCell(2).value), /响应率 = 按时签收 ÷ 考核件数/);
  });
});
