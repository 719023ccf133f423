import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { drainConsumers } from '../../platform.js';
import { beijingDate } from '../../shared/beijing.js';
import { answerByUnit, makeCast, registerTestOrder, startTestApp, startTestPlatform, unitIds, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { applyTransition, listOrderEvents } from '../orders/index.js';
import { listNotices } from '../sla/index.js';
import { mark, noticeExpired, snippet } from './index.js';

type Staff = Actor & { username: string };
const DAY = 86_400_000;
const today = beijingDate(new Date());
const yesterday = beijingDate(Date.now() - DAY);

const content = (over: Record<string, unknown> = {}) => ({
  title: '停水后如何查询恢复供水时间',
  questions: ['家里停水了什么时候来水', '怎么查停水通知'],
  answer: '计划停水会提前在供水公司网站和小区公告栏公布停水范围和恢复供水时间。\n突发停水可拨打供水服务热线查询抢修进度，恢复供水后请先放水几分钟。',
  categoryCodes: ['010216'],
  areaCodes: [],
  public: true,
  validFrom: null,
  validUntil: null,
  ...over,
});

describe('knowledge base: drafted by the owner unit, reviewed and published by the hotline, searched, answered with and counted', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let cast: Record<'agent' | 'lead' | 'water' | 'power' | 'leader', Staff>;
  let waterUnit: string;
  const token: Record<string, string> = {};

  const call = async (who: Staff | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }),
      headers: who ? { authorization: `Bearer ${token[who.id!]}` } : {} });
    return { status: res.statusCode, body: res.json() };
  };
  const ok = async (who: Staff, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const res = await call(who, method, url, payload);
    assert.equal(res.status, status, JSON.stringify(res.body));
    return res.body;
  };
  /** A published article of the water company: drafted, submitted, published. */
  const published = async (over: Record<string, unknown> = {}) => {
    const a = await ok(cast.water, 'POST', '/knowledge/articles', { ownerUnitId: waterUnit, content: content(over) }, 201);
    await ok(cast.water, 'POST', `/knowledge/articles/${a.id}/submit`);
    return ok(cast.lead, 'POST', `/knowledge/articles/${a.id}/review`, { decision: 'publish' });
  };
  const search = (who: Staff, q: string, more = '') => ok(who, 'GET', `/knowledge/search?q=${encodeURIComponent(q)}${more}`);

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    cast = await makeCast(p, {
      agent: ['HOTLINE', ['agent']], lead: ['HOTLINE', ['lead']], water: ['UTIL-WATER', ['unit_handler']], power: ['UTIL-POWER', ['unit_handler']],
      leader: ['HOTLINE', ['leader']],
    });
    for (const who of Object.values(cast)) token[who.id!] = await started.tokenFor(who.username);
    [waterUnit] = await unitIds(p, ['UTIL-WATER'] as const);
  });
  after(async () => { await app.close(); await p.close(); });

  it('takes an article from draft through a rejection to publication, and a revision replaces it only once published', async () => {
    const draft = await ok(cast.water, 'POST', '/knowledge/articles', { ownerUnitId: waterUnit, content: content({ title: '二次供水水箱清洗周期' }) }, 201);
    assert.equal(draft.open.status, 'draft');
    assert.equal(draft.published, null);
    // another unit writes for itself only; the draft is not found in search, nor read by a leader
    assert.equal((await call(cast.power, 'PUT', `/knowledge/articles/${draft.id}/draft`, content())).body.error.code, 'AUTH_FORBIDDEN');
    assert.equal((await search(cast.agent, '水箱清洗')).total, 0);
    assert.equal((await call(cast.leader, 'GET', `/knowledge/articles/${draft.id}`)).status, 404);

    await ok(cast.water, 'POST', `/knowledge/articles/${draft.id}/submit`);
    assert.equal((await call(cast.water, 'PUT', `/knowledge/articles/${draft.id}/draft`, content())).body.error.code, 'KNOWLEDGE_STATE');
    assert.ok((await ok(cast.lead, 'GET', '/knowledge/work')).some((w: { articleId: string }) => w.articleId === draft.id));
    assert.equal((await call(cast.water, 'POST', `/knowledge/articles/${draft.id}/review`, { decision: 'publish' })).body.error.code, 'AUTH_FORBIDDEN');
    assert.equal((await call(cast.lead, 'POST', `/knowledge/articles/${draft.id}/review`, { decision: 'reject' })).body.error.code, 'KNOWLEDGE_INVALID');
    const rejected = await ok(cast.lead, 'POST', `/knowledge/articles/${draft.id}/review`, { decision: 'reject', comment: '请写明清洗周期和费用承担' });
    assert.equal(rejected.open.status, 'rejected');
    assert.equal(rejected.open.reviewComment, '请写明清洗周期和费用承担');

    const fixed = content({ title: '二次供水水箱清洗周期', answer: '二次供水水箱每半年至少清洗消毒一次，费用由物业服务企业承担，清洗后应公示水质检测报告。' });
    assert.equal((await ok(cast.water, 'PUT', `/knowledge/articles/${draft.id}/draft`, fixed)).open.status, 'draft');
    await ok(cast.water, 'POST', `/knowledge/articles/${draft.id}/submit`);
    const live = await ok(cast.lead, 'POST', `/knowledge/articles/${draft.id}/review`, { decision: 'publish' });
    assert.equal(live.published.version, 1);
    assert.equal(live.open, null);

    const found = await search(cast.agent, '小区水箱多久清洗一次');
    assert.equal(found.items[0].id, draft.id);
    const title = found.items[0].title;
    assert.deepEqual(title.marks.map(([s, e]: [number, number]) => title.text.slice(s, e)), ['水箱清洗']);

    // a revision: the published version stays what agents read until the new one is published
    await ok(cast.water, 'PUT', `/knowledge/articles/${draft.id}/draft`, { ...fixed, title: '二次供水水箱清洗消毒的周期和费用' });
    assert.equal((await ok(cast.agent, 'GET', `/knowledge/articles/${draft.id}`)).published.title, '二次供水水箱清洗周期');
    await ok(cast.water, 'POST', `/knowledge/articles/${draft.id}/submit`);
    await ok(cast.lead, 'POST', `/knowledge/articles/${draft.id}/review`, { decision: 'publish' });
    assert.equal((await search(cast.agent, '水箱清洗')).items[0].title.text, '二次供水水箱清洗消毒的周期和费用');
    assert.equal((await call(cast.power, 'GET', `/knowledge/articles/${draft.id}/versions`)).status, 404, "another unit's versions are not there");
    const versions = await ok(cast.water, 'GET', `/knowledge/articles/${draft.id}/versions`);
    assert.deepEqual(versions.map((v: { version: number; status: string }) => [v.version, v.status]), [[2, 'published'], [1, 'superseded']]);

    // withdrawn: out of search
    await ok(cast.lead, 'POST', `/knowledge/articles/${draft.id}/withdraw`, { reason: '职责调整' });
    assert.equal((await search(cast.agent, '水箱清洗')).total, 0);
  });

  it('refuses bad input with its code: no title, validity backwards, an unknown owner', async () => {
    const bad = await call(cast.water, 'POST', '/knowledge/articles', { ownerUnitId: waterUnit, content: content({ title: '' }) });
    assert.equal(bad.status, 400);
    const backwards = await call(cast.water, 'POST', '/knowledge/articles', { ownerUnitId: waterUnit,
      content: content({ validFrom: '2026-12-31', validUntil: '2026-01-01' }) });
    assert.equal(backwards.body.error.code, 'KNOWLEDGE_INVALID');
    const nobody = await call(cast.lead, 'POST', '/knowledge/articles', { ownerUnitId: '00000000-0000-4000-8000-000000000000', content: content() });
    assert.equal(nobody.body.error.code, 'KNOWLEDGE_INVALID');
  });

  it('counts a direct answer given with an article, and its failure when the order is reopened', async () => {
    const article = await published({ title: '居民用水阶梯水价标准', questions: ['水费怎么这么贵', '阶梯水价怎么算'], answer: '居民生活用水实行阶梯水价，第一阶梯每户每年用水量以内按基本水价计收，超出部分分档加价。' });
    const order = await registerTestOrder(p, cast.agent, { title: '咨询阶梯水价', body: '市民咨询居民阶梯水价怎么计算。' });
    await applyTransition(p.db.pool, cast.agent, order.id, 'answer_directly', { text: '已按知识库答复阶梯水价标准', articleId: article.id });
    const events = await listOrderEvents(p.db.pool, cast.agent, order.id);
    assert.deepEqual(events.find((e) => e.type === 'order.answered_directly')!.payload.article,
      { id: article.id, version: 1, title: '居民用水阶梯水价标准' });
    const other = await registerTestOrder(p, cast.agent, { title: '咨询停水', body: '市民咨询停水原因。' });
    await applyTransition(p.db.pool, cast.agent, other.id, 'answer_directly', { text: '已告知停水原因' });
    await drainConsumers(p);

    let usage = await ok(cast.lead, 'GET', `/knowledge/usage?from=${today}&to=${today}`);
    assert.ok(usage.registered >= 2 && usage.answeredDirectly >= 2);
    const used = usage.articles.find((a: { articleId: string }) => a.articleId === article.id);
    assert.deepEqual([used.uses, used.failed], [1, 0]);
    assert.ok(usage.withArticle >= 1 && usage.withArticle < usage.answeredDirectly);

    await applyTransition(p.db.pool, cast.lead, order.id, 'reopen', { reason: '市民反映水价答复有误', unitId: waterUnit });
    await drainConsumers(p);
    usage = await ok(cast.lead, 'GET', `/knowledge/usage?from=${today}&to=${today}`);
    const failed = usage.articles.find((a: { articleId: string }) => a.articleId === article.id);
    assert.deepEqual([failed.uses, failed.failed, failed.reopened], [1, 1, 1]);
    // the owner unit reads its own articles' usage
    const own = await ok(cast.water, 'GET', `/knowledge/usage?from=${today}&to=${today}`);
    assert.ok(own.articles.some((a: { articleId: string }) => a.articleId === article.id));
    assert.ok(!(await ok(cast.power, 'GET', `/knowledge/usage?from=${today}&to=${today}`)).articles.some((a: { articleId: string }) => a.articleId === article.id));
  });

  it('shows an expired article as expired, refuses it as an answer, and tells its owner once', async () => {
    const article = await published({ title: '冬季供水管道防冻措施', questions: ['水管冻了怎么办'], validUntil: yesterday });
    const hit = (await search(cast.agent, '水管冻了')).items.find((h: { id: string }) => h.id === article.id);
    assert.equal(hit.expired, true);
    const order = await registerTestOrder(p, cast.agent, { title: '水管冻裂', body: '水管冻了怎么办' });
    const refused = await call(cast.agent, 'POST', `/orders/${order.id}/actions/answer_directly`, { text: '按知识答复', articleId: article.id });
    assert.equal(refused.body.error.code, 'KNOWLEDGE_ARTICLE_EXPIRED');

    const told = await noticeExpired(p.db.pool, p.config.cityCode);
    assert.ok(told.includes(article.id));
    assert.deepEqual(await noticeExpired(p.db.pool, p.config.cityCode), []);
    const notices = await listNotices(p.db.pool, cast.water, { unreadOnly: true, limit: 10, offset: 0 }, 'zh');
    assert.ok(notices.items.some((n) => n.kind === 'knowledge_expired' && n.message.includes('冬季供水管道防冻措施')));
    const report = await ok(cast.water, 'GET', '/knowledge/expiry?days=30');
    assert.ok(report.some((r: { articleId: string; expired: boolean }) => r.articleId === article.id && r.expired));
  });

  it('serves the public FAQ to anyone: public articles still valid, none internal', async () => {
    const open = await published({ title: '水表出户改造怎么申请', questions: ['想把水表移到户外'], public: true });
    const internal = await published({ title: '水表出户改造派单口径', questions: ['水表出户改造投诉派给谁'], public: false });
    const faq = await call(null, 'GET', `/public/faq?q=${encodeURIComponent('水表出户改造')}`);
    assert.equal(faq.status, 200);
    const ids = faq.body.items.map((i: { id: string }) => i.id);
    assert.ok(ids.includes(open.id) && !ids.includes(internal.id));
    assert.ok(faq.body.items.find((i: { id: string }) => i.id === open.id).answer.length > 20);
    // agents find both
    const staff = (await search(cast.agent, '水表出户改造')).items.map((i: { id: string }) => i.id);
    assert.ok(staff.includes(open.id) && staff.includes(internal.id));
  });

  it("proposes a new article from an order's handling: its title asked, the unit's reply as the answer", async () => {
    const order = await registerTestOrder(p, cast.agent, { title: '自来水发黄怎么办', body: '家中自来水发黄' });
    await answerByUnit(p, order.id, '水黄多因管道锈蚀，请先放水3至5分钟；仍不清澈请联系供水抢修。');
    const proposal = await ok(cast.water, 'GET', `/knowledge/proposal?orderId=${order.id}`);
    assert.equal(proposal.ownerUnitId, waterUnit);
    assert.equal(proposal.content.answer, '水黄多因管道锈蚀，请先放水3至5分钟；仍不清澈请联系供水抢修。');
    const made = await ok(cast.water, 'POST', '/knowledge/articles', { ownerUnitId: waterUnit, content: proposal.content, sourceOrderId: order.id }, 201);
    assert.equal(made.open.sourceOrderId, order.id);
    // another unit cannot read the order, so cannot propose from it
    assert.equal((await call(cast.power, 'GET', `/knowledge/proposal?orderId=${order.id}`)).status, 404);
  });

  it('neither finds nor takes as an answer an article not yet in force', async () => {
    const next = await published({ title: '明年供水价格调整方案', questions: ['明年水价调整'], validFrom: beijingDate(Date.now() + 30 * DAY) });
    assert.ok(!(await search(cast.agent, '明年水价调整')).items.some((h: { id: string }) => h.id === next.id));
    const order = await registerTestOrder(p, cast.agent, { title: '水价', body: '明年水价怎么调整' });
    assert.equal((await call(cast.agent, 'POST', `/orders/${order.id}/actions/answer_directly`, { text: '答复', articleId: next.id })).body.error.code, 'KNOWLEDGE_STATE');
  });

  it('filters by area: articles for the whole city, for the area, or for where it lies', async () => {
    const lixia = await published({ title: '历下区二次供水设施移交', questions: ['二次供水设施移交'], areaCodes: ['370102'] });
    const shizhong = await published({ title: '市中区二次供水设施移交', questions: ['二次供水设施移交'], areaCodes: ['370103'] });
    const found = (await search(cast.agent, '二次供水设施移交', '&areaCode=370102001')).items.map((i: { id: string }) => i.id);
    assert.ok(found.includes(lixia.id) && !found.includes(shizhong.id));
  });
});

describe('knowledge search highlights', () => {
  it("marks the query's words, merged where they touch, and cuts a snippet around the first", () => {
    assert.deepEqual(mark('提取住房公积金', ['住房', '公积金']).marks, [[2, 7]]);
    const s = snippet(`${'前言'.repeat(40)}办理公积金提取需要身份证`, ['公积金']);
    assert.ok(s.text.startsWith('…'));
    const [start, end] = s.marks[0]!;
    assert.equal(s.text.slice(start, end), '公积金');
  });
});
