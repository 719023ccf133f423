// Every channel flooded at once with deliveries of the same messages (a gateway's retries, two
// relays, a client resending while the first is in flight): each message ends in exactly one order,
// and every delivery of it gets the first one's answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../http/app.js';
import { citizenToken, makeStaff, PASSWORD, SMS_CALLBACK_TEST_SECRET, startTestPlatform, WECHAT_TEST_ACCOUNT, WEIBO_TEST_SECRET, type TestPlatform } from '../../testing/harness.js';
import { createApiKey, systemActor } from '../auth/index.js';
import { aesKeyOf, decryptMessage, encryptMessage, readXml, signCallback, wechatSignature } from './index.js';

const MESSAGES = 12;
const DELIVERIES = 4;

let p: TestPlatform;
let app: FastifyInstance;
let agentToken: string;
let app_: { token: string; citizenId: string };
let open311: { key: string; id: string };

before(async () => {
  p = await startTestPlatform();
  // the portal's proof of work is the browser's to solve; this test is about deliveries, not proofs
  app = await buildApp({ ...p, config: { ...p.config, portalProofOfWork: 0 } });
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  agentToken = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: agent.username, password: PASSWORD } })).json().token;
  const issued = await createApiKey(p.db.pool, systemActor(p.config.cityCode), { name: 'Open311 flood', scopes: ['open311'] });
  open311 = { key: issued.key, id: issued.info.id };
  const token = await citizenToken(p, `136${String(randomInt(1e7, 1e8))}`);
  app_ = { token, citizenId: (await app.inject({ url: '/api/v1/app/me', headers: { authorization: `Bearer ${token}` } })).json().id };
});
after(async () => {
  await app.close();
  await p.close();
});

const KEY = aesKeyOf(WECHAT_TEST_ACCOUNT.encodingAesKey)!;
const { token: TOKEN, appId: APPID } = WECHAT_TEST_ACCOUNT;
const xmlOf = (fields: Record<string, string>) => `<xml>${Object.entries(fields).map(([k, v]) => `<${k}><![CDATA[${v}]]></${k}>`).join('')}</xml>`;

interface Channel {
  name: string;
  /** the code of the orders it makes, and the channel reference of message i (or its start, with `refIsPrefix`) */
  channel: string;
  ref(i: number): string;
  refIsPrefix?: boolean;
  /** one delivery of message i (each signed afresh, as a gateway's retry is); the tracking number its answer names */
  deliver(i: number): Promise<string>;
}

