import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import { DomainError } from '../../shared/errors.js';
import { applyTransition } from '../orders/index.js';
import { drainConsumers } from '../../platform.js';
import { answerByUnit, makeStaff, startTestApp, startTestPlatform, WECHAT_TEST_ACCOUNT, type TestPlatform } from '../../testing/harness.js';
import { startWechatApiStandIn, type WechatApiStandIn } from '../../testing/social-api-stand-ins.js';
import { aesKeyOf, decryptMessage, encryptMessage, lookupCode, messagesOfOrder, mobileIn, readXml, sendDueMessages, WechatApi, wechatSignature } from './index.js';

const KEY = aesKeyOf(WECHAT_TEST_ACCOUNT.encodingAesKey)!;
const { token: TOKEN, appId: APPID } = WECHAT_TEST_ACCOUNT;

describe("WeChat's message encryption", () => {
  // WeChat's own example (the sample code of its message encryption guide)
  const encrypted = 'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';

  test("reads WeChat's documented example: its msg_signature holds, and it decrypts to the message sent to its AppID", () => {
    assert.equal(wechatSignature(TOKEN, '1409735669', '1320562132', encrypted), '5d197aaffba7e9b25a30732f161a50dee96bd5fa');
    assert.deepEqual(readXml(decryptMessage(KEY, encrypted, APPID)), { ToUserName: 'gh_10f6c3c3ac5a', FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668', MsgType: 'text', Content: 'abcdteT', MsgId: '6054768590064713728' });
    assert.throws(() => decryptMessage(KEY, encrypted, 'wx0000000000000000'), (e: unknown) => e instanceof DomainError && e.code === 'WECHAT_APPID_MISMATCH');
  });

  test('pads to 32-byte blocks (a whole block of 32 when the text fills its last), and reads back what it wrote', () => {
    // 16 random + 4 length + message + 18 (AppID): a 26-byte message fills two blocks exactly, 58 three
    for (const length of [0, 1, 25, 26, 27, 58, 500]) {
      const message = 'x'.repeat(length);
      const sealed = Buffer.from(encryptMessage(KEY, message, APPID), 'base64');
      const unpadded = 16 + 4 + length + APPID.length;
      assert.equal(sealed.length, unpadded + (32 - (unpadded % 32)), `length ${length}`);
      if (unpadded % 32 === 0) assert.equal(sealed.length, unpadded + 32, 'a whole block of padding');
      assert.equal(decryptMessage(KEY, sealed.toString('base64'), APPID), message);
    }
    assert.equal(decryptMessage(KEY, encryptMessage(KEY, '市民：楼道灯坏了', APPID), APPID), '市民：楼道灯坏了');
    // a ciphertext cut short, or not whole blocks, is unreadable, never an exception of another kind
    for (const broken of ['', 'AAAA', encrypted.slice(0, 44), Buffer.alloc(64).toString('base64')]) {
      assert.throws(() => decryptMessage(KEY, broken, APPID), (e: unknown) => e instanceof DomainError
        && ['WECHAT_MESSAGE_UNREADABLE', 'WECHAT_APPID_MISMATCH'].includes(e.code));
    }
    assert.equal(aesKeyOf('too-short'), null);
  });
});

describe('WeChat official account: /wechat/callback', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let api: WechatApiStandIn;
  let messenger: WechatApi;

  before(async () => {
    p = await startTestPlatform();
    ({ app } = await startTestApp(p));
    api = await startWechatApiStandIn(APPID);
    messenger = new WechatApi({ baseUrl: api.url, appId: APPID, appSecret: api.appSecret, replyTemplateId: api.templateId,
      publicUrl: p.config.publicUrl, timeoutMs: 5_000 });
  });
  after(async () => {
    await app.close();
    await api.close();
    await p.close();
  });

  const openid = () => `o${String(randomInt(1e9, 1e10))}TestFollower`;
  const msgId = () => `6${String(randomInt(1e9, 1e10))}${String(randomInt(1e8, 1e9))}`;
  /** The query WeChat signs a callback with (its signature over the token, timestamp and nonce). */
  function signed(at = Date.now(), extra: Record<string, string> = {}) {
    const timestamp = String(Math.floor(at / 1000));
    const nonce = String(randomInt(1e8, 1e9));
    return { timestamp, nonce, signature: wechatSignature(TOKEN, timestamp, nonce), ...extra };
  }
  const url = (query: Record<string, string>) => `/wechat/callback?${new URLSearchParams(query)}`;
  /** A message as WeChat's documentation writes it. */
  const xml = (fields: Record<string, string | number>) =>
    `<xml>${Object.entries(fields).map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}><![CDATA[${v}]]></${k}>`)).join('')}</xml>`;
  const text = (from: string, content: string, id = msgId()) =>
    ({ ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: content, MsgId: id });
  const post = (body: string, query: Record<string, string> = signed()) =>
    app.inject({ method: 'POST', url: url(query), payload: body, headers: { 'content-type': 'text/xml' } });
  /** In safe mode: the message encrypted, the envelope signed again with the ciphertext. */
  function sealed(fields: Record<string, string | number>, appId = APPID) {
    const cipher = encryptMessage(KEY, xml(fields), appId);
    const query = signed();
    return { body: xml({ ToUserName: String(fields.ToUserName), Encrypt: cipher }),
      query: { ...query, encrypt_type: 'aes', msg_signature: wechatSignature(TOKEN, query.timestamp, query.nonce, cipher) } };
  }
  /** The orders a follower's message made (its channel reference: the openid and the MsgId). */
  const ordersBy = async (m: { FromUserName: string | number; MsgId: string | number }) =>
    (await p.db.pool.query("SELECT id, tracking_no, title, body, channel, citizen_phone FROM orders WHERE channel = 'wechat' AND channel_ref = $1",
      [`${m.FromUserName}:${m.MsgId}`])).rows;
  const supplements = async (orderId: string) =>
    (await p.db.pool.query("SELECT payload FROM events WHERE stream_id = $1 AND type = 'order.supplemented' ORDER BY seq", [orderId])).rows.map((r) => r.payload);

  test("answers WeChat's check of the address with echostr when the signature holds, and refuses it otherwise", async () => {
    const ok = await app.inject({ method: 'GET', url: url({ ...signed(), echostr: '7349237418427' }) });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, '7349237418427');
    const forged = await app.inject({ method: 'GET', url: url({ ...signed(), signature: wechatSignature('wrongtoken', '1', '2'), echostr: 'x' }) });
    assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'WECHAT_SIGNATURE_INVALID']);
    const stale = await app.inject({ method: 'GET', url: url({ ...signed(Date.now() - 10 * 60_000), echostr: 'x' }) });
    assert.deepEqual([stale.statusCode, stale.json().error.code], [401, 'WECHAT_STALE']);
    assert.equal((await app.inject({ method: 'GET', url: '/wechat/callback' })).json().error.code, 'WECHAT_SIGNATURE_INVALID');
    const unconfigured = await buildApp({ ...p, config: { ...p.config, wechat: { token: '', appId: '', encodingAesKey: '' } } });
    try {
      const res = await unconfigured.inject({ method: 'GET', url: url({ ...signed(), echostr: 'x' }) });
      assert.deepEqual([res.statusCode, res.json().error.code], [503, 'WECHAT_NOT_CONFIGURED']);
    } finally {
      await unconfigured.close();
    }
  });

  test('plain mode: a text is a request answered with its tracking number and link; every delivery of its MsgId gets the same answer and one order', async () => {
    const from = openid();
    const message = text(from, '历下区解放路112号院停水两天了，无人处理。\n请尽快派人。');
    const deliveries = await Promise.all([post(xml(message)), post(xml(message)), post(xml(message))]);
    for (const res of deliveries) {
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/xml/);
    }
    assert.equal(new Set(deliveries.map((r) => readXml(r.body).Content)).size, 1, 'the same answer each time');
    const orders = await ordersBy(message);
    assert.equal(orders.length, 1);
    const [order] = orders;
    assert.equal(order.title, '历下区解放路112号院停水两天了，无人处理。');
    assert.equal(order.body, message.Content);
    const reply = readXml(deliveries[0]!.body);
    assert.equal(reply.ToUserName, from);
    assert.equal(reply.FromUserName, 'gh_12345jinan');
    assert.equal(reply.MsgType, 'text');
    const code = await lookupCode(p.db.pool, p.config.cityCode, order.tracking_no);
    assert.ok(reply.Content!.includes(`受理编号：${order.tracking_no}`));
    assert.ok(reply.Content!.includes(`https://12345.example.gov.cn/portal/track#no=${order.tracking_no}&code=${code}`));
    // the link's pair opens the request on the portal
    const tracked = await app.inject({ method: 'POST', url: '/api/v1/public/portal/track', payload: { trackingNo: order.tracking_no, code } });
    assert.equal(tracked.statusCode, 200);
    // a signed query carries the body it came with, again, and no other
    const query = signed();
    assert.equal((await post(xml(message), query)).statusCode, 200);
    assert.equal((await post(xml(message), query)).statusCode, 200);
    const forged = await post(xml(text(openid(), '借用别人的签名')), query);
    assert.deepEqual([forged.statusCode, forged.json().error.code], [401, 'WECHAT_SIGNATURE_INVALID']);
    // a delivery a minute later, as WeChat retries: the same again
    assert.equal(readXml((await post(xml(message), signed(Date.now() + 60_000))).body).Content, reply.Content);
    // a voice message WeChat recognised is a request as well
    const voice = { ...text(from, ''), MsgType: 'voice', MediaId: 'media-voice-1', Format: 'amr', Recognition: '小区门口路灯不亮' } as Record<string, string | number>;
    delete voice.Content;
    assert.match(readXml((await post(xml(voice))).body).Content!, /受理编号/);
    assert.equal((await ordersBy(voice as { FromUserName: string; MsgId: string }))[0].body, '小区门口路灯不亮');
  });

  test('safe mode: reads the encrypted message, answers encrypted and signed; a wrong msg_signature or another AppID is refused', async () => {
    const message = text(openid(), '经十路与舜耕路交叉口红绿灯坏了');
    const { body, query } = sealed(message);
    const res = await post(body, query);
    assert.equal(res.statusCode, 200);
    const envelope = readXml(res.body);
    assert.deepEqual(Object.keys(envelope).sort(), ['Encrypt', 'MsgSignature', 'Nonce', 'TimeStamp']);
    assert.equal(envelope.MsgSignature, wechatSignature(TOKEN, envelope.TimeStamp!, envelope.Nonce!, envelope.Encrypt!));
    const reply = readXml(decryptMessage(KEY, envelope.Encrypt!, APPID));
    assert.equal(reply.ToUserName, message.FromUserName);
    const [order] = await ordersBy(message);
    assert.ok(reply.Content!.includes(order.tracking_no));

    const tampered = await post(body, { ...query, msg_signature: wechatSignature(TOKEN, query.timestamp, query.nonce, 'other') });
    assert.deepEqual([tampered.statusCode, tampered.json().error.code], [401, 'WECHAT_SIGNATURE_INVALID']);
    const elsewhere = sealed(text(openid(), '发给另一个公众号的消息'), 'wx0123456789abcdef');
    const refused = await post(elsewhere.body, elsewhere.query);
    assert.deepEqual([refused.statusCode, refused.json().error.code], [401, 'WECHAT_APPID_MISMATCH']);
    // safe mode on an account without its EncodingAESKey: not configured, nothing registered
    const plainOnly = await buildApp({ ...p, config: { ...p.config, wechat: { ...WECHAT_TEST_ACCOUNT, encodingAesKey: '' } } });
    try {
      const unread = text(openid(), '无密钥');
      const again = sealed(unread);
      const answer = await plainOnly.inject({ method: 'POST', url: url(again.query), payload: again.body, headers: { 'content-type': 'text/xml' } });
      assert.deepEqual([answer.statusCode, answer.json().error.code], [503, 'WECHAT_NOT_CONFIGURED']);
      assert.deepEqual(await ordersBy(unread), []);
    } finally {
      await plainOnly.close();
    }
  });

  test('compatible mode: with encrypt_type=aes the ciphertext is the message (the plain copy beside it is not trusted); without, the plain one', async () => {
    const message = text(openid(), '泉城广场附近井盖缺失，很危险');
    const cipher = encryptMessage(KEY, xml(message), APPID);
    // the plain copy altered: only a message read from the ciphertext keeps the citizen's words
    const both = xml({ ...message, Content: '被篡改的明文', Encrypt: cipher });
    const query = signed();
    const res = await post(both, { ...query, encrypt_type: 'aes', msg_signature: wechatSignature(TOKEN, query.timestamp, query.nonce, cipher) });
    assert.equal(res.statusCode, 200);
    assert.ok(readXml(res.body).Encrypt, 'answered encrypted');
    assert.equal((await ordersBy(message))[0].body, '泉城广场附近井盖缺失，很危险');
    // the same account's followers in plain mode meanwhile (the query says which)
    const plain = text(openid(), '兼容模式下的明文消息');
    const answer = await post(xml({ ...plain, Encrypt: encryptMessage(KEY, xml({ ...plain, Content: '密文里的另一段话' }), APPID) }));
    assert.ok(readXml(answer.body).Content!.includes('受理编号'), 'answered in plain');
    assert.equal((await ordersBy(plain))[0].body, '兼容模式下的明文消息');
  });

  test("a follower's photo and location are added to their latest request, once each; before any request or after it is finished, they are told what to do", async () => {
    const from = openid();
    const photo = (id = msgId()) => ({ ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'image',
      PicUrl: 'https://mmbiz.qpic.cn/mmbiz_jpg/example/0', MediaId: 'media-photo-1', MsgId: id });
    const early = await post(xml(photo()));
    assert.match(readXml(early.body).Content!, /请先用文字描述/);
    const message = text(from, '舜华路一处下水道堵塞，污水外溢');
    await post(xml(message));
    const [order] = await ordersBy(message);
    const picture = photo();
    for (let i = 0; i < 2; i++) assert.match(readXml((await post(xml(picture))).body).Content!, /已收到您的图片/);
    const place = { ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'location',
      Location_X: '36.651216', Location_Y: '117.120095', Scale: '15', Label: '山东省济南市历下区舜华路', MsgId: msgId() };
    assert.match(readXml((await post(xml(place))).body).Content!, /已收到您的位置/);
    assert.deepEqual(await supplements(order.id), [
      { channel: 'wechat', ref: `${from}:${picture.MsgId}`, kind: 'image', text: null, imageUrl: picture.PicUrl, mediaId: 'media-photo-1' },
      { channel: 'wechat', ref: `${from}:${place.MsgId}`, kind: 'location', text: null, lat: 36.651216, lng: 117.120095, label: '山东省济南市历下区舜华路' },
    ]);
    // merged into another report of the same matter: the photo goes to that one, where it is handled
    const lead = await makeStaff(p, 'HOTLINE', ['lead']);
    const other = text(openid(), '舜华路下水道堵了，污水流到路上');
    await post(xml(other));
    const [target] = await ordersBy(other);
    await applyTransition(p.db.pool, lead, order.id, 'merge', { targetOrderId: target.id });
    const after = photo();
    assert.match(readXml((await post(xml(after))).body).Content!, /已收到您的图片/);
    assert.deepEqual((await supplements(target.id)).map((s) => s.ref), [`${from}:${after.MsgId}`]);
    // finished: the photo is not added, and the follower is told to write again
    await applyTransition(p.db.pool, lead, target.id, 'cancel', { reason: '重复来电' });
    assert.match(readXml((await post(xml(photo()))).body).Content!, /已办结/);
    assert.equal((await supplements(order.id)).length, 2);
    assert.equal((await supplements(target.id)).length, 1);
  });

  test("a photo's every delivery goes to the order its first went to, even after the follower's next request; at once, it is recorded once", async () => {
    const from = openid();
    const first = text(from, '燕山立交桥下积水很深');
    await post(xml(first));
    const picture = { ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'image',
      PicUrl: 'https://mmbiz.qpic.cn/mmbiz_jpg/example/1', MediaId: 'media-photo-2', MsgId: msgId() };
    const answers = await Promise.all([post(xml(picture)), post(xml(picture)), post(xml(picture))]);
    for (const res of answers) assert.match(readXml(res.body).Content!, /已收到您的图片/);
    const [order] = await ordersBy(first);
    assert.equal((await supplements(order.id)).length, 1);
    // the follower writes again; WeChat then delivers the photo once more: it stays with the first request
    const second = text(from, '另外，小区东门的井盖也松了');
    await post(xml(second));
    await post(xml(picture));
    assert.equal((await supplements(order.id)).length, 1);
    assert.deepEqual(await supplements((await ordersBy(second))[0].id), []);
    // a new photo goes to the new request
    await post(xml({ ...picture, MsgId: msgId() }));
    assert.equal((await supplements((await ordersBy(second))[0].id)).length, 1);
  });

  test("one MsgId from two followers is two requests (the order keeps who sent it), each answered with its own", async () => {
    const id = msgId();
    const [a, b] = [text(openid(), '甲：楼道灯坏了', id), text(openid(), '乙：楼道灯坏了', id)];
    const [ra, rb] = [await post(xml(a)), await post(xml(b))];
    const [oa, ob] = [(await ordersBy(a))[0], (await ordersBy(b))[0]];
    assert.notEqual(oa.id, ob.id);
    assert.ok(readXml(ra.body).Content!.includes(oa.tracking_no));
    assert.ok(readXml(rb.body).Content!.includes(ob.tracking_no));
  });

  test('a follower who names their mobile number is known by it on every channel: the order keeps it beside their openid', async () => {
    const from = openid();
    const message = text(from, '经十路公交站广告牌松动，随时可能掉落。联系电话：139 0531 7788，请尽快处理。');
    assert.equal((await post(xml(message))).statusCode, 200);
    const [order] = await ordersBy(message);
    assert.equal(order.citizen_phone, '13905317788');
    const { rows: [row] } = await p.db.pool.query('SELECT citizen_identity FROM orders WHERE id = $1', [order.id]);
    assert.equal(row.citizen_identity, `wechat:${from}`);
    for (const [written, read] of [['联系电话：+86 139-0531-7788', '13905317788'], ['我的手机号 008613905317788', '13905317788'],
      ['本人电话13905317788。', '13905317788'], ['1单元1301，联系方式 139 0531 7788', '13905317788'],
      ['举报诈骗电话17012345678，我的是13905312345', undefined], ['房东电话 13905317788', undefined],
      ['订单号 2139053177889', undefined], ['联系电话 0531-88886666', undefined]] as const) assert.equal(mobileIn(written), read, written);
  });

  test('events: a welcome on following, nothing ("success") for others; other kinds of message are told what is taken', async () => {
    const from = openid();
    const event = (name: string) => xml({ ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: name });
    assert.match(readXml((await post(event('subscribe'))).body).Content!, /欢迎关注/);
    const unfollow = await post(event('unsubscribe'));
    assert.deepEqual([unfollow.statusCode, unfollow.body], [200, 'success']);
    const video = xml({ ToUserName: 'gh_12345jinan', FromUserName: from, CreateTime: 1, MsgType: 'video', MediaId: 'm', ThumbMediaId: 't', MsgId: msgId() });
    assert.match(readXml((await post(video)).body).Content!, /只受理文字、语音、图片和位置/);
  });

  test('refuses what is not a message from WeChat with the documented error, and registers nothing', async () => {
    const before = (await p.db.pool.query("SELECT count(*)::int AS n FROM orders WHERE channel = 'wechat'")).rows[0].n;
    const from = openid();
    const cases: [string, string, Record<string, string> | undefined, string, number][] = [
      ['a DTD (entity expansion)', `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]>${xml(text(from, '实体'))}`, undefined, 'WECHAT_MESSAGE_UNREADABLE', 400],
      ['not XML', 'hello', undefined, 'WECHAT_MESSAGE_UNREADABLE', 400],
      ['no MsgId', xml({ ToUserName: 'gh', FromUserName: from, CreateTime: 1, MsgType: 'text', Content: '无编号' }), undefined, 'WECHAT_MESSAGE_UNREADABLE', 400],
      ['no sender', xml({ ToUserName: 'gh', CreateTime: 1, MsgType: 'text', Content: '无发送者', MsgId: msgId() }), undefined, 'WECHAT_MESSAGE_UNREADABLE', 400],
      ['a location off the globe', xml({ ToUserName: 'gh', FromUserName: from, CreateTime: 1, MsgType: 'location', Location_X: '999', Location_Y: '1', MsgId: msgId() }), undefined, 'WECHAT_MESSAGE_UNREADABLE', 400],
      ['unsigned', xml(text(from, '未签名')), {}, 'WECHAT_SIGNATURE_INVALID', 401],
      ['signed with another token', xml(text(from, '伪造')), { timestamp: '1', nonce: '2', signature: wechatSignature('other', '1', '2') }, 'WECHAT_SIGNATURE_INVALID', 401],
      ['stale', xml(text(from, '过期')), signed(Date.now() - 6 * 60_000), 'WECHAT_STALE', 401],
      ["another follower's openid in the query", xml(text(from, '冒名')), signed(Date.now(), { openid: openid() }), 'WECHAT_SIGNATURE_INVALID', 401],
      ['a broken ciphertext', xml({ ToUserName: 'gh', Encrypt: 'AAAA' }), (() => { const q = signed(); return { ...q, encrypt_type: 'aes', msg_signature: wechatSignature(TOKEN, q.timestamp, q.nonce, 'AAAA') }; })(), 'WECHAT_MESSAGE_UNREADABLE', 400],
    ];
    for (const [what, body, query, code, status] of cases) {
      const res = await post(body, query ?? signed());
      assert.deepEqual([res.statusCode, res.json().error?.code], [status, code], what);
    }
    const registered = (await p.db.pool.query("SELECT count(*)::int AS n FROM orders WHERE channel = 'wechat'")).rows[0].n;
    assert.equal(registered, before, 'nothing registered by the refused');
    // a citizen's words that look like markup are words (in CDATA), not a DTD
    const words = text(from, '网站打不开，页面只显示 <!DOCTYPE html> 几个字');
    assert.equal((await post(xml(words))).statusCode, 200);
    assert.equal((await ordersBy(words))[0].body, '网站打不开，页面只显示 <!DOCTYPE html> 几个字');
    const json = await app.inject({ method: 'POST', url: url(signed()), payload: { MsgType: 'text' } });
    assert.equal(json.statusCode, 400, 'JSON is not a WeChat message');
    assert.ok(json.json().error.code);
    const huge = await post(xml(text(from, '长'.repeat(40_000))));
    assert.equal(huge.statusCode, 413);
    assert.equal((await p.db.pool.query("SELECT count(*)::int AS n FROM orders WHERE channel = 'wechat'")).rows[0].n, before + 1);
  });

  /** A follower's request, answered by the water company: its order. */
  async function answeredRequest(from: string) {
    const message = text(from, '历下区解放路112号院二次供水水质发黄，烧开有沉淀。');
    await post(xml(message));
    const [order] = await ordersBy(message);
    await answerByUnit(p, order.id);
    return order as { id: string; tracking_no: string };
  }
  /** Sends what is due now through WeChat's API (the stand-in), as the sender does; what it accepted meanwhile. */
  async function sendNow(at = new Date()) {
    const before = api.sent.length;
    await drainConsumers(p);
    await sendDueMessages(p.db.pool, [messenger], at);
    return api.sent.slice(before);
  }

  test("the unit's answer and the survey reach the follower as customer-service messages; their 1 is the return visit", async () => {
    const from = openid();
    const order = await answeredRequest(from);
    const sent = (await sendNow()).filter((m) => m.touser === from);
    assert.deepEqual(sent.map((m) => m.type), ['custom', 'custom'], 'no receipt: the immediate reply gave it');
    const code = await lookupCode(p.db.pool, p.config.cityCode, order.tracking_no);
    assert.ok(sent[0]!.content!.includes(`https://12345.example.gov.cn/portal/track#no=${order.tracking_no}&code=${code}`), sent[0]!.content);
    assert.match(sent[1]!.content!, /1 满意，2 基本满意，3 不满意/);
    assert.equal(api.tokenCalls, 1, 'one token for both');
    assert.deepEqual(await sendNow(), [], 'sent once');

    const answer = text(from, '１');
    const replies = await Promise.all([post(xml(answer)), post(xml(answer))]);
    for (const res of replies) assert.equal(readXml(res.body).Content, `感谢您的评价！受理编号 ${order.tracking_no} 的评价已收到。`);
    const state = (await p.db.pool.query('SELECT state FROM orders WHERE id = $1', [order.id])).rows[0].state;
    assert.equal(state, 'closed', 'satisfied and solved: closed, as by a return visit');
    const visits = (await p.db.pool.query(`SELECT payload FROM events WHERE stream_id = $1 AND type = 'order.visited'`, [order.id])).rows;
    assert.deepEqual(visits.map((v) => [v.payload.solved, v.payload.satisfaction]), [[true, 'satisfied']], 'two deliveries, one visit');
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, order.id)).map((m) => [m.channel, m.kind, m.status, !!m.answeredAt]),
      [['wechat', 'reply', 'sent', false], ['wechat', 'survey', 'sent', true]]);
    // a digit with no survey waiting is not a request either
    const stray = await post(xml(text(from, '2')));
    assert.match(readXml(stray.body).Content!, /没有需要您评价的诉求/);
    assert.equal((await p.db.pool.query("SELECT count(*)::int AS n FROM orders WHERE channel_ref LIKE $1", [`${from}:%`])).rows[0].n, 1);
  });

  test('past the 48 hours the answer goes as a template message with its link, and the survey is not sent; a refused token is fetched again once', async () => {
    const from = openid();
    const order = await answeredRequest(from);
    api.closeWindow(from);
    api.expireToken();
    const tokens = api.tokenCalls;
    const sent = await sendNow();
    assert.equal(api.tokenCalls, tokens + 1, 'the expired token (42001) was fetched again, and the call repeated');
    const code = await lookupCode(p.db.pool, p.config.cityCode, order.tracking_no);
    assert.deepEqual(sent.map((m) => [m.type, m.touser, m.url, m.data?.character_string1?.value]),
      [['template', from, `https://12345.example.gov.cn/portal/track#no=${order.tracking_no}&code=${code}`, order.tracking_no]]);
    assert.deepEqual((await messagesOfOrder(p.db.pool, p.config.cityCode, order.id)).map((m) => [m.kind, m.status]),
      [['reply', 'sent'], ['survey', 'failed']], 'the survey waits for the portal, where the answer is read');
    const failed = (await p.db.pool.query("SELECT last_error FROM outbox WHERE order_id = $1 AND kind = 'survey'", [order.id])).rows[0].last_error;
    assert.match(failed, /^WECHAT_45015/);
  });

  test('WeChat busy (-1) is retried with back-off; no answer at all is never sent again; an unfollowed account fails once', async () => {
    const busy = await answeredRequest(openid());
    api.refuseNext(2, -1);
    assert.deepEqual(await sendNow(), [], 'both refused for now');
    const waiting = (await p.db.pool.query("SELECT status, attempts FROM outbox WHERE order_id = $1 ORDER BY id", [busy.id])).rows;
    assert.deepEqual(waiting.map((r) => [r.status, r.attempts]), [['pending', 1], ['pending', 1]]);
    assert.equal((await sendNow(new Date(Date.now() + 60_000))).length, 2, 'sent after the back-off');

    const silent = await answeredRequest(openid());
    api.refuseNext(1, null); // the connection closes with no answer: it may have been sent
    await sendNow();
    const statuses = async (id: string) => (await messagesOfOrder(p.db.pool, p.config.cityCode, id)).map((m) => m.status);
    assert.deepEqual((await statuses(silent.id)).sort(), ['sent', 'unknown']);
    assert.deepEqual(await sendNow(new Date(Date.now() + 3_600_000)), [], 'the unknown one is never sent again');

    const gone = await answeredRequest(openid());
    api.refuseNext(2, 43004); // require subscribe
    await sendNow();
    assert.deepEqual(await statuses(gone.id), ['failed', 'failed']);
    assert.deepEqual(await sendNow(new Date(Date.now() + 3_600_000)), [], 'failed for good: never tried again');
  });
});
