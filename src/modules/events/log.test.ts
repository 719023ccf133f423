import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { citizenActor, type Actor } from '../auth/index.js';
import { makeCast, makeStaff, registerTestOrder, startTestPlatform, unitIds, type TestPlatform } from '../../testing/harness.js';
import {
  applyTransition, decideVisit, recordVisitAnswer, recordVisitUnreached, registerOrder, supplementOrder, updateOrder,
} from '../orders/index.js';
import { visitQueue } from '../feedback/index.js';
import { sweepTimersNow } from '../../platform.js';
import { appendEvents, assertValidEvent, EVENT_TYPE_NAMES, EVENT_TYPES, headCursor, orderSnapshotOf, readAfter, readableHead, streamOf, type Cursor, type StoredEvent } from './index.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('the event log', () => {
  let p: TestPlatform;
  let agent: Actor, lead: Actor, visitor: Actor, supervisor: Actor, water: Actor, district: Actor, street: Actor;
  let waterUnit: string, powerUnit: string, districtUnit: string, streetUnit: string;

  before(async () => {
    p = await startTestPlatform();
    ({ agent, lead, visitor, supervisor, water, district, street } = await makeCast(p, { agent: ['HOTLINE', ['agent']],
      lead: ['HOTLINE', ['lead']], visitor: ['HOTLINE', ['visitor']], supervisor: ['HOTLINE', ['supervisor']],
      water: ['UTIL-WATER', ['unit_handler']], district: ['D370102', ['unit_manager']], street: ['S370102001', ['unit_handler']] }));
    [waterUnit, powerUnit, districtUnit, streetUnit] = await unitIds(p, ['UTIL-WATER', 'UTIL-POWER', 'D370102', 'S370102001']);
  });
  after(() => p.close());

  /** Every event written since `start`, read back from the database in the log's order. */
  async function since(start: Cursor): Promise<StoredEvent[]> {
    await readableHead(p.db.pool);
    return readAfter(p.db.pool, start, 10_000);
  }

  it('writes every type of the catalog in the lifecycle, each payload and snapshot fitting its schema', async () => {
    const start = await readableHead(p.db.pool);
    let clock = at('2026-03-02T09:00').getTime();
    const t = () => new Date((clock += 600_000));
    const act = (actor: Actor, id: string, action: Parameters<typeof applyTransition>[3], input = {}) =>
      applyTransition(p.db.pool, actor, id, action, input, t());
    const register = async (overrides = {}) => (await registerOrder(p.db.pool, agent, { channel: 'phone', requestType: 'help',
      categoryCode: '010216', title: '停水', body: '历下区解放路停水', location: { areaCode: '370102001' }, ...overrides }, t())).order.id;

    // registered, updated, dispatched, signed, extensions, clock, co-handler, reply, visit, close, archive
    const a = await register();
    await updateOrder(p.db.pool, agent, a, { urgency: 'urgent' }, t());
    await supplementOrder(p.db.pool, citizenActor(agent.cityCode, [a]), a, { channel: 'wechat', ref: '6054768590064713728' },
      { kind: 'location', text: null, lat: 36.65, lng: 117.12, label: '解放路' }, t());
    await act(agent, a, 'dispatch', { unitId: waterUnit, coUnitIds: [powerUnit] });
    await act(water, a, 'sign');
    await act(water, a, 'request_extension', { days: 2, reason: '施工' });
    await act(supervisor, a, 'approve_extension', { days: 1 });
    await act(water, a, 'request_extension', { days: 1, reason: '再延' });
    await act(supervisor, a, 'deny_extension', { reason: '不予延期' });
    await act(water, a, 'pause_clock', { reason: '等材料' });
    await act(water, a, 'resume_clock');
    await act(await makeStaff(p, 'UTIL-POWER', ['unit_handler']), a, 'co_reply', { text: '已配合' });
    await act(supervisor, a, 'urge', { text: '请加快' });
    await act(supervisor, a, 'escalate', { reason: '超期' });
    await act(water, a, 'reply', { text: '已恢复' });
    const visit = (await visitQueue(p.db.pool, visitor, { limit: 500, offset: 0 }, new Date(clock + 1))).items.find((v) => v.orderId === a)!;
    await recordVisitUnreached(p.db.pool, visitor, visit.id, '无人接听', t());
    clock += 5 * 3_600_000;
    await recordVisitAnswer(p.db.pool, visitor, visit.id, { solved: false, satisfaction: 'unsatisfied' }, t());
    await decideVisit(p.db.pool, supervisor, visit.id, { decision: 'reopen', reason: '未解决' }, t());
    await act(water, a, 'sign');
    await act(water, a, 'reply', { text: '已彻底修复' });
    await act(visitor, a, 'return_visit', { solved: true, satisfaction: 'satisfied' });
    await act(visitor, a, 'close');
    await act(lead, a, 'archive');
    // returned, return rejected, passed down, returned to the unit that passed it down
    const b = await register();
    await act(agent, b, 'dispatch', { unitId: waterUnit });
    await act(water, b, 'return', { reason: '不属于本单位' });
    await act(supervisor, b, 'reject_return', { reason: '属于水务' });
    const c = await register();
    await act(agent, c, 'dispatch', { unitId: districtUnit });
    await act(district, c, 'sign');
    await act(district, c, 'pass_down', { unitId: streetUnit });
    await act(street, c, 'return', { reason: '不属于本街道' });
    // merged, cancelled, answered directly and its sampled visit
    const d = await register();
    await act(agent, d, 'merge', { targetOrderId: c });
    const e = await register();
    await act(lead, e, 'cancel', { reason: '无效来电' });
    // direct answers until one falls in the 10 % sample (each does with probability 1/10; 200 tries all miss once in 10^9)
    let sampled;
    for (let i = 0; i < 200 && !sampled; i++) {
      const f = await register({ requestType: 'enquiry', title: `咨询 ${i}` });
      await act(agent, f, 'answer_directly', { text: '已答复' });
      sampled = (await visitQueue(p.db.pool, visitor, { limit: 500, offset: 0 }, new Date(clock + 1))).items.find((v) => v.orderId === f);
    }
    assert.ok(sampled, 'a direct answer falls in the 10 % sample');
    await recordVisitAnswer(p.db.pool, visitor, sampled.id, { solved: true, satisfaction: 'satisfied' }, t());
    // deadline warnings (a working day before the reply deadline) and overdue marks
    for (let hour = 1; hour <= 48; hour++) await sweepTimersNow(p, new Date(clock + hour * 3_600_000));
    await sweepTimersNow(p, new Date(clock + 30 * 86_400_000));

    const events = await since(start);
    for (const event of events) assertValidEvent({ type: event.type, payload: event.payload as never, snapshot: event.snapshot! });
    const seen = new Set(events.map((event) => event.type));
    // an early warning's types are written by the warnings' test (src/modules/analytics/warnings.test.ts)
    assert.deepEqual(EVENT_TYPE_NAMES.filter((type) => streamOf(type) === 'order' && !seen.has(type)), [], 'every order type of the catalog is written');
    const merged = events.find((event) => event.type === 'order.duplicate_merged')!;
    assert.equal(merged.streamId, c);
    assert.deepEqual(events.filter((event) => event.streamId === a).map((event) => event.seq),
      events.filter((event) => event.streamId === a).map((_, i) => i + 1), "an order's events are numbered without a gap");
  });

  it('carries in every snapshot what consumers need: the category and area paths, the lead unit\'s ancestry, who may see it', async () => {
    const start = await readableHead(p.db.pool);
    const order = await registerTestOrder(p, agent);
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: districtUnit });
    await applyTransition(p.db.pool, district, order.id, 'sign');
    await applyTransition(p.db.pool, district, order.id, 'pass_down', { unitId: streetUnit });
    const [registered, , , passed] = (await since(start)).filter((e) => e.streamId === order.id);
    assert.deepEqual(registered!.snapshot, {
      trackingNo: order.trackingNo, channel: 'phone', requestType: 'help', urgency: 'normal', confidential: false, state: 'registered',
      categoryCode: '010216', categoryPath: ['01', '0102', '010216'], areaCode: '370102001', areaPath: ['370102', '370102001'],
      leadUnitId: null, leadUnitPath: [], units: [], reopenCount: 0, createdAt: order.createdAt,
    });
    assert.equal(orderSnapshotOf(passed!)!.leadUnitId, streetUnit);
    assert.deepEqual(orderSnapshotOf(passed!)!.leadUnitPath.slice(-2), [districtUnit, streetUnit]);
    assert.ok(orderSnapshotOf(passed!)!.units.includes(districtUnit) && orderSnapshotOf(passed!)!.units.includes(streetUnit));
    assert.ok(!orderSnapshotOf(passed!)!.units.includes(waterUnit));
  });

  it('refuses an event of an unknown type, or whose payload does not fit its schema, and writes nothing', async () => {
    const order = await registerTestOrder(p, agent);
    const snapshot = (await since({ txId: '0', position: 0 })).find((e) => e.streamId === order.id)!.snapshot!;
    const base = { stream: 'order' as const, streamId: order.id, seq: 2, at: new Date(), actor: agent, fromState: 'registered',
      toState: 'registered', snapshot };
    const before = await readableHead(p.db.pool);
    await assert.rejects(appendEvents(p.db.pool, agent.cityCode, [{ ...base, type: 'order.signed', payload: { extra: 1 } as never }]), /payload/);
    await assert.rejects(appendEvents(p.db.pool, agent.cityCode, [{ ...base, type: 'order.dispatched', payload: { unitId: 'x' } as never }]), /payload/);
    await assert.rejects(appendEvents(p.db.pool, agent.cityCode, [{ ...base, type: 'order.teleported' as never, payload: {} as never }]), /unknown event type/);
    assert.deepEqual(await headCursor(p.db.pool), before);
  });

  it('documents every event type in docs/events.md', () => {
    const doc = readFileSync(new URL('../../../docs/events.md', import.meta.url), 'utf8');
    const missing = EVENT_TYPE_NAMES.filter((type) => !doc.includes(`| \`${type}\` |`));
    assert.deepEqual(missing, [], 'each type has a row in docs/events.md');
    for (const type of EVENT_TYPE_NAMES) assert.ok(EVENT_TYPES[type].doc.length > 10, `${type} has a comment`);
  });
});
