// The citizens' channels, end to end through HTTP: messages accepted per second on each channel
// (the portal, SMS), beside the same registrations called in-process in the same run (the
// baseline), then the same messages delivered again (each answered as the first time, no order
// made), with the orders counted after: exactly one per message.
// The portal's proofs of work are solved before timing, as browsers solve them before submitting;
// the SMS gateway's callbacks are signed before timing, as the gateway signs each as it sends it.
// WeChat's messages in plain and in safe mode (encrypted, the answer encrypted), signed as WeChat
// signs each, before timing; Weibo's pushes (JSON), signed as Weibo signs each, before timing; the
// mobile app's submissions (JSON, a signed-in citizen's bearer token); Open311 posts (form-encoded,
// an open311 API key, an Idempotency-Key each). Then the SMS outbox: the messages the SMS requests
// asked for (their tracking numbers), written by the consumer and sent to a local stand-in of
// Alibaba Cloud's API, each exactly once.
import { randomUUID } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { buildApp } from '../src/http/app.js';
import { actorFromCitizenSession, citizenActor, createApiKey, systemActor } from '../src/modules/auth/index.js';
import { aesKeyOf, AliyunSms, encryptMessage, postOpen311Request, submitFromApp, type AppCitizen, nonceHolds, portalChallenge, readXml, receiveSms, receiveWechat, receiveWeibo, sendDueMessages,
  sha1Signature, signCallback, verifyWeibo, wechatSignature, type WechatAccount, type WeiboPush } from '../src/modules/channels/index.js';
import { drainConsumers } from '../src/platform.js';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES } from '../src/testing/aliyun-sms-stand-in.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { citizenToken, type TestPlatform } from '../src/testing/harness.js';

type Report = (name: string, figures: Record<string, unknown>) => void;
type Load = (headers: Record<string, string>, requests: { method: string; url: string; body?: unknown; raw?: string; headers?: Record<string, string> }[]) =>
  Promise<{ perSecond: number; statuses: Record<number, number>; cpuSeconds: number }>;
type Throughput = (total: number, concurrency: number, task: (i: number) => Promise<void>) => Promise<number>;

const round = (x: number) => Math.round(x * 10) / 10;

/** A portal submission as the browser sends it: a fresh reference, a solved proof, a text among a few. */
async function submission(p: TestPlatform, i: number) {
  const challenge = await portalChallenge(p.db.pool, p.config.cityCode, p.config.portalProofOfWork);
  const solution = challenge ? await solveChallenge({ challenge, deriveKey }) : null;
  const texts = ['小区停水两天，没有任何通知', '路灯坏了一个月，晚上很黑', '楼下饭店油烟太大，影响休息', '公司拖欠工资三个月', '暖气不热，室温只有十五度'];
  return {
    clientRef: randomUUID(), requestType: 'complaint', title: texts[i % texts.length]!.slice(0, 8),
    body: `${texts[i % texts.length]}，地址在历下区解放路${i}号，请尽快处理。`, place: { areaCode: '370102001' },
    contact: { name: '市民', phone: `139${String(i).padStart(8, '0')}` }, confidential: false,
    ...(challenge && solution ? { proof: { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } } } : {}),
  };
}

