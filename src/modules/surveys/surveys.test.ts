import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { beijingDate } from '../../shared/beijing.js';
import { makeCast, multipart, PNG, registerTestOrder, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import type { Actor } from '../auth/index.js';
import { checkAnswers, type Question } from './index.js';

type Staff = Actor & { username: string };
const today = beijingDate(new Date());
const QUESTIONS: Question[] = [
  { id: 'q1', kind: 'single', text: '您对本市公交出行是否满意', required: true,
    options: [{ id: 'a', label: '满意' }, { id: 'b', label: '基本满意' }, { id: 'c', label: '不满意' }] },
  { id: 'q2', kind: 'multiple', text: '不满意的方面', required: true, showIf: { question: 'q1', options: ['c'] },
    options: [{ id: 'wait', label: '等车时间长' }, { id: 'crowd', label: '车内拥挤' }, { id: 'route', label: '线路不合理' }] },
  { id: 'q3', kind: 'scale', text: '空气质量打分', required: true, scale: { min: 1, max: 5, minLabel: '很差', maxLabel: '很好' } },
  { id: 'q4', kind: 'text', text: '其他建议', required: false },
];
const PHONES = ['13700000001', '13700000002', '13700000003'];

describe('surveys: written, sent to callers, answered once on each channel, read as results without personal data', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let cast: Record<'lead' | 'agent' | 'visitor', Staff>;
  const token: Record<string, string> = {};
  let surveyId = '';

  const call = async (who: Staff | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }),
      headers: who ? { authorization: `Bearer ${token[who.id!]}` } : {} });
    const json = res.headers['content-type']?.toString().startsWith('application/json') ? res.json() : null;
    return { status: res.statusCode, body: json, raw: res.rawPayload };
  };
  const code = async (...args: Parameters<typeof call>) => (await call(...args)).body?.error?.code;

  before(async () => {
    p = await startTestPlatform();
    const started = await startTestApp(p);
    app = started.app;
    cast = await makeCast(p, { lead: ['HOTLINE', ['lead']], agent: ['HOTLINE', ['agent']], visitor: ['HOTLINE', ['visitor']] });
    for (const who of Object.values(cast)) token[who.id!] = await started.tokenFor(who.username);
    // three callers today: two in 历下区, one in 市中区; and one who asked for confidentiality
    await registerTestOrder(p, cast.agent, { citizen: { name: '甲', phone: PHONES[0]! }, location: { address: '解放路', areaCode: '370102001' } });
    await registerTestOrder(p, cast.agent, { citizen: { name: '乙', phone: PHONES[1]! }, location: { address: '泉城路', areaCode: '370102002' } });
    await registerTestOrder(p, cast.agent, { citizen: { name: '丙', phone: PHONES[2]! }, location: { address: '大观园', areaCode: '370103002' } });
    await registerTestOrder(p, cast.agent, { citizen: { name: '丁', phone: '13700000009' }, confidential: true, requestType: 'report' });
    // 丁 called again about something else, not confidential: still never picked
    await registerTestOrder(p, cast.agent, { citizen: { name: '丁', phone: '13700000009' } });
  });
  after(async () => { await app.close(); await p.close(); });

  it('refuses a survey whose skip logic names a later question, and a visitor who would run one', async () => {
    const backwards = [{ ...QUESTIONS[1]!, showIf: { question: 'q3', options: ['a'] } }, QUESTIONS[2]!];
    assert.equal(await code(cast.lead, 'POST', '/surveys', { title: '调查', intro: '', questions: backwards, channels: ['sms'], startsOn: today, endsOn: today }),
      'SURVEY_INVALID');
    assert.equal(await code(cast.visitor, 'POST', '/surveys', { title: '调查', intro: '', questions: QUESTIONS, channels: ['sms'], startsOn: today, endsOn: today }),
      'AUTH_FORBIDDEN');
  });

  it('takes the callers of a period as respondents, each number once, a sample drawn alike, none who asked for confidentiality', async () => {
    const made = await call(cast.lead, 'POST', '/surveys', { title: '2026年城市交通和空气质量满意度调查', intro: '您好，这里是12345热线……',
      questions: QUESTIONS, channels: ['sms', 'portal', 'outbound'], startsOn: today, endsOn: today });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    surveyId = made.body.id;
    const sampled = await call(cast.lead, 'POST', `/surveys/${surveyId}/respondents`, { kind: 'callers', from: today, to: today, sample: 2 });
    assert.deepEqual(sampled.body, { added: 2, matched: 3 });
    const all = await call(cast.lead, 'POST', `/surveys/${surveyId}/respondents`, { kind: 'callers', from: today, to: today });
    assert.deepEqual(all.body, { added: 1, matched: 3 });
    const list = await call(cast.lead, 'POST', `/surveys/${surveyId}/respondents`, { kind: 'list', phones: ['137 0000 0001', '13800000004', 'not a number'] });
    assert.deepEqual(list.body, { added: 1, matched: 2, rows: 2, repeated: 0, refused: { count: 1, rows: [{ row: 3, text: 'not a number' }] } });
    const confidential = await p.db.pool.query('SELECT count(*)::int AS n FROM survey_respondents WHERE phone = $1', ['13700000009']);
    assert.equal(confidential.rows[0].n, 0);
  });

  it('takes a list from a file: an Excel sheet or a CSV in GBK, telling back the rows without a mobile number', async () => {
    const made = await call(cast.lead, 'POST', '/surveys', { title: '名单调查', intro: '', questions: QUESTIONS, channels: ['outbound'], startsOn: today, endsOn: today });
    const upload = async (name: string, bytes: Buffer) => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/surveys/${made.body.id}/respondents/file`, ...withToken(multipart(name, bytes)) });
      return { status: res.statusCode, body: res.json() };
    };
    const withToken = (m: ReturnType<typeof multipart>) => ({ ...m, headers: { ...m.headers, authorization: `Bearer ${token[cast.lead.id!]}` } });
    // a sheet as a unit keeps it: a header, numbers typed as numbers or written with a dash or +86, a landline, one number twice, a blank row
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名单');
    for (const row of [['序号', '姓名', '手机'], [1, '王五', 13900000021], [2, '赵六', '139-0000-0022'], [3, '钱七', '0531-8888888'],
      [4, '王五', 13900000021], [], [5, '孙八', '+86 139 0000 0023']]) sheet.addRow(row);
    const excel = await upload('名单.xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    assert.equal(excel.status, 200, JSON.stringify(excel.body));
    assert.deepEqual(excel.body, { added: 3, matched: 3, rows: 4, repeated: 1, refused: { count: 1, rows: [{ row: 4, text: '3 · 钱七 · 0531-8888888' }] } });
    // "姓名,手机号码 / 张三,13800000011 / 李四,无" as Excel on a Chinese Windows saves a CSV: in GBK
    const gbk = Buffer.from('d0d5c3fb2ccad6bbfabac5c2eb0d0ad5c5c8fd2c31333830303030303031310d0ac0eecbc42ccede0d0a', 'hex');
    assert.deepEqual((await upload('名单.csv', gbk)).body, { added: 1, matched: 1, rows: 1, repeated: 0, refused: { count: 1, rows: [{ row: 3, text: '李四 · 无' }] } });
    // Excel's tab-separated text, a blank line in it: a refused row is told by the line people see
    const tabbed = await upload('名单.txt', Buffer.from('姓名\t手机\n\n周九\t13900000031\n吴十\t空号\n'));
    assert.deepEqual(tabbed.body, { added: 1, matched: 1, rows: 1, repeated: 0, refused: { count: 1, rows: [{ row: 4, text: '吴十 · 空号' }] } });
    // the same numbers again add no one
    assert.equal((await upload('名单.csv', gbk)).body.added, 0);
    // what is not a list is refused in words
    const refused = async (name: string, bytes: Buffer) => (await upload(name, bytes)).body.error.code;
    assert.equal(await refused('old.xls', Buffer.from('d0cf11e0a1b11ae1000000', 'hex')), 'SURVEY_LIST_UNREADABLE');
    assert.equal(await refused('photo.png', PNG), 'SURVEY_LIST_UNREADABLE');
    assert.equal(await refused('empty.csv', Buffer.from('姓名\n张三\n')), 'SURVEY_LIST_UNREADABLE');
    assert.equal(await refused('broken.xlsx', Buffer.from('PK\x03\x04 not a workbook', 'latin1')), 'SURVEY_LIST_UNREADABLE');
    const none = await app.inject({ method: 'POST', url: `/api/v1/surveys/${made.body.id}/respondents/file`, payload: {},
      headers: { authorization: `Bearer ${token[cast.lead.id!]}` } });
    assert.equal(none.statusCode, 415, none.body);
    const respondents = await p.db.pool.query('SELECT phone FROM survey_respondents WHERE survey_id = $1 ORDER BY phone', [made.body.id]);
    assert.deepEqual(respondents.rows.map((r) => r.phone), ['13800000011', '13900000021', '13900000022', '13900000023', '13900000031']);
  });

  it('answers by the personal link once, as the questions and their skip logic ask', async () => {
    const answered = await code(null, 'POST', `/public/surveys/link/${await tokenOf(PHONES[0]!)}`, { answers: { q1: 'a', q3: 4 } });
    assert.equal(answered, 'SURVEY_NOT_OPEN', 'a draft takes no answers');
    assert.equal((await call(cast.lead, 'POST', `/surveys/${surveyId}/status`, { to: 'open' })).status, 200);
    assert.equal(await code(cast.lead, 'PUT', `/surveys/${surveyId}`, { title: '改', intro: '', questions: QUESTIONS, channels: ['sms'], startsOn: today, endsOn: today }),
      'SURVEY_NOT_OPEN', 'an open survey keeps its questions');

    const link = await tokenOf(PHONES[0]!);
    const shown = await call(null, 'GET', `/public/surveys/link/${link}`);
    assert.equal(shown.body.answered, false);
    assert.ok(!JSON.stringify(shown.body).includes(PHONES[0]!));
    assert.equal(await code(null, 'POST', `/public/surveys/link/${link}`, { answers: { q1: 'a', q2: ['wait'], q3: 4 } }), 'SURVEY_ANSWER_INVALID',
      'q2 is asked only of the unsatisfied');
    assert.equal(await code(null, 'POST', `/public/surveys/link/${link}`, { answers: { q1: 'c', q3: 4 } }), 'SURVEY_ANSWER_INVALID', 'q2 is required when asked');
    assert.equal(await code(null, 'POST', `/public/surveys/link/${link}`, { answers: { q1: 'c', q2: ['wait', 'crowd'], q3: 9 } }), 'SURVEY_ANSWER_INVALID');
    const required = { ...QUESTIONS[3]!, required: true };
    assert.throws(() => checkAnswers([QUESTIONS[0]!, required], { q1: 'a', q4: '   ' }), { code: 'SURVEY_ANSWER_INVALID' }, 'blanks are no answer');
    assert.equal((await call(null, 'POST', `/public/surveys/link/${link}`, { answers: { q1: 'c', q2: ['wait', 'crowd'], q3: 2, q4: '  多开公交专用道 ' } })).status, 204);
    assert.equal(await code(null, 'POST', `/public/surveys/link/${link}`, { answers: { q1: 'a', q3: 5 } }), 'SURVEY_ALREADY_ANSWERED');
    assert.equal((await call(null, 'GET', `/public/surveys/link/${link}`)).body.answered, true);
  });

  it('answers on the portal once per number, and on an agent\'s call', async () => {
    const listed = await call(null, 'GET', '/public/surveys');
    assert.deepEqual(listed.body.map((s: { id: string }) => s.id), [surveyId]);
    assert.equal(await code(null, 'POST', `/public/surveys/${surveyId}/answers`, { phone: '12345678901', answers: { q1: 'b', q3: 3 } }), 'SURVEY_ANSWER_INVALID');
    const portal = { phone: '13900000005', areaCode: '370103002', answers: { q1: 'b', q3: 3 } };
    assert.equal((await call(null, 'POST', `/public/surveys/${surveyId}/answers`, portal)).status, 204);
    assert.equal(await code(null, 'POST', `/public/surveys/${surveyId}/answers`, { ...portal, answers: { q1: 'a', q3: 5 } }), 'SURVEY_ALREADY_ANSWERED');

    const toCall = await call(cast.agent, 'GET', `/surveys/${surveyId}/calls`);
    assert.equal(toCall.body.length, 3, 'the three not answered who have a number to call');
    const second = toCall.body.find((r: { phone: string }) => r.phone === PHONES[1]);
    assert.equal((await call(cast.agent, 'POST', `/surveys/${surveyId}/respondents/${second.respondentId}/answers`, { answers: { q1: 'c', q2: ['wait'], q3: 2 } })).status, 204);
    assert.equal(await code(cast.agent, 'POST', `/surveys/${surveyId}/respondents/${second.respondentId}/answers`, { answers: { q1: 'a', q3: 5 } }),
      'SURVEY_ALREADY_ANSWERED');
  });

  it('gives the results with shares, the scale\'s mean and the free texts, by district and by an answer, with no number anywhere', async () => {
    const results = await call(cast.lead, 'GET', `/surveys/${surveyId}/results?by=area`);
    const r = results.body;
    assert.deepEqual([r.respondents, r.answered], [5, 3]);
    assert.equal(r.responseRate, 60);
    assert.deepEqual(r.byChannel, [{ channel: 'sms', answered: 1 }, { channel: 'portal', answered: 1 }, { channel: 'outbound', answered: 1 }]);
    const [q1, q2, q3, q4] = r.questions;
    assert.deepEqual(q1.options.map((o: { count: number; share: number }) => [o.count, o.share]), [[0, 0], [1, 33.3], [2, 66.7]]);
    assert.deepEqual([q2.asked, q2.answered], [2, 2]);
    assert.deepEqual(q2.options.map((o: { count: number }) => o.count), [2, 1, 0]);
    assert.equal(q3.mean, 2.33);
    assert.deepEqual(q4.texts, ['多开公交专用道']);
    const districts = Object.fromEntries(r.crossTab.groups.map((g: { label: string; answered: number }) => [g.label, g.answered]));
    assert.deepEqual(districts, { 历下区: 2, 市中区: 1 });
    const byAnswer = (await call(cast.lead, 'GET', `/surveys/${surveyId}/results?by=q1`)).body.crossTab;
    assert.deepEqual(byAnswer.groups.map((g: { label: string; answered: number }) => [g.label, g.answered]), [['不满意', 2], ['基本满意', 1]]);
    assert.equal(await code(cast.lead, 'GET', `/surveys/${surveyId}/results?by=q3`), 'SURVEY_INVALID');

    const text = JSON.stringify(r);
    for (const phone of [...PHONES, '13900000005']) assert.ok(!text.includes(phone), phone);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await call(cast.lead, 'GET', `/surveys/${surveyId}/results.xlsx`)).raw as never);
    const cells = book.worksheets.flatMap((sheet) => sheet.getSheetValues().flat().map(String)).join(' ');
    assert.ok(cells.includes('等车时间长') && cells.includes('多开公交专用道'));
    for (const phone of [...PHONES, '13900000005']) assert.ok(!cells.includes(phone), phone);
  });

  it('takes no answer once closed', async () => {
    assert.equal((await call(cast.lead, 'POST', `/surveys/${surveyId}/status`, { to: 'closed' })).body.status, 'closed');
    assert.equal(await code(null, 'POST', `/public/surveys/link/${await tokenOf(PHONES[2]!)}`, { answers: { q1: 'a', q3: 5 } }), 'SURVEY_NOT_OPEN');
    assert.equal(await code(cast.agent, 'GET', `/surveys/${surveyId}/calls`), 'SURVEY_NOT_OPEN', 'no numbers handed out once closed');
  });

  async function tokenOf(phone: string): Promise<string> {
    return (await p.db.pool.query('SELECT token FROM survey_respondents WHERE survey_id = $1 AND phone = $2', [surveyId, phone])).rows[0].token;
  }
});

describe('survey answer sheets', () => {
  it('keeps the answers of the questions shown, trimmed', () => {
    assert.deepEqual(checkAnswers(QUESTIONS, { q1: 'a', q3: 5, q4: ' 好 ' }), { q1: 'a', q3: 5, q4: '好' });
    assert.throws(() => checkAnswers(QUESTIONS, { q1: 'a', q3: 5, q9: 'x' }), { code: 'SURVEY_ANSWER_INVALID' });
  });
});
