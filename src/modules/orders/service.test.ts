import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { DomainError, ERRORS, type ErrorCode } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';
import { makeStaff, registerTestOrder, orderInput, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { applyTransition, getOrder, listOrders, registerOrder, suggestUnits, unitInbox, unitInboxCounts, updateOrder } from './index.js';
import { orderSnapshotOf, readAfter, readableHead } from '../events/index.js';
import { listAudit } from '../audit/index.js';
import { searchTokens } from './search-text.js';

const MESSAGES = fileURLToPath(new URL('../../../../shared/data/gov-messages/messages.csv', import.meta.url));

async function refused(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected DomainError ${code}, got ${error}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('orders on a real database', () => {
  let p: TestPlatform;
  let agent: Actor, lead: Actor, visitor: Actor, supervisor: Actor, leader: Actor, admin: Actor;
  let water: Actor, power: Actor, district: Actor, street: Actor, otherStreet: Actor;
  let waterUnit: string, powerUnit: string, districtUnit: string, streetUnit: string;

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    lead = await makeStaff(p, 'HOTLINE', ['lead']);
    visitor = await makeStaff(p, 'HOTLINE', ['visitor']);
    supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
    leader = await makeStaff(p, 'LEADERS', ['leader']);
    admin = await makeStaff(p, 'HOTLINE', ['admin']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    power = await makeStaff(p, 'UTIL-POWER', ['unit_handler']);
    district = await makeStaff(p, 'D370102', ['unit_manager']);
    street = await makeStaff(p, 'S370102001', ['unit_handler']);
    otherStreet = await makeStaff(p, 'S370102002', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
    powerUnit = await unitId(p, 'UTIL-POWER');
    districtUnit = await unitId(p, 'D370102');
    streetUnit = await unitId(p, 'S370102001');
  });
  after(() => p.close());

  const act = (actor: Actor, id: string, action: Parameters<typeof applyTransition>[3], input = {}) =>
    applyTransition(p.db.pool, actor, id, action, input);

  it('registers an order with a dated tracking number, its category and area, and a first event', async () => {
    const order = await registerTestOrder(p, agent);
    assert.match(order.trackingNo, /^\d{8}-\d{8}$/);
    assert.equal(order.state, 'registered');
    assert.equal(order.version, 1);
    assert.equal(order.category?.name, '自来水供应');
    assert.equal(order.location.areaName, '解放路街道');
    const detail = await getOrder(p.db.pool, agent, order.id);
    assert.deepEqual(detail.events.map((e) => [e.seq, e.type, e.toState]), [[1, 'order.registered', 'registered']]);
  });

  it('creates one order when the same channel message arrives twice', async () => {
    const input = orderInput({ channel: 'sms', channelRef: 'sms-gateway-778899' });
    const [first, second] = await Promise.all([registerOrder(p.db.pool, agent, input), registerOrder(p.db.pool, agent, input)]);
    assert.equal(first.order.id, second.order.id);
    assert.deepEqual([first.created, second.created].sort(), [false, true]);
    const count = await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel_ref = 'sms-gateway-778899'`);
    assert.equal(count.rows[0].n, 1);
  });

  it("suggests the unit of the category's kind, then the street office and district of the order's area", async () => {
    const order = await registerTestOrder(p, agent); // 自来水供应 in 解放路街道, 历下区
    const suggested = await suggestUnits(p.db.pool, agent, order.id);
    assert.deepEqual(suggested.map((s) => [s.unit.code, s.reason]), [
      ['UTIL-WATER', 'category_and_area'], ['S370102001', 'area_government'], ['D370102', 'area_government']]);
    // with no place given, the order is the city's: its city-wide unit of the kind
    const nowhere = await registerTestOrder(p, agent, { location: {} });
    assert.deepEqual((await suggestUnits(p.db.pool, agent, nowhere.id)).map((s) => [s.unit.code, s.reason]), [['UTIL-WATER', 'category_and_area']]);
  });

  it('refuses an unknown category or area and writes nothing', async () => {
    const before = (await p.db.pool.query('SELECT count(*) AS n FROM orders')).rows[0].n;
    await refused(registerOrder(p.db.pool, agent, orderInput({ categoryCode: '999999' })), 'TAXONOMY_CATEGORY_NOT_FOUND');
    await refused(registerOrder(p.db.pool, agent, orderInput({ location: { areaCode: '370199999' } })), 'DIRECTORY_AREA_NOT_FOUND');
    assert.equal((await p.db.pool.query('SELECT count(*) AS n FROM orders')).rows[0].n, before);
  });

  it('walks the whole lifecycle: dispatch, sign, reply, return visit, close, archive, with one event per step', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    await act(water, order.id, 'sign');
    await act(water, order.id, 'reply', { text: '已恢复供水' });
    await act(visitor, order.id, 'return_visit', { solved: true, satisfaction: 'satisfied' });
    const closed = await act(visitor, order.id, 'close');
    assert.equal(closed.state, 'closed');
    assert.ok(closed.closedAt);
    const archived = await act(lead, order.id, 'archive');
    assert.equal(archived.state, 'archived');
    assert.equal(archived.version, 7);
    const detail = await getOrder(p.db.pool, lead, order.id);
    assert.deepEqual(detail.events.map((e) => e.type), ['order.registered', 'order.dispatched', 'order.signed', 'order.replied',
      'order.visited', 'order.closed', 'order.archived']);
    assert.deepEqual(detail.events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(detail.events[3]!.payload.text, '已恢复供水');
    assert.equal(detail.events[4]!.payload.satisfaction, 'satisfied');
    assert.equal(detail.assignments[0]!.status, 'done');
  });

  it('closes an enquiry answered directly from the knowledge base', async () => {
    const order = await registerTestOrder(p, agent, { requestType: 'enquiry' });
    await refused(act(agent, order.id, 'answer_directly'), 'ORDER_INVALID_FIELD');
    const closed = await act(agent, order.id, 'answer_directly', { text: '社保转移请携带身份证到社保中心办理' });
    assert.equal(closed.state, 'closed');
  });

  it('refuses an action not allowed from the current state, and writes nothing', async () => {
    const order = await registerTestOrder(p, agent);
    await refused(act(visitor, order.id, 'close'), 'ORDER_TRANSITION_NOT_ALLOWED');
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    await refused(act(water, order.id, 'reply', { text: 'too early' }), 'ORDER_TRANSITION_NOT_ALLOWED');
    const detail = await getOrder(p.db.pool, agent, order.id);
    assert.equal(detail.state, 'dispatched');
    assert.equal(detail.events.length, 2);
  });

  it('refuses an action by a role or unit that may not take it', async () => {
    const order = await registerTestOrder(p, agent);
    await refused(act(water, order.id, 'dispatch', { unitId: waterUnit }), 'ORDER_NOT_FOUND'); // not yet visible to the unit
    await refused(act(leader, order.id, 'dispatch', { unitId: waterUnit }), 'ORDER_ACTION_FORBIDDEN');
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    await refused(act(agent, order.id, 'sign'), 'ORDER_ACTION_FORBIDDEN');
    await refused(act(power, order.id, 'sign'), 'ORDER_NOT_FOUND');
  });

  it('shows each order of an inbox with the deadline that presses now, and how it stands', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    const deadlineAt = async (now: Date) =>
      (await unitInbox(p.db.pool, water, { limit: 200, offset: 0 }, now)).items.find((o) => o.id === order.id)!.deadline!;
    const fresh = await deadlineAt(new Date());
    assert.deepEqual([fresh.kind, fresh.status], ['sign', 'on_time']);
    assert.ok(fresh.warnAt < fresh.dueAt);
    assert.equal((await deadlineAt(new Date(fresh.warnAt))).status, 'warning');
    assert.equal((await deadlineAt(new Date(Date.parse(fresh.dueAt) + 1))).status, 'overdue');
    await act(water, order.id, 'sign');
    assert.deepEqual([(await deadlineAt(new Date())).kind, (await deadlineAt(new Date())).status], ['reply', 'on_time']);
    await act(water, order.id, 'pause_clock', { reason: '等待市民提供材料' });
    assert.equal((await deadlineAt(new Date(Date.parse(fresh.dueAt) + 86_400_000 * 30))).status, 'paused');
  });

  it('filters an inbox by the status of each pressing deadline and counts each status, as the colouring judges it', async () => {
    const orders: { id: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const order = await registerTestOrder(p, agent);
      await act(agent, order.id, 'dispatch', { unitId: waterUnit });
      orders.push(order);
    }
    await act(water, orders[1]!.id, 'sign');
    await act(water, orders[2]!.id, 'sign');
    await act(water, orders[2]!.id, 'pause_clock', { reason: '等待市民提供材料' });
    const first = (await unitInbox(p.db.pool, water, { limit: 200, offset: 0 })).items.find((o) => o.id === orders[0]!.id)!.deadline!;
    // at each moment, a status's filtered list is exactly the orders the whole inbox colours so, and its count says how many
    for (const now of [new Date(), new Date(first.warnAt), new Date(Date.parse(first.dueAt) + 1), new Date(Date.now() + 86_400_000 * 40)]) {
      const whole = await unitInbox(p.db.pool, water, { limit: 200, offset: 0 }, now);
      assert.ok(whole.total < 200, 'the whole inbox fits one page');
      const counts = await unitInboxCounts(p.db.pool, water, now);
      assert.equal(counts.all, whole.total);
      for (const status of ['on_time', 'warning', 'overdue', 'paused'] as const) {
        const expected = whole.items.filter((o) => o.deadline?.status === status).map((o) => o.id).sort();
        const filtered = await unitInbox(p.db.pool, water, { limit: 200, offset: 0, deadline: status }, now);
        assert.deepEqual(filtered.items.map((o) => o.id).sort(), expected, `${status} at ${now.toISOString()}`);
        assert.equal(counts[status], expected.length);
        assert.equal(filtered.total, expected.length);
        const dues = filtered.items.map((o) => o.deadline!.dueAt);
        assert.deepEqual(dues, [...dues].sort(), 'the most pressing first');
      }
    }
    const later = await unitInbox(p.db.pool, water, { limit: 200, offset: 0, deadline: 'overdue' }, new Date(Date.now() + 86_400_000 * 40));
    assert.ok(orders.filter((o) => o !== orders[2]).every((o) => later.items.some((i) => i.id === o.id)), 'all but the paused one are overdue then');
  });

  it("lists an agent's own orders, newest first, and no one else's", async () => {
    const other = await makeStaff(p, 'HOTLINE', ['agent']);
    const mine = [await registerTestOrder(p, other), await registerTestOrder(p, other)];
    await registerTestOrder(p, lead);
    const own = await listOrders(p.db.pool, other, { registeredBy: 'me', sort: '-created_at', limit: 10, offset: 0 });
    assert.deepEqual(own.items.map((o) => o.id), mine.map((o) => o.id).reverse());
    assert.equal(own.total, 2);
  });

  it("does not show a unit another unit's orders, by list, inbox or id", async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    assert.ok((await unitInbox(p.db.pool, water, { limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
    assert.ok(!(await unitInbox(p.db.pool, power, { limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
    const powerList = (await listOrders(p.db.pool, power, { sort: '-created_at', limit: 200, offset: 0 })).items;
    assert.ok(!powerList.some((o) => o.id === order.id));
    await refused(getOrder(p.db.pool, power, order.id), 'ORDER_NOT_FOUND');
    await refused(act(power, order.id, 'return', { reason: 'not ours' }), 'ORDER_NOT_FOUND');
  });

  it('lets a district pass an order down to its street office, which then handles it; the district still sees it', async () => {
    const order = await registerTestOrder(p, agent, { categoryCode: undefined });
    // no order leaves the hotline unclassified: the agent chooses the category first
    await refused(act(agent, order.id, 'dispatch', { unitId: districtUnit }), 'ORDER_CATEGORY_REQUIRED');
    await updateOrder(p.db.pool, agent, order.id, { categoryCode: '010216' });
    await act(agent, order.id, 'dispatch', { unitId: districtUnit });
    await act(district, order.id, 'sign');
    await refused(act(district, order.id, 'pass_down', { unitId: powerUnit }), 'ORDER_INVALID_TARGET');
    const passed = await act(district, order.id, 'pass_down', { unitId: streetUnit });
    assert.equal(passed.state, 'dispatched');
    assert.equal(passed.leadUnit?.id, streetUnit);
    await refused(getOrder(p.db.pool, otherStreet, order.id), 'ORDER_NOT_FOUND');
    await act(street, order.id, 'sign');
    // a street that returns it sends it back to the district, which had signed for it
    const back = await act(street, order.id, 'return', { reason: '不属于本街道辖区' });
    assert.equal(back.state, 'signed');
    assert.equal(back.leadUnit?.id, districtUnit);
    assert.ok((await getOrder(p.db.pool, district, order.id)).events.some((e) => e.type === 'order.passed_down'));
    // the district's list shows what its street offices handle, newest first; another district's does not
    const districtList = (await listOrders(p.db.pool, district, { sort: '-created_at', limit: 200, offset: 0 })).items;
    assert.ok(districtList.some((o) => o.id === order.id));
    const times = districtList.map((o) => o.createdAt);
    assert.deepEqual(times, [...times].sort().reverse());
    const shizhong = await makeStaff(p, 'D370103', ['unit_manager']);
    assert.ok(!(await listOrders(p.db.pool, shizhong, { sort: '-created_at', limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
    assert.ok((await listOrders(p.db.pool, agent, { unitId: districtUnit, sort: '-updated_at', limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
  });

  it('handles a return to the hotline: re-dispatch elsewhere, or reject the return', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: powerUnit });
    await refused(act(power, order.id, 'return'), 'ORDER_REASON_REQUIRED');
    const returned = await act(power, order.id, 'return', { reason: '属于供水问题' });
    assert.equal(returned.state, 'returned');
    const redispatched = await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    assert.equal(redispatched.leadUnit?.id, waterUnit);
    await act(water, order.id, 'return', { reason: '小区内部管网' });
    const rejected = await act(lead, order.id, 'reject_return', { reason: '市政管网属供水企业' });
    assert.equal(rejected.state, 'dispatched');
    assert.equal(rejected.leadUnit?.id, waterUnit);
  });

  it('records co-handling units, whose opinions are events and who cannot reply for the lead', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit, coUnitIds: [districtUnit] });
    assert.ok((await unitInbox(p.db.pool, district, { limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
    await refused(act(district, order.id, 'sign'), 'ORDER_ACTION_FORBIDDEN');
    await act(district, order.id, 'co_reply', { text: '已协调社区配合' });
    await refused(act(district, order.id, 'co_reply', { text: 'again' }), 'ORDER_ACTION_FORBIDDEN');
  });

  it('asks for, approves and denies extensions, each an event', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    await act(water, order.id, 'sign');
    const pending = await act(water, order.id, 'request_extension', { reason: '需更换主管道', days: 5 });
    assert.equal(pending.extensionPending, true);
    await refused(act(supervisor, order.id, 'approve_extension', { days: 6 }), 'ORDER_INVALID_FIELD');
    const approved = await act(supervisor, order.id, 'approve_extension', { days: 3 });
    assert.equal(approved.extensionPending, false);
    await act(water, order.id, 'request_extension', { reason: '材料未到', days: 2 });
    await refused(act(supervisor, order.id, 'deny_extension'), 'ORDER_REASON_REQUIRED');
    await act(supervisor, order.id, 'deny_extension', { reason: '可先临时供水' });
    const events = (await getOrder(p.db.pool, lead, order.id)).events;
    assert.deepEqual(events.filter((e) => e.type.startsWith('order.extension')).map((e) => [e.type, e.payload.days ?? null]), [
      ['order.extension_requested', 5], ['order.extension_approved', 3], ['order.extension_requested', 2], ['order.extension_denied', null]]);
  });

  it('reopens an unsatisfied order to the same unit and counts it; urges and escalates', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    const urged = await act(supervisor, order.id, 'urge', { text: '请今日内办理' });
    assert.equal(urged.urgeCount, 1);
    assert.equal((await act(supervisor, order.id, 'escalate', { reason: '群众反映强烈' })).escalated, true);
    await act(water, order.id, 'sign');
    await act(water, order.id, 'reply', { text: '已处理' });
    await act(visitor, order.id, 'return_visit', { solved: false, satisfaction: 'unsatisfied' });
    const reopened = await act(visitor, order.id, 'reopen', { reason: '仍然停水' });
    assert.equal(reopened.state, 'dispatched');
    assert.equal(reopened.reopenCount, 1);
    assert.equal(reopened.leadUnit?.id, waterUnit);
    assert.ok((await unitInbox(p.db.pool, water, { limit: 200, offset: 0 })).items.some((o) => o.id === order.id));
  });

  it('merges a duplicate into the first order, recording the merge on both', async () => {
    const first = await registerTestOrder(p, agent);
    const dup = await registerTestOrder(p, agent);
    await refused(act(agent, dup.id, 'merge', { targetOrderId: dup.id }), 'ORDER_INVALID_TARGET');
    const merged = await act(agent, dup.id, 'merge', { targetOrderId: first.id });
    assert.equal(merged.state, 'merged');
    assert.equal(merged.mergedInto, first.id);
    const target = await getOrder(p.db.pool, agent, first.id);
    assert.equal(target.events.at(-1)!.type, 'order.duplicate_merged');
    assert.equal(target.version, 2);
  });

  it('cancels an invalid order with a reason and never deletes it', async () => {
    const order = await registerTestOrder(p, agent);
    await refused(act(agent, order.id, 'cancel', { reason: '骚扰电话' }), 'ORDER_ACTION_FORBIDDEN');
    const cancelled = await act(lead, order.id, 'cancel', { reason: '骚扰电话' });
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.stateGroup, 'closed');
    assert.ok(await getOrder(p.db.pool, lead, order.id));
  });

  it('lets exactly one of two concurrent dispatches win; the other gets a conflict', async () => {
    const order = await registerTestOrder(p, agent);
    const agent2 = await makeStaff(p, 'HOTLINE', ['agent']);
    const results = await Promise.allSettled([
      act(agent, order.id, 'dispatch', { unitId: waterUnit }),
      act(agent2, order.id, 'dispatch', { unitId: powerUnit }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal((loser.reason as DomainError).code, 'ORDER_TRANSITION_NOT_ALLOWED');
    assert.equal((await getOrder(p.db.pool, agent, order.id)).events.length, 2);
  });

  it('answers the loser of a race over any unit action with a 409, never a 403', async () => {
    const water2 = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const district2 = await makeStaff(p, 'D370102', ['unit_manager']);
    const signedBy = async (unit: string, who: Actor) => {
      const order = await registerTestOrder(p, agent);
      await act(agent, order.id, 'dispatch', { unitId: unit });
      await act(who, order.id, 'sign');
      return order.id;
    };
    const dispatchedTo = async (unit: string) => {
      const order = await registerTestOrder(p, agent);
      await act(agent, order.id, 'dispatch', { unitId: unit });
      return order.id;
    };
    const races: [string, () => Promise<string>, Actor, Actor, Parameters<typeof act>[2], object][] = [
      ['sign', () => dispatchedTo(waterUnit), water, water2, 'sign', {}],
      ['reply', () => signedBy(waterUnit, water), water, water2, 'reply', { text: '已修复' }],
      ['return', () => dispatchedTo(waterUnit), water, water2, 'return', { reason: '不属于本单位' }],
      ['pass down', () => signedBy(districtUnit, district), district, district2, 'pass_down', { unitId: streetUnit }],
      ['request an extension', () => signedBy(waterUnit, water), water, water2, 'request_extension', { reason: '需要更换管道', days: 3 }],
      ['pause the clock', () => signedBy(waterUnit, water), water, water2, 'pause_clock', { reason: '等待居民在家' }],
    ];
    for (const [name, setup, one, other, action, input] of races) {
      const id = await setup();
      const results = await Promise.allSettled([act(one, id, action, input), act(other, id, action, input)]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `${name}: one wins`);
      const loser = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as DomainError;
      assert.ok(loser instanceof DomainError, `${name}: ${loser}`);
      assert.equal(ERRORS[loser.code].status, 409, `${name}: the loser got ${loser.code}`);
      // and once the race is over, the same again by the winner's unit is the same 409
      const again = await act(one, id, action, input).then(() => null, (error: DomainError) => error);
      assert.equal(again && ERRORS[again.code].status, 409, `${name} again: ${again?.code}`);
    }
  });

  it('refuses to merge into an order that is itself merged, however the merges interleave', async () => {
    for (let round = 0; round < 6; round++) {
      const [a, b, c] = [await registerTestOrder(p, agent), await registerTestOrder(p, agent), await registerTestOrder(p, agent)];
      // a chain (a → b while b → c) and opposite merges (a → b while b → a), at once
      const chain = round % 2 === 0;
      const results = await Promise.allSettled([act(agent, a.id, 'merge', { targetOrderId: b.id }),
        act(lead, b.id, 'merge', { targetOrderId: chain ? c.id : a.id })]);
      for (const r of results) {
        if (r.status === 'rejected') assert.ok(r.reason instanceof DomainError && ERRORS[r.reason.code].status < 500, String(r.reason));
      }
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1,
        `round ${round}: one merge of the two: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join(', ')}`);
      for (const order of [a, b, c]) {
        const now = await getOrder(p.db.pool, agent, order.id);
        if (now.mergedInto) {
          const survivor = await getOrder(p.db.pool, agent, now.mergedInto);
          assert.equal(survivor.mergedInto, null, `round ${round}: ${order.id} is merged into an order that is itself merged (${
            results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join(', ')})`);
        }
      }
    }
    // one after the other: refused with the reason
    const [x, y, z] = [await registerTestOrder(p, agent), await registerTestOrder(p, agent), await registerTestOrder(p, agent)];
    await act(agent, y.id, 'merge', { targetOrderId: z.id });
    await refused(act(agent, x.id, 'merge', { targetOrderId: y.id }), 'ORDER_INVALID_TARGET');
  });

  it('refuses a change made on a stale version', async () => {
    const order = await registerTestOrder(p, agent);
    await updateOrder(p.db.pool, agent, order.id, { expectedVersion: 1, urgency: 'urgent' });
    await refused(updateOrder(p.db.pool, agent, order.id, { expectedVersion: 1, title: '改标题' }), 'ORDER_VERSION_CONFLICT');
    await refused(act(agent, order.id, 'dispatch', { unitId: waterUnit, expectedVersion: 1 }), 'ORDER_VERSION_CONFLICT');
    const dispatched = await act(agent, order.id, 'dispatch', { unitId: waterUnit, expectedVersion: 2 });
    assert.equal(dispatched.version, 3);
  });

  it('records a correction of category with the values it replaced', async () => {
    const order = await registerTestOrder(p, agent);
    await updateOrder(p.db.pool, agent, order.id, { categoryCode: '010212', requestType: 'complaint' });
    const event = (await getOrder(p.db.pool, agent, order.id)).events.at(-1)!;
    assert.equal(event.type, 'order.updated');
    assert.deepEqual(event.payload.before, { requestType: 'help', categoryCode: '010216' });
    assert.deepEqual(event.payload.after, { requestType: 'complaint', categoryCode: '010212' });
  });

  it('masks personal data for leaders and administrators, and shows it in full to the handling unit', async () => {
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    const forLeader = await getOrder(p.db.pool, leader, order.id);
    assert.deepEqual(forLeader.citizen, { name: '张**', phone: '138****5678', address: '济南市历下区***', visibility: 'masked' });
    assert.equal((await getOrder(p.db.pool, admin, order.id)).citizen.visibility, 'masked');
    assert.equal((await getOrder(p.db.pool, water, order.id)).citizen.phone, '13812345678');
    const listed = (await listOrders(p.db.pool, agent, { trackingNo: order.trackingNo, sort: '-created_at', limit: 1, offset: 0 })).items;
    assert.equal(listed[0]!.citizen.phone, '138****5678'); // lists never reveal
  });

  it("hides a confidential order's citizen from everyone but intake and return-visit staff", async () => {
    const order = await registerTestOrder(p, agent, { confidential: true, requestType: 'report' });
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    for (const who of [water, leader, admin, supervisor]) {
      assert.deepEqual((await getOrder(p.db.pool, who, order.id)).citizen, { name: null, phone: null, address: null, visibility: 'hidden' });
    }
    assert.equal((await getOrder(p.db.pool, visitor, order.id)).citizen.phone, '13812345678');
  });

  it('audits every read of unmasked personal data, and not masked reads', async () => {
    const order = await registerTestOrder(p, agent);
    const reads = async () => (await p.db.pool.query(
      `SELECT actor_id FROM audit_log WHERE action = 'personal_data.read' AND subject_id = $1`, [order.id])).rows.map((r) => r.actor_id);
    await getOrder(p.db.pool, leader, order.id);
    assert.deepEqual(await reads(), []);
    await getOrder(p.db.pool, agent, order.id);
    assert.deepEqual(await reads(), [agent.id]);
  });

  it('records every change as an event with who made it, and the database refuses to alter or delete audit and event rows', async () => {
    const order = await registerTestOrder(p, agent);
    await getOrder(p.db.pool, agent, order.id);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    const events = (await getOrder(p.db.pool, agent, order.id)).events;
    assert.deepEqual(events.map((e) => [e.type, e.actor.id]), [['order.registered', agent.id], ['order.dispatched', agent.id]]);
    for (const sql of [
      `UPDATE audit_log SET action = 'x' WHERE subject_id = '${order.id}'`,
      `DELETE FROM audit_log WHERE subject_id = '${order.id}'`,
      'TRUNCATE audit_log',
      `UPDATE events SET reason = 'x' WHERE stream_id = '${order.id}'`,
      `DELETE FROM events WHERE stream_id = '${order.id}'`,
      'TRUNCATE events',
    ]) {
      await assert.rejects(p.db.pool.query(sql), /append-only/, sql);
    }
    assert.equal((await p.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1`, [order.id])).rows[0].n, 2,
      'two unmasked reads');
    const trail = (await listAudit(p.db.pool, { cityCode: agent.cityCode, subjectId: order.id, limit: 10, offset: 0 })).items;
    assert.deepEqual(trail.map((r) => [r.source, r.action]).reverse(), [['event', 'order.registered'], ['audit', 'personal_data.read'],
      ['event', 'order.dispatched'], ['audit', 'personal_data.read']], 'the audit listing shows the changes with the reads');
  });

  it('appends each committed change to the event log, and nothing for a refused one', async () => {
    const start = await readableHead(p.db.pool);
    const order = await registerTestOrder(p, agent);
    await act(agent, order.id, 'dispatch', { unitId: waterUnit });
    await refused(act(agent, order.id, 'dispatch', { unitId: waterUnit }), 'ORDER_TRANSITION_NOT_ALLOWED');
    await readableHead(p.db.pool); // another database's write transaction on the server may hold the head back
    const logged = (await readAfter(p.db.pool, start, 100)).filter((e) => e.streamId === order.id);
    assert.deepEqual(logged.map((e) => [e.type, e.seq, orderSnapshotOf(e)?.state]), [['order.registered', 1, 'registered'], ['order.dispatched', 2, 'dispatched']]);
    assert.equal(orderSnapshotOf(logged[1]!)?.leadUnitId, waterUnit);
  });

  it('finds a phone number however it is written, and by its last four digits for those who see phones', async () => {
    const order = await registerTestOrder(p, agent, { citizen: { phone: '+86 (186) 5310-7749' } });
    assert.equal((await getOrder(p.db.pool, agent, order.id)).citizen.phone, '18653107749', 'stored as digits');
    const find = (actor: Actor, phone: string) => listOrders(p.db.pool, actor, { sort: '-created_at', limit: 50, offset: 0, phone })
      .then((page) => page.items.map((o) => o.id));
    for (const written of ['18653107749', '+86 186 5310 7749', '0086-186-5310-7749', '186.5310.7749', '7749']) {
      assert.ok((await find(agent, written)).includes(order.id), written);
    }
    assert.ok(!(await find(agent, '7748')).includes(order.id));
    await refused(find(leader, '7749'), 'AUTH_FORBIDDEN'); // a leader sees masked phones: no guessing by their tails
    assert.ok((await find(leader, '18653107749')).includes(order.id), 'the whole number is no guess');
    // a whistle-blower's order is found by phone only by those who see its citizen
    const secret = await registerTestOrder(p, agent, { confidential: true, citizen: { phone: '186 5310 7749' } });
    assert.ok((await find(agent, '7749')).includes(secret.id));
    assert.ok(!(await find(supervisor, '7749')).includes(secret.id) && !(await find(supervisor, '18653107749')).includes(secret.id));
    assert.ok((await find(supervisor, '7749')).includes(order.id));
  });

  it('finds orders by phone, by words of the text, by area and by state', async () => {
    const order = await registerTestOrder(p, agent, { title: '路灯不亮', body: '经十路与历山路路口路灯已经坏了半个月',
      citizen: { phone: '139-0531-2345' }, location: { areaCode: '370102002' } });
    const find = (q: Parameters<typeof listOrders>[2]) => listOrders(p.db.pool, agent, q).then((page) => page.items.map((o) => o.id));
    const base = { sort: '-created_at' as const, limit: 50, offset: 0 };
    assert.deepEqual(await find({ ...base, phone: '13905312345' }), [order.id]);
    assert.ok((await find({ ...base, q: '路灯 坏了' })).includes(order.id));
    assert.ok(!(await find({ ...base, q: '路灯 修好' })).includes(order.id));
    assert.ok((await find({ ...base, areaCode: '370102' })).includes(order.id));
    assert.ok((await find({ ...base, areaCode: '370100' })).includes(order.id));
    assert.ok(!(await find({ ...base, areaCode: '370103' })).includes(order.id));
    assert.ok((await find({ ...base, state: ['registered'], q: '路灯' })).includes(order.id));
    assert.ok(!(await find({ ...base, stateGroup: 'closed', q: '路灯' })).includes(order.id));
  });

  it('finds an exact piece of a title or text, a single character with another filter, and an order by its tracking number', async () => {
    const yard = await registerTestOrder(p, agent, { title: '小区停水', body: '历下区解放路112号院停水两天，无人处理。' });
    const elsewhere = await registerTestOrder(p, agent, { title: '公交改线', body: '解放路88号附近的112路公交改线了，院里老人不便。' });
    // past the first 400 distinct character pairs of a long text (the index once stopped there)
    const long = await registerTestOrder(p, agent, { title: '长文本', body: Array.from({ length: 1500 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('') + '解放路999号' });
    const find = (q: Parameters<typeof listOrders>[2]) => listOrders(p.db.pool, agent, q).then((page) => page.items.map((o) => o.id));
    const base = { sort: '-created_at' as const, limit: 200, offset: 0 };
    const exact = await find({ ...base, q: '解放路112号' });
    assert.ok(exact.includes(yard.id) && !exact.includes(elsewhere.id), 'the piece as written, not its words apart');
    assert.deepEqual(await find({ ...base, q: '112号院 停水' }), [yard.id]);
    assert.ok((await find({ ...base, q: '11' })).includes(yard.id), 'a number by its beginning');
    assert.deepEqual(await find({ ...base, q: '解放路999号' }), [long.id]);
    // one character: with another filter, or within a unit's own orders; never a scan of the whole city's history
    const byCharacter = await find({ ...base, q: '院', state: ['registered'] });
    assert.ok(byCharacter.includes(yard.id) && byCharacter.includes(elsewhere.id) && !byCharacter.includes(long.id));
    await refused(find({ ...base, q: '院' }), 'ORDER_SEARCH_TOO_BROAD');
    await refused(find({ ...base, q: ' ！ ' }), 'ORDER_SEARCH_TOO_BROAD');
    assert.deepEqual(await find({ ...base, q: ` ${yard.trackingNo} ` }), [yard.id]);
  });

  it('finds an order by a word longer than the index keeps, whole or by its beginning', async () => {
    const word = 'x'.repeat(3000);
    const order = await registerTestOrder(p, agent, { title: '乱码', body: `来电人发来一串字符 ${word}z 无法识别` });
    const other = await registerTestOrder(p, agent, { title: '乱码', body: `另一串 ${word}y` });
    const find = (q: string) => listOrders(p.db.pool, agent, { sort: '-created_at', limit: 50, offset: 0, q }).then((page) => page.items.map((o) => o.id));
    assert.deepEqual(await find(`${word}z`), [order.id], 'the whole word, the check on the text telling the two apart');
    assert.deepEqual((await find('x'.repeat(70))).sort(), [order.id, other.id].sort(), 'its beginning');
  });

  it('pages a search as any list, whether it has more matches than it counts or few, for the city and for a unit', async () => {
    const first = await registerTestOrder(p, agent, { title: '蓝莓园 灌溉', body: '蓝莓园灌溉用水被截断 qzx731' });
    await act(agent, first.id, 'dispatch', { unitId: waterUnit });
    // 1,005 copies, each a minute older than the one before, in the water company's orders too
    const copy = (table: string, changes: string) => `INSERT INTO ${table} SELECT (jsonb_populate_record(NULL::${table}, to_jsonb(t) || ${changes})).*
      FROM ${table} t, generate_series(1, 1005) g WHERE t.${table === 'orders' ? 'id' : 'order_id'} = $1`;
    await p.db.pool.query(copy('orders', `jsonb_build_object('id', md5('copy' || g)::uuid, 'tracking_no', '29990101-' || lpad(g::text, 8, '0'),
      'created_at', t.created_at - g * interval '1 minute', 'updated_at', t.created_at + g * interval '1 minute')`), [first.id]);
    await p.db.pool.query(copy('order_scopes', `jsonb_build_object('order_id', md5('copy' || g)::uuid, 'order_created_at', t.order_created_at - g * interval '1 minute')`), [first.id]);
    try {
      const search = (actor: Actor, q: string, more: Partial<Parameters<typeof listOrders>[2]> = {}) =>
        listOrders(p.db.pool, actor, { sort: '-created_at', limit: 20, offset: 0, q, ...more });
      const copies = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => `29990101-${String(from + i * step).padStart(8, '0')}`);
      for (const actor of [agent, water]) {
        const newest = await search(actor, '蓝莓园 qzx731');
        assert.deepEqual([newest.total, newest.totalExact, newest.items.length], [1000, false, 20]);
        assert.deepEqual(newest.items.slice(0, 3).map((o) => o.trackingNo), [first.trackingNo, ...copies(1, 2)]);
        assert.deepEqual((await search(actor, '蓝莓园', { offset: 1000 })).items.map((o) => o.trackingNo).slice(0, 2), copies(1000, 2));
        // the last 500 minutes: few enough to be read among their matches, in every order a list is sorted by
        const createdFrom = new Date(Date.parse(first.createdAt) - 499.5 * 60_000).toISOString();
        const recent = await search(actor, 'qzx731', { createdFrom, offset: 480 });
        assert.deepEqual([recent.total, recent.totalExact, recent.nextOffset], [500, true, null]);
        assert.deepEqual(recent.items.map((o) => o.trackingNo), copies(480, 20));
        assert.deepEqual((await search(actor, 'qzx731', { createdFrom, sort: 'created_at', limit: 3 })).items.map((o) => o.trackingNo), copies(499, 3, -1));
        assert.deepEqual((await search(actor, 'qzx731', { createdFrom, sort: '-updated_at', limit: 2 })).items.map((o) => o.trackingNo), copies(499, 2, -1));
        assert.deepEqual(await search(actor, 'qzx731 不存在的词', { createdFrom }).then((r) => [r.total, r.items]), [0, []]);
      }
      assert.deepEqual((await search(power, '蓝莓园')).total, 0, 'another unit sees none of them');
    } finally {
      await p.db.pool.query(`DELETE FROM order_scopes WHERE order_id IN (SELECT id FROM orders WHERE tracking_no LIKE '29990101-%')`);
      await p.db.pool.query(`DELETE FROM orders WHERE tracking_no LIKE '29990101-%'`);
    }
  });

  it('finds words with characters the text parser would drop, as written', async () => {
    const order = await registerTestOrder(p, agent, { title: '卦象', body: '店招写着䷀路和ⅱ号' });
    const find = (q: string) => listOrders(p.db.pool, agent, { sort: '-created_at', limit: 5, offset: 0, q }).then((page) => page.items.map((o) => o.id));
    assert.deepEqual(await find('䷀路'), [order.id]);
    assert.deepEqual(await find('写着䷀'), [order.id]);
  });

  it('indexes exactly the words the parser found in them, over real messages where this machine has them', async () => {
    const real = existsSync(MESSAGES) ? (parse(readFileSync(MESSAGES, 'utf8'), { columns: true, bom: true }) as { text: string }[]).slice(0, 3000).map((r) => r.text) : [];
    const texts = [...real, '', '经十路与历山路路口路灯已经坏了半个月，12345 热线 abc123 a', `解放路112号院停水 ${'y'.repeat(80)} 灯`].map((t) => searchTokens(t).join(' '));
    const differ = await p.db.pool.query<{ words: string }>(
      `SELECT words FROM unnest($1::text[]) AS words WHERE minsheng_search_words(words) IS DISTINCT FROM strip(to_tsvector('simple', words))`, [texts]);
    assert.deepEqual(differ.rows.map((r) => r.words), []);
  });

  it('takes %, _ and \\ in a search as themselves, never as wildcards', async () => {
    const percent = await registerTestOrder(p, agent, { title: '水费多收', body: '本月水费比上月多收了50%' });
    const plain = await registerTestOrder(p, agent, { title: '噪音扰民', body: '楼下烧烤店夜间噪音' });
    const find = (q: Parameters<typeof listOrders>[2]) => listOrders(p.db.pool, agent, q).then((page) => page.items.map((o) => o.id));
    const base = { sort: '-created_at' as const, stateGroup: 'open' as const, limit: 200, offset: 0 };
    const byPercent = await find({ ...base, q: '%' });
    assert.ok(byPercent.includes(percent.id) && !byPercent.includes(plain.id));
    for (const q of ['_', '\\', '%_%']) assert.ok(!(await find({ ...base, q })).includes(plain.id), q);
    for (const categoryCode of ['%', '_', '01%']) assert.deepEqual(await find({ ...base, categoryCode }), [], categoryCode);
  });
});
