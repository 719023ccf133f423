import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../auth/index.js';
import { DomainError } from '../../shared/errors.js';
import { applyTransition, listOrderEvents, registerOrder } from '../orders/index.js';
import { sweepAllDue, sweepTimers } from '../timers/index.js';
import { drainConsumers, TIMER_HANDLERS } from '../../platform.js';
import { alertSummary, getOrderDeadlines, listAlerts, listPendingDecisions } from '../supervision/index.js';
import { makeStaff, orderInput, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { listNotices, updateSlaSettings } from './index.js';

const at = (local: string) => new Date(`${local}+08:00`);
const local = (iso: string | null | undefined) => (iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16) : null);
const codeOf = async (promise: Promise<unknown>) => {
  try { await promise; return 'OK'; } catch (error) { return (error as DomainError).code ?? String(error); }
};

describe('deadlines on the working-day calendar', () => {
  let p: TestPlatform;
  let agent: Actor;
  let supervisor: Actor;
  let water: Actor;
  let waterUnit: string;

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
  });
  after(() => p.close());

  async function dispatchedAt(time: Date, overrides = {}) {
    const { order } = await registerOrder(p.db.pool, agent, orderInput(overrides), new Date(time.getTime() - 3_600_000));
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: waterUnit }, time);
    return order.id;
  }
  const eventsOf = async (id: string, type: string) => (await listOrderEvents(p.db.pool, supervisor, id)).filter((e) => e.type === type);

  test('across the 2026 Spring Festival: overdue and warning fire once, a late sign is recorded, an extension moves the deadlines', async () => {
    // 自来水供应 has a limit of 2 working days. Friday 13 February 10:00: sign by Saturday 14 (an adjusted
    // working day), reply by Tuesday 24 (15–23 are the holiday), close 2 working days later, Thursday 26.
    const id = await dispatchedAt(at('2026-02-13T10:00'));
    let [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(local(round!.deadlines.sign.dueAt), '2026-02-14T10:00');
    assert.equal(local(round!.deadlines.reply.dueAt), '2026-02-24T10:00');
    assert.equal(local(round!.deadlines.reply.warnAt), '2026-02-14T10:00', 'one working day before');
    assert.equal(local(round!.deadlines.close.dueAt), '2026-02-26T10:00');
    assert.equal(round!.calendarComplete, true);

    // the one-day sign limit with its one-day warning is warned of halfway, Friday 22:00
    assert.equal(local(round!.deadlines.sign.warnAt), '2026-02-13T22:00', 'a warning as long as the limit comes halfway');
    assert.equal((await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-13T21:59'))).fired, 0, 'nothing is due before the first warning');
    assert.equal((await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-14T09:59'))).fired, 1, 'the sign warning, before the deadline');
    const first = await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-14T10:00:01'));
    assert.equal(first.fired, 2, 'the sign deadline passes and the reply warning is given');
    assert.equal((await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-16T12:00'))).fired, 0, 'each fires once');
    assert.equal((await eventsOf(id, 'order.overdue')).length, 1);
    assert.equal((await eventsOf(id, 'order.deadline_warning')).length, 2);
    await drainConsumers(p);
    const notices = (await listNotices(p.db.pool, water, { unreadOnly: true, limit: 10, offset: 0 }, 'zh')).items;
    assert.deepEqual(notices.map((n) => n.kind).sort(), ['deadline_warning', 'deadline_warning', 'overdue']);
    assert.match(notices.find((n) => n.kind === 'overdue')!.message, /已超过签收时限（2026-02-14 10:00）/);
    assert.equal((await listAlerts(p.db.pool, supervisor, { level: 'overdue', limit: 50, offset: 0 })).items.some((a) => a.orderId === id), true);

    await applyTransition(p.db.pool, water, id, 'sign', {}, at('2026-02-24T08:00'));
    await applyTransition(p.db.pool, water, id, 'request_extension', { days: 3, reason: '需协调施工' }, at('2026-02-24T08:30'));
    const pending = (await listPendingDecisions(p.db.pool, supervisor, 'extensions', { limit: 50, offset: 0 })).items;
    assert.equal(pending.find((d) => d.orderId === id)?.days, 3);
    await applyTransition(p.db.pool, supervisor, id, 'approve_extension', { days: 2 }, at('2026-02-24T09:00'));
    [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.deadlines.sign.onTime, false);
    assert.equal(local(round!.deadlines.sign.overdueAt), '2026-02-14T10:00', 'overdue from the deadline itself');
    assert.equal(local(round!.deadlines.reply.dueAt), '2026-02-26T10:00', 'two more working days');
    assert.equal(local(round!.deadlines.close.dueAt), '2026-02-28T10:00', 'Saturday 28 February is worked');
    assert.equal(round!.extensionDays, 2);

    assert.equal((await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-24T10:00:01'))).fired, 1, 'the old reply deadline fires as a no-op');
    assert.equal((await eventsOf(id, 'order.overdue')).length, 1, 'the moved deadline is not overdue');
    assert.equal(await codeOf(applyTransition(p.db.pool, water, id, 'request_extension', { days: 9, reason: '再延' }, at('2026-02-25T08:00'))),
      'ORDER_EXTENSION_TOO_LONG', '2 + 9 is more than the 10 working days allowed');

    await applyTransition(p.db.pool, water, id, 'reply', { text: '已恢复供水' }, at('2026-02-26T09:00'));
    [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.deadlines.reply.onTime, true);
    assert.equal(round!.deadlines.reply.overdueAt, null);
    // the close deadline's warning moved with it: 1 working day before Saturday 28 February
    await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-02-27T10:00:01'));
    assert.equal((await eventsOf(id, 'order.deadline_warning')).length, 3, 'the sign and reply warnings, then the close warning');
  });

  test('without the category limit, an order dispatched before National Day counts 5 working days past the holiday', async () => {
    await updateSlaSettings(p.db.pool, supervisor, { useCategoryTimeLimit: false });
    try {
      const id = await dispatchedAt(at('2026-09-30T15:00'));
      const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
      assert.equal(local(round!.deadlines.reply.dueAt), '2026-10-13T15:00', 'Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13');
      assert.equal(local(round!.deadlines.sign.dueAt), '2026-10-08T15:00');
    } finally {
      await updateSlaSettings(p.db.pool, supervisor, { useCategoryTimeLimit: true });
    }
  });

  test('a paused clock stands still and resumes with the working time it had left', async () => {
    await updateSlaSettings(p.db.pool, supervisor, { useCategoryTimeLimit: false });
    try {
      const id = await dispatchedAt(at('2026-09-30T15:00'));
      await applyTransition(p.db.pool, water, id, 'sign', {}, at('2026-10-08T09:00'));
      assert.equal(await codeOf(applyTransition(p.db.pool, water, id, 'pause_clock', {}, at('2026-10-08T15:00'))), 'ORDER_REASON_REQUIRED');
      const paused = await applyTransition(p.db.pool, water, id, 'pause_clock', { reason: '等待市民提供房产证明' }, at('2026-10-08T15:00'));
      assert.equal(paused.clockPaused, true);
      // 4 working days were left (8th 15:00 → 13th 15:00); the deadline passes while paused: nothing fires
      await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-10-13T15:00:01'));
      assert.equal((await eventsOf(id, 'order.overdue')).length, 0);
      await applyTransition(p.db.pool, water, id, 'resume_clock', {}, at('2026-10-14T15:00'));
      const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
      assert.equal(local(round!.deadlines.reply.dueAt), '2026-10-20T15:00', 'Thu 15, Fri 16, Mon 19, Tue 20');
      assert.equal(round!.pausedMs, 6 * 24 * 3_600_000);
      assert.equal(round!.pausedAt, null);
      await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-10-16T12:00'));
      assert.equal((await eventsOf(id, 'order.overdue')).length, 0);
      assert.equal(await codeOf(applyTransition(p.db.pool, water, id, 'resume_clock', {}, at('2026-10-16T12:00'))), 'ORDER_CLOCK_NOT_PAUSED');
    } finally {
      await updateSlaSettings(p.db.pool, supervisor, { useCategoryTimeLimit: true });
    }
  });

  test('a return is allowed within 2 working days of dispatch, and its outcome is recorded', async () => {
    const late = await dispatchedAt(at('2026-11-23T10:00'));
    assert.equal(await codeOf(applyTransition(p.db.pool, water, late, 'return', { reason: '不属于本单位' }, at('2026-11-25T10:01'))),
      'ORDER_RETURN_WINDOW_PASSED');
    await applyTransition(p.db.pool, water, late, 'return', { reason: '不属于本单位' }, at('2026-11-25T09:59'));
    const returns = (await listPendingDecisions(p.db.pool, supervisor, 'returns', { limit: 50, offset: 0 })).items;
    assert.equal(returns.find((r) => r.orderId === late)?.reason, '不属于本单位');
    // the hotline agrees: dispatched elsewhere, the return is upheld and the new unit gets a new round
    await applyTransition(p.db.pool, agent, late, 'dispatch', { unitId: await unitId(p, 'D370102') }, at('2026-11-25T11:00'));
    const rounds = await getOrderDeadlines(p.db.pool, supervisor, late);
    assert.deepEqual(rounds.map((r) => [r.round, r.returnOutcome, r.status]), [[1, 'upheld', 'ended'], [2, null, 'active']]);

    // the hotline disagrees: the unit's round resumes with its own deadlines, and the return counts against it
    const rejected = await dispatchedAt(at('2026-11-23T10:00'));
    await applyTransition(p.db.pool, water, rejected, 'return', { reason: '不属于本单位' }, at('2026-11-23T11:00'));
    await applyTransition(p.db.pool, supervisor, rejected, 'reject_return', { reason: '供水属水务集团' }, at('2026-11-23T12:00'));
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, rejected);
    assert.equal(round!.returnOutcome, 'rejected');
    assert.equal(round!.status, 'active');
    assert.equal(local(round!.deadlines.reply.dueAt), '2026-11-25T10:00', 'the clock kept running from the dispatch');
  });

  test('urgent orders count clock hours, and an urge notifies the unit', async () => {
    const id = await dispatchedAt(at('2026-10-01T22:00'), { urgency: 'urgent' });
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.basis, 'hours');
    assert.equal(local(round!.deadlines.sign.dueAt), '2026-10-02T00:00', '2 hours, holiday or not');
    assert.equal(local(round!.deadlines.reply.dueAt), '2026-10-02T22:00');
    assert.equal(local(round!.deadlines.reply.warnAt), '2026-10-02T18:00');
    await applyTransition(p.db.pool, supervisor, id, 'urge', { text: '请立即处置' }, at('2026-10-01T23:00'));
    await drainConsumers(p);
    const notices = (await listNotices(p.db.pool, water, { unreadOnly: false, limit: 50, offset: 0 }, 'en')).items;
    assert.equal(notices.find((n) => n.orderId === id)?.message.includes('urges'), true);
    const summary = await alertSummary(p.db.pool, supervisor);
    assert.equal(summary.find((s) => s.unit.id === waterUnit)!.active > 0, true);
  });

  test('a deadline over a year with no loaded calendar is flagged', async () => {
    const id = await dispatchedAt(at('2027-12-29T10:00'));
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.calendarComplete, false);
  });

  test("tells the unit what the supervisor wrote when urging or escalating, as a reason or as a note", async () => {
    const id = await dispatchedAt(new Date());
    await applyTransition(p.db.pool, supervisor, id, 'urge', { reason: '市民多次来电' });
    await applyTransition(p.db.pool, supervisor, id, 'escalate', { text: '请今日内处理', reason: '超期未签收' });
    await drainConsumers(p);
    const notices = (await listNotices(p.db.pool, water, { unreadOnly: true, limit: 50, offset: 0 }, 'zh')).items.filter((n) => n.orderId === id);
    assert.match(notices.find((n) => n.kind === 'urged')!.message, /催办工单 .*：市民多次来电$/);
    assert.match(notices.find((n) => n.kind === 'escalated')!.message, /已被督办：超期未签收；请今日内处理$/);
    const english = (await listNotices(p.db.pool, water, { unreadOnly: true, limit: 50, offset: 0 }, 'en')).items.filter((n) => n.orderId === id);
    assert.match(english.find((n) => n.kind === 'urged')!.message, /urges order .*: 市民多次来电$/);
  });

  test('two sweepers at once fire each timer exactly once', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await dispatchedAt(at('2026-03-02T10:00')));
    // two pools: two connections racing for the same rows (on PGlite they take turns)
    const second = p.db.engine === 'postgres' ? new (await import('pg')).default.Pool({ connectionString: p.config.databaseUrl }) : p.db.pool;
    // pg-pool's end() resolves before its clients' sockets have closed: one still open when the test
    // database is dropped is terminated, and its error must not reach the process as uncaught
    second.on('error', () => undefined);
    try {
      const now = at('2026-03-03T10:00:01');
      const results = await Promise.all([sweepTimers(p.db.pool, TIMER_HANDLERS, now, 3), sweepTimers(second, TIMER_HANDLERS, now, 3), sweepAllDue(p.db.pool, TIMER_HANDLERS, now, 2),
        sweepAllDue(second, TIMER_HANDLERS, now, 2)]);
      assert.equal(results.reduce((n, r) => n + r.fired, 0), 18, 'sign warning, sign overdue and reply warning of 6 orders');
      for (const id of ids) {
        assert.equal((await eventsOf(id, 'order.overdue')).length, 1);
        assert.equal((await eventsOf(id, 'order.deadline_warning')).length, 1);
      }
    } finally {
      if (second !== p.db.pool) await second.end();
    }
  });
});

describe('timers with two server processes on one PostgreSQL server', () => {
  const CLI = fileURLToPath(new URL('../../cli.ts', import.meta.url));
  test('two processes sweeping at once fire each warning and overdue mark exactly once', { skip: process.env.DATABASE_URL
    ? false : 'needs a PostgreSQL server (DATABASE_URL): one PGlite data folder belongs to one process' }, async () => {
    const p = await startTestPlatform();
    try {
      const agent = await makeStaff(p, 'HOTLINE', ['agent']);
      const water = await unitId(p, 'UTIL-WATER');
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const { order } = await registerOrder(p.db.pool, agent, orderInput(), at('2026-03-02T09:00'));
        await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: water }, at('2026-03-02T10:00'));
        ids.push(order.id);
      }
      const sweep = () => promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, 'sweep-timers', '--at', '2026-03-03T10:00:01+08:00', '--batch', '4'],
        { env: { ...process.env, DATABASE_URL: p.config.databaseUrl, SEED_DEMO: 'false' } });
      const outputs = await Promise.all([sweep(), sweep()]);
      const fired = outputs.map((o) => JSON.parse(o.stdout.trim().split('\n').at(-1)!).fired as number);
      console.log(`# two processes fired ${fired.join(' + ')} timers`);
      assert.equal(fired[0]! + fired[1]!, 120, `40 sign warnings, 40 sign overdue marks and 40 reply warnings, shared ${fired.join(" + ")}`);
      const counts = await p.db.pool.query(
        `SELECT type, count(*)::int AS n, count(DISTINCT stream_id)::int AS orders FROM events
          WHERE stream_id = ANY($1) AND type IN ('order.overdue', 'order.deadline_warning') GROUP BY type ORDER BY type`, [ids]);
      assert.deepEqual(counts.rows, [{ type: 'order.deadline_warning', n: 40, orders: 40 }, { type: 'order.overdue', n: 40, orders: 40 }]);
    } finally {
      await p.close();
    }
  });
});