export async function benchChannels(p: TestPlatform, opts: { messages: number; concurrency: number; report: Report; load: Load;
  throughput: Throughput; cpuMs: (run: () => Promise<{ cpuSeconds: number }>) => Promise<Record<string, unknown>> }): Promise<void> {
  const { messages, concurrency } = opts;
  const solving = performance.now();
  const bodies: Awaited<ReturnType<typeof submission>>[] = [];
  for (let i = 0; i < messages; i++) bodies.push(await submission(p, i));
  const solveMs = (performance.now() - solving) / messages;

  // the baseline: the same registrations in-process, with no HTTP, no proof, no counters (after a warm-up)
  const citizen = citizenActor(p.config.cityCode, []);
  const direct = (b: Awaited<ReturnType<typeof submission>>, ref: string) => registerOrder(p.db.pool, citizen, {
    channel: 'web', channelRef: ref, requestType: 'complaint', title: b.title, body: b.body, citizen: b.contact, location: b.place });
  for (let i = 0; i < 20; i++) await direct(bodies[i % messages]!, `warm-${i}`);
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => { await direct(bodies[i]!, `direct-${randomUUID()}`); });

  const app = await buildApp(p);
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const requests = bodies.map((body) => ({ method: 'POST', url: `${base}/api/v1/public/portal/requests`, body }));
    const headers = { 'content-type': 'application/json' };
    let first!: Awaited<ReturnType<Load>>;
    const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, requests)));
    if (first.statuses[201] !== messages) throw new Error(`portal: ${JSON.stringify(first.statuses)}`);
    const again = await opts.load(headers, requests);
    if (again.statuses[200] !== messages) throw new Error(`portal again: ${JSON.stringify(again.statuses)}`);
    const orders = Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'web' AND channel_ref = ANY($1)`,
      [bodies.map((b) => b.clientRef)])).rows[0].n);
    if (orders !== messages) throw new Error(`portal: ${orders} orders for ${messages} messages`);
    opts.report('channel_portal', {
      acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
      deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: orders, cpuMsPerMessage: cpu,
      proofOfWork: { maxNumber: p.config.portalProofOfWork, solveMsPerMessage: round(solveMs), note: 'solved before timing, as a browser does' },
    });
    await benchSms(p, base, opts);
    await benchWechat(p, base, opts);
    await benchWeibo(p, base, opts);
    await benchApp(p, base, opts);
    await benchOpen311(p, base, opts);
  } finally {
    await app.close();
  }
}

/** An SMS as the gateway pushes it (Alibaba Cloud SmsUp), one per callback. */
const smsOf = (i: number, run: string) => [{ phone_number: `138${String(i).padStart(8, '0')}`, content: `历下区解放路${i}号路灯坏了一个月，晚上很黑，请尽快修理。`,
  send_time: '2026-12-02 10:00:00', dest_code: '12345', sequence_id: `${run}-${i}` }];

/** The callback's request, signed now (as the gateway signs each as it sends it). */
function signedCallback(url: string, secret: string, body: unknown) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  return { method: 'POST', url, body, headers: { 'x-minsheng-timestamp': timestamp, 'x-minsheng-nonce': nonce,
    'x-minsheng-signature': signCallback(secret, timestamp, nonce, JSON.stringify(body)) } };
}

async function benchSms(p: TestPlatform, base: string, opts: Parameters<typeof benchChannels>[1]) {
  const { messages, concurrency } = opts;
  const secret = p.config.smsCallbackSecret;
  if (!secret) throw new Error('sms: SMS_CALLBACK_SECRET is not set');
  const run = randomUUID().slice(0, 8);
  // the baseline: the same messages received in-process, no HTTP, no signature (after a warm-up)
  for (let i = 0; i < 20; i++) await receiveSms(p.db.pool, p.config.cityCode, smsOf(i, `warm-${run}`)[0]!);
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => {
    await receiveSms(p.db.pool, p.config.cityCode, smsOf(i, `direct-${run}`)[0]!);
  });

  const url = `${base}/api/v1/public/sms/inbound`;
  const headers = { 'content-type': 'application/json' };
  const bodies = Array.from({ length: messages }, (_, i) => smsOf(i, run));
  let first!: Awaited<ReturnType<Load>>;
  const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, bodies.map((b) => signedCallback(url, secret, b)))));
  if (first.statuses[200] !== messages) throw new Error(`sms: ${JSON.stringify(first.statuses)}`);
  const again = await opts.load(headers, bodies.map((b) => signedCallback(url, secret, b))); // retried, signed afresh
  if (again.statuses[200] !== messages) throw new Error(`sms again: ${JSON.stringify(again.statuses)}`);
  const refs = bodies.map((b) => String(b[0]!.sequence_id));
  const orders = Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'sms' AND channel_ref = ANY($1)`, [refs])).rows[0].n);
  if (orders !== messages) throw new Error(`sms: ${orders} orders for ${messages} messages`);
  opts.report('channel_sms_inbound', {
    acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
    deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: orders, cpuMsPerMessage: cpu,
    note: 'one message per signed callback; signatures made before timing',
  });

  // the outbox: the consumer writes a tracking-number message for each SMS request; the sender sends them
  const standIn = await startAliyunSmsStandIn();
  try {
    const provider = new AliyunSms({ endpoint: standIn.url, accessKeyId: standIn.accessKeyId, accessKeySecret: standIn.accessKeySecret,
      signName: '济南12345', templates: STAND_IN_TEMPLATES });
    const writing = performance.now();
    await drainConsumers(p);
    const writeSeconds = (performance.now() - writing) / 1000;
    // the loaded history's orders asked for messages too, long ago: those expire unsent (over a day old)
    const due = Number((await p.db.pool.query(
      `SELECT count(*) AS n FROM outbox WHERE channel = 'sms' AND status = 'pending' AND created_at > now() - interval '1 day'`)).rows[0].n);
    const sending = performance.now();
    while ((await sendDueMessages(p.db.pool, [provider])) > 0) { /* until none is due */ }
    const sendSeconds = (performance.now() - sending) / 1000;
    const outIds = new Set(standIn.sent.map((m) => m.outId));
    if (standIn.sent.length !== due || outIds.size !== due) throw new Error(`sms outbox: ${standIn.sent.length} sent (${outIds.size} distinct) of ${due}`);
    const told = Number((await p.db.pool.query(
      `SELECT count(*) AS n FROM outbox s JOIN orders o ON o.id = s.order_id
        WHERE o.channel = 'sms' AND o.channel_ref = ANY($1) AND s.kind = 'intake' AND s.status = 'sent'`, [refs])).rows[0].n);
    if (told !== messages) throw new Error(`sms outbox: ${told} of ${messages} SMS requests told their tracking number`);
    opts.report('channel_sms_outbox', {
      messages: due, smsRequestsTold: told, writeSeconds: round(writeSeconds), sentPerSecond: round(due / sendSeconds), sentOnce: outIds.size === due,
      note: 'sent one at a time by one sender to a local stand-in of Alibaba Cloud SendSms (its signature checked); the real API answers in tens of ms',
    });
  } finally {
    await standIn.close();
  }
}

