import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../shared/errors.js';
import { makeStaff, orderInput, PASSWORD, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';

describe('HTTP API', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let agentToken: string, waterToken: string, powerToken: string, adminToken: string;
  let waterUnit: string;
  let lockUser: string;

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const power = await makeStaff(p, 'UTIL-POWER', ['unit_handler']);
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    lockUser = (await makeStaff(p, 'HOTLINE', ['agent'])).username;
    agentToken = await started.tokenFor(agent.username);
    waterToken = await started.tokenFor(water.username);
    powerToken = await started.tokenFor(power.username);
    adminToken = await started.tokenFor(admin.username);
    waterUnit = await unitId(p, 'UTIL-WATER');
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const countOrders = async () => (await p.db.pool.query('SELECT count(*) AS n FROM orders')).rows[0].n as number;
  const register = (payload: object, token = agentToken) =>
    app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth(token), payload });

  it('answers /healthz with the engine and the schema version', async () => {
    const res = await app.inject('/healthz');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().engine, process.env.DATABASE_URL ? 'postgres' : 'pglite');
    assert.match(res.json().schemaVersion, /^\d{8}T\d{4}-/);
  });

  it('serves an OpenAPI 3.1 document that lists every endpoint, and the docs page', async () => {
    const doc = (await app.inject('/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/orders', '/api/v1/orders/{id}/actions/{action}', '/api/v1/units', '/api/v1/taxonomy/import',
      '/api/v1/staff', '/api/v1/api-keys', '/api/v1/audit', '/api/v1/auth/login', '/api/v1/calendar/years/{year}', '/api/v1/sla/settings',
      '/api/v1/supervision/alerts', '/api/v1/visits/queue', '/api/v1/visits/{id}/result', '/api/v1/assessment',
      '/api/v1/assessment/units/{unitId}/orders', '/api/v1/assessment/export.xlsx', '/api/v1/notices', '/api/v1/classify/suggest',
      '/api/v1/orders/{id}/suggestion', '/api/v1/orders/{id}/similar', '/api/v1/classify/models', '/api/v1/classify/training',
      '/api/v1/classify/training/{id}', '/api/v1/classify/acceptance']) {
      assert.ok(doc.paths[path], `${path} documented`);
    }
    assert.ok(doc.paths['/api/v1/orders'].post.requestBody.content['application/json'].schema.properties.channelRef);
    assert.ok(doc.paths['/api/v1/orders'].post.responses['201'].content['application/json'].schema.properties.suggestions.properties.category);
    assert.equal((await app.inject('/docs/')).statusCode, 200);
  });

  it('registers, retries idempotently, acts and reads an order end to end', async () => {
    const payload = orderInput({ channel: 'wechat', channelRef: 'wx-msg-1' });
    const created = await register(payload);
    assert.equal(created.statusCode, 201);
    const retried = await register(payload);
    assert.equal(retried.statusCode, 200);
    assert.equal(retried.json().id, created.json().id);
    const id = created.json().id;
    const dispatched = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/dispatch`, headers: auth(agentToken),
      payload: { unitId: waterUnit } });
    assert.equal(dispatched.statusCode, 200);
    assert.equal(dispatched.json().state, 'dispatched');
    const inbox = await app.inject({ url: '/api/v1/orders/inbox', headers: auth(waterToken) });
    assert.ok(inbox.json().items.some((o: { id: string }) => o.id === id));
    const detail = await app.inject({ url: `/api/v1/orders/${id}`, headers: auth(waterToken) });
    assert.equal(detail.json().events.length, 2);
    assert.deepEqual(detail.json().actions, ['sign', 'return'], 'what the unit may do now');
    assert.equal(detail.json().citizen.phone, '13812345678');
    // the history says who acted, by name, and for which unit
    const signed = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/sign`, headers: auth(waterToken), payload: {} });
    assert.equal(signed.statusCode, 200);
    const history = (await app.inject({ url: `/api/v1/orders/${id}`, headers: auth(agentToken) })).json().events;
    const me = (token: string) => app.inject({ url: '/api/v1/auth/me', headers: auth(token) }).then((r) => r.json().name as string);
    assert.deepEqual(history.map((e: any) => [e.type, e.actor.name, e.actor.unitName]), [
      ['order.registered', await me(agentToken), '济南市12345市民服务热线'],
      ['order.dispatched', await me(agentToken), '济南市12345市民服务热线'],
      ['order.signed', await me(waterToken), '济南水务集团']]);
  });

  it("shows an order's history and the units to dispatch it to, and lets the hotline correct it", async () => {
    const order = (await register(orderInput())).json();
    const events = await app.inject({ url: `/api/v1/orders/${order.id}/events`, headers: auth(agentToken) });
    assert.deepEqual(events.json().map((e: { type: string }) => e.type), ['order.registered']);
    const units = await app.inject({ url: `/api/v1/orders/${order.id}/suggested-units`, headers: auth(agentToken) });
    assert.equal(units.statusCode, 200, units.body);
    const [first] = units.json();
    assert.deepEqual([first.unit.id, first.reason], [waterUnit, 'category_and_area'], 'the water company takes a water-supply request');
    assert.deepEqual(Object.keys(first.unit), ['id', 'code', 'name', 'level', 'kind'], 'the unit as in a suggestion');
    const corrected = await app.inject({ method: 'PATCH', url: `/api/v1/orders/${order.id}`, headers: auth(agentToken),
      payload: { expectedVersion: order.version, title: '小区停水三天' } });
    assert.equal(corrected.statusCode, 200, corrected.body);
    assert.deepEqual([corrected.json().title, corrected.json().version], ['小区停水三天', order.version + 1]);
  });

  it("answers 404 for another unit's order, by id and by action", async () => {
    const id = (await register(orderInput())).json().id;
    await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/dispatch`, headers: auth(agentToken), payload: { unitId: waterUnit } });
    const read = await app.inject({ url: `/api/v1/orders/${id}`, headers: auth(powerToken) });
    assert.equal(read.statusCode, 404);
    assert.equal(read.json().error.code, 'ORDER_NOT_FOUND');
    const sign = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/sign`, headers: auth(powerToken), payload: {} });
    assert.equal(sign.statusCode, 404);
  });

  it('answers a refused transition with 409 and a message in Chinese, or English when asked', async () => {
    const id = (await register(orderInput())).json().id;
    const zh = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/close`, headers: auth(agentToken), payload: {} });
    assert.equal(zh.statusCode, 403); // an agent may not close at all
    const visitorToken = await startTestApp(p).then(async (s) => s.tokenFor((await makeStaff(p, 'HOTLINE', ['visitor'])).username));
    const res = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/close`, headers: auth(visitorToken), payload: {} });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json().error, { code: 'ORDER_TRANSITION_NOT_ALLOWED', message: '工单当前状态为“已受理”，不能执行“办结”' });
    const en = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/close`,
      headers: { ...auth(visitorToken), 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' }, payload: {} });
    assert.equal(en.json().error.message, 'The order is registered: "close" is not allowed now');
  });

  it('answers bad input with the documented error and writes nothing', async () => {
    const before = await countOrders();
    const cases: [string, Record<string, string>, string | undefined, number, string][] = [
      ['malformed JSON', { 'content-type': 'application/json' }, '{"channel": "phone",', 400, 'BAD_JSON'],
      ['wrong type', { 'content-type': 'application/json' }, JSON.stringify({ ...orderInput(), title: 42 }), 400, 'VALIDATION_FAILED'],
      ['unknown field', { 'content-type': 'application/json' }, JSON.stringify({ ...orderInput(), priority: 'high' }), 400, 'VALIDATION_FAILED'],
      ['malformed channel code', { 'content-type': 'application/json' }, JSON.stringify({ ...orderInput(), channel: 'FAX!' }), 400, 'VALIDATION_FAILED'],
      ['unknown channel', { 'content-type': 'application/json' }, JSON.stringify({ ...orderInput(), channel: 'fax' }), 422, 'CHANNEL_UNKNOWN'],
      ['missing body', { 'content-type': 'application/json' }, JSON.stringify({ channel: 'phone' }), 400, 'VALIDATION_FAILED'],
      ['oversized body', { 'content-type': 'application/json' }, JSON.stringify({ ...orderInput(), body: 'x'.repeat(1_100_000) }), 413, 'PAYLOAD_TOO_LARGE'],
      ['not JSON', { 'content-type': 'text/xml' }, '<order/>', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['unknown area', { 'content-type': 'application/json' }, JSON.stringify(orderInput({ location: { areaCode: '370199999' } })), 422, 'DIRECTORY_AREA_NOT_FOUND'],
    ];
    for (const [name, headers, payload, status, code] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: { ...auth(agentToken), ...headers }, payload });
      assert.equal(res.statusCode, status, `${name}: ${res.body.slice(0, 200)}`);
      assert.equal(res.json().error.code, code, name);
      assert.ok(res.json().error.message, name);
    }
    const badId = await app.inject({ url: '/api/v1/orders/not-a-uuid', headers: auth(agentToken) });
    assert.equal(badId.statusCode, 400);
    const unknownId = await app.inject({ url: '/api/v1/orders/00000000-0000-4000-8000-000000000000', headers: auth(agentToken) });
    assert.equal(unknownId.json().error.code, 'ORDER_NOT_FOUND');
    const unknownRoute = await app.inject({ url: '/api/v1/nothing', headers: auth(agentToken) });
    assert.equal(unknownRoute.json().error.code, 'ROUTE_NOT_FOUND');
    assert.equal(await countOrders(), before);
  });

  it('finds an order by its tracking number, for those who may see it', async () => {
    const created = (await register(orderInput())).json();
    const found = await app.inject({ url: `/api/v1/orders/tracking/${created.trackingNo}`, headers: auth(agentToken) });
    assert.deepEqual([found.statusCode, found.json().id], [200, created.id]);
    assert.equal(found.json().requestTypeLabel.zh, '求助', 'the request type by name as well as by code');
    // a unit the order never reached learns nothing of it, as by id
    assert.equal((await app.inject({ url: `/api/v1/orders/tracking/${created.trackingNo}`, headers: auth(waterToken) })).json().error.code, 'ORDER_NOT_FOUND');
    assert.equal((await app.inject({ url: '/api/v1/orders/tracking/20260101-99999999', headers: auth(agentToken) })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/v1/orders/tracking/nonsense', headers: auth(agentToken) })).statusCode, 400);
  });

  it('requires authentication, and refuses an unknown token', async () => {
    assert.equal((await app.inject('/api/v1/orders')).json().error.code, 'AUTH_REQUIRED');
    const res = await app.inject({ url: '/api/v1/orders', headers: auth('mss_forged') });
    assert.equal(res.statusCode, 401);
  });

  it('locks an account after repeated failed logins, even for the right password', async () => {
    const login = (password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: lockUser, password } });
    // guesses sent in parallel are all counted: four at once, then the fifth locks
    const parallel = await Promise.all([1, 2, 3, 4].map(() => login('wrong-password')));
    assert.deepEqual(parallel.map((r) => r.json().error.code), Array(4).fill('AUTH_INVALID_CREDENTIALS'));
    assert.equal((await login('wrong-password')).json().error.code, 'AUTH_ACCOUNT_LOCKED');
    const locked = await login(PASSWORD);
    assert.equal(locked.statusCode, 403);
    assert.equal(locked.json().error.code, 'AUTH_ACCOUNT_LOCKED');
    const unknownUser = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
    assert.equal(unknownUser.json().error.code, 'AUTH_INVALID_CREDENTIALS');
  });

  it('ends a session at logout', async () => {
    const token = await startTestApp(p).then(async (s) => s.tokenFor((await makeStaff(p, 'HOTLINE', ['agent'])).username));
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth(token) })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/v1/orders', headers: auth(token) })).statusCode, 401);
  });

  it("ends a staff member's sessions when an administrator resets the password", async () => {
    const staff = await makeStaff(p, 'HOTLINE', ['agent']);
    const token = await startTestApp(p).then((s) => s.tokenFor(staff.username));
    assert.equal((await app.inject({ url: '/api/v1/orders?limit=1', headers: auth(token) })).statusCode, 200);
    const reset = await app.inject({ method: 'POST', url: `/api/v1/staff/${staff.id}/password`, headers: auth(adminToken),
      payload: { password: 'another-long-password' } });
    assert.equal(reset.statusCode, 204);
    assert.equal((await app.inject({ url: '/api/v1/orders?limit=1', headers: auth(token) })).statusCode, 401);
  });

  it('lets an API key do only what its scopes allow, as its unit, with masked data', async () => {
    const create = (body: object) => app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: auth(adminToken), payload: body });
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: auth(agentToken),
      payload: { name: 'x', scopes: ['orders:read'] } })).statusCode, 403);
    const intake = (await create({ name: '微信公众号', scopes: ['orders:create'] })).json();
    assert.match(intake.key, /^msk_/);
    const viaKey = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: { 'x-api-key': intake.key },
      payload: orderInput({ channel: 'wechat', channelRef: 'wx-key-1' }) });
    assert.equal(viaKey.statusCode, 201);
    assert.equal((await app.inject({ url: '/api/v1/orders', headers: { 'x-api-key': intake.key } })).statusCode, 403);

    const unitKey = (await create({ name: '水务集团工单系统', scopes: ['orders:read', 'orders:write'], unitId: waterUnit })).json();
    const id = viaKey.json().id;
    await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/dispatch`, headers: auth(agentToken), payload: { unitId: waterUnit } });
    const signed = await app.inject({ method: 'POST', url: `/api/v1/orders/${id}/actions/sign`, headers: { 'x-api-key': unitKey.key }, payload: {} });
    assert.equal(signed.json().state, 'signed');
    const detail = await app.inject({ url: `/api/v1/orders/${id}`, headers: { 'x-api-key': unitKey.key } });
    assert.equal(detail.json().citizen.visibility, 'masked');

    await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${unitKey.info.id}`, headers: auth(adminToken) });
    assert.equal((await app.inject({ url: `/api/v1/orders/${id}`, headers: { 'x-api-key': unitKey.key } })).statusCode, 401);
  });

  it('tells a caller who they are, and lists API keys, revoked ones too, to an administrator only', async () => {
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: auth(waterToken) })).json();
    assert.deepEqual([me.kind, me.roles, me.unitId, me.scopes], ['staff', ['unit_handler'], waterUnit, []]);
    assert.deepEqual([me.displayName, me.unitName], [me.name, '济南水务集团'], 'named as people read it (the test staff are named by username)');
    const login = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: me.name, password: PASSWORD } })).json();
    assert.deepEqual(login.me, me, 'the login answers who the caller is, as /auth/me does');
    const created = (await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: auth(adminToken),
      payload: { name: '短信网关', scopes: ['orders:create'] } })).json();
    await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.info.id}`, headers: auth(adminToken) });
    const keys = await app.inject({ url: '/api/v1/api-keys', headers: auth(adminToken) });
    const listed = keys.json().find((k: { id: string }) => k.id === created.info.id);
    assert.equal(listed.prefix, created.key.slice(0, 10));
    assert.ok(listed.revokedAt, 'listed as revoked');
    assert.equal('key' in listed, false, 'the key itself is never listed');
    assert.equal((await app.inject({ url: '/api/v1/api-keys', headers: auth(agentToken) })).statusCode, 403);
  });

  it('reads areas, units, staff, request types and the category tree as JSON', async () => {
    const districts = (await app.inject({ url: '/api/v1/areas', headers: auth(agentToken) })).json();
    assert.deepEqual(districts.find((a: { code: string }) => a.code === '370102'),
      { code: '370102', name: '历下区', level: 'district', parentCode: '370100' });
    const streets = (await app.inject({ url: '/api/v1/areas?parent=370102', headers: auth(agentToken) })).json();
    assert.ok(streets.length > 5 && streets.every((a: { level: string }) => a.level === 'street'));
    // the place type-ahead: any level by a piece of its name, districts first, each with its path
    const lixia = (await app.inject({ url: `/api/v1/areas/search?q=${encodeURIComponent('历下')}`, headers: auth(agentToken) })).json();
    assert.deepEqual(lixia[0], { code: '370102', name: '历下区', level: 'district', parentCode: '370100', path: [{ code: '370102', name: '历下区' }] });
    const depth = { district: 1, street: 2, community: 3 } as Record<string, number>;
    for (const q of ['泉城', '社区', '村']) {
      const found = (await app.inject({ url: `/api/v1/areas/search?q=${encodeURIComponent(q)}&limit=50`, headers: auth(agentToken) })).json();
      assert.ok(found.length > 0, q);
      for (const a of found as { code: string; name: string; level: string; path: { code: string }[] }[]) {
        assert.ok(a.name.includes(q) && a.path.length === depth[a.level] && a.path.at(-1)!.code === a.code && a.code.startsWith(a.path[0]!.code), `${q}: ${a.name}`);
      }
      const levels = found.map((a: { level: string }) => depth[a.level]);
      assert.deepEqual(levels, [...levels].sort(), 'districts, then streets, then communities');
    }
    const departments = (await app.inject({ url: '/api/v1/units?level=department&limit=5', headers: auth(agentToken) })).json().items;
    assert.equal(departments.length, 5);
    for (const q of ['%25', '_', '%5C']) assert.deepEqual((await app.inject({ url: `/api/v1/units?q=${q}`, headers: auth(agentToken) })).json().items, [], q);
    assert.ok(departments.every((u: { level: string; path: string; id: string }) => u.level === 'department' && u.path.endsWith(`${u.id}/`)));
    assert.equal((await app.inject({ url: `/api/v1/units/${waterUnit}`, headers: auth(waterToken) })).json().code, 'UTIL-WATER');
    const staff = (await app.inject({ url: `/api/v1/staff?unitId=${waterUnit}`, headers: auth(adminToken) })).json().items;
    assert.ok(staff.length >= 1);
    assert.ok(staff.every((s: { unitId: string; roles: string[] }) => s.unitId === waterUnit && s.roles.includes('unit_handler')));
    const types = (await app.inject({ url: '/api/v1/request-types', headers: auth(agentToken) })).json();
    assert.deepEqual(types.find((t: { code: string }) => t.code === 'complaint'), { code: 'complaint', zh: '投诉', en: 'Complaint' });
    const versions = (await app.inject({ url: '/api/v1/taxonomy/versions', headers: auth(agentToken) })).json();
    assert.ok(versions[0].version >= 1 && versions[0].categories > 500, JSON.stringify(versions[0]));
    const tree = (await app.inject({ url: '/api/v1/taxonomy', headers: auth(waterToken) })).json();
    assert.deepEqual(tree.find((c: { code: string }) => c.code === '010216')?.name, '自来水供应');
  });

  it('manages units, staff and the category tree as an administrator, each change audited', async () => {
    const unit = await app.inject({ method: 'POST', url: '/api/v1/units', headers: auth(adminToken),
      payload: { code: 'DEPT-TEST', name: '测试局', level: 'department', kind: 'test', areaCodes: ['370102'] } });
    assert.equal(unit.statusCode, 201, unit.body);
    const streetUnder = await app.inject({ method: 'POST', url: '/api/v1/units', headers: auth(adminToken),
      payload: { code: 'S-UNDER', name: '某街道', level: 'district', kind: 'x', parentId: await unitId(p, 'S370102001') } });
    assert.equal(streetUnder.json().error.code, 'DIRECTORY_INVALID_PARENT');
    // a refusal's detail is in the language of the answer, wholly (every detail is typed bilingual)
    assert.doesNotMatch(streetUnder.json().error.message, /[a-z]{2,}/i, streetUnder.json().error.message);
    const inEnglish = await app.inject({ method: 'POST', url: '/api/v1/units', headers: { ...auth(adminToken), 'accept-language': 'en' },
      payload: { code: 'S-UNDER', name: '某街道', level: 'district', kind: 'x', parentId: await unitId(p, 'S370102001') } });
    assert.match(inEnglish.json().error.message, /a district unit cannot sit under a street unit/);
    const dup = await app.inject({ method: 'POST', url: '/api/v1/units', headers: auth(adminToken),
      payload: { code: 'DEPT-TEST', name: '测试局', level: 'department', kind: 'test' } });
    assert.equal(dup.json().error.code, 'DIRECTORY_UNIT_CODE_TAKEN');
    const staff = await app.inject({ method: 'POST', url: '/api/v1/staff', headers: auth(adminToken),
      payload: { username: 'test.handler', displayName: '测试经办人', unitId: unit.json().id, roles: ['unit_handler'], password: 'a-long-password' } });
    assert.equal(staff.statusCode, 201, staff.body);
    // found by a piece of the display name or of the username (any case), and by being active or not
    const found = (query: string) => app.inject({ url: `/api/v1/staff?${query}`, headers: auth(adminToken) })
      .then((r) => r.json().items.map((x: { username: string }) => x.username));
    assert.deepEqual([await found(`q=${encodeURIComponent('测试经办')}`), await found('q=TEST.HAND&active=true'), await found('q=test.hand&active=false')],
      [['test.handler'], ['test.handler'], []]);
    const unitChanged = await app.inject({ method: 'PATCH', url: `/api/v1/units/${unit.json().id}`, headers: auth(adminToken),
      payload: { name: '测试管理局', areaCodes: ['370102', '370103'] } });
    assert.deepEqual([unitChanged.json().name, unitChanged.json().areaCodes], ['测试管理局', ['370102', '370103']]);
    // a closed unit stays listed, but not among those taking orders (the dispatch pickers ask ?active=true)
    await app.inject({ method: 'PATCH', url: `/api/v1/units/${unit.json().id}`, headers: auth(adminToken), payload: { active: false } });
    const named = (active: string) => app.inject({ url: `/api/v1/units?q=${encodeURIComponent('测试管理')}${active}`, headers: auth(agentToken) })
      .then((r) => r.json().items.map((u: { code: string }) => u.code));
    assert.deepEqual([await named(''), await named('&active=true'), await named('&active=false')], [['DEPT-TEST'], [], ['DEPT-TEST']]);
    await app.inject({ method: 'PATCH', url: `/api/v1/units/${unit.json().id}`, headers: auth(adminToken), payload: { active: true } });
    // the hotline itself takes no orders: listed, but not among the units to dispatch to
    const hotline = (active: string) => app.inject({ url: `/api/v1/units?level=hotline${active}`, headers: auth(agentToken) }).then((r) => r.json().total);
    assert.deepEqual([await hotline('') > 0, await hotline('&active=true')], [true, 0]);
    const staffChanged = await app.inject({ method: 'PATCH', url: `/api/v1/staff/${staff.json().id}`, headers: auth(adminToken),
      payload: { roles: ['unit_manager'] } });
    assert.deepEqual(staffChanged.json().roles, ['unit_manager']);
    // an admin cannot lock themselves out: not deactivated, not without their admin role
    const me = (await app.inject({ url: '/api/v1/auth/me', headers: auth(adminToken) })).json();
    for (const payload of [{ active: false }, { roles: ['lead'] }]) {
      const self = await app.inject({ method: 'PATCH', url: `/api/v1/staff/${me.id}`, headers: auth(adminToken), payload });
      assert.deepEqual([self.statusCode, self.json().error.code], [409, 'DIRECTORY_SELF_LOCKOUT']);
    }
    assert.equal((await app.inject({ method: 'PATCH', url: `/api/v1/staff/${me.id}`, headers: auth(adminToken),
      payload: { roles: ['admin', 'lead'], displayName: '管理员' } })).statusCode, 200, 'other changes to oneself are fine');
    const edit = await app.inject({ method: 'POST', url: '/api/v1/taxonomy/edits', headers: auth(adminToken),
      payload: { note: '新增分类', edits: [{ op: 'add', node: { code: '010299', parentCode: '0102', name: '共享单车', unitKind: 'urban_management', timeLimitDays: 3 } }] } });
    assert.equal(edit.statusCode, 201, edit.body);
    const csv = await app.inject({ url: '/api/v1/taxonomy?format=csv', headers: auth(agentToken) });
    assert.match(csv.body, /010299,0102,3,共享单车,urban_management,3/);
    const imported = await app.inject({ method: 'POST', url: '/api/v1/taxonomy/import', headers: auth(adminToken),
      payload: { note: '整体导入', csv: csv.body } });
    assert.deepEqual([imported.statusCode, imported.json().version], [201, edit.json().version + 1]);
    const audit = await app.inject({ url: '/api/v1/audit?limit=10', headers: auth(adminToken) });
    const actions = audit.json().items.map((a: { action: string }) => a.action);
    for (const action of ['unit.created', 'staff.created', 'taxonomy.version_created']) assert.ok(actions.includes(action), action);
    assert.equal((await app.inject({ url: '/api/v1/audit', headers: auth(agentToken) })).statusCode, 403);
  });

  it('answers the second of two simultaneous creations of one unit code, username or tree version with a 409', async () => {
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: auth(adminToken), payload });
    const twice = async (url: string, payload: object) => (await Promise.all([post(url, payload), post(url, payload)]))
      .map((r) => [r.statusCode, r.json().error?.code ?? null]).sort();
    assert.deepEqual(await twice('/api/v1/units', { code: 'DEPT-RACE', name: '并发局', level: 'department', kind: 'test' }),
      [[201, null], [409, 'DIRECTORY_UNIT_CODE_TAKEN']]);
    assert.deepEqual(await twice('/api/v1/staff', { username: 'race.user', displayName: '并发', unitId: waterUnit, roles: ['unit_handler'],
      password: 'a-long-password' }), [[201, null], [409, 'DIRECTORY_USERNAME_TAKEN']]);
    const edits = (code: string) => ({ note: '并发修改', edits: [{ op: 'add', node: { code, parentCode: '0102', name: `并发${code}`,
      unitKind: 'urban_management', timeLimitDays: 3 } }] });
    const [one, two] = await Promise.all([post('/api/v1/taxonomy/edits', edits('010297')), post('/api/v1/taxonomy/edits', edits('010298'))]);
    const answers = [[one.statusCode, one.json().error?.code ?? null], [two.statusCode, two.json().error?.code ?? null]].sort();
    // on PGlite the two are served one after the other, and both apply
    assert.ok(JSON.stringify(answers) === JSON.stringify([[201, null], [201, null]])
      || JSON.stringify(answers) === JSON.stringify([[201, null], [409, 'TAXONOMY_CHANGED_MEANWHILE']]), JSON.stringify(answers));
  });

  it('lists every problem of a refused request, wholly in the language asked for', async () => {
    const bad = { channel: 'FAX', requestType: 'help', title: '', body: 42, extra: true };
    const zh = (await app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth(agentToken), payload: bad })).json().error;
    assert.equal(zh.code, 'VALIDATION_FAILED');
    assert.ok(zh.details.fields.length >= 4, JSON.stringify(zh.details.fields));
    // the fields and values are the request's; every word around them is Chinese
    const words = zh.message.replace(/body(\/\w+)?/g, '').replace(/\b(string|integer|number|boolean)\b/g, '').match(/[A-Za-z]{3,}/g);
    assert.equal(words, null, zh.message);
    const en = (await app.inject({ method: 'POST', url: '/api/v1/orders', headers: { ...auth(agentToken), 'accept-language': 'en' }, payload: bad }))
      .json().error;
    assert.doesNotMatch(en.message, /[\u4e00-\u9fff]/, en.message);
    const nul = (await app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth(agentToken), payload: orderInput({ title: 'a\u0000b' }) })).json().error;
    assert.match(nul.message, /body\.title 含有无法存储的字符/);
    const needsText = await app.inject({ method: 'POST', url: `/api/v1/orders/${(await register(orderInput())).json().id}/actions/answer_directly`,
      headers: auth(agentToken), payload: {} });
    assert.doesNotMatch(needsText.json().error.message, /needs/, needsText.json().error.message);
  });

  it('documents every error code in docs/errors.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERRORS)) assert.ok(doc.includes(`\`${code}\``), `${code} is documented`);
  });
});
