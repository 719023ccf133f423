import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../auth/index.js';
import { drainConsumers } from '../../platform.js';
import { applyTransition, registerOrder } from '../orders/index.js';
import { answerByUnit, makeStaff, orderInput, registerTestOrder, SMS_CALLBACK_TEST_SECRET, startTestApp, startTestPlatform,
  type TestPlatform } from '../../testing/harness.js';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES, type AliyunSmsStandIn } from '../../testing/aliyun-sms-stand-in.js';
import { AliyunSms, backoffMs, lookupCode, messagesOfOrder, rpcSignature, sendDueMessages, settleOutbox, signCallback, startSender, MAX_ATTEMPTS,
  type Messenger } from './index.js';
import { beijingDate } from '../../shared/beijing.js';

describe('Alibaba Cloud SMS request signing', () => {
  test("gives the signatures of Alibaba Cloud's published examples", () => {
    // the RPC signing guide's example (DescribeRegions, GET, secret testsecret)
    assert.equal(rpcSignature('GET', { AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', SignatureVersion: '1.0', Timestamp: '2016-02-23T12:46:24Z', Version: '2014-05-26' },
    'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    // the SMS service's own example: SendSms with a Chinese signature name and a JSON template parameter
    assert.equal(rpcSignature('GET', { AccessKeyId: 'testId', Action: 'SendSms', Format: 'XML', OutId: '123', PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou', SignName: '阿里云短信测试专用', SignatureMethod: 'HMAC-SHA1', SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0', TemplateCode: 'SMS_71390007', TemplateParam: '{"customer":"test"}', Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25' }, 'testSecret'), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });
});

describe('SMS: requests in, the tracking number, the reply notice and the survey out', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let tokenFor: (username: string) => Promise<string>;
  let standIn: AliyunSmsStandIn;
  let provider: Messenger;
  let agent: Actor & { username: string };
  let water: Actor & { username: string };

  before(async () => {
    p = await startTestPlatform();
    ({ app, tokenFor } = await startTestApp(p));
    standIn = await startAliyunSmsStandIn();
    provider = new AliyunSms({ endpoint: standIn.url, accessKeyId: standIn.accessKeyId, accessKeySecret: standIn.accessKeySecret,
      signName: '济南12345', templates: STAND_IN_TEMPLATES, timeoutMs: 5_000 });
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
  });
  after(async () => {
    await app.close();
    await standIn.close();
    await p.close();
  });

  /** A phone number no other test uses. */
  const phone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  /** The gateway's callback, signed as docs/sms.md says (a fresh nonce each time unless given). */
  function deliver(messages: unknown[], sign: { secret?: string; at?: number; nonce?: string; raw?: string } = {}) {
    const body = sign.raw ?? JSON.stringify(messages);
    const timestamp = String(Math.floor((sign.at ?? Date.now()) / 1000));
    const nonce = sign.nonce ?? randomUUID();
    return app.inject({ method: 'POST', url: '/api/v1/public/sms/inbound', payload: body, headers: { 'content-type': 'application/json',
      'x-minsheng-timestamp': timestamp, 'x-minsheng-nonce': nonce,
      'x-minsheng-signature': signCallback(sign.secret ?? SMS_CALLBACK_TEST_SECRET, timestamp, nonce, body) } });
  }
  const sms = (from: string, content: string, sequence = randomUUID().slice(0, 8)) =>
    ({ phone_number: from, content, send_time: '2026-12-02 10:00:00', dest_code: '12345', sequence_id: sequence });
  const orderOf = async (trackingNo: string) => (await p.db.pool.query('SELECT id, channel, state, title FROM orders WHERE tracking_no = $1', [trackingNo])).rows[0];
  /** Sends what is due now, as the sender does; the messages the stand-in accepted meanwhile. */
  async function sendNow(at = new Date()) {
    const before = standIn.sent.length;
    await drainConsumers(p);
    await sendDueMessages(p.db.pool, [provider], at);
    return standIn.sent.slice(before);
  }

  test('a message becomes one order however often the gateway delivers it, and the citizen gets its number and lookup code', async () => {
    const from = phone();
    const message = sms(from, '解放路100号小区停水两天了，一直没有通知，请帮忙问问。');
    const first = await deliver([message]);
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().code, 0, 'the answer the gateway expects');
    const [result] = first.json().results;
    assert.deepEqual([result.kind, result.created], ['order', true]);
    const again = await deliver([message]); // the gateway retries: same message, signed afresh
    assert.deepEqual([again.json().results[0].trackingNo, again.json().results[0].created], [result.trackingNo, false]);
    const order = await orderOf(result.trackingNo);
    assert.deepEqual([order.channel, order.state, order.title], ['sms', 'registered', '解放路100号小区停水两天了，一直没有通知，请帮忙问问。']);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM orders WHERE citizen_phone = $1', [from])).rows[0].n, 1);

    const sent = await sendNow();
    assert.deepEqual(sent.map((m) => [m.phone, m.templateCode, m.signName]), [[from, STAND_IN_TEMPLATES.intake, '济南12345']]);
    assert.deepEqual(sent[0]!.params, { trackingNo: result.trackingNo, lookupCode: await lookupCode(p.db.pool, p.config.cityCode, result.trackingNo) });
    assert.deepEqual(await sendNow(), [], 'sent once: a second round finds nothing due');
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, order.id)).map((m) => [m.kind, m.status, m.attempts]), [['intake', 'sent', 1]]);
    // staff see what the citizen was told, on the order's page; a unit the order never reached does not
    const listed = await app.inject({ url: `/api/v1/orders/${order.id}/messages`, headers: { authorization: `Bearer ${await tokenFor(agent.username)}` } });
    assert.deepEqual(listed.json().map((m: { kind: string; status: string }) => [m.kind, m.status]), [['intake', 'sent']]);
    const stranger = await app.inject({ url: `/api/v1/orders/${order.id}/messages`, headers: { authorization: `Bearer ${await tokenFor(water.username)}` } });
    assert.equal(stranger.statusCode, 404);
  });

  test('an unsigned, wrongly signed, stale or replayed callback is refused and makes nothing', async () => {
    const from = phone();
    const body = [sms(from, '路灯不亮')];
    const unsigned = await app.inject({ method: 'POST', url: '/api/v1/public/sms/inbound', payload: body });
    assert.deepEqual([unsigned.statusCode, unsigned.json().error.code], [401, 'SMS_CALLBACK_UNSIGNED']);
    const forged = await deliver(body, { secret: 'not-the-gateway-secret' });
    assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'SMS_CALLBACK_UNSIGNED']);
    const stale = await deliver(body, { at: Date.now() - 6 * 60_000 });
    assert.deepEqual([stale.statusCode, stale.json().error.code], [401, 'SMS_CALLBACK_STALE']);
    const nonce = randomUUID();
    assert.equal((await deliver(body, { nonce })).statusCode, 200);
    const replayed = await deliver(body, { nonce });
    assert.deepEqual([replayed.statusCode, replayed.json().error.code], [409, 'SMS_CALLBACK_REPLAYED']);
    assert.equal((await p.db.pool.query('SELECT count(*)::int AS n FROM orders WHERE citizen_phone = $1', [from])).rows[0].n, 1,
      'only the signed, fresh delivery made an order');
    const bad = await deliver([{ phone_number: from, content: 'x' }]);
    assert.deepEqual([bad.statusCode, bad.json().error.code], [400, 'VALIDATION_FAILED'], 'a message without its id');
  });

  test("the signature covers the body's exact bytes, as the gateway sent them; one bad message does not hold back the others", async () => {
    const from = phone();
    const sequence = randomUUID().slice(0, 8);
    // spaced and escaped as some gateways write JSON: the same text once parsed, other bytes signed
    const raw = `[ {\n  "phone_number" : "${from}",\n  "content" : "\\u8def\\u706f\\u4e0d\\u4eae",\n  "sequence_id" : "${sequence}"\n} ]`;
    const spaced = await deliver([], { raw });
    assert.equal(spaced.statusCode, 200, spaced.body);
    assert.equal((await orderOf(spaced.json().results[0].trackingNo)).title, '路灯不亮');
    const reused = await deliver([sms(from, '另一件事：噪音扰民', sequence), sms(from, '小区门口垃圾没人清运')]);
    assert.equal(reused.statusCode, 200, 'the gateway is not made to retry the good messages');
    assert.deepEqual(reused.json().results.map((r: { kind: string; code?: string; created?: boolean }) => [r.kind, r.code ?? r.created]),
      [['ignored', 'IDEMPOTENCY_CONFLICT'], ['order', true]]);
  });

  /** An SMS request taken to the unit's reply; its messages so far sent. */
  async function repliedSmsRequest(from: string) {
    const { trackingNo } = (await deliver([sms(from, '小区二次供水水质发黄，烧开有沉淀。')])).json().results[0];
    const { id } = await orderOf(trackingNo);
    await answerByUnit(p, id);
    return { id: id as string, trackingNo: trackingNo as string };
  }

  test("the unit's reply brings a notice and the survey; the citizen's 1 is the return visit and closes the request", async () => {
    const from = phone();
    const { id, trackingNo } = await repliedSmsRequest(from);
    const sent = (await sendNow()).filter((m) => m.phone === from);
    assert.deepEqual(sent.map((m) => m.templateCode).sort(), [STAND_IN_TEMPLATES.intake, STAND_IN_TEMPLATES.reply, STAND_IN_TEMPLATES.survey].sort());
    assert.deepEqual(sent.find((m) => m.templateCode === STAND_IN_TEMPLATES.survey)!.params, { trackingNo });

    const answer = sms(from, ' １ '); // full-width, with spaces: as phones send it
    const rated = await deliver([answer]);
    assert.deepEqual(rated.json().results, [{ kind: 'rating', trackingNo, recorded: true }]);
    assert.equal((await orderOf(trackingNo)).state, 'closed', 'satisfied and solved: closed, like a return visit');
    const visit = (await p.db.pool.query(`SELECT payload FROM events WHERE stream_id = $1 AND type = 'order.visited'`, [id])).rows[0].payload;
    assert.deepEqual([visit.reached, visit.solved, visit.satisfaction], [true, true, 'satisfied']);
    const repeated = await deliver([answer]);
    assert.deepEqual(repeated.json().results, [{ kind: 'rating', trackingNo, recorded: false }], 'the same answer delivered again counts once');
    const stray = await deliver([sms(from, '2')]);
    assert.deepEqual(stray.json().results, [{ kind: 'ignored', reason: 'no_open_survey' }], 'a digit with no survey open is not a new request');
  });

  test('one answer delivered twice at once rates one request, when two surveys wait for it', async () => {
    const from = phone();
    const first = await repliedSmsRequest(from);
    const second = await repliedSmsRequest(from);
    await sendNow();
    const answer = sms(from, '1');
    const results = (await Promise.all([deliver([answer]), deliver([answer])])).map((r) => r.json().results[0]);
    assert.deepEqual(new Set(results.map((r) => r.trackingNo)).size, 1, JSON.stringify(results));
    const states = [(await orderOf(first.trackingNo)).state, (await orderOf(second.trackingNo)).state].sort();
    assert.deepEqual(states, ['closed', 'replied'], 'the newest survey answered, the other still open');
    const surveys = (await p.db.pool.query("SELECT answer_ref FROM outbox WHERE address = $1 AND kind = 'survey' ORDER BY answer_ref", [from])).rows;
    assert.deepEqual(surveys.map((r) => r.answer_ref), [answer.sequence_id, null], 'one message marked one survey');
  });

  test("a request merged into another hears that one's answer under its own number; its page says when and by whom, never the words", async () => {
    const [first, second] = [phone(), phone()];
    const target = (await deliver([sms(first, '英雄山路的路灯一周都不亮了。')])).json().results[0];
    const duplicate = (await deliver([sms(second, '英雄山路路灯坏了好几天，晚上很黑。')])).json().results[0];
    const [targetId, duplicateId] = [(await orderOf(target.trackingNo)).id, (await orderOf(duplicate.trackingNo)).id];
    await applyTransition(p.db.pool, agent, duplicateId, 'merge', { targetOrderId: targetId });
    await answerByUnit(p, targetId, '已联系第一位来信人，路灯已修复。');
    const sent = await sendNow();
    const to = (number: string) => sent.filter((m) => m.phone === number).map((m) => [m.templateCode, m.params.trackingNo]).sort();
    const { intake, reply, survey } = STAND_IN_TEMPLATES;
    assert.deepEqual(to(second), [[intake, duplicate.trackingNo], [reply, duplicate.trackingNo]].sort(), 'the notice, no survey: the visit is the target\'s');
    assert.deepEqual(to(first), [[intake, target.trackingNo], [reply, target.trackingNo], [survey, target.trackingNo]].sort());
    const code = await lookupCode(p.db.pool, p.config.cityCode, duplicate.trackingNo);
    const view = (await app.inject({ method: 'POST', url: '/api/v1/public/portal/track', payload: { trackingNo: duplicate.trackingNo, code } })).json();
    assert.equal(view.answer, null);
    assert.equal(view.mergedAnswer.unitName, '济南水务集团');
    assert.ok(!JSON.stringify(view).includes('第一位来信人'), "the other citizen's answer is not shown");
    assert.deepEqual(await sendNow(), [], 'each once');
    // merged after the answer: told of it then, on the channel its citizen used
    const late = phone();
    const third = (await deliver([sms(late, '英雄山路路灯的事，我上周也反映过。')])).json().results[0];
    const thirdId = (await orderOf(third.trackingNo)).id;
    await applyTransition(p.db.pool, agent, thirdId, 'merge', { targetOrderId: targetId });
    assert.deepEqual((await sendNow()).filter((m) => m.phone === late).map((m) => [m.templateCode, m.params.trackingNo]).sort(),
      [[intake, third.trackingNo], [reply, third.trackingNo]].sort());
    assert.deepEqual(await sendNow(), [], 'once');
  });

  test('an unsatisfied answer goes to the supervisor, as an unsatisfied return visit does', async () => {
    const from = phone();
    const { trackingNo } = await repliedSmsRequest(from);
    await sendNow();
    assert.deepEqual((await deliver([sms(from, '3')])).json().results, [{ kind: 'rating', trackingNo, recorded: true }]);
    assert.equal((await orderOf(trackingNo)).state, 'visited', 'waits for the supervisor to reopen or close it');
  });

  test('flow control is retried with back-off until the message goes; a refusal for good fails once, counted', async () => {
    const { trackingNo } = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '李先生', phone: phone() } }));
    const { id } = await orderOf(trackingNo);
    await drainConsumers(p);
    standIn.refuseNext(2, 'isv.BUSINESS_LIMIT_CONTROL');
    const t0 = new Date();
    assert.deepEqual(await sendNow(t0), [], 'refused: not sent');
    const [waiting] = (await p.db.pool.query('SELECT status, attempts, next_at FROM outbox WHERE order_id = $1', [id])).rows;
    assert.deepEqual([waiting.status, waiting.attempts, waiting.next_at.getTime()], ['pending', 1, t0.getTime() + backoffMs(1)]);
    assert.deepEqual(await sendNow(new Date(t0.getTime() + backoffMs(1) - 1000)), [], 'not before its time');
    assert.deepEqual(await sendNow(new Date(t0.getTime() + backoffMs(1))), [], 'refused again');
    const t2 = new Date(t0.getTime() + backoffMs(1) + backoffMs(2));
    assert.equal((await sendNow(t2)).length, 1, 'the third try goes');
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, id)).map((m) => [m.status, m.attempts]), [['sent', 3]]);

    const other = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '赵女士', phone: phone() } }));
    await drainConsumers(p);
    standIn.refuseNext(1, 'isv.MOBILE_NUMBER_ILLEGAL');
    await sendNow();
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, (await orderOf(other.trackingNo)).id)).map((m) => [m.status, m.attempts]), [['failed', 1]]);
    await sendNow(new Date(Date.now() + 3_600_000));
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, (await orderOf(other.trackingNo)).id)).map((m) => m.attempts), [1], 'never tried again');

    const throttled = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '钱先生', phone: phone() } }));
    const throttledId = (await orderOf(throttled.trackingNo)).id;
    await drainConsumers(p);
    standIn.refuseNext(MAX_ATTEMPTS, 'Throttling.User');
    let at = Date.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await sendNow(new Date(at));
      at += backoffMs(attempt);
    }
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, throttledId)).map((m) => [m.status, m.attempts]), [['failed', MAX_ATTEMPTS]],
      'out of tries: failed for good');
  });

  test('a send whose answer never came, or a claim a crash interrupted, is never sent again', async () => {
    const hungUp = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '孙先生', phone: phone() } }));
    await drainConsumers(p);
    standIn.hangUpNext();
    assert.deepEqual(await sendNow(), []);
    const hungUpId = (await orderOf(hungUp.trackingNo)).id;
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, hungUpId)).map((m) => m.status), ['unknown']);

    const crashed = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '周女士', phone: phone() } }));
    await drainConsumers(p);
    const crashedId = (await orderOf(crashed.trackingNo)).id;
    // as a sender leaves it when its process dies between the claim and the provider's answer
    await p.db.pool.query(`UPDATE outbox SET status = 'sending', attempts = 1, next_at = now() - interval '10 minutes' WHERE order_id = $1`, [crashedId]);
    assert.deepEqual(await sendNow(), []);
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, crashedId)).map((m) => m.status), ['unknown']);
    assert.deepEqual(await sendNow(new Date(Date.now() + 86_400_000)), [], 'not later either');

    // a proxy's error page instead of the API's answer: the message may have gone
    const proxied = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '吴先生', phone: phone() } }));
    await drainConsumers(p);
    standIn.refuseNext(1, '', 502);
    assert.deepEqual(await sendNow(), []);
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, (await orderOf(proxied.trackingNo)).id)).map((m) => m.status), ['unknown']);
  });

  test('two senders at once send each message once', async () => {
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push(await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '市民', phone: phone() } })));
    await drainConsumers(p);
    const before = standIn.sent.length;
    await Promise.all([sendDueMessages(p.db.pool, [provider]), sendDueMessages(p.db.pool, [provider])]);
    const sent = standIn.sent.slice(before).map((m) => m.params.trackingNo);
    assert.deepEqual([...sent].sort(), orders.map((o) => o.trackingNo).sort());
  });

  test('a message not sent within a day expires, counted; a sender with no provider only does that', async () => {
    const late = await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '郑女士', phone: phone() } }));
    await drainConsumers(p);
    const lateId = (await orderOf(late.trackingNo)).id;
    await settleOutbox(p.db.pool, new Date(Date.now() + 23 * 3_600_000));
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, lateId)).map((m) => m.status), ['pending'], 'within its day: waits');
    await settleOutbox(p.db.pool, new Date(Date.now() + 25 * 3_600_000));
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, lateId)).map((m) => m.status), ['expired']);
    assert.deepEqual(await sendNow(new Date(Date.now() + 26 * 3_600_000)), [], 'never sent after');
    const stop = startSender(p.db.pool, [], { pollMs: 60_000, log: (error) => { throw error; } });
    await stop(); // one round, settling only, then stopped: nothing to send through
  });

  test('expired messages are counted once per channel, however many; an event read more than a day after it (a loaded history) asks for none', async () => {
    const expiredCount = async () => Number((await p.db.pool.query(
      `SELECT coalesce(sum(n), 0) AS n FROM channel_counts WHERE channel = 'sms' AND detail = 'SMS_EXPIRED'`)).rows[0].n);
    const expiredRows = async () => Number((await p.db.pool.query(`SELECT count(*) AS n FROM outbox WHERE status = 'expired'`)).rows[0].n);
    for (let i = 0; i < 3; i++) await registerTestOrder(p, agent, orderInput({ channel: 'phone', citizen: { name: '市民', phone: phone() } }));
    const old = (await registerOrder(p.db.pool, agent, orderInput({ channel: 'phone', citizen: { name: '王先生', phone: phone() } }),
      new Date(Date.now() - 2 * 24 * 3_600_000))).order;
    await drainConsumers(p);
    assert.deepEqual(await messagesOfOrder(p.db.pool, p.config.cityCode, old.id), [], 'two days old when read: nothing queued');
    const [counted, rows] = [await expiredCount(), await expiredRows()];
    await settleOutbox(p.db.pool, new Date(Date.now() + 25 * 3_600_000));
    const newlyExpired = (await expiredRows()) - rows;
    assert.ok(newlyExpired >= 3);
    assert.equal((await expiredCount()) - counted, newlyExpired, 'every expired message counted');
  });

  test("the SMS channel's counters tell messages received, duplicates, refusals, sent and failed", async () => {
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    const { channelCounts } = await import('./index.js');
    const today = beijingDate(Date.now());
    const counts = (await channelCounts(p.db.pool, admin, { from: today, to: today })).find((c) => c.channel === 'sms')!;
    assert.ok(counts.accepted >= 4 && counts.duplicate >= 2 && counts.sent >= 6 && counts.failed >= 3, JSON.stringify(counts));
    assert.deepEqual(counts.refusals.map((r) => r.code).sort(), ['SMS_NO_OPEN_SURVEY']);
  });
});
