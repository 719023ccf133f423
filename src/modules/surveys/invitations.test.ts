import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { beijingDate } from '../../shared/beijing.js';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES, type AliyunSmsStandIn } from '../../testing/aliyun-sms-stand-in.js';
import { makeCast, registerTestOrder, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { requestSignInCode, spendSignInCode } from '../auth/index.js';
import { AliyunSms } from '../channels/index.js';
import { sendDueInvitations } from './index.js';

const today = beijingDate(new Date());
const PHONES = ['13600000001', '13600000002', '13600000003'];

describe('survey invitations by SMS: the title and the personal link, once per person, through the provider', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let standIn: AliyunSmsStandIn;
  let sms: AliyunSms;
  let lead: string;
  let surveyId = '';

  const call = async (method: 'GET' | 'POST', url: string, payload?: object, auth = true) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers: auth ? { authorization: `Bearer ${lead}` } : {} });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  before(async () => {
    p = await startTestPlatform();
    standIn = await startAliyunSmsStandIn();
    p.config.aliyunSms = { endpoint: standIn.url, accessKeyId: standIn.accessKeyId, accessKeySecret: standIn.accessKeySecret, signName: '济南12345',
      templates: { ...STAND_IN_TEMPLATES } };
    sms = new AliyunSms({ ...p.config.aliyunSms, timeoutMs: 5_000 });
    const started = await startTestApp(p);
    app = started.app;
    const cast = await makeCast(p, { lead: ['HOTLINE', ['lead']], agent: ['HOTLINE', ['agent']] });
    lead = await started.tokenFor(cast.lead.username);
    for (const phone of PHONES) await registerTestOrder(p, cast.agent, { citizen: { name: '市民', phone } });
    surveyId = (await call('POST', '/surveys', { title: '2026年度全市营商环境和政务服务满意度调查问卷', intro: '', channels: ['sms'], startsOn: today, endsOn: today,
      questions: [{ id: 'q1', kind: 'single', text: '办事是否顺利', required: true, options: [{ id: 'a', label: '顺利' }, { id: 'b', label: '不顺利' }] }] })).body.id;
    await call('POST', `/surveys/${surveyId}/respondents`, { kind: 'callers', from: today, to: today });
  });
  after(async () => { await app.close(); await standIn.close(); await p.close(); });

  it('invites only an open survey, sends each respondent their link once, and the link opens their survey', async () => {
    assert.equal((await call('POST', `/surveys/${surveyId}/invitations`)).body.error.code, 'SURVEY_NOT_OPEN');
    await call('POST', `/surveys/${surveyId}/status`, { to: 'open' });
    // one has answered already (on a link of their own): they are not invited
    const first = (await p.db.pool.query('SELECT token FROM survey_respondents WHERE survey_id = $1 AND phone = $2', [surveyId, PHONES[0]])).rows[0].token;
    assert.equal((await call('POST', `/public/surveys/link/${first}`, { answers: { q1: 'a' } }, false)).status, 204);

    // without the invitation's template nothing is queued (it would fail for good)
    p.config.aliyunSms!.templates.survey_invitation = '';
    assert.equal((await call('POST', `/surveys/${surveyId}/invitations`)).body.error.code, 'SURVEY_SMS_NOT_CONFIGURED');
    p.config.aliyunSms!.templates.survey_invitation = STAND_IN_TEMPLATES.survey_invitation;
    assert.deepEqual((await call('POST', `/surveys/${surveyId}/invitations`)).body, { queued: 2 });
    standIn.refuseNext(1, 'isv.BUSINESS_LIMIT_CONTROL'); // the provider's rate limit: tried again later
    const before = standIn.sent.length;
    assert.equal(await sendDueInvitations(p.db.pool, sms, 'https://12345.jinan.example'), 2);
    assert.equal(standIn.sent.length - before, 1);
    assert.equal(await sendDueInvitations(p.db.pool, sms, 'https://12345.jinan.example'), 0, 'the refused one waits for its retry');
    assert.equal(await sendDueInvitations(p.db.pool, sms, 'https://12345.jinan.example', new Date(Date.now() + 3 * 60_000)), 1);
    const sent = standIn.sent.slice(before);
    assert.deepEqual(sent.map((m) => m.phone).sort(), [PHONES[1], PHONES[2]]);
    assert.ok(sent.every((m) => m.templateCode === STAND_IN_TEMPLATES.survey_invitation && m.params.title === '2026年度全市营商环境和政务服务满意…'));
    const token = /\/portal\/survey\/([\w-]+)$/.exec(sent[0]!.params.link!)![1]!;
    const linked = await call('GET', `/public/surveys/link/${token}`, undefined, false);
    assert.equal(linked.body.survey.id, surveyId);

    // asked again, nobody is invited twice
    assert.deepEqual((await call('POST', `/surveys/${surveyId}/invitations`)).body, { queued: 0 });
    const survey = (await call('GET', `/surveys/${surveyId}`)).body;
    assert.deepEqual([survey.invited, survey.inviteFailed], [2, 0]);
  });

  it("proves a portal answer's number by the code sent to it, spent only on an answer taken", async () => {
    const portal = (await call('POST', '/surveys', { title: '垃圾分类意见征集', intro: '', channels: ['portal'], startsOn: today, endsOn: today,
      questions: [{ id: 'q1', kind: 'single', text: '是否支持', required: true, options: [{ id: 'a', label: '支持' }, { id: 'b', label: '不支持' }] }] })).body.id;
    await call('POST', `/surveys/${portal}/status`, { to: 'open' });
    const listed = (await call('GET', '/public/surveys', undefined, false)).body.find((x: { id: string }) => x.id === portal);
    assert.equal(listed.phoneCode, true, 'the portal is told to ask for a code');
    const phone = '13900003333';
    const answer = (body: object) => call('POST', `/public/surveys/${portal}/answers`, { phone, ...body }, false);
    assert.equal((await answer({ answers: { q1: 'a' } })).body.error.code, 'SURVEY_CODE_REQUIRED');
    assert.equal((await call('POST', '/app/sign-in/code', { phone }, false)).status, 200);
    const code = standIn.sent.filter((m) => m.phone === phone && m.templateCode === STAND_IN_TEMPLATES.sign_in_code).at(-1)!.params.code!;
    const wrong = (await answer({ answers: { q1: 'a' }, code: code === '000000' ? '111111' : '000000' })).body.error;
    assert.equal(wrong.code, 'APP_CODE_WRONG');
    assert.match(wrong.message, /还可以再试 4 次/);
    const again = (await answer({ answers: { q1: 'a' }, code: code === '000000' ? '111111' : '000000' })).body.error;
    assert.match(again.message, /还可以再试 3 次/, 'a wrong try is counted though the answer is refused');
    // answers not complete: refused before the code is spent, so the same code still serves
    assert.equal((await answer({ answers: {}, code })).body.error.code, 'SURVEY_ANSWER_INVALID');
    assert.equal((await answer({ answers: { q1: 'b' }, code })).status, 204);
    assert.equal((await answer({ answers: { q1: 'a' }, code })).body.error.code, 'APP_CODE_EXPIRED', 'spent with the answer');
    // whether a number answered is told only to one who proves it: a guess is a wrong code
    let next = '';
    await requestSignInCode(p.db.pool, p.config.cityCode, phone, async (c) => { next = c; }, new Date(Date.now() + 61_000)); // a minute on
    assert.equal((await answer({ answers: { q1: 'a' }, code: next === '000000' ? '111111' : '000000' })).body.error.code, 'APP_CODE_WRONG');
    assert.equal((await answer({ answers: { q1: 'a' }, code: next })).body.error.code, 'SURVEY_ALREADY_ANSWERED');
    // that refusal stored nothing and left the code unspent: it still signs the citizen in
    await spendSignInCode(p.db.pool, p.config.cityCode, phone, next);
    const results = (await call('GET', `/surveys/${portal}/results`)).body;
    assert.equal(results.answered, 1);
  });
});