function channels(run: string): Channel[] {
  const refs = Array.from({ length: MESSAGES }, () => randomUUID());
  const appRefs = Array.from({ length: MESSAGES }, () => randomUUID());
  const open311Refs = Array.from({ length: MESSAGES }, () => randomUUID());
  const sentAt = Date.now();
  const msgIds = Array.from({ length: MESSAGES }, () => `7${randomInt(1e9, 1e10)}${randomInt(1e8, 1e9)}`);
  const wechat = (safe: boolean): Channel => ({
    name: safe ? 'WeChat, safe mode' : 'WeChat, plain', channel: 'wechat',
    ref: (i) => `o${run}${safe ? 's' : 'p'}${i}:${msgIds[i]}`,
    async deliver(i) {
      const message = xmlOf({ ToUserName: 'gh_12345jinan', FromUserName: `o${run}${safe ? 's' : 'p'}${i}`, CreateTime: String(Math.floor(Date.now() / 1000)),
        MsgType: 'text', Content: `微信${safe ? '安全' : '明文'}模式第${i}条：路灯不亮`, MsgId: msgIds[i]! });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const nonce = String(randomInt(1e8, 1e9));
      const query: Record<string, string> = { timestamp, nonce, signature: wechatSignature(TOKEN, timestamp, nonce) };
      let body = message;
      if (safe) {
        const cipher = encryptMessage(KEY, message, APPID);
        body = xmlOf({ ToUserName: 'gh_12345jinan', Encrypt: cipher });
        Object.assign(query, { encrypt_type: 'aes', msg_signature: wechatSignature(TOKEN, timestamp, nonce, cipher) });
      }
      const res = await app.inject({ method: 'POST', url: `/wechat/callback?${new URLSearchParams(query)}`, payload: body, headers: { 'content-type': 'text/xml' } });
      assert.equal(res.statusCode, 200, res.body);
      const reply = safe ? readXml(decryptMessage(KEY, readXml(res.body).Encrypt!, APPID)) : readXml(res.body);
      return /受理编号：(\S+?)，/.exec(reply.Content ?? '')![1]!;
    },
  });
  return [
    {
      name: 'the portal', channel: 'web', ref: (i) => refs[i]!,
      async deliver(i) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/public/portal/requests', payload: {
          clientRef: refs[i], requestType: 'complaint', title: `门户第${i}条`, body: `门户第${i}条：小区停水两天`, place: { areaCode: '370102001' },
          contact: { name: '市民', phone: `139${run.slice(0, 4)}${String(i).padStart(4, '0')}` }, confidential: false } });
        assert.ok([200, 201].includes(res.statusCode), res.body);
        return res.json().trackingNo;
      },
    },
    {
      name: 'the mobile app', channel: 'app', ref: (i) => `${app_.citizenId}:${appRefs[i]}`,
      async deliver(i) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/app/requests', headers: { authorization: `Bearer ${app_.token}` }, payload: {
          clientRef: appRefs[i], requestType: 'help', body: `应用第${i}条：公交站牌被撞倒`, place: { lat: 36.66, lng: 117.02 }, confidential: false } });
        assert.ok([200, 201].includes(res.statusCode), res.body);
        return res.json().trackingNo;
      },
    },
    {
      name: 'Open311 (Idempotency-Key)', channel: 'open311', ref: (i) => `${open311.id}:${open311Refs[i]}`,
      async deliver(i) {
        const res = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded',
          'idempotency-key': open311Refs[i]! }, payload: new URLSearchParams({ api_key: open311.key, service_code: '010216', lat: '36.65', long: '117.0',
          description: `Open311 第${i}条：水管漏水` }).toString() });
        assert.ok([200, 201].includes(res.statusCode), res.body);
        return res.json()[0].service_request_id;
      },
    },
    {
      name: 'SMS', channel: 'sms', ref: (i) => `${run}-${i}`,
      async deliver(i) {
        const body = JSON.stringify([{ phone_number: `138${run.slice(0, 4)}${String(i).padStart(4, '0')}`, content: `短信第${i}条：噪音扰民`,
          send_time: '2026-12-03 10:00:00', dest_code: '12345', sequence_id: `${run}-${i}` }]);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const nonce = randomUUID();
        const res = await app.inject({ method: 'POST', url: '/api/v1/public/sms/inbound', payload: body, headers: { 'content-type': 'application/json',
          'x-minsheng-timestamp': timestamp, 'x-minsheng-nonce': nonce, 'x-minsheng-signature': signCallback(SMS_CALLBACK_TEST_SECRET, timestamp, nonce, body) } });
        assert.equal(res.statusCode, 200, res.body);
        return res.json().results[0].trackingNo;
      },
    },
    wechat(false),
    wechat(true),
    {
      // a push has no id: its sender, its second and what it says are the message
      name: 'Weibo', channel: 'weibo', refIsPrefix: true, ref: (i) => `${run}${String(i).padStart(4, '0')}:${Math.floor(sentAt / 1000)}-`,
      async deliver(i) {
        const timestamp = String(Date.now());
        const nonce = String(randomInt(1e8, 1e9));
        const res = await app.inject({ method: 'POST', url: `/weibo/callback?${new URLSearchParams({ timestamp, nonce, signature: wechatSignature(WEIBO_TEST_SECRET, timestamp, nonce) })}`,
          payload: { type: 'text', receiver_id: 1902538057, sender_id: `${run}${String(i).padStart(4, '0')}`, created_at: new Date(sentAt).toString(), text: `微博第${i}条：井盖松动`, data: {} } });
        assert.equal(res.statusCode, 200, res.body);
        return /受理编号：(\S+?)，/.exec(JSON.parse(decodeURIComponent(res.json().data)).text)![1]!;
      },
    },
    {
      name: 'the REST API (an agent, channel reference as idempotency key)', channel: 'phone', ref: (i) => `call-${run}-${i}`,
      async deliver(i) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: { authorization: `Bearer ${agentToken}` }, payload: {
          channel: 'phone', channelRef: `call-${run}-${i}`, requestType: 'help', title: `来电第${i}条`, body: `来电第${i}条：暖气不热`,
          citizen: { phone: `137${run.slice(0, 4)}${String(i).padStart(4, '0')}` } } });
        assert.ok([200, 201].includes(res.statusCode), res.body);
        return res.json().trackingNo;
      },
    },
  ];
}

test(`${MESSAGES} messages on every channel, each delivered ${DELIVERIES} times at once: one order each, every delivery answered with it`, async () => {
  const run = String(randomInt(1000, 10000));
  const all = channels(run);
  // every delivery of every message of every channel in flight together, in a shuffled order
  const deliveries = all.flatMap((c) => Array.from({ length: MESSAGES * DELIVERIES }, (_, k) => ({ c, i: k % MESSAGES })));
  for (let k = deliveries.length - 1; k > 0; k--) {
    const j = randomInt(k + 1);
    [deliveries[k], deliveries[j]] = [deliveries[j]!, deliveries[k]!];
  }
  const answers = await Promise.all(deliveries.map(async ({ c, i }) => ({ c, i, trackingNo: await c.deliver(i) })));

  for (const c of all) {
    // a reference, or the start of one (Weibo's ends in a hash of the message)
    const r = await p.db.pool.query('SELECT channel_ref, tracking_no FROM orders WHERE channel = $1 AND channel_ref LIKE ANY($2)',
      [c.channel, Array.from({ length: MESSAGES }, (_, i) => (c.refIsPrefix ? `${c.ref(i)}%` : c.ref(i)))]);
    assert.equal(r.rowCount, MESSAGES, `${c.name}: one order per message`);
    for (const a of answers.filter((x) => x.c === c)) {
      const own = r.rows.filter((row) => (c.refIsPrefix ? row.channel_ref.startsWith(c.ref(a.i)) : row.channel_ref === c.ref(a.i)));
      assert.deepEqual(own.map((row) => row.tracking_no), [a.trackingNo], `${c.name}: message ${a.i} answered with its one order`);
    }
  }
});