/** A follower's text as WeChat posts it, and the query it signs it with (in safe mode, encrypted and signed again). */
function wechatMessage(account: WechatAccount, base: string, i: number, run: string, safe: boolean) {
  const xml = `<xml><ToUserName><![CDATA[gh_12345jinan]]></ToUserName><FromUserName><![CDATA[o${run}${i}]]></FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content><![CDATA[历下区解放路${i}号小区门口的路灯坏了一个月，晚上很黑，请尽快修理。]]></Content><MsgId>${run}${String(i).padStart(8, '0')}</MsgId></xml>`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = `${run}${i}`; // its own nonce: a nonce is bound to the body it first came with
  const query: Record<string, string> = { timestamp, nonce, signature: wechatSignature(account.token, timestamp, nonce) };
  let raw = xml;
  if (safe) {
    const cipher = encryptMessage(account.aesKey!, xml, account.appId);
    raw = `<xml><ToUserName><![CDATA[gh_12345jinan]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt></xml>`;
    Object.assign(query, { encrypt_type: 'aes', msg_signature: wechatSignature(account.token, timestamp, nonce, cipher) });
  }
  return { method: 'POST', url: `${base}/wechat/callback?${new URLSearchParams(query)}`, raw, channelRef: `o${run}${i}:${run}${String(i).padStart(8, '0')}`, query };
}

