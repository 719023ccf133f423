import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { drainConsumers } from '../../platform.js';
import { CODE_MINUTES, signInCitizen, type Actor } from '../auth/index.js';
import { answerByUnit, citizenToken, makeStaff, multipart, PNG, registerTestOrder, startTestApp, startTestPlatform,
  type TestPlatform } from '../../testing/harness.js';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES, type AliyunSmsStandIn } from '../../testing/aliyun-sms-stand-in.js';
import { AliyunSms, lookupCode, sendDueMessages, sendSignInCode, type Messenger } from './index.js';

describe('the mobile app: citizens sign in by phone and follow their own requests', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let standIn: AliyunSmsStandIn;
  let sms: Messenger;
  let agent: Actor & { username: string };
  let agentToken: string;

  before(async () => {
    p = await startTestPlatform();
    standIn = await startAliyunSmsStandIn();
    p.config.aliyunSms = { endpoint: standIn.url, accessKeyId: standIn.accessKeyId, accessKeySecret: standIn.accessKeySecret,
      signName: '济南12345', templates: STAND_IN_TEMPLATES };
    sms = new AliyunSms({ ...p.config.aliyunSms, timeoutMs: 5_000 });
    let tokenFor: (username: string) => Promise<string>;
    ({ app, tokenFor } = await startTestApp(p));
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    agentToken = await tokenFor(agent.username);
  });
  after(async () => {
    await app.close();
    await standIn.close();
    await p.close();
  });

  /** A mobile number no other test uses. */
  const phone = () => `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  /** The code of the latest sign-in SMS to `to`, as the citizen reads it. */
  const codeSentTo = (to: string) => standIn.sent.filter((m) => m.phone === to && m.templateCode === STAND_IN_TEMPLATES.sign_in_code).at(-1)?.params.code;
  const askCode = (to: string) => app.inject({ method: 'POST', url: '/api/v1/app/sign-in/code', payload: { phone: to } });
  const signIn = (to: string, code: string) => app.inject({ method: 'POST', url: '/api/v1/app/sign-in', payload: { phone: to, code } });
  const submit = (token: string, body: object) => app.inject({ method: 'POST', url: '/api/v1/app/requests', headers: bearer(token), payload: body });
  const request = (overrides: object = {}) => ({ clientRef: randomUUID(), requestType: 'complaint', body: '小区门口的路灯坏了一个星期，晚上很黑，老人出门不安全。',
    confidential: false, ...overrides });

  test('the code comes by SMS, signs in once, and a wrong one counts against it', async () => {
    const to = phone();
    const asked = await askCode(`+86 ${to.slice(0, 3)}-${to.slice(3)}`);
    assert.equal(asked.statusCode, 200, asked.body);
    assert.equal(asked.json().resendAfterSeconds, 60);
    const code = codeSentTo(to);
    assert.match(code ?? '', /^\d{6}$/, 'a six-digit code in the sign-in template, to the number given');

    const wrong = await signIn(to, code === '000000' ? '000001' : '000000');
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().error.code, 'APP_CODE_WRONG');
    assert.match(wrong.json().error.message, /还可以再试 4 次/);

    const first = await signIn(to, code!);
    assert.equal(first.statusCode, 200, first.body);
    const { token, citizen } = first.json();
    assert.match(token, /^msa_/);
    assert.equal(citizen.phone, to);
    const again = await signIn(to, code!);
    assert.equal(again.json().error.code, 'APP_CODE_EXPIRED', 'a code signs in once');

    const me = await app.inject({ url: '/api/v1/app/me', headers: bearer(token) });
    assert.deepEqual(me.json(), { id: citizen.id, phone: to });
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/app/sign-out', headers: bearer(token) })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/v1/app/me', headers: bearer(token) })).statusCode, 401, 'signed out on the next request');
  });

  test('codes are limited per phone: one a minute, five an hour; a code expires, and dies after five wrong tries', async () => {
    const to = phone();
    const start = new Date();
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    assert.equal((await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(0))).sent, true);
    const soon = await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(30));
    assert.deepEqual(soon, { sent: false, retryAfterSeconds: 30 });
    for (const minute of [1, 2, 3, 4]) assert.equal((await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(minute * 61))).sent, true);
    const sixth = await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(6 * 61));
    assert.deepEqual(sixth, { sent: false, retryAfterSeconds: 3600 - 6 * 61 }, 'the sixth of the hour waits for the hour to end');
    assert.equal((await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(3600))).sent, true, 'a new hour, a new count');

    // only the latest code works, and only for CODE_MINUTES
    const latest = codeSentTo(to)!;
    const signInAt = (code: string, seconds: number) => signInCitizen(p.db.pool, p.config.cityCode, to, code, { sessionDays: 1 }, at(seconds))
      .then(() => 'signed in', (error: { code: string }) => error.code);
    assert.equal(await signInAt(latest, 3600 + CODE_MINUTES * 60 + 1), 'APP_CODE_EXPIRED');

    await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(3700));
    const code = codeSentTo(to)!;
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 4; i++) assert.equal(await signInAt(wrong, 3701), 'APP_CODE_WRONG');
    assert.equal(await signInAt(wrong, 3701), 'APP_CODE_EXPIRED', 'the fifth wrong try ends the code');
    assert.equal(await signInAt(code, 3702), 'APP_CODE_EXPIRED', 'the right code after five wrong ones is too late');

    // wrong tries sent at once are taken one after another: the fifth ends the code, the rest find it ended
    assert.equal((await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(3770))).sent, true);
    const guessed = codeSentTo(to)!;
    const guesses = Array.from({ length: 11 }, (_, i) => String(i * 90_001).padStart(6, '0')).filter((g) => g !== guessed).slice(0, 10);
    const outcomes = await Promise.all(guesses.map((g) => signInAt(g, 3771)));
    assert.deepEqual(outcomes.filter((o) => o === 'APP_CODE_WRONG').length, 4, 'ten guesses at once: four told wrong, the fifth ends the code');
    assert.equal(await signInAt(guessed, 3772), 'APP_CODE_EXPIRED', 'the right code is too late after ten wrong ones sent at once');

    // two sign-ins with one code at the same moment: one session
    assert.equal((await sendSignInCode(p.db.pool, p.config.cityCode, sms, to, at(3840))).sent, true);
    const both = await Promise.all([signInAt(codeSentTo(to)!, 3841), signInAt(codeSentTo(to)!, 3841)]);
    assert.deepEqual(both.sort(), ['APP_CODE_EXPIRED', 'signed in']);
  });

  test('a number that is not a mobile gets a clear error; the HTTP route answers 429 with Retry-After', async () => {
    assert.equal((await askCode('phone me')).json().error.code, 'VALIDATION_FAILED');
    for (const number of ['0531-12345678', '12012345678']) {
      const refused = await askCode(number);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'APP_PHONE_INVALID', `${number}: a landline or no number at all gets no SMS`);
    }
    const to = phone();
    assert.equal((await askCode(to)).statusCode, 200);
    const soon = await askCode(to);
    assert.equal(soon.statusCode, 429);
    assert.equal(soon.json().error.code, 'APP_CODE_TOO_SOON');
    assert.ok(Number(soon.headers['retry-after']) > 0 && Number(soon.headers['retry-after']) <= 60);
  });

  test('a request with its photo and place becomes one order however often the app retries it, on the citizen\'s list', async () => {
    const to = phone();
    const token = await citizenToken(p, to);
    const clientRef = randomUUID();
    const upload = multipart('路灯.png', PNG);
    const photo = await app.inject({ method: 'POST', url: `/api/v1/app/attachments?clientRef=${clientRef}`, payload: upload.payload,
      headers: { ...upload.headers, ...bearer(token) } });
    assert.equal(photo.statusCode, 201, photo.body);
    const body = request({ clientRef, name: '王女士', place: { lat: 36.6512, lng: 117.1201, address: '历下区解放路100号' }, attachmentIds: [photo.json().id] });
    const first = await submit(token, body);
    assert.equal(first.statusCode, 201, first.body);
    const retries = await Promise.all([submit(token, body), submit(token, body)]);
    for (const retry of retries) {
      assert.equal(retry.statusCode, 200, retry.body);
      assert.deepEqual({ ...(retry.json() as object), created: true }, first.json(), 'a retry gets the first answer');
    }
    const { trackingNo, lookupCode: code } = first.json();
    assert.equal(code, await lookupCode(p.db.pool, p.config.cityCode, trackingNo), 'the portal\'s lookup code: the request can be followed anywhere');
    const orders = await p.db.pool.query('SELECT channel, citizen_phone, citizen_name, lat, lng, location_address, title FROM orders WHERE tracking_no = $1', [trackingNo]);
    assert.equal(orders.rowCount, 1);
    assert.deepEqual({ ...orders.rows[0], lat: Number(orders.rows[0].lat), lng: Number(orders.rows[0].lng) },
      { channel: 'app', citizen_phone: to, citizen_name: '王女士', lat: 36.6512, lng: 117.1201, location_address: '历下区解放路100号',
        title: '小区门口的路灯坏了一个星期，晚上很黑，老人出门不安全。'.slice(0, orders.rows[0].title.length) });

    const changed = await submit(token, { ...body, body: '另一件事：楼道里堆满了杂物，存在消防隐患。' });
    assert.equal(changed.json().error.code, 'IDEMPOTENCY_CONFLICT', 'the same reference with other words is not a retry');

    const list = await app.inject({ url: '/api/v1/app/requests', headers: bearer(token) });
    assert.deepEqual(list.json().items.map((i: { trackingNo: string; submitted: boolean; channel: string }) => [i.trackingNo, i.submitted, i.channel]),
      [[trackingNo, true, 'app']]);
    // a crash between the order and the list: the list's next read puts it back
    await p.db.pool.query('DELETE FROM app_requests WHERE order_id = (SELECT id FROM orders WHERE tracking_no = $1)', [trackingNo]);
    const healed = await app.inject({ url: '/api/v1/app/requests', headers: bearer(token) });
    assert.deepEqual(healed.json().items.map((i: { trackingNo: string }) => i.trackingNo), [trackingNo]);
    const detail = await app.inject({ url: `/api/v1/app/requests/${trackingNo}`, headers: bearer(token) });
    assert.equal(detail.statusCode, 200, detail.body);
    assert.deepEqual(detail.json().attachments, [{ name: '路灯.png', contentType: 'image/png', size: PNG.length }]);
    assert.deepEqual(detail.json().steps.map((s: { step: string }) => s.step), ['registered']);
  });

  test('a citizen reaches only their own requests; staff and citizens keep to their own routes', async () => {
    const mine = await citizenToken(p, phone());
    const theirs = await citizenToken(p, phone());
    const { trackingNo } = (await submit(mine, request())).json();
    const peek = await app.inject({ url: `/api/v1/app/requests/${trackingNo}`, headers: bearer(theirs) });
    assert.equal(peek.statusCode, 404);
    const rate = await app.inject({ method: 'POST', url: `/api/v1/app/requests/${trackingNo}/rating`, headers: bearer(theirs),
      payload: { solved: true, satisfaction: 'satisfied' } });
    assert.equal(rate.statusCode, 404);
    const guess = await app.inject({ method: 'POST', url: '/api/v1/app/follows', headers: bearer(theirs), payload: { trackingNo, code: 'AAAAAAAA' } });
    assert.equal(guess.json().error.code, 'PORTAL_LOOKUP_FAILED', 'following needs the lookup code');
    assert.deepEqual((await app.inject({ url: '/api/v1/app/requests', headers: bearer(theirs) })).json().items, []);

    assert.equal((await app.inject({ url: '/api/v1/app/requests', headers: bearer(agentToken) })).statusCode, 403, 'a staff session is no citizen');
    assert.equal((await app.inject({ url: '/api/v1/app/requests' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/v1/orders', headers: bearer(mine) })).statusCode, 403, 'a citizen session opens no staff route');
    assert.equal((await app.inject({ url: '/api/v1/app/requests', headers: bearer('msa_not-a-session') })).statusCode, 401);
  });

  test('a request phoned in is followed with its number and code, its answer told by SMS, rated in the app, and let go', async () => {
    const to = phone();
    const token = await citizenToken(p, to);
    const order = await registerTestOrder(p, agent, { channel: 'phone', citizen: { name: '李先生', phone: to } });
    const code = await lookupCode(p.db.pool, p.config.cityCode, order.trackingNo);
    const followed = await app.inject({ method: 'POST', url: '/api/v1/app/follows', headers: bearer(token), payload: { trackingNo: order.trackingNo, code } });
    assert.equal(followed.statusCode, 200, followed.body);
    const own = (await submit(token, request())).json();

    await answerByUnit(p, order.id);
    const list = (await app.inject({ url: '/api/v1/app/requests', headers: bearer(token) })).json();
    assert.deepEqual(list.items.map((i: { trackingNo: string; submitted: boolean }) => [i.trackingNo, i.submitted]),
      [[own.trackingNo, true], [order.trackingNo, false]], 'newest first');
    const detail = (await app.inject({ url: `/api/v1/app/requests/${order.trackingNo}`, headers: bearer(token) })).json();
    assert.equal(detail.answer.text, '经检测，水箱已清洗消毒，水质恢复正常。');
    assert.equal(detail.rating.open, true);
    assert.ok(!JSON.stringify(detail).includes(agent.username), 'no staff names');

    const rated = await app.inject({ method: 'POST', url: `/api/v1/app/requests/${order.trackingNo}/rating`, headers: bearer(token),
      payload: { solved: true, satisfaction: 'satisfied', comment: '处理很及时' } });
    assert.equal(rated.statusCode, 200, rated.body);
    assert.equal(rated.json().state, 'closed', 'solved and satisfied closes it, as a return visit would');

    const keepOwn = await app.inject({ method: 'DELETE', url: `/api/v1/app/follows/${own.trackingNo}`, headers: bearer(token) });
    assert.equal(keepOwn.json().error.code, 'APP_REQUEST_OWN');
    assert.equal((await app.inject({ method: 'DELETE', url: `/api/v1/app/follows/${order.trackingNo}`, headers: bearer(token) })).statusCode, 204);
    assert.equal((await app.inject({ url: `/api/v1/app/requests/${order.trackingNo}`, headers: bearer(token) })).statusCode, 404);
  });

  test("the answer to a request from the app is told by SMS at the citizen's number, without the SMS survey", async () => {
    const to = phone();
    const token = await citizenToken(p, to);
    const { trackingNo, lookupCode: code } = (await submit(token, request())).json();
    const { rows: [order] } = await p.db.pool.query('SELECT id FROM orders WHERE tracking_no = $1', [trackingNo]);
    await answerByUnit(p, order.id);
    await drainConsumers(p);
    const before = standIn.sent.length;
    await sendDueMessages(p.db.pool, [sms], new Date());
    const told = standIn.sent.slice(before).filter((m) => m.phone === to);
    assert.deepEqual(told.map((m) => [m.templateCode, m.params]), [[STAND_IN_TEMPLATES.reply, { trackingNo, lookupCode: code }]],
      'the reply notice only: no intake SMS (the app showed the number), no survey (the app rates)');
  });

  test('pages of the list follow each other without a gap or a repeat', async () => {
    const token = await citizenToken(p, phone());
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.unshift((await submit(token, request({ body: `第${i}件：楼下餐馆油烟很大，影响居民开窗通风。` }))).json().trackingNo);
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const res: { statusCode: number; body: string; json(): any } = await app.inject({ url: `/api/v1/app/requests?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`, headers: bearer(token) });
      assert.equal(res.statusCode, 200, res.body);
      seen.push(...res.json().items.map((i: { trackingNo: string }) => i.trackingNo));
      before = res.json().next;
    } while (before);
    assert.deepEqual(seen, made);
    assert.equal((await app.inject({ url: '/api/v1/app/requests?before=yesterday', headers: bearer(token) })).json().error.code, 'VALIDATION_FAILED');
  });
});
