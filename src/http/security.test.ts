// The API against an adversary: guesses sent at once, floods of logins, forged client addresses,
// rights taken away mid-session, and the headers that keep personal data out of caches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { clientAddressKey } from './client-address.js';
import { makeStaff, orderInput, PASSWORD, startTestApp, startTestPlatform, type TestPlatform } from '../testing/harness.js';

describe('security of the HTTP API', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let tokenFor: (username: string) => Promise<string>;
  let adminToken: string;
  const max = () => p.config.maxFailedLogins;

  before(async () => {
    p = await startTestPlatform();
    ({ app, tokenFor } = await startTestApp(p));
    adminToken = await tokenFor((await makeStaff(p, 'HOTLINE', ['admin'])).username);
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = (username: string, password: string, headers: Record<string, string> = {}, target = app) =>
    target.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });
  const auditOf = async (staffId: string | null) => (await p.db.pool.query(
    `SELECT action, count(*)::int AS n FROM audit_log WHERE subject_id = $1 AND action LIKE 'auth.%' GROUP BY action`, [staffId]))
    .rows.reduce((acc: Record<string, number>, r: { action: string; n: number }) => ({ ...acc, [r.action]: r.n }), {});
  const lockedUntil = async (staffId: string | null): Promise<Date | null> =>
    (await p.db.pool.query('SELECT locked_until FROM staff_credentials WHERE staff_id = $1', [staffId])).rows[0].locked_until;

  it('counts wrong passwords sent at once exactly as if sent one by one', async () => {
    const staff = await makeStaff(p, 'HOTLINE', ['agent']);
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(staff.username, 'wrong-password')));
    const codes = answers.map((r) => r.json().error.code).sort();
    // one by one: max − 1 refusals, the max-th locks, the rest are refused unverified
    assert.deepEqual(codes, [...Array(max() - 1).fill('AUTH_INVALID_CREDENTIALS'), ...Array(21 - max()).fill('AUTH_ACCOUNT_LOCKED')].sort());
    assert.deepEqual(await auditOf(staff.id), { 'auth.login_failed': max() - 1, 'auth.locked': 1 });
    assert.ok((await lockedUntil(staff.id))! > new Date());
    assert.equal((await login(staff.username, PASSWORD)).json().error.code, 'AUTH_ACCOUNT_LOCKED');
  });

  it('locks the account in a burst of wrong passwords whatever the place of the right one', async () => {
    for (let round = 0; round < 5; round++) {
      const staff = await makeStaff(p, 'HOTLINE', ['agent']);
      const right = round * 4; // the right password at a different place in each burst
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(staff.username, i === right ? PASSWORD : 'wrong-password')));
      const invalid = answers.filter((r) => r.json().error?.code === 'AUTH_INVALID_CREDENTIALS').length;
      const audit = await auditOf(staff.id);
      // one by one, 19 wrong passwords lock the account wherever the right one comes; so here
      assert.ok((await lockedUntil(staff.id))! > new Date(), `round ${round} ends locked`);
      assert.equal(audit['auth.locked'], 1);
      assert.equal(audit['auth.login_failed'] ?? 0, invalid);
      const rightAnswer = answers[right]!;
      if (rightAnswer.statusCode === 200) {
        // a success forgives the failures before it: at most max − 1 before it and max − 1 after
        assert.ok(invalid <= 2 * (max() - 1), `round ${round}: ${invalid} wrong passwords answered`);
        assert.equal(audit['auth.login'], 1);
      } else {
        // it came after the lock: refused unverified, and at most max − 1 wrong passwords were tried
        assert.equal(rightAnswer.json().error.code, 'AUTH_ACCOUNT_LOCKED');
        assert.equal(invalid, max() - 1);
      }
    }
  });

  it('forgives the failures before a right password, and keeps counting those after it', async () => {
    const staff = await makeStaff(p, 'HOTLINE', ['agent']);
    for (let i = 0; i < max() - 1; i++) assert.equal((await login(staff.username, 'wrong-password')).statusCode, 401);
    assert.equal((await login(staff.username, PASSWORD)).statusCode, 200);
    for (let i = 0; i < max() - 1; i++) assert.equal((await login(staff.username, 'wrong-password')).statusCode, 401);
    assert.equal(await lockedUntil(staff.id), null);
    assert.equal((await login(staff.username, 'wrong-password')).json().error.code, 'AUTH_ACCOUNT_LOCKED');
  });

  it('limits login attempts per client address and per username, with Retry-After', async () => {
    const limited = await buildApp({ ...p, config: { ...p.config, loginLimitPerAddress: 6, loginLimitPerUsername: 3 } });
    try {
      const staff = await makeStaff(p, 'HOTLINE', ['agent']);
      for (let i = 0; i < 3; i++) assert.equal((await login(staff.username, PASSWORD, {}, limited)).statusCode, 200);
      const fourth = await login(staff.username, PASSWORD, {}, limited);
      assert.equal(fourth.statusCode, 429);
      assert.equal(fourth.json().error.code, 'AUTH_TOO_MANY_ATTEMPTS');
      assert.ok(Number(fourth.headers['retry-after']) > 0 && Number(fourth.headers['retry-after']) <= 60, String(fourth.headers['retry-after']));
      assert.match(fourth.json().error.message, /秒后再试/);
      // the limit is the username's, whatever its case: another username from the same address still gets in
      assert.equal((await login(staff.username.toUpperCase(), PASSWORD, {}, limited)).statusCode, 429);
      const other = await makeStaff(p, 'HOTLINE', ['agent']);
      assert.equal((await login(other.username, PASSWORD, {}, limited)).statusCode, 200);
      // and the address's: its sixth attempt was the last
      const third = await makeStaff(p, 'HOTLINE', ['agent']);
      const refused = await login(third.username, PASSWORD, {}, limited);
      assert.deepEqual([refused.statusCode, refused.json().error.code], [429, 'AUTH_TOO_MANY_ATTEMPTS']);
      // refused attempts are not counted as failures of the account
      assert.equal(await lockedUntil(third.id), null);
    } finally {
      await limited.close();
    }
  });

  it('limits an IPv6 client by its /64, whatever address of it each attempt comes from', async () => {
    assert.deepEqual(['2001:db8:1:2::1', '2001:DB8:1:2:ffff:0:0:9', '2001:db8:1:3::1', '::ffff:192.0.2.7', '192.0.2.7', 'fe80::1%eth0', '::1']
      .map(clientAddressKey), ['2001:db8:1:2::/64', '2001:db8:1:2::/64', '2001:db8:1:3::/64', '192.0.2.7', '192.0.2.7', 'fe80:0:0:0::/64', '0:0:0:0::/64']);
    const limited = await buildApp({ ...p, config: { ...p.config, loginLimitPerAddress: 2 } });
    try {
      const from = async (remoteAddress: string) => {
        const staff = await makeStaff(p, 'HOTLINE', ['agent']);
        return (await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress,
          payload: { username: staff.username, password: PASSWORD } })).statusCode;
      };
      assert.deepEqual([await from('2001:db8:1:2::1'), await from('2001:db8:1:2::2'), await from('2001:db8:1:2:abcd::3')], [200, 200, 429]);
      assert.equal(await from('2001:db8:1:3::1'), 200, 'the next /64 is another client');
    } finally {
      await limited.close();
    }
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const forged = { 'x-forwarded-for': '203.0.113.9' };
    const staff = await makeStaff(p, 'HOTLINE', ['agent']);
    await login(staff.username, PASSWORD, forged);
    const ipOfLastLogin = async () => (await p.db.pool.query(
      `SELECT ip FROM audit_log WHERE subject_id = $1 AND action = 'auth.login' ORDER BY id DESC LIMIT 1`, [staff.id])).rows[0].ip;
    assert.equal(await ipOfLastLogin(), '127.0.0.1', 'a client cannot choose the address the audit records');
    const behindProxy = await buildApp({ ...p, config: { ...p.config, trustProxy: ['127.0.0.1'] } });
    try {
      await login(staff.username, PASSWORD, forged, behindProxy);
      assert.equal(await ipOfLastLogin(), '203.0.113.9', 'the configured proxy tells the client address');
    } finally {
      await behindProxy.close();
    }
  });

  it('takes a change of rights, a deactivation or a password reset on the very next request', async () => {
    const staff = await makeStaff(p, 'HOTLINE', ['agent', 'lead']);
    const token = await tokenFor(staff.username);
    const agentToken = await tokenFor((await makeStaff(p, 'HOTLINE', ['agent'])).username);
    const order = (await app.inject({ method: 'POST', url: '/api/v1/orders', headers: auth(agentToken), payload: orderInput() })).json();
    const phoneSeen = async () => (await app.inject({ url: `/api/v1/orders/${order.id}`, headers: auth(token) }));
    assert.equal((await phoneSeen()).json().citizen.visibility, 'full');
    const patch = (body: object) => app.inject({ method: 'PATCH', url: `/api/v1/staff/${staff.id}`, headers: auth(adminToken), payload: body });
    assert.equal((await patch({ roles: ['leader'] })).statusCode, 200);
    assert.equal((await phoneSeen()).json().citizen.visibility, 'masked', 'demoted at once');
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: auth(token) })).json().roles.join(), 'leader');
    assert.equal((await patch({ active: false })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: auth(token) })).statusCode, 401, 'deactivated at once');
    // signing in to the closed account with its right password is refused, and audited
    const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: staff.username, password: PASSWORD } });
    assert.equal(refused.json().error.code, 'AUTH_ACCOUNT_DISABLED');
    assert.equal((await auditOf(staff.id))['auth.login_refused'], 1);
    await patch({ active: true, roles: ['agent'] });
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: auth(token) })).statusCode, 200);
    await app.inject({ method: 'POST', url: `/api/v1/staff/${staff.id}/password`, headers: auth(adminToken), payload: { password: 'another-long-password' } });
    assert.equal((await app.inject({ url: '/api/v1/auth/me', headers: auth(token) })).statusCode, 401, 'signed out by the reset');
  });

  it('answers a replayed channel reference only to its first caller with the same content', async () => {
    const key = async (name: string) => (await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: auth(adminToken),
      payload: { name, scopes: ['orders:create'] } })).json().key as string;
    const [wechat, sms] = [await key('微信公众号'), await key('短信网关')];
    const agentToken = await tokenFor((await makeStaff(p, 'HOTLINE', ['agent'])).username);
    const send = (headers: Record<string, string>, payload: object) => app.inject({ method: 'POST', url: '/api/v1/orders', headers, payload });
    const message = orderInput({ channel: 'wechat', channelRef: 'wx-replay-1', title: '小区路灯不亮', body: '和平路3号院路灯坏了一周' });
    const first = await send({ 'x-api-key': wechat }, message);
    assert.equal(first.statusCode, 201);
    const retry = await send({ 'x-api-key': wechat }, message);
    assert.deepEqual([retry.statusCode, retry.json().id], [200, first.json().id], 'a retry gets the order it made');
    for (const [who, headers, payload] of [
      ['another key', { 'x-api-key': sms }, message],
      ['a staff member', auth(agentToken), message],
      ['the same key with other content', { 'x-api-key': wechat }, { ...message, body: '别的内容' }],
    ] as const) {
      const replay = await send(headers, payload);
      assert.equal(replay.statusCode, 409, who);
      assert.equal(replay.json().error.code, 'IDEMPOTENCY_CONFLICT', who);
      assert.ok(!replay.body.includes('路灯') && !replay.body.includes(first.json().id), `${who} learns nothing of the first order`);
    }
    const count = await p.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE channel_ref = 'wx-replay-1'`);
    assert.equal(count.rows[0].n, 1);
  });

  it('sends nosniff everywhere, no-store on the API, and a Content-Security-Policy', async () => {
    const token = await tokenFor((await makeStaff(p, 'HOTLINE', ['agent'])).username);
    for (const url of ['/api/v1/orders?limit=1', '/api/v1/nothing', '/healthz', '/openapi.json']) {
      const res = await app.inject({ url, headers: auth(token) });
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['cache-control'], 'no-store', url);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, url);
    }
    const refused = await app.inject({ url: '/api/v1/orders' });
    assert.deepEqual([refused.statusCode, refused.headers['cache-control']], [401, 'no-store']);
    const docs = await app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
  });
});
