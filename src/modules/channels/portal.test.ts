import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Actor } from '../auth/index.js';
import { buildApp } from '../../http/app.js';
import { applyTransition, updateOrder } from '../orders/index.js';
import { visitsToConfirm } from '../feedback/index.js';
import { makeStaff, multipart, orderInput, PNG, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../../testing/harness.js';
import { portalChallenge } from './index.js';
import { beijingDate } from '../../shared/beijing.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('the citizen portal (市长信箱)', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let agent: Actor & { username: string };
  let water: Actor;
  let waterUnit: string;

  before(async () => {
    p = await startTestPlatform();
    ({ app } = await startTestApp(p));
    agent = await makeStaff(p, 'HOTLINE', ['agent']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  /** A challenge from the server, solved as the browser solves it. */
  async function proof(on: FastifyInstance = app) {
    const { challenge } = (await on.inject({ method: 'GET', url: '/api/v1/public/portal/challenge' })).json() as { challenge: Challenge };
    const solution = await solveChallenge({ challenge, deriveKey });
    assert.ok(solution, 'solved');
    return { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } };
  }

  const submission = async (overrides: Record<string, unknown> = {}) => ({
    clientRef: randomUUID(), requestType: 'complaint', title: '小区停水两天', body: '历下区解放路街道某小区停水两天，没有任何通知，请尽快恢复供水。',
    place: { areaCode: '370102001', address: '解放路100号' }, contact: { name: '王小明', phone: '139 0531 2345' }, confidential: false,
    proof: await proof(), ...overrides,
  });
  const submit = (body: unknown, on: FastifyInstance = app) =>
    on.inject({ method: 'POST', url: '/api/v1/public/portal/requests', headers: JSON_HEADERS, payload: JSON.stringify(body) });
  const track = (trackingNo: string, code: string) =>
    app.inject({ method: 'POST', url: '/api/v1/public/portal/track', payload: { trackingNo, code } });
  const ordersWith = async (clientRef: string) =>
    Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'web' AND channel_ref = $1`, [clientRef])).rows[0].n);

  test('a submission gives a tracking number and a lookup code; a retry gets the same answer and makes no second order', async () => {
    const body = await submission();
    const first = await submit(body);
    assert.equal(first.statusCode, 201, first.body);
    const receipt = first.json();
    assert.match(receipt.trackingNo, /^\d{8}-\d{8}$/);
    assert.match(receipt.lookupCode, /^[2-9A-HJKMNP-Z]{8}$/);
    const retry = await submit(body);
    assert.equal(retry.statusCode, 200);
    assert.deepEqual({ ...(retry.json() as object), created: true }, receipt);
    assert.equal(await ordersWith(body.clientRef), 1);
    const order = (await p.db.pool.query(`SELECT citizen_phone, area_code, state, request_type FROM orders WHERE tracking_no = $1`, [receipt.trackingNo])).rows[0];
    assert.deepEqual(order, { citizen_phone: '13905312345', area_code: '370102001', state: 'registered', request_type: 'complaint' });
  });

  test('simultaneous deliveries of one submission make one order', async () => {
    const body = await submission();
    const answers = await Promise.all(Array.from({ length: 8 }, () => submit(body)));
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 200, 200, 200, 200, 201]);
    assert.equal(new Set(answers.map((a) => a.json().trackingNo)).size, 1);
    assert.equal(await ordersWith(body.clientRef), 1);
  });

  test('a proof is spent on one submission; a missing, wrong, altered or expired one is refused and registers nothing', async () => {
    const body = await submission();
    assert.equal((await submit(body)).statusCode, 201);
    const reused = await submit({ ...body, clientRef: randomUUID() });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().error.code, 'PORTAL_CHALLENGE_SPENT');

    const good = await proof();
    const expired = await portalChallenge(p.db.pool, p.config.cityCode, 100, new Date(Date.now() - 16 * 60_000));
    const expiredSolution = await solveChallenge({ challenge: expired!, deriveKey });
    const refused = [
      { ...body, clientRef: randomUUID(), proof: undefined },
      { ...body, clientRef: randomUUID(), proof: { ...good, solution: { ...good.solution, counter: good.solution.counter + 1 } } },
      { ...body, clientRef: randomUUID(), proof: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, cost: 2 } } } },
      { ...body, clientRef: randomUUID(), proof: { challenge: expired, solution: { counter: expiredSolution!.counter, derivedKey: expiredSolution!.derivedKey } } },
    ];
    for (const attempt of refused) {
      const res = await submit(attempt);
      assert.equal(res.statusCode, 422, res.body);
      assert.equal(res.json().error.code, 'PORTAL_CHALLENGE_FAILED');
      assert.equal(await ordersWith(attempt.clientRef), 0);
    }
  });

  test('malformed submissions are refused with the documented error body', async () => {
    const body = await submission();
    for (const bad of [{ ...body, contact: { name: '王', phone: 'call me' } }, { ...body, body: '短' }, { ...body, clientRef: 'not-a-uuid' },
      { ...body, requestType: 'praise\u0000' }, { ...body, extra: 1 }]) {
      const res = await submit(bad);
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED');
    }
  });

  test('the citizen follows the request with its number and code: public steps and the answer, no staff names', async () => {
    const { trackingNo, lookupCode } = (await submit(await submission())).json();
    assert.equal((await track(trackingNo, 'ABCDEFGH')).json().error.code, 'PORTAL_LOOKUP_FAILED');
    assert.equal((await track('20260101-00000001', lookupCode)).statusCode, 404);
    const fresh = await track(trackingNo, lookupCode.toLowerCase());
    assert.equal(fresh.statusCode, 200, fresh.body);
    assert.deepEqual(fresh.json().steps.map((s: { step: string }) => s.step), ['registered']);
    assert.equal(fresh.json().rating.open, false);

    const id = (await p.db.pool.query('SELECT id FROM orders WHERE tracking_no = $1', [trackingNo])).rows[0].id;
    await updateOrder(p.db.pool, agent, id, { categoryCode: '010216' });
    await applyTransition(p.db.pool, agent, id, 'dispatch', { unitId: waterUnit });
    await applyTransition(p.db.pool, water, id, 'sign', {});
    await applyTransition(p.db.pool, water, id, 'reply', { text: '经查，管道破裂已抢修，供水已恢复。' });
    const replied = await track(trackingNo, lookupCode);
    const view = replied.json();
    assert.deepEqual(view.steps.map((s: { step: string }) => s.step), ['registered', 'dispatched', 'signed', 'replied']);
    assert.equal(view.answer.text, '经查，管道破裂已抢修，供水已恢复。');
    assert.equal(view.answer.unitName, view.steps[1].unitName);
    assert.ok(view.answer.unitName, 'the unit that answered is named');
    assert.equal(view.rating.open, true);
    for (const secret of [agent.username, agent.name, water.name, '13905312345', '王小明']) {
      assert.ok(!replied.body.includes(secret), `the tracking page shows nothing of ${secret}`);
    }
  });

  /** A request the water company has replied to, with its number and code. */
  async function repliedRequest() {
    const { trackingNo, lookupCode } = (await submit(await submission())).json();
    const id = (await p.db.pool.query('SELECT id FROM orders WHERE tracking_no = $1', [trackingNo])).rows[0].id as string;
    await updateOrder(p.db.pool, agent, id, { categoryCode: '010216' });
    await applyTransition(p.db.pool, agent, id, 'dispatch', { unitId: waterUnit });
    await applyTransition(p.db.pool, water, id, 'sign', {});
    await applyTransition(p.db.pool, water, id, 'reply', { text: '已处理' });
    return { id, trackingNo, code: lookupCode as string };
  }
  const rate = (r: { trackingNo: string; code: string }, rating: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/public/portal/rating', payload: { trackingNo: r.trackingNo, code: r.code, ...rating } });

  test('a satisfied rating is the return visit and closes the request; it is given once', async () => {
    const request = await repliedRequest();
    const res = await rate(request, { solved: true, satisfaction: 'satisfied', comment: '很快，谢谢' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().state, 'closed');
    assert.deepEqual(res.json().steps.slice(-2).map((s: { step: string }) => s.step), ['rated', 'closed']);
    assert.equal(res.json().rating.given.satisfaction, 'satisfied');
    const again = await rate(request, { solved: true, satisfaction: 'satisfied' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'RATING_NOT_OPEN');
    const visit = (await p.db.pool.query(`SELECT status, satisfaction, visited_by FROM return_visits WHERE order_id = $1`, [request.id])).rows;
    assert.deepEqual(visit, [{ status: 'done', satisfaction: 'satisfied', visited_by: null }]);
  });

  test("an unsatisfied rating goes to the supervisor, as a call's answer would; a request not yet answered cannot be rated", async () => {
    const request = await repliedRequest();
    assert.equal((await rate(request, { solved: false, satisfaction: 'unsatisfied', comment: '水还是没来' })).json().state, 'visited');
    const supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
    const waiting = await visitsToConfirm(p.db.pool, supervisor, { limit: 500, offset: 0 });
    assert.ok(waiting.items.some((v) => v.orderId === request.id && v.result.comment === '水还是没来'));
    const { trackingNo, lookupCode } = (await submit(await submission())).json();
    assert.equal((await rate({ trackingNo, code: lookupCode }, { solved: true, satisfaction: 'satisfied' })).json().error.code, 'RATING_NOT_OPEN');
    // another request's code opens nothing
    assert.equal((await rate({ trackingNo, code: request.code }, { solved: true, satisfaction: 'satisfied' })).statusCode, 404);
  });

  test('submissions are limited per address and per phone (only proven new ones use up a phone), lookups per address (429 with Retry-After)', async () => {
    const limited = await buildApp({ ...p, config: { ...p.config, portalLimitPerAddress: 7, portalLimitPerPhone: 2, portalLookupsPerMinute: 2 } });
    try {
      const statuses = async (bodies: unknown[]) => { const out = []; for (const b of bodies) out.push((await submit(b, limited)).statusCode); return out; };
      // posts without a proof, naming a stranger's phone, do not use up that phone
      assert.deepEqual(await statuses([{ ...(await submission()), proof: undefined }, { ...(await submission()), proof: undefined }]), [422, 422]);
      const first = await submission();
      assert.deepEqual(await statuses([first, first, await submission(), await submission()]), [201, 200, 201, 429]);
      const other = await submit(await submission({ contact: { name: '李四', phone: '13700000000' } }), limited);
      assert.equal(other.statusCode, 201, 'another phone from the same address');
      const over = await submit(await submission({ contact: { name: '李四', phone: '13700000000' } }), limited);
      assert.equal(over.statusCode, 429, 'the address has used its seven');
      assert.equal(over.json().error.code, 'PORTAL_TOO_MANY');
      assert.ok(Number(over.headers['retry-after']) > 0);
      const lookups = [];
      for (let i = 0; i < 3; i++) {
        lookups.push((await limited.inject({ method: 'POST', url: '/api/v1/public/portal/track', payload: { trackingNo: '20260101-00000001', code: 'X' } })).statusCode);
      }
      assert.deepEqual(lookups, [404, 404, 429]);
    } finally {
      await limited.close();
    }
  });

  test('with the proof of work turned off, no challenge is given and none is asked', async () => {
    const open = await buildApp({ ...p, config: { ...p.config, portalProofOfWork: 0 } });
    try {
      assert.deepEqual((await open.inject({ method: 'GET', url: '/api/v1/public/portal/challenge' })).json(), { challenge: null });
      const res = await submit({ ...(await submission()), proof: undefined }, open);
      assert.equal(res.statusCode, 201, res.body);
    } finally {
      await open.close();
    }
  });

  const upload = (clientRef: string, name: string, bytes: Buffer, on: FastifyInstance = app) =>
    on.inject({ method: 'POST', url: `/api/v1/public/portal/attachments?clientRef=${clientRef}`, ...multipart(name, bytes) });

  test('files are accepted for what their content is, and served only to those who may see the order', async () => {
    const body = await submission();
    const photo = await upload(body.clientRef, '现场照片.pdf', PNG); // named as a PDF, a PNG inside: saved as what it is
    assert.equal(photo.statusCode, 201, photo.body);
    assert.deepEqual({ ...(photo.json() as object), id: undefined, createdAt: undefined },
      { id: undefined, createdAt: undefined, name: '现场照片.png', contentType: 'image/png', size: PNG.length });
    for (const [name, bytes] of [['photo.jpg', Buffer.from('only text, not a photo')], ['run.pdf', Buffer.from('#!/bin/sh\nrm -rf /\n')]] as const) {
      const refused = await upload(body.clientRef, name, bytes);
      assert.equal(refused.statusCode, 415, name);
      assert.equal(refused.json().error.code, 'ATTACHMENT_TYPE_REFUSED');
    }
    const noFile = await app.inject({ method: 'POST', url: `/api/v1/public/portal/attachments?clientRef=${body.clientRef}`, payload: { file: 'x' } });
    assert.equal(noFile.json().error.code, 'UNSUPPORTED_MEDIA_TYPE');

    const other = await submission();
    const stolen = await submit({ ...other, attachmentIds: [photo.json().id] });
    assert.equal(stolen.statusCode, 404, 'a file uploaded for another submission is not this one\'s');
    assert.equal(stolen.json().error.code, 'ATTACHMENT_NOT_FOUND');
    assert.equal(await ordersWith(other.clientRef), 0);

    const { trackingNo, lookupCode } = (await submit({ ...body, attachmentIds: [photo.json().id] })).json();
    assert.equal((await submit({ ...body, attachmentIds: [photo.json().id] })).statusCode, 200, 'a retry claims the file again, harmlessly');
    assert.deepEqual((await track(trackingNo, lookupCode)).json().attachments, [{ name: '现场照片.png', contentType: 'image/png', size: PNG.length }]);

    const id = (await p.db.pool.query('SELECT id FROM orders WHERE tracking_no = $1', [trackingNo])).rows[0].id;
    const { tokenFor } = await startTestApp(p);
    const agentHeaders = { authorization: `Bearer ${await tokenFor(agent.username)}` };
    const listed = (await app.inject({ method: 'GET', url: `/api/v1/orders/${id}/attachments`, headers: agentHeaders })).json();
    assert.deepEqual(listed.map((a: { name: string }) => a.name), ['现场照片.png']);
    const file = await app.inject({ method: 'GET', url: `/api/v1/orders/${id}/attachments/${listed[0].id}`, headers: agentHeaders });
    assert.equal(file.statusCode, 200);
    assert.deepEqual(file.rawPayload, PNG);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.match(String(file.headers['content-disposition']), /^attachment; filename\*=UTF-8''%E7%8E%B0/);
    const power = await makeStaff(p, 'UTIL-POWER', ['unit_handler']);
    const powerHeaders = { authorization: `Bearer ${await tokenFor(power.username)}` };
    const refused = await app.inject({ method: 'GET', url: `/api/v1/orders/${id}/attachments/${listed[0].id}`, headers: powerHeaders });
    assert.equal(refused.statusCode, 404, "another unit's staff get nothing");
  });

  test('a file larger than ATTACHMENT_MAX_BYTES is refused, and so is a tenth file for one submission', async () => {
    const small = await buildApp({ ...p, config: { ...p.config, attachmentMaxBytes: 1024 } });
    try {
      const big = await upload(randomUUID(), 'big.png', Buffer.concat([PNG, Buffer.alloc(2048)]), small);
      assert.equal(big.statusCode, 413);
      assert.equal(big.json().error.code, 'ATTACHMENT_TOO_LARGE');
    } finally {
      await small.close();
    }
    const clientRef = randomUUID();
    const codes = [];
    for (let i = 0; i < 10; i++) codes.push((await upload(clientRef, `${i}.png`, PNG)).statusCode);
    assert.deepEqual(codes, [201, 201, 201, 201, 201, 201, 201, 201, 201, 409]);
  });

  test("the administrator sees each channel's counters: accepted, delivered again, refused by error code", async () => {
    const { tokenFor } = await startTestApp(p);
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    const headers = { authorization: `Bearer ${await tokenFor(admin.username)}` };
    const today = beijingDate(Date.now());
    type Counts = { channel: string; received: number; accepted: number; duplicate: number; refused: number; refusals: { code: string; count: number }[] };
    const web = async () => ((await app.inject({ method: 'GET', url: `/api/v1/channels/counts?from=${today}&to=${today}`, headers }))
      .json() as Counts[]).find((c) => c.channel === 'web')!;
    const before = await web();
    const body = await submission();
    await submit(body);
    await submit(body);
    await submit({ ...body, clientRef: randomUUID(), proof: undefined });
    await submit({ ...body, clientRef: 'not-a-uuid' });
    const after = await web();
    assert.deepEqual([after.received - before.received, after.accepted - before.accepted, after.duplicate - before.duplicate,
      after.refused - before.refused], [4, 1, 1, 2]);
    const more = (code: string) => (after.refusals.find((r) => r.code === code)?.count ?? 0) - (before.refusals.find((r) => r.code === code)?.count ?? 0);
    assert.deepEqual([more('PORTAL_CHALLENGE_FAILED'), more('VALIDATION_FAILED')], [1, 1]);
    const unit = { authorization: `Bearer ${await tokenFor((await makeStaff(p, 'UTIL-WATER', ['unit_manager'])).username)}` };
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/channels/counts?from=${today}&to=${today}`, headers: unit })).statusCode, 403);
  });

  test('channels are data: a new one is a row, and an order names only a channel that exists', async () => {
    const { tokenFor } = await startTestApp(p);
    const token = await tokenFor(agent.username);
    const headers = { authorization: `Bearer ${token}` };
    const channels = (await app.inject({ method: 'GET', url: '/api/v1/channels', headers })).json();
    assert.deepEqual(channels.find((c: { code: string }) => c.code === 'web'),
      { code: 'web', name: { zh: '市长信箱', en: "Mayor's mailbox (web)" }, answersCitizen: true, active: true });
    const register = () => app.inject({ method: 'POST', url: '/api/v1/orders', headers,
      payload: { ...orderInput({ channel: 'hotline_kiosk' }), channelRef: randomUUID() } });
    const unknown = await register();
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'CHANNEL_UNKNOWN');
    await p.db.pool.query(`INSERT INTO channels (code, name_zh, name_en, answers_citizen) VALUES ('hotline_kiosk', '便民服务亭', 'Service kiosk', false)`);
    assert.equal((await register()).statusCode, 201);
  });
});
