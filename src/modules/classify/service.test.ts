import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeStaff, orderInput, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { applyTransition, registerOrder, similarOrders, suggestWhileTyping, trainingOrders, updateOrder } from '../orders/index.js';
import { TIMER_HANDLERS } from '../../platform.js';
import { sweepAllDue } from '../timers/index.js';
import {
  acceptance, ensureScheduled, forgetLoadedModels, latestSuggestion, listModels, nextAt, startTraining,
  type Suggestion,
} from './index.js';
import { categoryPaths, resolveLabel } from './training.js';
import { getTree } from '../taxonomy/index.js';

const history = { kind: 'history' as const, orders: trainingOrders };

// A small history written for the test (not from any data set): [category code, request type, text].
const HISTORY: [string, 'help' | 'complaint' | 'enquiry', string][] = [
  ['010204', 'help', '路灯不亮，晚上出行很不安全'], ['010204', 'help', '这一段路灯坏了半个月，一片漆黑'],
  ['010204', 'help', '路灯整夜不亮，请尽快维修路灯'], ['010204', 'complaint', '新修道路没有安装路灯，夜里看不清'],
  ['010204', 'help', '小区门口路灯损坏，老人晚上摔倒'], ['010204', 'help', '路灯杆倾斜，灯罩脱落，请维修'],
  ['010204', 'help', '路灯白天亮着晚上不亮'], ['010204', 'complaint', '路灯坏了多次报修无人处理'],
  ['010216', 'help', '小区停水两天，没有任何通知'], ['010216', 'help', '自来水发黄，有异味，不敢饮用'],
  ['010216', 'help', '家里水压太低，楼上没有水'], ['010216', 'complaint', '停水不提前通知，影响生活'],
  ['010216', 'help', '自来水管道漏水，路面一直冒水'], ['010216', 'help', '供水公司抢修后还是没水'],
  ['010216', 'enquiry', '请问明天停水到几点恢复供水'], ['010216', 'help', '小区停水三天，请尽快恢复供水'],
  ['1503', 'help', '公司拖欠工资三个月，讨薪无果'], ['1503', 'help', '工地老板拖欠农民工工资'],
  ['1503', 'complaint', '单位不发加班费，还克扣工资'], ['1503', 'help', '辞职后公司不结清工资'],
  ['1503', 'help', '包工头拖欠工资跑路了'], ['1503', 'complaint', '公司以各种理由扣发工资'],
  ['1503', 'help', '饭店老板拖欠服务员工资'], ['1503', 'enquiry', '公司拖欠工资应该去哪里投诉'],
  ['0402', 'complaint', '工地夜间施工噪音扰民，影响休息'], ['0402', 'complaint', '工厂排放废气，气味刺鼻'],
  ['0402', 'complaint', '河道污水直排，水体发黑发臭'], ['0402', 'complaint', '饭店油烟直排，熏得不能开窗'],
  ['0402', 'complaint', '搅拌站粉尘污染严重'], ['0402', 'complaint', '夜里工地噪音太大，睡不着觉'],
  ['0402', 'complaint', '化工厂偷排污水，河里死鱼'], ['0402', 'complaint', '烧烤摊油烟噪音扰民'],
  ['1403', 'complaint', '学校违规收取资料费，家长负担重'], ['1403', 'complaint', '幼儿园乱收费，收取赞助费'],
  ['1403', 'enquiry', '学校收取的校服费是否合规'], ['1403', 'complaint', '老师有偿补课，收费很高'],
  ['1403', 'complaint', '学校强制订购教辅资料收费'], ['1403', 'complaint', '民办学校乱涨学费'],
  ['1403', 'enquiry', '学校收取住宿费的标准是多少'], ['1403', 'complaint', '学校收取补课费，家长不满'],
];