describe('timers survive a restart', () => {
  test('a deadline that passed while the server was down fires at the first sweep, dated at the deadline', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'minsheng-timers-'));
    try {
      let p = await startTestPlatform({ dataDir });
      const agent = await makeStaff(p, 'HOTLINE', ['agent']);
      const { order } = await registerOrder(p.db.pool, agent, orderInput(), at('2026-03-02T09:00'));
      await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: await unitId(p, 'UTIL-WATER') }, at('2026-03-02T10:00'));
      await p.close();

      p = await startTestPlatform({ dataDir, seed: false });
      try {
        const result = await sweepAllDue(p.db.pool, TIMER_HANDLERS, at('2026-03-10T08:00'));
        assert.equal(result.fired >= 3, true, 'sign and reply overdue (and the reply warning, given late or skipped)');
        const events = await listOrderEvents(p.db.pool, agent, order.id);
        const overdue = events.filter((e) => e.type === 'order.overdue');
        assert.deepEqual(overdue.map((e) => e.payload.deadline).sort(), ['close', 'reply', 'sign']);
        assert.equal(overdue.every((e) => local(e.at) === '2026-03-10T08:00'), true, 'fired late…');
        const [round] = await getOrderDeadlines(p.db.pool, agent, order.id);
        assert.equal(local(round!.deadlines.reply.overdueAt), '2026-03-04T10:00', '…but the fact is dated at the deadline');
        assert.equal(round!.deadlines.reply.warnedAt, null, 'no warning after the deadline itself');
      } finally {
        await p.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
