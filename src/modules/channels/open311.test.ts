import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { applyTransition } from '../orders/index.js';
import { CITY, makeStaff, registerTestOrder, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['request', 'service', 'attribute', 'value', 'error', 'endpoint', 'format'].includes(name) });
const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('Open311 GeoReport v2 at /open311/v2/', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let apiKey: string;
  let otherKey: string;
  let adminToken: string;

  before(async () => {
    p = await startTestPlatform();
    let tokenFor: (username: string) => Promise<string>;
    ({ app, tokenFor } = await startTestApp(p));
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    adminToken = await tokenFor(admin.username);
    const issue = async (scopes: string[]) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { authorization: `Bearer ${adminToken}` },
        payload: { name: `Open311 client ${randomUUID().slice(0, 6)}`, scopes } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().key as string;
    };
    apiKey = await issue(['open311']);
    otherKey = await issue(['orders:create']);
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const post = (fields: Record<string, string>, format = 'json', headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, headers: { ...FORM, ...headers }, payload: form(fields) });
  const report = (overrides: Record<string, string> = {}) => ({ api_key: apiKey, service_code: '010216', lat: '36.6683', long: '117.0204',
    description: `自来水发黄有异味，已经三天了（${randomUUID().slice(0, 8)}）`, first_name: '伟', last_name: '张', phone: '13905310000',
    'attribute[request_type]': 'complaint', ...overrides });
  const orderOf = async (trackingNo: string) => (await p.db.pool.query(
    `SELECT o.channel, o.request_type, o.citizen_name, o.citizen_phone, o.lat, o.lng, o.confidential, c.code AS category
       FROM orders o LEFT JOIN categories c ON c.id = o.category_id WHERE o.tracking_no = $1`, [trackingNo])).rows;

  test('discovery names the GeoReport v2 endpoint in JSON and in XML with its declaration', async () => {
    const json = await app.inject('/open311/v2/discovery.json');
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(json.json().endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2', 'JSON lists plainly');
    assert.deepEqual(json.json().endpoints[0].formats, ['text/xml', 'application/json']);
    assert.match(json.json().changeset, /^\d{4}-\d\d-\d\dT/, "the category tree's version: when the services last changed");
    const res = await app.inject('/open311/v2/discovery.xml');
    assert.equal(res.headers['content-type'], 'text/xml; charset=utf-8');
    assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?><discovery>'), res.body.slice(0, 80));
    assert.deepEqual(xml.parse(res.body).discovery.endpoints.endpoint[0].formats.format, ['text/xml', 'application/json']);
  });

  test('the services are the categories orders are classified to, grouped by their top category, each with its attributes', async () => {
    const services = (await app.inject('/open311/v2/services.json')).json();
    const water = services.find((s: { service_code: string }) => s.service_code === '010216');
    assert.ok(water, 'the tap-water category is a service');
    assert.equal(water.metadata, true);
    assert.equal(water.type, 'realtime');
    assert.ok(water.description.endsWith(` > ${water.service_name}`), water.description);
    assert.ok(!services.some((s: { service_code: string }) => s.service_code === '01'), 'a category with sub-categories is a group, not a service');
    const xmlServices = xml.parse((await app.inject('/open311/v2/services.xml')).body).services.service;
    assert.equal(xmlServices.length, services.length);

    const definition = (await app.inject('/open311/v2/services/010216.json')).json();
    assert.deepEqual(definition.attributes.map((a: { code: string }) => a.code), ['request_type', 'confidential']);
    const asXml = xml.parse((await app.inject('/open311/v2/services/010216.xml')).body).service_definition;
    assert.ok(asXml.attributes.attribute[0].values.value.some((v: { key: string }) => v.key === 'complaint'));

    const missing = await app.inject({ url: '/open311/v2/services/nope.xml', headers: { 'accept-language': 'en' } });
    assert.equal(missing.statusCode, 404);
    assert.match(xml.parse(missing.body).errors.error[0].description, /service_code nope not found/);
  });

  test('a posted request is one order with its service, type, person and place, however often the client posts it', async () => {
    const fields = report();
    const first = await post(fields);
    assert.equal(first.statusCode, 201, first.body);
    const [answer] = first.json();
    assert.match(answer.service_request_id, /^\d{8}-\d{8,}$/);
    assert.deepEqual(Object.keys(answer).sort(), ['account_id', 'service_notice', 'service_request_id'], 'an id at once: no token to poll');
    const again = await Promise.all([post(fields), post(fields, 'xml')]);
    assert.equal(again[0].statusCode, 200);
    assert.equal(again[0].json()[0].service_request_id, answer.service_request_id, 'a retry is the first request');
    assert.equal(xml.parse(again[1].body).service_requests.request[0].service_request_id, answer.service_request_id);

    const rows = await orderOf(answer.service_request_id);
    assert.equal(rows.length, 1);
    assert.deepEqual({ ...rows[0], lat: Number(rows[0].lat), lng: Number(rows[0].lng) }, { channel: 'open311', request_type: 'complaint',
      citizen_name: '张伟', citizen_phone: '13905310000', lat: 36.6683, lng: 117.0204, confidential: false, category: '010216' });

    const { rows: [{ id }] } = await p.db.pool.query('SELECT id FROM orders WHERE tracking_no = $1', [answer.service_request_id]);
    const token = await app.inject(`/open311/v2/tokens/${id}.json`);
    assert.deepEqual(token.json(), [{ service_request_id: answer.service_request_id, token: id }]);

    // no words: the service is what the request says; a place by its area code is the order's area
    const bare = await post(report({ description: '', lat: '', long: '', address_id: '370102001' }));
    assert.equal(bare.statusCode, 201, bare.body);
    const { rows: [order] } = await p.db.pool.query('SELECT title, body, area_code FROM orders WHERE tracking_no = $1', [bare.json()[0].service_request_id]);
    assert.deepEqual(order, { title: '自来水供应', body: '自来水供应', area_code: '370102001' });

    // with an Idempotency-Key, the key is the request: the same key with other words is refused
    const keyed = { 'idempotency-key': `client-${randomUUID()}` };
    const a = await post(report(), 'json', keyed);
    assert.equal(a.statusCode, 201, a.body);
    const b = await post(report(), 'json', keyed);
    assert.equal(b.statusCode, 400);
    assert.match(b.json()[0].description, /Idempotency-Key/);
  });

  test('a post is refused in the spec\'s error format: no key, a key without the scope, no place, no words, an unknown service', async () => {
    const cases: [Record<string, string>, number, RegExp][] = [
      [report({ api_key: '' }), 403, /api_key/],
      [report({ api_key: otherKey }), 403, /open311 scope/],
      [report({ api_key: 'msk_nonsense' }), 403, /api_key/],
      [report({ lat: '', long: '' }), 400, /location is required/],
      [report({ lat: '91', long: '117' }), 400, /lat is not valid: decimal degrees/],
      [report({ long: '' }), 400, /lat and long go together/],
      [report({ description: 'x'.repeat(4001) }), 400, /description is not valid/],
      [report({ address_id: '999999999' }), 400, /address_id is not valid: not an area of this city/],
      [report({ service_code: '01' }), 404, /service_code 01 not found/],
      [report({ service_code: '999999' }), 404, /service_code 999999 not found/],
      [report({ 'attribute[request_type]': 'bribe' }), 400, /attribute\[request_type\]/],
      [report({ media_url: 'file:///etc/passwd' }), 400, /media_url/],
      [report({ jurisdiction_id: 'chicago.gov' }), 404, /jurisdiction_id/],
    ];
    for (const [fields, status, description] of cases) {
      const res = await post(fields, 'xml');
      assert.equal(res.statusCode, status, `${JSON.stringify(fields).slice(0, 80)}: ${res.body}`);
      assert.ok(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?><errors>'), res.body);
      const [error] = xml.parse(res.body).errors.error;
      assert.equal(Number(error.code), status);
      assert.match(error.description, description);
    }
    const json = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      payload: { api_key: apiKey, service_code: 42, lat: [1], long: {} } });
    assert.equal(json.statusCode, 400, 'form-encoded only, as the spec says');
    assert.match(json.json()[0].description, /Content-Type/);
    const chinese = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(report({ api_key: '' })) });
    assert.deepEqual(chinese.json(), [{ code: 403, description: 'api_key 缺失、已吊销或没有 open311 权限' }], 'in Chinese unless English is preferred');
    const double = await post(report({ lat: String(36.650009999999995), long: '117.02040000000001' }));
    assert.equal(double.statusCode, 201, 'a coordinate as a client writes a double');
    const place = await post(report({ lat: '', long: '', address_string: '历下区泉城路 1 号', jurisdiction_id: CITY }));
    assert.equal(place.statusCode, 201, 'an address alone will do, and the city\'s own jurisdiction_id');
  });

  test('the public list shows the service, the street, the unit and the status; never the words, the address, the person, a confidential request or a report', async () => {
    const agent = await makeStaff(p, 'HOTLINE', ['agent', 'lead']);
    const water = await unitId(p, 'UTIL-WATER');
    const { rows: [community] } = await p.db.pool.query("SELECT code, parent_code FROM areas WHERE level = 'community' AND parent_code = '370102001' LIMIT 1");
    const order = await registerTestOrder(p, agent, { categoryCode: '010216', location: { areaCode: community.code, address: '解放路 100 号 3 单元' } });
    await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: water });
    const [posted] = (await post(report())).json();
    const secret = await registerTestOrder(p, agent, { categoryCode: '010216', confidential: true });
    const report_ = await registerTestOrder(p, agent, { categoryCode: '010216', requestType: 'report' });

    const ids = [order.trackingNo, posted.service_request_id, secret.trackingNo, report_.trackingNo].join(',');
    const both = await app.inject(`/open311/v2/requests.json?service_request_id=${ids}`);
    const byId = new Map(both.json().map((r: { service_request_id: string }) => [r.service_request_id, r]));
    assert.deepEqual([...byId.keys()].sort(), [order.trackingNo, posted.service_request_id].sort(), 'no confidential request, no report');
    const shown = byId.get(order.trackingNo) as Record<string, unknown>;
    assert.equal(shown.status, 'open');
    assert.equal(shown.service_code, '010216');
    assert.deepEqual([shown.address_id, shown.address], ['370102001', '解放路街道'], 'the street, not the community');
    assert.ok(shown.agency_responsible, 'the unit the request went to');
    const all = JSON.stringify(both.json());
    for (const hidden of ['解放路 100 号', order.body, '13905310000', '张伟', '36.6683']) assert.ok(!all.includes(hidden), `${hidden} is not public`);
    assert.deepEqual([shown.description, shown.lat, shown.long, shown.media_url], [null, null, null, null], "the spec's keys, empty");

    const one = await app.inject(`/open311/v2/requests/${order.trackingNo}.xml`);
    assert.equal(xml.parse(one.body).service_requests.request[0].service_request_id, order.trackingNo);
    assert.equal((await app.inject('/open311/v2/requests/20990101-00000001.json')).statusCode, 404);
    assert.equal((await app.inject(`/open311/v2/requests/${secret.trackingNo}.json`)).statusCode, 404);

    const water311 = (await app.inject('/open311/v2/requests.json?service_code=010216&status=open')).json();
    assert.ok(water311.some((r: { service_request_id: string }) => r.service_request_id === order.trackingNo));
    assert.ok(water311.every((r: { service_code: string; status: string }) => r.service_code === '010216' && r.status === 'open'));
    const closed = (await app.inject('/open311/v2/requests.json?status=closed')).json();
    assert.ok(!closed.some((r: { service_request_id: string }) => r.service_request_id === order.trackingNo));
    const repeated = await app.inject('/open311/v2/requests.json?status=open&status=closed&service_code=010216&service_code=010217');
    assert.equal(repeated.statusCode, 200, 'a repeated filter is a list');
    assert.ok(repeated.json().some((r: { service_request_id: string }) => r.service_request_id === order.trackingNo));
    const past = (await app.inject('/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00%2B08:00')).json();
    assert.deepEqual(past, [], 'a window long before the order');
    const fromStart = await app.inject('/open311/v2/requests.json?start_date=2020-01-01T00:00:00+08:00');
    assert.deepEqual([fromStart.statusCode, fromStart.json()], [200, []], 'a start alone: the 90 days after it (an unencoded + read as one)');
  });

  test('hostile filters get a 400 or 404 in the spec\'s format, never a 500', async () => {
    const hostile = ['\u0000', '%', "'; DROP TABLE orders; --", '__proto__', 'x'.repeat(3000), '0000-01-01', '9999-12-31T00:00:00Z', ',,,', '-1', '1e308'];
    const paths: string[] = [];
    for (const value of hostile) {
      const v = encodeURIComponent(value);
      for (const name of ['service_request_id', 'service_code', 'start_date', 'end_date', 'status', 'jurisdiction_id']) paths.push(`/open311/v2/requests.json?${name}=${v}`);
      paths.push(`/open311/v2/requests/${v}.json`, `/open311/v2/tokens/${v}.xml`, `/open311/v2/services/${v}.json`, `/open311/v2/requests.${v}`);
    }
    paths.push('/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-01T00:00:00Z', '/open311/v2/nothing.json', '/open311/v2/requests.json?q=%E0%A4%A',
      '/open311/v2/requests.json?service_request_id=1&service_request_id=2', '/open311/v2/services.json?jurisdiction_id=370100&jurisdiction_id=x',
      `/open311/v2/${'x'.repeat(3000)}.xml`);
    for (const path of paths) {
      const res = await app.inject(path);
      assert.ok(res.statusCode === 200 || res.statusCode === 400 || res.statusCode === 404, `${path.slice(0, 100)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (res.statusCode !== 200) {
        const errors = String(res.headers['content-type']).startsWith('text/xml') ? xml.parse(res.body).errors.error : res.json();
        assert.equal(Number(errors[0].code), res.statusCode, path.slice(0, 100));
      }
    }
    for (const value of hostile) {
      const res = await post(report({ description: `${value} 路灯不亮了`, address_string: value, first_name: value }));
      assert.ok(res.statusCode < 500, `${JSON.stringify(value).slice(0, 40)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
  });
});