async function benchWechat(p: TestPlatform, base: string, opts: Parameters<typeof benchChannels>[1]) {
  const { messages, concurrency } = opts;
  const { token, appId, encodingAesKey } = p.config.wechat;
  const aesKey = aesKeyOf(encodingAesKey);
  if (!token || !aesKey) throw new Error('wechat: WECHAT_TOKEN and WECHAT_AES_KEY are not set');
  const account: WechatAccount = { token, appId, aesKey };
  const headers = { 'content-type': 'text/xml' };
  for (const safe of [false, true]) {
    // MsgIds are digits: a run's own prefix of 10 digits keeps them apart from other runs
    const run = () => String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999));
    // the baseline: the same messages received in-process, with their signatures checked, no HTTP (after a warm-up)
    const warm = run();
    for (let i = 0; i < 20; i++) { const m = wechatMessage(account, base, i, warm, safe); await receiveWechat(p.db.pool, p.config.cityCode, account, p.config.publicUrl, m.query, m.raw); }
    const direct = run();
    const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => {
      const m = wechatMessage(account, base, i, direct, safe);
      await receiveWechat(p.db.pool, p.config.cityCode, account, p.config.publicUrl, m.query, m.raw);
    });
    const timed = run();
    const requests = Array.from({ length: messages }, (_, i) => wechatMessage(account, base, i, timed, safe));
    let first!: Awaited<ReturnType<Load>>;
    const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, requests)));
    if (first.statuses[200] !== messages) throw new Error(`wechat: ${JSON.stringify(first.statuses)}`);
    const again = await opts.load(headers, requests); // WeChat's retries: the same message, the same signature
    if (again.statuses[200] !== messages) throw new Error(`wechat again: ${JSON.stringify(again.statuses)}`);
    const orders = Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'wechat' AND channel_ref = ANY($1)`,
      [requests.map((r) => r.channelRef)])).rows[0].n);
    if (orders !== messages) throw new Error(`wechat: ${orders} orders for ${messages} messages`);
    // one answer read back as WeChat would: it names the order
    const one = await fetch(requests[0]!.url, { method: 'POST', headers, body: requests[0]!.raw });
    const answer = readXml(await one.text());
    if (safe ? !answer.Encrypt : !answer.Content?.includes('受理编号')) throw new Error('wechat: the answer is not the receipt');
    opts.report(safe ? 'channel_wechat_safe_mode' : 'channel_wechat_plain', {
      acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
      deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: orders, cpuMsPerMessage: cpu,
      note: safe ? 'AES-256-CBC in and out, msg_signature checked; signed and encrypted before timing' : 'signatures made before timing',
    });
  }
}

/** A private message as Weibo's fan service pushes it, and the query it signs it with (timestamp in milliseconds). */
function weiboPush(secret: string, base: string, i: number, run: string) {
  const push = { type: 'text', receiver_id: 1902538057, sender_id: Number(`${run}${String(i).padStart(6, '0')}`),
    created_at: new Date().toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 +0000 $4'),
    text: `槐荫区经十西路${i}号工地夜间施工，噪音很大，请尽快处理。`, data: {} };
  const timestamp = String(Date.now());
  const nonce = `${run}${i}`; // its own nonce: a nonce is bound to the body it first came with
  const query = { timestamp, nonce, signature: sha1Signature(secret, timestamp, nonce) };
  return { method: 'POST', url: `${base}/weibo/callback?${new URLSearchParams(query)}`, body: push, query, sender: String(push.sender_id) };
}

async function benchWeibo(p: TestPlatform, base: string, opts: Parameters<typeof benchChannels>[1]) {
  const { messages, concurrency } = opts;
  const secret = p.config.weiboAppSecret;
  if (!secret) throw new Error('weibo: WEIBO_APP_SECRET is not set');
  const run = () => String(100_000 + Math.floor(Math.random() * 800_000)); // six digits before the message's six: a run's own senders
  // the baseline: the same pushes received in-process, with their signatures and nonces checked, no HTTP (after a warm-up)
  const receive = async (m: ReturnType<typeof weiboPush>) => {
    const { nonce } = verifyWeibo(secret, m.query);
    if (!(await nonceHolds(p.db.pool, 'weibo', nonce, JSON.stringify(m.body), new Date()))) throw new Error('weibo: nonce refused');
    await receiveWeibo(p.db.pool, p.config.cityCode, p.config.publicUrl, m.body as WeiboPush);
  };
  const warm = run();
  for (let i = 0; i < 20; i++) await receive(weiboPush(secret, base, i, warm));
  const direct = run();
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => { await receive(weiboPush(secret, base, i, direct)); });
  const timed = run();
  const requests = Array.from({ length: messages }, (_, i) => weiboPush(secret, base, i, timed));
  const headers = { 'content-type': 'application/json' };
  let first!: Awaited<ReturnType<Load>>;
  const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, requests)));
  if (first.statuses[200] !== messages) throw new Error(`weibo: ${JSON.stringify(first.statuses)}`);
  const again = await opts.load(headers, requests); // pushed again: the same message, the same signature
  if (again.statuses[200] !== messages) throw new Error(`weibo again: ${JSON.stringify(again.statuses)}`);
  const orders = Number((await p.db.pool.query(`SELECT count(DISTINCT split_part(channel_ref, ':', 1)) AS n FROM orders
     WHERE channel = 'weibo' AND split_part(channel_ref, ':', 1) = ANY($1)`, [requests.map((r) => r.sender)])).rows[0].n);
  const made = Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'weibo' AND split_part(channel_ref, ':', 1) = ANY($1)`,
    [requests.map((r) => r.sender)])).rows[0].n);
  if (orders !== messages || made !== messages) throw new Error(`weibo: ${made} orders from ${orders} senders for ${messages} messages`);
  opts.report('channel_weibo', {
    acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
    deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: made, cpuMsPerMessage: cpu,
    note: 'signatures made before timing; each push is JSON, its reply JSON with URL-encoded data',
  });
}

