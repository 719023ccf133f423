// The reports on a schedule: the month's (and the quarter's) report announced to those who read it,
// at 08:00 Beijing on the first, once, and opened in each reader's own scope.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { CITY, makeStaff, startTestApp, startTestPlatform, type TestPlatform } from '../../../testing/harness.js';
import { pendingTimers, sweepAllDue } from '../../timers/index.js';
import { ensureReportSchedule, nextReportAt, REPORT_TIMER, reportsDue, reportTimer } from '../index.js';

describe('the reports on a schedule', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let headers: (username: string, lang?: string) => Promise<Record<string, string>>;
  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    headers = async (username, lang = 'zh-CN') => ({ authorization: `Bearer ${await started.tokenFor(username)}`, 'accept-language': lang });
  });
  after(() => p.close());

  it('comes at 08:00 Beijing on the first of each month: the month before, and the quarter before when one has ended', () => {
    assert.equal(nextReportAt(new Date('2026-12-04T10:00:00Z')).toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(nextReportAt(new Date('2026-11-30T23:59:59Z')).toISOString(), '2026-12-01T00:00:00.000Z', 'the 1st, before eight');
    assert.equal(nextReportAt(new Date('2026-12-01T00:00:00Z')).toISOString(), '2027-01-01T00:00:00.000Z', 'at eight, the next month');
    assert.deepEqual(reportsDue(new Date('2026-12-01T00:00:00Z')), ['2026-11']);
    assert.deepEqual(reportsDue(new Date('2027-01-01T00:00:00Z')), ['2026-12', '2026-Q4']);
    assert.deepEqual(reportsDue(new Date('2026-07-01T03:00:00Z')), ['2026-06', '2026-Q2']);
  });

  it("tells the leaders, the supervisors and the units' managers once, each report opening in the reader's own scope", async () => {
    const pool = p.db.pool;
    const staff = {
      leader: await makeStaff(p, 'LEADERS', ['leader']), supervisor: await makeStaff(p, 'HOTLINE', ['supervisor']),
      manager: await makeStaff(p, 'UTIL-WATER', ['unit_manager']), agent: await makeStaff(p, 'HOTLINE', ['agent']),
      handler: await makeStaff(p, 'UTIL-WATER', ['unit_handler']),
    };
    await pool.query('DELETE FROM timers');
    await ensureReportSchedule(pool, CITY, new Date('2026-11-15T00:00:00Z'));
    await ensureReportSchedule(pool, CITY, new Date('2026-11-16T00:00:00Z')); // a second process starting
    assert.deepEqual((await pendingTimers(pool, CITY, [REPORT_TIMER])).map((t) => t.dueAt.toISOString()), ['2026-12-01T00:00:00.000Z']);
    const handlers = { [REPORT_TIMER]: reportTimer };
    assert.equal((await sweepAllDue(pool, handlers, new Date('2026-11-30T23:59:00Z'))).fired, 0, 'not before eight');
    assert.equal((await sweepAllDue(pool, handlers, new Date('2026-12-01T00:00:05Z'))).fired, 1);
    assert.equal((await sweepAllDue(pool, handlers, new Date('2026-12-01T00:10:00Z'))).fired, 0, 'once');
    assert.deepEqual((await pendingTimers(pool, CITY, [REPORT_TIMER])).map((t) => t.dueAt.toISOString()), ['2027-01-01T00:00:00.000Z']);

    const reports = async (who: keyof typeof staff, lang?: string) => {
      const res = await app.inject({ url: '/api/v1/notices?limit=50', headers: await headers(staff[who].username, lang) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().items.filter((n: { kind: string }) => n.kind === 'report_ready');
    };
    for (const who of ['leader', 'supervisor', 'manager'] as const) {
      const [notice, ...more] = await reports(who);
      assert.equal(more.length, 0, who);
      assert.equal(notice.orderId, null);
      assert.equal(notice.detail.period, '2026-11');
      assert.equal(notice.message, '2026年11月分析报告已生成，可查看和下载');
    }
    assert.equal((await reports('leader', 'en'))[0].message, 'The analysis report for November 2026 is ready to read and download');
    assert.deepEqual([...await reports('agent'), ...await reports('handler')], [], 'those who do not read reports are not told');
    // the notice opens the report; a unit's manager reads their units' own
    const opened = async (who: keyof typeof staff) => (await app.inject({ url: '/api/v1/analytics/report?period=2026-11',
      headers: await headers(staff[who].username) })).json();
    assert.equal((await opened('leader')).scope, 'city');
    assert.equal((await opened('manager')).scope, 'units');

    // the year's last month ends a quarter: two reports
    await sweepAllDue(pool, handlers, new Date('2027-01-01T00:00:05Z'));
    assert.deepEqual((await reports('leader')).map((n: { detail: { period: string } }) => n.detail.period).sort(), ['2026-11', '2026-12', '2026-Q4']);
    assert.equal((await reports('supervisor')).find((n: { detail: { period: string } }) => n.detail.period === '2026-Q4').message,
      '2026年第四季度分析报告已生成，可查看和下载');
  });
});
