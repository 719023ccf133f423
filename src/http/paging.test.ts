// Every list of the OpenAPI document answers a page: its items, how many match in all and where the
// next page starts; walking the pages from the first to the last gives each matching row once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { countUpTo, COUNT_CAP, pageOf } from '../db/page.js';
import { drainCommitted } from '../modules/events/index.js';
import { hotTopicsConsumer } from '../modules/analytics/index.js';
import { makeStaff, orderInput, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';

type Schema = { [keyword: string]: any };
interface Operation { parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }

describe('paged lists', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  const tokens: string[] = [];
  let waterUnit: string;
  let topicId: string;

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    waterUnit = await unitId(p, 'UTIL-WATER');
    // a caller of every kind, so that each list has someone who may read it
    const hotline = await makeStaff(p, 'HOTLINE', ['admin', 'agent', 'lead', 'dispatcher', 'visitor', 'supervisor', 'leader']);
    const unit = await makeStaff(p, 'UTIL-WATER', ['unit_manager']);
    for (const s of [hotline, unit]) tokens.push(await started.tokenFor(s.username));
    for (let i = 0; i < 3; i++) await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const auth = { authorization: `Bearer ${tokens[0]}` };
    for (let i = 0; i < 7; i++) {
      const order = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth, payload: orderInput({ title: `停水 ${i}` }) });
      if (i < 5) {
        await app.inject({ method: 'POST', url: `/api/v1/orders/${order.json().id}/actions/dispatch`, headers: auth, payload: { unitId: waterUnit } });
      }
    }
    // the seven water cuts make a hot topic: its orders are a list too
    await drainCommitted(p.db.pool, hotTopicsConsumer);
    const [topic] = (await p.db.pool.query('SELECT id, size FROM hot_topics ORDER BY size DESC LIMIT 1')).rows;
    assert.ok(topic?.size >= 3, 'the water cuts make one topic of several pages');
    topicId = topic.id;
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  it('walks every list of the API page by page, each row once, as many as the total says', async () => {
    const doc = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    const lists = Object.entries(doc.paths).flatMap(([path, ops]) => {
      const schema = ops.get?.responses?.['200']?.content?.['application/json']?.schema;
      return schema?.properties?.items && schema.properties.nextOffset ? [[path, ops.get!] as const] : [];
    });
    assert.ok(lists.length >= 12, `${lists.length} paged lists`);
    const walked: Record<string, number> = {};
    for (const [path, op] of lists) {
      // required query values: the first of an enumeration (a figure, an alert level)
      const required = (op.parameters ?? []).filter((q) => q.in === 'query' && q.required)
        .map((q) => `${q.name}=${encodeURIComponent(q.schema?.enum?.[0] ?? q.schema?.anyOf?.[0]?.const)}`);
      const url = (offset: number, limit: number) => `${path.replace('{unitId}', waterUnit).replace('{id}', topicId)}?${[...required, `limit=${limit}`, `offset=${offset}`].join('&')}`;
      // the caller who may read it and sees the most rows
      let token: string | undefined;
      let most = -1;
      for (const t of tokens) {
        const res = await app.inject({ url: url(0, 2), headers: { authorization: `Bearer ${t}` } });
        if (res.statusCode === 200 && res.json().total > most) [token, most] = [t, res.json().total];
      }
      assert.ok(token, `someone may read ${path}`);
      const get = async (offset: number, limit: number) => {
        const res = await app.inject({ url: url(offset, limit), headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
        return res.json();
      };
      const whole = await get(0, 200);
      // the first pages (all of a short list), two rows at a time
      const seen: string[] = [];
      let page = await get(0, 2);
      for (;;) {
        assert.deepEqual([page.limit, page.totalExact, page.total], [2, true, whole.total], path);
        assert.ok(page.items.length <= 2, path);
        seen.push(...page.items.map((item: unknown) => JSON.stringify(item)));
        if (page.nextOffset === null || seen.length >= 20) break;
        assert.equal(page.nextOffset, page.offset + 2, path);
        page = await get(page.nextOffset, 2);
      }
      assert.equal(new Set(seen).size, seen.length, `${path}: no row twice`);
      assert.deepEqual(seen, whole.items.slice(0, seen.length).map((item: unknown) => JSON.stringify(item)), `${path}: the pages in the order of the whole list`);
      if (whole.total <= 20) assert.equal(seen.length, whole.total, `${path}: the pages hold as many rows as the total`);
      if (whole.total > 0) {
        const last = await get(whole.total - 1, 2);
        assert.deepEqual([last.items.length, last.nextOffset], [1, null], `${path}: the last row is where the total says`);
      }
      walked[path] = whole.total;
      // past the end: an empty page that says so
      const beyond = await get(whole.total + 10, 2);
      assert.deepEqual([beyond.items, beyond.total, beyond.nextOffset], [[], whole.total, null], path);
    }
    // lists with rows in this test were walked across pages, not only as empty lists
    for (const path of ['/api/v1/orders', '/api/v1/orders/inbox', '/api/v1/units', '/api/v1/staff', '/api/v1/audit']) {
      assert.ok(walked[path]! > 2, `${path}: ${walked[path]}`);
    }
  });

  it(`counts matches up to ${COUNT_CAP.toLocaleString('en')} and says when there are more`, async () => {
    assert.deepEqual(await countUpTo(p.db.pool, { text: 'FROM generate_series(1, $1::int)', values: [COUNT_CAP] }), { total: COUNT_CAP, exact: true });
    const many = await countUpTo(p.db.pool, { text: 'FROM generate_series(1, $1::int)', values: [COUNT_CAP + 5_000] });
    assert.deepEqual(many, { total: COUNT_CAP, exact: false });
    // a full page past the counted rows may have a next one; a short page is the last
    assert.deepEqual(pageOf(['a', 'b'], many, { limit: 2, offset: 12_000 }),
      { items: ['a', 'b'], total: 12_002, totalExact: false, limit: 2, offset: 12_000, nextOffset: 12_002 });
    assert.equal(pageOf(['a'], many, { limit: 2, offset: 14_999 }).nextOffset, null);
    assert.equal(pageOf(['a', 'b'], { total: 4, exact: true }, { limit: 2, offset: 2 }).nextOffset, null);
  });
});