/** What one channel's timed run measured, checked: every message accepted once, answered again, one order each. */
async function measured(name: string, p: TestPlatform, opts: Parameters<typeof benchChannels>[1], inProcess: number, requests: Parameters<Load>[1],
  headers: Record<string, string>, ordersMade: () => Promise<number>, note: string) {
  const { messages, concurrency } = opts;
  let first!: Awaited<ReturnType<Load>>;
  const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, requests)));
  if (first.statuses[201] !== messages) throw new Error(`${name}: ${JSON.stringify(first.statuses)}`);
  const again = await opts.load(headers, requests); // the client's retries: the same request
  if (again.statuses[200] !== messages) throw new Error(`${name} again: ${JSON.stringify(again.statuses)}`);
  const orders = await ordersMade();
  if (orders !== messages) throw new Error(`${name}: ${orders} orders for ${messages} messages`);
  opts.report(name, {
    acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
    deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: orders, cpuMsPerMessage: cpu, note,
  });
}

const appText = (i: number) => `经十路${i}号公交站牌被撞倒，存在安全隐患，请尽快处理。`;

async function benchApp(p: TestPlatform, base: string, opts: Parameters<typeof benchChannels>[1]) {
  const { messages, concurrency } = opts;
  // a signed-in citizen: the session is made before timing, as the app signs in once
  const token = await citizenToken(p, `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`);
  const citizen = await actorFromCitizenSession(p.db.pool, token) as AppCitizen;
  const body = (i: number) => ({ clientRef: randomUUID(), requestType: 'help' as const, body: appText(i), place: { lat: 36.65 + i / 1e5, lng: 117.0 },
    confidential: false });
  // the baseline: the same submissions in-process, no HTTP, no session lookup (after a warm-up)
  for (let i = 0; i < 20; i++) await submitFromApp(p.db.pool, citizen, body(i));
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => { await submitFromApp(p.db.pool, citizen, body(i)); });
  const bodies = Array.from({ length: messages }, (_, i) => body(i));
  const requests = bodies.map((b) => ({ method: 'POST', url: `${base}/api/v1/app/requests`, body: b }));
  await measured('channel_app', p, opts, inProcess, requests, { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    async () => Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'app' AND channel_ref = ANY($1)`,
      [bodies.map((b) => `${citizen.id}:${b.clientRef}`)])).rows[0].n),
    'one signed-in citizen; the session is looked up on every request');
}

async function benchOpen311(p: TestPlatform, base: string, opts: Parameters<typeof benchChannels>[1]) {
  const { messages, concurrency } = opts;
  const { key, info } = await createApiKey(p.db.pool, systemActor(p.config.cityCode), { name: 'Open311 bench', scopes: ['open311'] });
  const client = { kind: 'api_key' as const, id: info.id, name: info.name, cityCode: p.config.cityCode, roles: [], unitId: null, unitPath: null,
    scopes: info.scopes };
  const fields = (i: number) => ({ service_code: '010216', lat: (36.65 + i / 1e5).toFixed(6), long: '117.02', description: appText(i),
    'attribute[request_type]': 'complaint' });
  // the baseline: the same posts in-process, no HTTP, no key lookup (after a warm-up)
  for (let i = 0; i < 20; i++) await postOpen311Request(p.db.pool, client, fields(i), randomUUID());
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => { await postOpen311Request(p.db.pool, client, fields(i), randomUUID()); });
  const keys = Array.from({ length: messages }, () => randomUUID());
  const requests = keys.map((k, i) => ({ method: 'POST', url: `${base}/open311/v2/requests.json`, raw: new URLSearchParams({ api_key: key, ...fields(i) }).toString(),
    headers: { 'idempotency-key': k } }));
  await measured('channel_open311', p, opts, inProcess, requests, { 'content-type': 'application/x-www-form-urlencoded' },
    async () => Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'open311' AND channel_ref = ANY($1)`,
      [keys.map((k) => `${info.id}:${k}`)])).rows[0].n),
    'form-encoded, an Idempotency-Key each; the API key is looked up on every request');
}
