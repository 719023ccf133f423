import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../auth/index.js';
import type { DomainError } from '../../shared/errors.js';
import { applyTransition, decideVisit, getOrder, recordVisitAnswer as recordResult, recordVisitUnreached as recordUnreached, registerOrder } from '../orders/index.js';
import { updateSlaSettings } from '../sla/index.js';
import { getOrderDeadlines } from '../supervision/index.js';
import { TIMER_HANDLERS } from '../../platform.js';
import { sweepAllDue } from '../timers/index.js';
import { makeStaff, orderInput, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { inSample, visitQueue, visitsToConfirm } from './index.js';

const codeOf = async (promise: Promise<unknown>) => {
  try { await promise; return 'OK'; } catch (error) { return (error as DomainError).code ?? String(error); }
};
const HOUR = 3_600_000;

describe('return visits', () => {
  let p: TestPlatform;
  let agent: Actor;
  let visitor: Actor;
  let supervisor: Actor;
  let water: Actor;
  let waterUnit: string;
  let clock = new Date('2026-03-02T02:00:00Z');
  const tick = (hours = 1) => (clock = new Date(clock.getTime() + hours * HOUR));
  const page = { limit: 200, offset: 0 };

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    visitor = await makeStaff(p, 'HOTLINE', ['visitor']);
    supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
  });
  after(() => p.close());

  /** An order the water company has replied to; the reply is what the visitor asks about. */
  async function replied(overrides = {}) {
    const { order } = await registerOrder(p.db.pool, agent, orderInput(overrides), tick());
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: waterUnit }, tick());
    await applyTransition(p.db.pool, water, order.id, 'sign', {}, tick());
    await applyTransition(p.db.pool, water, order.id, 'reply', { text: '管道已抢修，供水恢复' }, tick());
    const visit = (await visitQueue(p.db.pool, visitor, page, clock)).items.find((v) => v.orderId === order.id);
    return { id: order.id, visit };
  }

  test('a reply queues a visit with the answer to ask about; satisfied and solved closes the order', async () => {
    const { id, visit } = await replied();
    assert.ok(visit, 'in the queue');
    assert.equal(visit.answer, '管道已抢修，供水恢复');
    assert.equal(await codeOf(recordResult(p.db.pool, water, visit.id, { solved: true, satisfaction: 'satisfied' }, tick())), 'AUTH_FORBIDDEN');
    const done = await recordResult(p.db.pool, visitor, visit.id, { solved: true, satisfaction: 'basically_satisfied', comment: '基本满意' }, tick());
    assert.equal(done.status, 'done');
    assert.equal((await getOrder(p.db.pool, visitor, id)).state, 'closed');
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.deepEqual(round!.visit.satisfaction, 'basically_satisfied');
    assert.equal(round!.deadlines.close.onTime, true);
    assert.equal(await codeOf(recordResult(p.db.pool, visitor, visit.id, { solved: true, satisfaction: 'satisfied' }, tick())), 'VISIT_NOT_OPEN');
  });

  test('a citizen not reached is called again later, and after the last attempt recorded as unreachable, not satisfied', async () => {
    const { id, visit } = await replied();
    const first = await recordUnreached(p.db.pool, visitor, visit!.id, '无人接听', tick(0));
    assert.equal(first.attempts, 1);
    assert.equal((await visitQueue(p.db.pool, visitor, page, tick(1))).items.some((v) => v.id === visit!.id), false, 'not before 4 hours');
    assert.equal((await visitQueue(p.db.pool, visitor, page, tick(3))).items.some((v) => v.id === visit!.id), true, 'again after 4 hours');
    await recordUnreached(p.db.pool, visitor, visit!.id, '关机', clock);
    const last = await recordUnreached(p.db.pool, visitor, visit!.id, '无人接听', tick(4));
    assert.equal(last.status, 'unreachable');
    assert.equal(last.attempts, 3);
    const order = await getOrder(p.db.pool, visitor, id);
    assert.equal(order.state, 'closed');
    assert.equal(order.events.filter((e) => e.type === 'order.visit_attempted').length, 2);
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.visit.reached, false);
    assert.equal(round!.visit.satisfaction, null);
  });

  test('an unsatisfied result waits for the supervisor, who reopens the order to the unit with new deadlines', async () => {
    const { id, visit } = await replied();
    const waiting = await recordResult(p.db.pool, visitor, visit!.id, { solved: false, satisfaction: 'unsatisfied', comment: '仍然停水' }, tick());
    assert.equal(waiting.status, 'to_confirm');
    assert.equal((await getOrder(p.db.pool, visitor, id)).state, 'visited');
    assert.equal((await visitsToConfirm(p.db.pool, supervisor, page)).items.some((v) => v.id === visit!.id), true);
    assert.equal(await codeOf(decideVisit(p.db.pool, visitor, visit!.id, { decision: 'reopen', reason: '未解决' }, tick())), 'AUTH_FORBIDDEN');
    const decided = await decideVisit(p.db.pool, supervisor, visit!.id, { decision: 'reopen', reason: '市民反映仍未恢复供水' }, tick());
    assert.equal(decided.status, 'reopened');
    const order = await getOrder(p.db.pool, supervisor, id);
    assert.equal(order.state, 'dispatched');
    assert.equal(order.reopenCount, 1);
    assert.equal(order.leadUnit?.id, waterUnit);
    const rounds = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.deepEqual(rounds.map((r) => [r.cause, r.status, r.visit.solved]), [['dispatch', 'ended', false], ['reopen', 'active', null]]);
    assert.ok(rounds[0]!.reopenedAt);
  });

  test('the supervisor may close an unsatisfied order with a reason instead', async () => {
    const { id, visit } = await replied();
    await recordResult(p.db.pool, visitor, visit!.id, { solved: true, satisfaction: 'unsatisfied' }, tick());
    const decided = await decideVisit(p.db.pool, supervisor, visit!.id, { decision: 'close', reason: '诉求超出政策范围，已解释' }, tick());
    assert.equal(decided.status, 'closed');
    assert.equal((await getOrder(p.db.pool, supervisor, id)).state, 'closed');
  });

  test('a citizen who asked not to be called back gets no visit: the order is closed by the next sweep', async () => {
    const { id, visit } = await replied({ citizen: { name: '李四', phone: '13900000000', noCallback: true } });
    assert.equal(visit, undefined, 'not in the queue');
    await sweepAllDue(p.db.pool, TIMER_HANDLERS, tick());
    const order = await getOrder(p.db.pool, supervisor, id);
    assert.equal(order.state, 'closed');
    assert.equal(order.events.at(-1)!.actor.kind, 'system');
    const [round] = await getOrderDeadlines(p.db.pool, supervisor, id);
    assert.equal(round!.visit.reached, null, 'no satisfaction counted either way');
  });

  test('a visit recorded with the order action leaves the queue in step', async () => {
    const { id, visit } = await replied();
    await applyTransition(p.db.pool, visitor, id, 'return_visit', { solved: false, satisfaction: 'unsatisfied', text: '电话回访' }, tick());
    assert.equal((await visitQueue(p.db.pool, visitor, page, tick())).items.some((v) => v.id === visit!.id), false);
    assert.equal((await visitsToConfirm(p.db.pool, supervisor, page)).items.find((v) => v.id === visit!.id)?.result.satisfaction, 'unsatisfied');
  });

  test('orders answered directly are sampled for a visit, stably by id', async () => {
    assert.equal(inSample('5b1e4c1e-0000-4000-8000-000000000000', 100), true);
    assert.equal(inSample('5b1e4c1e-0000-4000-8000-000000000000', 0), false);
    const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const share = ids.filter((i) => inSample(i, 10)).length / ids.length;
    assert.ok(share > 0.08 && share < 0.12, `about 10% sampled (${share})`);

    await updateSlaSettings(p.db.pool, supervisor, { visit: { directAnswerSamplePercent: 100 } });
    try {
      const { order } = await registerOrder(p.db.pool, agent, orderInput({ requestType: 'enquiry' }), tick());
      await applyTransition(p.db.pool, agent, order.id, 'answer_directly', { text: '停水通知见水务集团公众号' }, tick());
      const visit = (await visitQueue(p.db.pool, visitor, page, clock)).items.find((v) => v.orderId === order.id);
      assert.equal(visit?.reason, 'direct_answer_sample');
      await recordResult(p.db.pool, visitor, visit!.id, { solved: true, satisfaction: 'satisfied' }, tick());
      const detail = await getOrder(p.db.pool, visitor, order.id);
      assert.equal(detail.state, 'closed');
      assert.equal(detail.events.at(-1)!.type, 'order.visit_recorded');
    } finally {
      await updateSlaSettings(p.db.pool, supervisor, { visit: { directAnswerSamplePercent: 10 } });
    }
  });
});