describe('classification in the order lifecycle', () => {
  let p: TestPlatform;
  let agent: Actor;
  let admin: Actor;
  let clock = Date.parse('2026-11-02T01:00:00Z');
  const tick = () => new Date((clock += 60_000));

  before(async () => {
    p = await startTestPlatform();
    forgetLoadedModels();
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    admin = await makeStaff(p, 'HOTLINE', ['admin']);
    // the history: each request answered directly under its category, so it is closed
    for (const [i, [categoryCode, requestType, body]] of HISTORY.entries()) {
      const { order } = await registerOrder(p.db.pool, agent, orderInput({ categoryCode, requestType, title: body.slice(0, 8), body,
        channelRef: `history-${i}` }), tick());
      await applyTransition(p.db.pool, agent, order.id, 'answer_directly', { text: '已答复' }, tick());
    }
  });
  after(() => p.close());

  test('without a model yet, a registration still gets its signals and similar orders, and no category', async () => {
    const { order } = await registerOrder(p.db.pool, agent, orderInput({ title: '燃气', body: '楼道里燃气味很重，担心泄漏', channelRef: 'early' }), tick());
    const s = order.suggestions as Suggestion;
    assert.equal(s.category, null);
    assert.equal(s.urgent, true);
    assert.deepEqual(s.signals.map((x) => x.kind), ['gas']);
    assert.ok(s.id);
  });

  test('trains from the closed orders in a worker thread and switches the first models in', async () => {
    const { done } = await startTraining(p.db.pool, admin, 'cli', { source: history, now: tick() });
    const run = await done;
    assert.equal(run.status, 'done', JSON.stringify(run.detail));
    const models = await listModels(p.db.pool, admin.cityCode);
    assert.deepEqual(models.map((m) => [m.target, m.status]).sort(), [['category', 'active'], ['request_type', 'active']]);
    const category = models.find((m) => m.target === 'category')!;
    assert.equal(category.trainingTexts + category.heldBackTexts, HISTORY.length);
    assert.equal(category.heldBackTexts, Math.ceil(HISTORY.length * 0.1), 'the newest tenth is held back');
    assert.equal(category.decision, 'first model: switched in');
    assert.ok(category.scores.n > 0 && category.sizeBytes > 0);
  });

  test('suggests the category path, request type and units of a new order, with evidence and similar orders', async () => {
    const { order } = await registerOrder(p.db.pool, agent, orderInput({ categoryCode: undefined, title: '路灯坏了',
      body: '解放路这一段路灯坏了，晚上一片漆黑', channelRef: 'new-1' }), tick());
    const s = order.suggestions as Suggestion;
    assert.ok(s.models.category && s.models.requestType);
    assert.equal(s.category!.path[0]!.code, '01', '城乡建设 at the top');
    assert.ok(s.category!.alternatives.length >= 1 && s.category!.alternatives.length <= 3);
    assert.ok(s.category!.path[0]!.evidence.some((e) => e.term.includes('路灯')), JSON.stringify(s.category!.path[0]!.evidence));
    assert.equal(typeof s.category!.lowConfidence, 'boolean');
    assert.ok(s.requestType && s.requestType.value in { help: 1, complaint: 1, enquiry: 1 });
    assert.ok(s.units.length > 0, 'a unit to dispatch to, at least the area government');
    assert.equal(s.similar, null, 'registration leaves the similar-order search to GET /orders/{id}/similar');
    assert.equal(s.urgent, false);
    const similar = await similarOrders(p.db.pool, agent, order.id, { limit: 5, days: 365 });
    assert.ok(similar.some((o) => o.title.startsWith('路灯')), JSON.stringify(similar.map((o) => o.title)));
    assert.ok(similar.every((o) => o.id !== order.id), 'never the order itself');
    const typing = await suggestWhileTyping(p.db.pool, agent, { text: '解放路这一段路灯坏了，晚上一片漆黑' });
    assert.ok(typing.similar!.some((o) => o.id === order.id), 'while typing, the orders registered so far');
  });

  test("records the agent's choice when the order is dispatched: accepted or corrected, and the acceptance rate", async () => {
    const accepted = await registerOrder(p.db.pool, agent, orderInput({ categoryCode: undefined, body: '家里停水两天了，什么时候恢复供水',
      channelRef: 'choice-1' }), tick());
    const suggested = (accepted.order.suggestions as Suggestion).category!;
    await updateOrder(p.db.pool, agent, accepted.order.id, { categoryCode: suggested.path.at(-1)!.code }, tick());
    await applyTransition(p.db.pool, agent, accepted.order.id, 'dispatch', { unitId: (accepted.order.suggestions as Suggestion).units[0]!.unit.id }, tick());
    const corrected = await registerOrder(p.db.pool, agent, orderInput({ categoryCode: '1403', body: '公司拖欠工资两个月', channelRef: 'choice-2' }), tick());
    await applyTransition(p.db.pool, agent, corrected.order.id, 'answer_directly', { text: '已告知劳动监察电话' }, tick());

    const first = await latestSuggestion(p.db.pool, accepted.order.id);
    assert.equal(first!.decision!.categoryOutcome, 'accepted');
    const second = await latestSuggestion(p.db.pool, corrected.order.id);
    assert.equal(second!.decision!.categoryOutcome, 'corrected');
    assert.equal(second!.decision!.chosenCategoryCode, '1403');
    const figures = await acceptance(p.db.pool, agent.cityCode, new Date('2026-01-01'), new Date('2027-01-01'));
    assert.equal(figures.category.decided, 2);
    assert.equal(figures.category.accepted, 1);
    assert.equal(figures.category.acceptanceRate, 0.5);
    assert.equal(figures.category.byConfidence.reduce((s, b) => s + b.decided, 0), 2);
  });

  test('a changed text gets a new suggestion', async () => {
    const { order } = await registerOrder(p.db.pool, agent, orderInput({ categoryCode: undefined, body: '咨询事项', channelRef: 'edit-1' }), tick());
    const before = await latestSuggestion(p.db.pool, order.id);
    const edited = await updateOrder(p.db.pool, agent, order.id, { body: '学校违规收取资料费，每人两百元' }, tick());
    const s = edited.suggestions as Suggestion;
    assert.ok(s.id! > before!.id!);
    assert.equal(s.category!.path[0]!.code, '14', '教育文体');
  });

  test('keeps the model in use when a new one does not score better on the same held-back orders', async () => {
    const run = await (await startTraining(p.db.pool, admin, 'api', { source: history, now: tick() })).done;
    assert.equal(run.status, 'done');
    const models = await listModels(p.db.pool, admin.cityCode, 'category');
    const [latest, first] = models;
    assert.equal(latest!.version, 2);
    assert.ok(latest!.baselineScores, 'scored against the model in use');
    if (latest!.status === 'rejected') {
      assert.equal(first!.status, 'active');
      assert.match(latest!.decision, /not better/);
    } else {
      assert.ok(latest!.scores.macroF1 > latest!.baselineScores!.macroF1 || latest!.scores.exactAccuracy > latest!.baselineScores!.exactAccuracy);
      assert.equal(first!.status, 'retired');
    }
    assert.equal(models.filter((m) => m.status === 'active').length, 1);
  });

  test('refuses a second training run while one is going on, even when both are asked at once', async () => {
    const { done } = await startTraining(p.db.pool, admin, 'api', { source: history, now: tick() });
    await assert.rejects(startTraining(p.db.pool, admin, 'api', { source: history, now: tick() }), { code: 'CLASSIFY_TRAINING_RUNNING' });
    await done;
    const both = await Promise.allSettled([startTraining(p.db.pool, admin, 'api', { source: history, now: tick() }), startTraining(p.db.pool, admin, 'api', { source: history, now: tick() })]);
    assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    await (both.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ done: Promise<unknown> }>).value.done;
  });

  test('suggests for a text without storing anything', async () => {
    const count = async () => Number((await p.db.pool.query('SELECT count(*) AS n FROM order_suggestions')).rows[0].n);
    const before = await count();
    const s = await suggestWhileTyping(p.db.pool, agent, { text: '工地夜间施工噪音太大', areaCode: '370102001' });
    assert.equal(await count(), before);
    assert.equal(s.category!.path[0]!.code, '04', '环境保护');
  });

  test('reads CSV labels as codes or as category names from the top down', async () => {
    const tree = await getTree(p.db.pool, agent.cityCode);
    const paths = categoryPaths(tree);
    assert.deepEqual(resolveLabel('010204', tree, paths), ['01', '0102', '010204']);
    assert.deepEqual(resolveLabel('城乡建设', tree, paths), ['01']);
    assert.deepEqual(resolveLabel('城乡建设/城市建设和市政管理/城市公共设施', tree, paths), ['01', '0102', '010204']);
    assert.equal(resolveLabel('不存在的分类', tree, paths), null);
  });

  test('schedules retraining and the keyword census once, and the census counts the keywords', async () => {
    const schedule = { retrainDays: 7, maxTrainingOrders: 1000 };
    const now = tick();
    await ensureScheduled(p.db.pool, agent.cityCode, schedule, now);
    await ensureScheduled(p.db.pool, agent.cityCode, schedule, now);
    const timers = await p.db.pool.query(`SELECT kind, due_at FROM timers WHERE kind LIKE 'classify.%' ORDER BY kind`);
    assert.deepEqual(timers.rows.map((r) => r.kind), ['classify.census', 'classify.retrain']);
    assert.equal(timers.rows[1].due_at.toISOString(), nextAt(now, 7, 3, 0).toISOString());
    // the census is due first (02:30 Beijing); sweep just after it
    await sweepAllDue(p.db.pool, TIMER_HANDLERS, new Date(timers.rows[0].due_at.getTime() + 1000));
    const census = await p.db.pool.query('SELECT orders FROM text_key_census');
    assert.ok(census.rows[0].orders >= HISTORY.length);
    const counted = await p.db.pool.query('SELECT count(*) AS n FROM text_key_counts');
    assert.ok(Number(counted.rows[0].n) > 50);
    const next = await p.db.pool.query(`SELECT due_at FROM timers WHERE kind = 'classify.census'`);
    assert.equal(next.rows.length, 1, 'tomorrow’s census, once');
    await ensureScheduled(p.db.pool, agent.cityCode, { ...schedule, retrainDays: 14 }, now);
    const changed = await p.db.pool.query(`SELECT due_at FROM timers WHERE kind = 'classify.retrain'`);
    assert.deepEqual(changed.rows.map((r) => r.due_at.toISOString()), [nextAt(now, 14, 3, 0).toISOString()], 'a new interval replaces the pending one');
    await ensureScheduled(p.db.pool, agent.cityCode, { ...schedule, retrainDays: 0 }, now);
    assert.equal((await p.db.pool.query(`SELECT 1 FROM timers WHERE kind = 'classify.retrain'`)).rowCount, 0, '0: no scheduled retraining');
  });

  test('the nightly times fall on Beijing time', () => {
    assert.equal(nextAt(new Date('2026-11-27T10:00:00Z'), 0, 2, 30).toISOString(), '2026-11-27T18:30:00.000Z');
    assert.equal(nextAt(new Date('2026-11-27T10:00:00Z'), 7, 3, 0).toISOString(), '2026-12-04T19:00:00.000Z');
  });
});
