import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeStaff, orderInput, startTestApp, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { applyTransition, registerOrder, trainingOrders } from '../modules/orders/index.js';
import { forgetLoadedModels, startTraining } from '../modules/classify/index.js';
import { systemActor } from '../modules/auth/index.js';

// Requests written for the test (not from any data set): [category code, text].
const HISTORY: [string, string][] = [
  ['010213', '楼道燃气味很重，请燃气公司来查'], ['010213', '燃气表不走字，要求更换燃气表'], ['010213', '天然气开户要多久'],
  ['010213', '燃气公司上门安检收费是否合理'], ['010213', '小区燃气管道改造什么时候完工'], ['010213', '燃气费突然涨了很多'],
  ['010208', '暖气不热，室温只有十四度'], ['010208', '供暖开始一周了暖气片还是凉的'], ['010208', '热力公司收取采暖费不合理'],
  ['010208', '暖气管道漏水，请热力公司维修'], ['010208', '小区供暖温度不达标'], ['010208', '申请停暖需要什么手续'],
  ['1206', '医院挂号难，专家号挂不上'], ['1206', '医生态度恶劣，不给好好看病'], ['1206', '医院乱收检查费'],
  ['1206', '医院排队时间太长，看病难'], ['1206', '社区卫生服务中心没有医生'], ['1206', '医院住院押金太高'],
];

