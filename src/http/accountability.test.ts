import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { makeStaff, orderInput, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';
import { drainConsumers } from '../platform.js';

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
    const y2026 = (await call('water', 'GET', '/calendar/years/2026')).json();
    assert.deepEqual(y2026.holidays.find((d: any) => d.date === '2026-10-01'), { date: '2026-10-01', name: '国庆节' });
    assert.ok(y2026.workdays.every((d: any) => [0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay())),
      'adjusted working days fall on weekends');
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
    const pending = (await call('supervisor', 'GET', '/supervision/extensions')).json().items;
    assert.equal(pending.find((d: any) => d.orderId === order.id)?.days, 3);
    assert.deepEqual(errorOf(await call('water', 'GET', '/supervision/extensions')), [403, 'AUTH_FORBIDDEN']);
    await call('supervisor', 'POST', `/orders/${order.id}/actions/approve_extension`, { days: 3 });
    await call('supervisor', 'POST', `/orders/${order.id}/actions/urge`, { text: '请加快' });
    await drainConsumers(p); // notices are written by a consumer of the event log, just after the change
    const notices = (await call('water', 'GET', '/notices?unreadOnly=true')).json().items;
    assert.equal(notices[0].kind, 'urged');
    assert.equal((await call('water', 'POST', `/notices/${notices[0].id}/read`)).statusCode, 204);
    assert.deepEqual(errorOf(await call('agent', 'POST', `/notices/${notices[0].id}/read`)), [404, 'NOTICE_NOT_FOUND']);

    await call('water', 'POST', `/orders/${order.id}/actions/reply`, { text: '已修复' });
    const visit = (await call('visitor', 'GET', '/visits/queue')).json().items.find((v: any) => v.orderId === order.id);
    // the visitor who must call sees the number, and the read is audited; others see it masked
    assert.deepEqual([visit.citizen.phone, visit.citizen.visibility], ['13812345678', 'full']);
    const audited = await p.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.read'
      AND subject_id = $1 AND detail->>'for' = 'return_visit'`, [order.id]);
    assert.ok(audited.rows[0].n >= 1, 'the unmasked read is audited');
    const asAdmin = await call('admin', 'GET', '/visits/queue');
    if (asAdmin.statusCode === 200) {
      const seen = asAdmin.json().items.find((v: any) => v.orderId === order.id);
      assert.deepEqual([seen.citizen.phone, seen.citizen.visibility], ['138****5678', 'masked']);
    }
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
    assert.deepEqual(behind.json().items.map((o: any) => o.orderId), [order.id]);
    // the figures and the month's form are in the schema (and the OpenAPI document): refused at the edge
    assert.deepEqual(errorOf(await call('supervisor', 'GET', `/assessment/units/${waterUnit}/orders?figure=happy`)), [400, 'VALIDATION_FAILED']);
    assert.deepEqual(errorOf(await call('supervisor', 'GET', '/assessment?month=2026-13')), [400, 'VALIDATION_FAILED']);
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

  it('warns of a deadline, marks it overdue when it passes, tells the unit and shows the supervisor', async () => {
    // urgent deadlines short enough to pass during the test: A is warned at once, B's sign-for deadline is now
    const urgent = (sign: number) => call('admin', 'PATCH', '/sla/settings',
      { deadlines: { urgent: { sign, reply: 2, closeAfterReply: 1, warnBefore: 0.9999 } } });
    const dispatchUrgent = async () => {
      const order = (await call('agent', 'POST', '/orders', orderInput({ urgency: 'urgent' }))).json();
      await call('agent', 'POST', `/orders/${order.id}/actions/dispatch`, { unitId: waterUnit });
      return order.id as string;
    };
    assert.equal((await urgent(1)).statusCode, 200);
    const warned = await dispatchUrgent();
    await urgent(0);
    const overdue = await dispatchUrgent();
    await call('admin', 'PATCH', '/sla/settings', { deadlines: { urgent: { sign: 2, reply: 24, closeAfterReply: 24, warnBefore: 4 } } });
    await new Promise((resolve) => setTimeout(resolve, 500)); // A's warning is due 0.36 s after its dispatch

    assert.ok((await call('supervisor', 'GET', '/supervision/timers')).json().due >= 2);
    assert.deepEqual(errorOf(await call('supervisor', 'POST', '/supervision/timers/sweep')), [403, 'AUTH_FORBIDDEN']);
    const swept = (await call('admin', 'POST', '/supervision/timers/sweep')).json();
    assert.ok(swept.fired >= 2 && swept.failed === 0, JSON.stringify(swept));

    const warnings = (await call('supervisor', 'GET', '/supervision/alerts?level=warning')).json().items;
    const overdues = (await call('water', 'GET', `/supervision/alerts?level=overdue&unitId=${waterUnit}`)).json().items;
    assert.deepEqual(warnings.map((a: any) => a.orderId), [warned]);
    assert.deepEqual(overdues.map((a: any) => [a.orderId, a.urgency, a.deadlines.sign.overdueAt === a.deadlines.sign.dueAt]),
      [[overdue, 'urgent', true]], 'overdue since the deadline itself');
    const water = (await call('supervisor', 'GET', '/supervision/units')).json().find((u: any) => u.unit.id === waterUnit);
    assert.ok(water.warning >= 1 && water.overdue >= 1, JSON.stringify(water));
    await drainConsumers(p);
    const kinds = (await call('water', 'GET', '/notices')).json().items.filter((n: any) => [warned, overdue].includes(n.orderId))
      .map((n: any) => n.kind).sort();
    assert.deepEqual(kinds, ['deadline_warning', 'overdue']);
  });

  it('puts a returned order before the hotline to arbitrate', async () => {
    const order = (await call('agent', 'POST', '/orders', orderInput())).json();
    await call('agent', 'POST', `/orders/${order.id}/actions/dispatch`, { unitId: waterUnit });
    const returned = await call('water', 'POST', `/orders/${order.id}/actions/return`, { reason: '不属于本单位职责' });
    assert.equal(returned.json().state, 'returned', returned.body);
    const waiting = (await call('supervisor', 'GET', '/supervision/returns')).json().items.find((d: any) => d.orderId === order.id);
    assert.deepEqual([waiting.unit.id, waiting.reason, waiting.days], [waterUnit, '不属于本单位职责', null]);
  });

  it("sends an unsatisfied citizen's answer to the supervisor, who reopens the order to the unit", async () => {
    const order = (await call('agent', 'POST', '/orders', orderInput())).json();
    await call('agent', 'POST', `/orders/${order.id}/actions/dispatch`, { unitId: waterUnit });
    await call('water', 'POST', `/orders/${order.id}/actions/sign`, {});
    await call('water', 'POST', `/orders/${order.id}/actions/reply`, { text: '已安排检修' });
    const queued = (await call('visitor', 'GET', '/visits/queue')).json().items.find((v: any) => v.orderId === order.id);
    assert.deepEqual([queued.reason, queued.answer, queued.leadUnit.id], ['reply', '已安排检修', waterUnit]);
    const missed = (await call('visitor', 'POST', `/visits/${queued.id}/attempts`, { note: '无人接听' })).json();
    assert.deepEqual([missed.status, missed.attempts], ['pending', 1], 'called again later');
    const answered = (await call('visitor', 'POST', `/visits/${queued.id}/result`,
      { solved: false, satisfaction: 'unsatisfied', comment: '还是没水' })).json();
    assert.equal(answered.status, 'to_confirm');
    const waiting = (await call('supervisor', 'GET', '/visits/to-confirm')).json().items;
    assert.ok(waiting.some((v: any) => v.id === queued.id));
    const decided = (await call('supervisor', 'POST', `/visits/${queued.id}/decision`,
      { decision: 'reopen', reason: '市民反映仍未解决' })).json();
    assert.equal(decided.status, 'reopened');
    assert.deepEqual((await call('visitor', 'GET', `/visits/${queued.id}`)).json().result,
      { reached: true, solved: false, satisfaction: 'unsatisfied', comment: '还是没水', at: answered.result.at });
    const rounds = (await call('water', 'GET', `/orders/${order.id}/deadlines`)).json();
    assert.deepEqual(rounds.map((r: any) => [r.round, r.cause, r.status]), [[1, 'dispatch', 'ended'], [2, 'reopen', 'active']]);
  });
});
