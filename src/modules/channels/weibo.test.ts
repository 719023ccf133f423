import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import { drainConsumers } from '../../platform.js';
import { answerByUnit, startTestApp, startTestPlatform, WEIBO_TEST_SECRET, WEIBO_TEST_UID, type TestPlatform } from '../../testing/harness.js';
import { startWeiboApiStandIn, type WeiboApiStandIn } from '../../testing/social-api-stand-ins.js';
import { lookupCode, messagesOfOrder, nonceHolds, sendDueMessages, sha1Signature, WeiboApi } from './index.js';
import { BEIJING_OFFSET_MS } from '../../shared/beijing.js';

describe("Weibo's fan service: /weibo/callback", () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let api: WeiboApiStandIn;
  let messenger: WeiboApi;

  before(async () => {
    p = await startTestPlatform();
    ({ app } = await startTestApp(p));
    api = await startWeiboApiStandIn();
    messenger = new WeiboApi({ baseUrl: api.url, accessToken: api.accessToken, publicUrl: p.config.publicUrl, timeoutMs: 5_000 });
  });
  after(async () => {
    await app.close();
    await api.close();
    await p.close();
  });

  const ACCOUNT = Number(WEIBO_TEST_UID);
  const sender = () => String(randomInt(1e9, 1e10));
  /** The query Weibo signs a push with: SHA-1 of the app secret, timestamp (milliseconds, as in Weibo's examples) and nonce. */
  function signed(at = Date.now(), secret = WEIBO_TEST_SECRET) {
    const timestamp = String(at);
    const nonce = String(randomInt(1e8, 1e9));
    return { timestamp, nonce, signature: sha1Signature(secret, timestamp, nonce) };
  }
  const url = (query: Record<string, string>) => `/weibo/callback?${new URLSearchParams(query)}`;
  /** A push as Weibo's documentation writes it (created_at in its own format). */
  const push = (from: string, type: string, fields: Record<string, unknown> = {}, at = new Date()) => ({
    type, receiver_id: ACCOUNT, sender_id: Number(from), created_at: weiboTime(at), text: '', data: {}, ...fields,
  });
  const post = (body: unknown, query: Record<string, string> = signed()) => app.inject({ method: 'POST', url: url(query), payload: body as object });
  /** The text of a passive reply: its data is the reply's JSON, URL-encoded. */
  const replyText = (body: string) => JSON.parse(decodeURIComponent(JSON.parse(body).data)).text as string;
  const ordersOf = async (from: string) =>
    (await p.db.pool.query("SELECT id, tracking_no, body FROM orders WHERE channel = 'weibo' AND channel_ref LIKE $1 ORDER BY created_at", [`${from}:%`])).rows;
  const supplements = async (orderId: string) =>
    (await p.db.pool.query("SELECT payload FROM events WHERE stream_id = $1 AND type = 'order.supplemented' ORDER BY seq", [orderId])).rows.map((r) => r.payload);

  test("answers Weibo's check of the address with echostr when the signature holds, and refuses it otherwise", async () => {
    const ok = await app.inject({ method: 'GET', url: url({ ...signed(), echostr: 'vIuz5ekD' }) });
    assert.deepEqual([ok.statusCode, ok.body], [200, 'vIuz5ekD']);
    const forged = await app.inject({ method: 'GET', url: url({ ...signed(Date.now(), 'another-secret'), echostr: 'x' }) });
    assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'WEIBO_SIGNATURE_INVALID']);
    const stale = await app.inject({ method: 'GET', url: url({ ...signed(Date.now() - 10 * 60_000), echostr: 'x' }) });
    assert.deepEqual([stale.statusCode, stale.json().error.code], [401, 'WEIBO_STALE']);
    // a timestamp in seconds is read as seconds
    const seconds = String(Math.floor(Date.now() / 1000));
    const inSeconds = await app.inject({ method: 'GET', url: url({ timestamp: seconds, nonce: '1', signature: sha1Signature(WEIBO_TEST_SECRET, seconds, '1'), echostr: 'y' }) });
    assert.equal(inSeconds.body, 'y');
    const unconfigured = await buildApp({ ...p, config: { ...p.config, weiboAppSecret: '' } });
    try {
      const res = await unconfigured.inject({ method: 'GET', url: url({ ...signed(), echostr: 'x' }) });
      assert.deepEqual([res.statusCode, res.json().error.code], [503, 'WEIBO_NOT_CONFIGURED']);
    } finally {
      await unconfigured.close();
    }
  });

  test('a private message is a request answered with its tracking number and link; every push of it gets the same answer and one order', async () => {
    const from = sender();
    const message = push(from, 'text', { text: '槐荫区经十西路一处工地夜间施工，噪音很大。' });
    const answers = await Promise.all([post(message), post(message), post(message)]);
    for (const res of answers) assert.equal(res.statusCode, 200, res.body);
    const orders = await ordersOf(from);
    assert.equal(orders.length, 1);
    const reply = JSON.parse(answers[0]!.body);
    assert.deepEqual([reply.result, reply.receiver_id, reply.sender_id, reply.type], [true, Number(from), ACCOUNT, 'text']);
    const code = await lookupCode(p.db.pool, p.config.cityCode, orders[0].tracking_no);
    assert.ok(replyText(answers[0]!.body).includes(`https://12345.example.gov.cn/portal/track#no=${orders[0].tracking_no}&code=${code}`));
    assert.equal(new Set(answers.map((r) => replyText(r.body))).size, 1, 'the same answer each time');
    // a signed query carries the body it came with, again, and no other
    const query = signed();
    assert.equal((await post(message, query)).statusCode, 200);
    assert.equal((await post(message, query)).statusCode, 200);
    const forged = await post(push(sender(), 'text', { text: '借用别人的签名' }), query);
    assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'WEIBO_SIGNATURE_INVALID']);
    // a nonce is kept 10 minutes: after that it may come again, with any body
    const later = new Date(Date.now() + 11 * 60_000);
    assert.equal(await nonceHolds(p.db.pool, 'weibo', query.nonce, 'another body', later), true);
    assert.equal(await nonceHolds(p.db.pool, 'weibo', query.nonce, 'a third body', later), false);
    // the same words a minute later are another message, another request; an @-mention is one too
    await post(push(from, 'text', { text: message.text }, new Date(Date.now() + 60_000)));
    await post(push(from, 'mention', { text: '@济南12345 小区门口的路灯坏了' }));
    assert.deepEqual((await ordersOf(from)).map((o) => o.body), [message.text, message.text, '@济南12345 小区门口的路灯坏了']);
    // two messages in one second are two; one pushed again with its data's keys in another order and a field more is one
    const other = sender();
    const second = new Date();
    await post(push(other, 'text', { text: '第一条' }, second));
    await post(push(other, 'text', { text: '第二条' }, second));
    await post(push(other, 'text', { text: '第一条', data: { extra: 'x' } }, second));
    assert.deepEqual((await ordersOf(other)).map((o) => o.body).sort(), ['第一条', '第二条']);
    const counts = (await p.db.pool.query("SELECT outcome, sum(n)::int AS n FROM channel_counts WHERE channel = 'weibo' GROUP BY outcome ORDER BY outcome")).rows;
    assert.ok(counts.find((c) => c.outcome === 'accepted')?.n >= 5 && counts.find((c) => c.outcome === 'duplicate')?.n >= 2, JSON.stringify(counts));
  });

  test("a place or a photo joins the sender's latest request; a follow is welcomed, an unfollow answered with nothing", async () => {
    const from = sender();
    assert.match(replyText((await post(push(from, 'position', { data: { longitude: '117.0009', latitude: '36.6758' } }))).body), /请先用文字描述/);
    await post(push(from, 'text', { text: '大明湖路人行道地砖破损' }));
    const [order] = await ordersOf(from);
    const place = push(from, 'position', { data: { longitude: '117.0009', latitude: '36.6758' } }, new Date(Date.now() + 1000));
    for (let i = 0; i < 2; i++) assert.match(replyText((await post(place)).body), /已收到您的位置/);
    // the same place pushed again with its data's keys the other way round is the same message
    assert.match(replyText((await post({ ...place, data: { latitude: '36.6758', longitude: '117.0009' } })).body), /已收到您的位置/);
    assert.match(replyText((await post(push(from, 'image', { data: { vfid: 821804459, tovfid: 821804460 } }, new Date(Date.now() + 2000)))).body), /已收到您的图片/);
    const added = await supplements(order.id);
    assert.deepEqual(added.map((s) => [s.kind, s.lat, s.lng, s.mediaId]), [['location', 36.6758, 117.0009, undefined], ['image', undefined, undefined, '821804459']]);
    assert.match(replyText((await post(push(from, 'event', { data: { subtype: 'follow' } }))).body), /欢迎关注/);
    const unfollow = await post(push(from, 'event', { data: { subtype: 'unfollow' } }));
    assert.deepEqual([unfollow.statusCode, unfollow.body], [200, '']);
  });

  test('refuses what is not a push from Weibo with the documented error, and registers nothing', async () => {
    const from = sender();
    const text = push(from, 'text', { text: '不应受理' });
    const cases: [string, unknown, Record<string, string>, string, number][] = [
      ['unsigned', text, {}, 'WEIBO_SIGNATURE_INVALID', 401],
      ['signed with another secret', text, signed(Date.now(), 'another-secret'), 'WEIBO_SIGNATURE_INVALID', 401],
      ['stale', text, signed(Date.now() - 6 * 60_000), 'WEIBO_STALE', 401],
      ['a time that is none', { ...text, created_at: 'yesterday-ish' }, signed(), 'WEIBO_MESSAGE_UNREADABLE', 400],
      ['a place without coordinates', push(from, 'position', { data: { longitude: '', latitude: '' } }), signed(), 'WEIBO_MESSAGE_UNREADABLE', 400],
      ...[null, true, [], ' ', { toString: 1 }, 1e999].map((v): [string, unknown, Record<string, string>, string, number] =>
        [`a latitude of ${JSON.stringify(v)}`, push(from, 'position', { data: { longitude: 117, latitude: v } }), signed(), 'WEIBO_MESSAGE_UNREADABLE', 400]),
      ['a time without its offset', { ...text, created_at: 'Mon Jul 16 18:09:20 2012' }, signed(), 'WEIBO_MESSAGE_UNREADABLE', 400],
      ['no sender', { ...text, sender_id: undefined }, signed(), 'VALIDATION_FAILED', 400],
      ['a sender that is not an id', { ...text, sender_id: '../../etc' }, signed(), 'VALIDATION_FAILED', 400],
      ["to another account than the hotline's (WEIBO_UID)", { ...text, receiver_id: 1234567890 }, signed(), 'WEIBO_WRONG_ACCOUNT', 403],
    ];
    for (const [what, body, query, code, status] of cases) {
      const res = await post(body, query);
      assert.deepEqual([res.statusCode, res.json().error?.code], [status, code], what);
    }
    // an image whose id is an object: no id, never a 500 (nothing to join: the sender has no request)
    const odd = await post(push(from, 'image', { data: { vfid: { toString: 1 } } }));
    assert.equal(odd.statusCode, 200);
    // a signature given twice is none (an array before validation), on both methods
    const twice = `/weibo/callback?timestamp=${Date.now()}&nonce=1&signature=a&signature=b&echostr=x`;
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: twice, ...(method === 'POST' ? { payload: text } : {}) });
      assert.deepEqual([res.statusCode, res.json().error.code], [401, 'WEIBO_SIGNATURE_INVALID'], method);
    }
    assert.equal((await app.inject({ method: 'GET', url: url(signed()) })).json().error.code, 'WEIBO_SIGNATURE_INVALID', 'no echostr');
    assert.deepEqual(await ordersOf(from), []);
  });

  test("the unit's answer and the survey reach the sender as private messages; their 3 is an unsatisfied return visit; a closed window fails once", async () => {
    const from = sender();
    await post(push(from, 'text', { text: '市中区英雄山路路灯连续一周不亮。' }));
    const [order] = await ordersOf(from);
    await answerByUnit(p, order.id, '已安排维修，路灯已恢复照明。');
    await drainConsumers(p);
    await sendDueMessages(p.db.pool, [messenger]);
    const sent = api.sent.filter((m) => m.receiverId === from);
    const code = await lookupCode(p.db.pool, p.config.cityCode, order.tracking_no);
    assert.equal(sent.length, 2);
    assert.ok(sent[0]!.text.includes(`https://12345.example.gov.cn/portal/track#no=${order.tracking_no}&code=${code}`), sent[0]!.text);
    assert.match(sent[1]!.text, /3 不满意/);
    const answer = push(from, 'text', { text: '3' });
    assert.match(replyText((await post(answer)).body), /感谢您的评价/);
    assert.match(replyText((await post(answer)).body), /感谢您的评价/, 'a push again: the same answer');
    const visits = (await p.db.pool.query(`SELECT payload FROM events WHERE stream_id = $1 AND type = 'order.visited'`, [order.id])).rows;
    assert.deepEqual(visits.map((v) => [v.payload.solved, v.payload.satisfaction]), [[false, 'unsatisfied']], 'two pushes, one visit');
    const state = (await p.db.pool.query('SELECT state FROM orders WHERE id = $1', [order.id])).rows[0].state;
    assert.equal(state, 'visited', 'unsatisfied: waits for the supervisor to reopen or close it');

    const late = sender();
    await post(push(late, 'text', { text: '天桥区北园大街人行道破损。' }));
    const [lateOrder] = await ordersOf(late);
    await answerByUnit(p, lateOrder.id);
    await drainConsumers(p);
    api.refuseNext(2, 21335); // the test's choice of a refusal for good: past the 48 hours, or unfollowed
    await sendDueMessages(p.db.pool, [messenger]);
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, lateOrder.id)).map((m) => [m.channel, m.kind, m.status]),
      [['weibo', 'reply', 'failed'], ['weibo', 'survey', 'failed']]);
    await sendDueMessages(p.db.pool, [messenger], new Date(Date.now() + 3_600_000));
    assert.equal(api.sent.filter((m) => m.receiverId === late).length, 0, 'never tried again');
  });
});

/** A time as Weibo writes created_at: "Mon Jul 16 18:09:20 +0800 2012" (Beijing time). */
function weiboTime(at: Date): string {
  const beijing = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const [day, date, month, year, time] = beijing.toUTCString().replace(',', '').split(' ').filter(Boolean);
  return `${day} ${month} ${date} ${time} +0800 ${year}`;
}
