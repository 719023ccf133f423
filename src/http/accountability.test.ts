import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { makeStaff, orderInput, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';

describe('HTTP API of deadlines, supervision, return visits and assessment', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let waterUnit: string;

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    for (const [name, unit, roles] of [['agent', 'HOTLINE', ['agent']], ['visitor', 'HOTLINE', ['visitor']],
      ['supervisor', 'HOTLINE', ['supervisor']], ['admin', 'HOTLINE', ['admin']], ['water', 'UTIL-WATER', ['unit_handler']]] as const) {
      tokens[name] = await started.tokenFor((await makeStaff(p, unit, [...roles])).username);
    }
    waterUnit = await unitId(p, 'UTIL-WATER');
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
  const errorOf = (res: { statusCode: number; json: () => any }) => [res.statusCode, res.json().error?.code];

  it('shows the loaded calendar years, and lets an admin load a year the package lacks', async () => {
    const years = (await call('agent', 'GET', '/calendar/years')).json();
    assert.deepEqual(years.find((y: any) => y.year === 2026)?.source, 'chinese-days@1.5.7');
    assert.equal(years.some((y: any) => y.year === 2027), false, 'the package has no 2027 yet');
    const y2027 = { source: '国务院办公厅通知（示例）', holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] };
    assert.deepEqual(errorOf(await call('agent', 'PUT', '/calendar/years/2027', y2027)), [403, 'AUTH_FORBIDDEN']);
    assert.deepEqual(errorOf(await call('admin', 'PUT', '/calendar/years/2027',
      { ...y2027, workdays: [{ date: '2027-01-04', name: '周一' }] })), [422, 'CALENDAR_INVALID']);
    assert.deepEqual(errorOf(await call('admin', 'PUT', '/calendar/years/2027',
      { ...y2027, holidays: [{ date: '2026-12-31', name: '错年' }] })), [422, 'CALENDAR_INVALID']);
    const loaded = await call('admin', 'PUT', '/calendar/years/2027', y2027);
    assert.equal(loaded.statusCode, 200);
    assert.equal(loaded.json().holidays.length, 1);
    const due = (await call('agent', 'GET', '/calendar/working-days?from=2026-12-31T09:00:00%2B08:00&days=1')).json();
    assert.deepEqual(due, { dueAt: '2027-01-04T01:00:00.000Z', calendarComplete: true }, '1 January 2027 is now a holiday');
    assert.deepEqual(errorOf(await call('agent', 'GET', '/calendar/years/1999')), [400, 'VALIDATION_FAILED']);
    assert.deepEqual(errorOf(await call('agent', 'GET', '/calendar/years/2030')), [404, 'CALENDAR_YEAR_NOT_LOADED']);
  });

  it('validates deadline settings, and only an admin may change them', async () => {
    assert.equal((await call('supervisor', 'GET', '/sla/settings')).json().deadlines.normal.reply, 5);
    assert.deepEqual(errorOf(await call('supervisor', 'PATCH', '/sla/settings', { returnWindowDays: 3 })), [403, 'AUTH_FORBIDDEN']);
    assert.deepEqual(errorOf(await call('admin', 'PATCH', '/sla/settings', { deadlines: { normal: { sign: 9 } } })), [422, 'SLA_INVALID_SETTINGS']);
    assert.deepEqual(errorOf(await call('admin', 'PATCH', '/sla/settings', { returnWindow: 3 })), [400, 'VALIDATION_FAILED']);
    const changed = await call('admin', 'PATCH', '/sla/settings', { visit: { maxAttempts: 2 } });
    assert.equal(changed.json().visit.maxAttempts, 2);
    assert.equal(changed.json().visit.retryAfterHours, 4, 'the rest keeps its value');
  });

  it('carries an order through its deadlines, supervision, return visit and assessment', async () => {
    const order = (await call('agent', 'POST', '/orders', orderInput())).json();
    await call('agent', 'POST', `/orders/${order.id}/actions/dispatch`, { unitId: waterUnit });
    const [round] = (await call('water', 'GET', `/orders/${order.id}/deadlines`)).json();
    assert.equal(round.unit.id, waterUnit);
    assert.equal(round.status, 'active');
    assert.equal((await call('supervisor', 'GET', '/supervision/units')).json().some((u: any) => u.unit.id === waterUnit), true);
    assert.deepEqual(errorOf(await call('supervisor', 'GET', '/supervision/alerts?level=red')), [400, 'VALIDATION_FAILED']);
    assert.equal((await call('supervisor', 'GET', '/supervision/alerts?level=overdue')).statusCode, 200);

    await call('water', 'POST', `/orders/${order.id}/actions/sign`, {});
    const ext = await call('water', 'POST', `/orders/${order.id}/actions/request_extension`, { days: 11, reason: '工程量大' });
    assert.deepEqual(errorOf(ext), [422, 'ORDER_EXTENSION_TOO_LONG']);
    await call('water', 'POST', `/orders/${order.id}/actions/request_extension`, { days: 3, reason: '工程量大' });
    const pending = (await call('supervisor', 'GET', '/supervision/extensions')).json();
    assert.equal(pending.find((d: any) => d.orderId === order.id)?.days, 3);
    assert.deepEqual(errorOf(await call('water', 'GET', '/supervision/extensions')), [403, 'AUTH_FORBIDDEN']);
    await call('supervisor', 'POST', `/orders/${order.id}/actions/approve_extension`, { days: 3 });
    await call('supervisor', 'POST', `/orders/${order.id}/actions/urge`, { text: '请加快' });
    const notices = (await call('water', 'GET', '/notices?unreadOnly=true')).json();
    assert.equal(notices[0].kind, 'urged');
    assert.equal((await call('water', 'POST', `/notices/${notices[0].id}/read`)).statusCode, 204);
    assert.deepEqual(errorOf(await call('agent', 'POST', `/notices/${notices[0].id}/read`)), [404, 'NOTICE_NOT_FOUND']);

    await call('water', 'POST', `/orders/${order.id}/actions/reply`, { text: '已修复' });
    const visit = (await call('visitor', 'GET', '/visits/queue')).json().find((v: any) => v.orderId === order.id);
    assert.deepEqual(errorOf(await call('visitor', 'POST', `/visits/${visit.id}/result`, { solved: true, satisfaction: 'happy' })),
      [400, 'VALIDATION_FAILED']);
    assert.deepEqual(errorOf(await call('visitor', 'POST', '/visits/999999/result', { solved: true, satisfaction: 'satisfied' })),
      [404, 'VISIT_NOT_FOUND']);
    assert.deepEqual(errorOf(await call('water', 'GET', '/visits/queue')), [403, 'AUTH_FORBIDDEN']);
    const done = await call('visitor', 'POST', `/visits/${visit.id}/result`, { solved: true, satisfaction: 'satisfied' });
    assert.equal(done.json().status, 'done');
    assert.deepEqual(errorOf(await call('visitor', 'POST', `/visits/${visit.id}/attempts`, {})), [409, 'VISIT_NOT_OPEN']);

    const assessment = (await call('supervisor', 'GET', '/assessment')).json();
    const water = assessment.units.find((u: any) => u.unit.id === waterUnit);
    assert.equal(water.figures.received, 1);
    assert.equal(water.rates.satisfactionRate, 1);
    const behind = await call('supervisor', 'GET', `/assessment/units/${waterUnit}/orders?figure=satisfied`);
    assert.deepEqual(behind.json().map((o: any) => o.orderId), [order.id]);
    assert.deepEqual(errorOf(await call('supervisor', 'GET', `/assessment/units/${waterUnit}/orders?figure=happy`)),
      [422, 'ASSESSMENT_UNKNOWN_FIGURE']);
    assert.deepEqual(errorOf(await call('supervisor', 'GET', '/assessment?month=2026-13')), [422, 'ASSESSMENT_INVALID_PERIOD']);
    assert.deepEqual(errorOf(await call('supervisor', 'GET', '/assessment?from=2026-11-01')), [422, 'ASSESSMENT_INVALID_PERIOD']);
    assert.deepEqual(errorOf(await call('water', 'GET', '/assessment')), [403, 'AUTH_FORBIDDEN']);

    const xlsx = await call('supervisor', 'GET', '/assessment/export.xlsx');
    assert.equal(xlsx.statusCode, 200);
    assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    assert.equal(book.worksheets[0]!.name, '说明 Rules');
    assert.match(String(book.worksheets[0]!.getRow(1).getCell(2).value), /济南市 12345/);
  });
});