describe('HTTP API of classification', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let firstOrder = '';

  before(async () => {
    p = await startTestPlatform();
    forgetLoadedModels();
    const started = await startTestApp(p);
    app = started.app;
    for (const [name, unit, roles] of [['agent', 'HOTLINE', ['agent']], ['admin', 'HOTLINE', ['admin']],
      ['lead', 'HOTLINE', ['lead']], ['water', 'UTIL-WATER', ['unit_handler']]] as const) {
      tokens[name] = await started.tokenFor((await makeStaff(p, unit, [...roles])).username);
    }
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    for (const [i, [categoryCode, body]] of [...HISTORY, ...['，请尽快处理', '，希望有关部门重视'].flatMap((more) => HISTORY.map(([c, b]) => [c, b + more] as [string, string]))].entries()) {
      const { order } = await registerOrder(p.db.pool, agent, orderInput({ categoryCode, title: body.slice(0, 6), body, channelRef: `h-${i}` }));
      await applyTransition(p.db.pool, agent, order.id, 'answer_directly', { text: '已答复' });
      firstOrder ||= order.id;
    }
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });
  const errorOf = (res: { statusCode: number; json: () => any }) => [res.statusCode, res.json().error?.code];

  it('lets only an admin start training, answers at once with the run, and shows it to the hotline', async () => {
    assert.deepEqual(errorOf(await call('agent', 'POST', '/classify/training')), [403, 'AUTH_FORBIDDEN']);
    const started = await call('admin', 'POST', '/classify/training');
    assert.equal(started.statusCode, 202);
    const { runId } = started.json();
    let run;
    for (let i = 0; i < 600; i++) {
      run = (await call('lead', 'GET', `/classify/training/${runId}`)).json();
      if (run.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(run.status, 'done', JSON.stringify(run));
    const { models, runs } = (await call('admin', 'GET', '/classify/models')).json();
    assert.deepEqual(models.map((m: any) => [m.target, m.status]), [['category', 'active']]);
    assert.equal(run.detail.skipped.request_type, 'fewer than two labels to tell apart', 'every order of this history is a request for help');
    assert.equal(runs[0].id, runId);
    assert.equal('model' in models[0], false, 'the stored bytes are not listed');
    assert.deepEqual(errorOf(await call('agent', 'GET', '/classify/models')), [403, 'AUTH_FORBIDDEN']);
    assert.deepEqual(errorOf(await call('lead', 'GET', '/classify/training/999999')), [404, 'CLASSIFY_RUN_NOT_FOUND']);
  });

  it('suggests while the agent types: category, type, units, signals; a bad body is refused', async () => {
    const res = await call('agent', 'POST', '/classify/suggest', { text: '家里暖气不热，请热力公司上门', areaCode: '370102001' });
    assert.equal(res.statusCode, 200);
    const s = res.json();
    assert.equal(s.category.path.at(-1).name, '冬季采暖');
    assert.ok(s.category.confidence > 0 && s.category.confidence <= 1);
    assert.ok(s.units.some((u: any) => u.reason === 'category_and_area' && u.unit.kind === 'heating'), JSON.stringify(s.units));
    assert.deepEqual(errorOf(await call('agent', 'POST', '/classify/suggest', { text: '' })), [400, 'VALIDATION_FAILED']);
    assert.deepEqual(errorOf(await call('agent', 'POST', '/classify/suggest', { text: '暖气', extra: 1 })), [400, 'VALIDATION_FAILED']);
    assert.deepEqual(errorOf(await call('water', 'POST', '/classify/suggest', { text: '暖气不热' })), [403, 'AUTH_FORBIDDEN']);
  });

  it('returns the suggestions with a registered order, and keeps them for the order', async () => {
    const res = await call('agent', 'POST', '/orders', orderInput({ categoryCode: undefined, title: '燃气味', body: '楼道燃气味很重，担心泄漏',
      channelRef: 'http-1' }));
    assert.equal(res.statusCode, 201);
    const order = res.json();
    const { category } = order.suggestions;
    assert.equal(category.path.at(-1).name, '燃气供应');
    assert.ok(category.path.some((step: any) => step.code === category.code), 'the suggested category lies on the path read');
    assert.equal(category.lowConfidence, category.confidence < 0.6);
    assert.equal(order.suggestions.urgent, true);
    const kept = await call('agent', 'GET', `/orders/${order.id}/suggestion`);
    assert.equal(kept.statusCode, 200);
    assert.equal(kept.json().id, order.suggestions.id);
    assert.equal(kept.json().decision, null, 'no choice made yet');
    const retried = await call('agent', 'POST', '/orders', orderInput({ categoryCode: undefined, title: '燃气味', body: '楼道燃气味很重，担心泄漏',
      channelRef: 'http-1' }));
    assert.equal(retried.statusCode, 200);
    assert.equal(retried.json().suggestions, undefined, 'a retried message makes no second order and no second suggestion');
  });

  it('finds similar orders for an order, and hides other units’ orders from a unit', async () => {
    const res = await call('agent', 'GET', `/orders/${firstOrder}/similar?limit=3`);
    assert.equal(res.statusCode, 200);
    const similar = res.json();
    assert.ok(similar.length >= 1 && similar.length <= 3);
    assert.ok(similar.every((o: any) => o.id !== firstOrder && o.similarity > 0 && o.shared.length > 0));
    assert.deepEqual(errorOf(await call('water', 'GET', `/orders/${firstOrder}/similar`)), [403, 'AUTH_FORBIDDEN']);
    assert.deepEqual(errorOf(await call('agent', 'GET', '/orders/00000000-0000-4000-8000-000000000000/similar')), [404, 'ORDER_NOT_FOUND']);
  });

  it('reports the acceptance rate to the hotline’s leads, for a period', async () => {
    const res = await call('lead', 'GET', '/classify/acceptance?from=2020-01-01T00:00:00Z');
    assert.equal(res.statusCode, 200);
    assert.ok('acceptanceRate' in res.json().category);
    assert.deepEqual(errorOf(await call('lead', 'GET', '/classify/acceptance?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z')),
      [400, 'VALIDATION_FAILED']);
  });

  it('refuses a second run while one is going on', async () => {
    const { done } = await startTraining(p.db.pool, systemActor('370100'), 'cli', { source: { kind: 'history', orders: trainingOrders } });
    assert.deepEqual(errorOf(await call('admin', 'POST', '/classify/training')), [409, 'CLASSIFY_TRAINING_RUNNING']);
    await done;
  });
});
