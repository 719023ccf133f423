// Opinion surveys (民意调查) in real Chromium: a team lead writes a survey in the builder; a citizen
// answers one by the personal link of its invitation on a phone (the conditional question appears
// only after the answer it follows), and is told the second time that they have answered; an agent
// calls another respondent and enters their answers; the lead reads the results by district.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES, type AliyunSmsStandIn } from '../src/testing/aliyun-sms-stand-in.js';
import { beijingDate } from '../src/shared/beijing.js';
import { makeCast, registerTestOrder } from '../src/testing/harness.js';
import { apiAs, BROWSER_SKIP, clickSettled, launch, screenshot, seriousViolations, serve, signIn, tick, WIDE, type Served } from './browser.js';

const today = beijingDate(Date.now());
const SURVEY = {
  title: '城市交通出行满意度调查', intro: '您好，这里是12345热线，耽误您一分钟做个调查。', channels: ['sms', 'outbound'], startsOn: today, endsOn: today,
  questions: [
    { id: 'q1', kind: 'single', text: '您对公交出行是否满意', required: true, options: [{ id: 'a', label: '满意' }, { id: 'b', label: '基本满意' }, { id: 'c', label: '不满意' }] },
    { id: 'q2', kind: 'multiple', text: '不满意的方面', required: true, showIf: { question: 'q1', options: ['c'] },
      options: [{ id: 'wait', label: '等车时间长' }, { id: 'crowd', label: '车内拥挤' }] },
    { id: 'q3', kind: 'scale', text: '给公交服务打分', required: true, scale: { min: 1, max: 5, minLabel: '很差', maxLabel: '很好' } },
  ],
};

describe('surveys in a team lead\'s, a citizen\'s and an agent\'s browser', { timeout: 300_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let names: { lead: string; agent: string };
  let sms: AliyunSmsStandIn;
  let surveyId = '';
  const violations: string[] = [];
  const check = async (page: Page, name: string) => {
    await page.mouse.move(0, 0);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const tokenOf = async (phone: string) =>
    (await s.p.db.pool.query('SELECT token FROM survey_respondents WHERE survey_id = $1 AND phone = $2', [surveyId, phone])).rows[0].token as string;

  before(async () => {
    // an SMS provider (its stand-in): the portal's numbers are proved by a code
    sms = await startAliyunSmsStandIn();
    s = await serve((p) => {
      p.config.aliyunSms = { endpoint: sms.url, accessKeyId: sms.accessKeyId, accessKeySecret: sms.accessKeySecret, signName: '济南12345', templates: STAND_IN_TEMPLATES };
    });
    browser = await launch();
    const cast = await makeCast(s.p, { lead: ['HOTLINE', ['lead']], agent: ['HOTLINE', ['agent']] });
    names = { lead: cast.lead.username, agent: cast.agent.username };
    await registerTestOrder(s.p, cast.agent, { citizen: { name: '甲', phone: '13700000011' }, location: { address: '解放路', areaCode: '370102001' } });
    await registerTestOrder(s.p, cast.agent, { citizen: { name: '乙', phone: '13700000012' }, location: { address: '大观园', areaCode: '370103002' } });
    surveyId = (await apiAs(s.app, names.lead, 'POST', '/surveys', SURVEY)).id;
    await apiAs(s.app, names.lead, 'POST', `/surveys/${surveyId}/respondents`, { kind: 'callers', from: today, to: today });
    await apiAs(s.app, names.lead, 'POST', `/surveys/${surveyId}/status`, { to: 'open' });
  });
  after(async () => {
    await browser?.close();
    await s?.close();
    await sms?.close();
  }, { timeout: 60_000 });

  it('a team lead writes a survey in the builder', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(page, s.url, names.lead), null);
    await page.goto(`${s.url}/surveys`);
    await page.getByRole('button', { name: '新建调查' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('标题', { exact: true }).fill('营商环境满意度调查');
    await modal.getByLabel('题目内容 1').fill('您办理业务是否顺利');
    await modal.getByLabel('选项 1').fill('顺利');
    await page.keyboard.press('Enter');
    await modal.getByLabel('选项 1').fill('不顺利');
    await page.keyboard.press('Enter');
    await check(page, 'builder');
    await screenshot(page, 'surveys-builder');
    await modal.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存').waitFor();
    const draft = page.getByRole('row').filter({ hasText: '营商环境满意度调查' });
    await draft.getByText('草稿').waitFor();
    await check(page, 'surveys');
    await screenshot(page, 'surveys-list');

    // respondents from a list file as a unit keeps it: a header, two numbers, a row without one
    await draft.getByRole('button', { name: '添加调查对象' }).click();
    const dialog = page.getByRole('dialog');
    await clickSettled(page, dialog.getByText('名单文件', { exact: true }));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByRole('button', { name: '选择文件' }).click()]);
    await chooser.setFiles({ name: '企业名单.csv', mimeType: 'text/csv', buffer: Buffer.from('企业,联系人,手机\n泉城商贸,王,13900002201\n历下物流,李,未留\n趵突科技,赵,139 0000 2202\n') });
    await dialog.getByText('已选择：企业名单.csv').waitFor();
    await dialog.getByRole('button', { name: '添加' }).click();
    await dialog.getByText('名单共 2 行有号码，重复 0 个；新增调查对象 2 人。').waitFor();
    await dialog.getByText('第 3 行：历下物流 · 李 · 未留').waitFor();
    await check(page, 'respondents from a file');
    await screenshot(page, 'surveys-respondents-file');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
    await draft.getByRole('cell', { name: '2', exact: true }).first().waitFor();
    await page.close();
  });

  it('a citizen answers by the link on a phone, once, the conditional question shown only when it applies', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    await page.goto(`${s.url}/portal/survey/${await tokenOf('13700000011')}`);
    await page.getByText(SURVEY.intro).waitFor();
    assert.equal(await page.getByText('不满意的方面').count(), 0);
    await page.getByLabel('不满意').check();
    await page.getByText('不满意的方面').waitFor();
    await page.getByLabel('等车时间长').check();
    await page.getByText('2', { exact: true }).click();
    await check(page, 'survey link');
    await screenshot(page, 'surveys-link');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('感谢您的参与！您的意见已收到。').waitFor();
    await page.reload();
    await page.getByText('您已经参与过本次调查，每人只能回答一次。').waitFor();

    // a survey open to anyone on the portal, answered with a number proved by the code sent to it, once
    const open = await apiAs(s.app, names.lead, 'POST', '/surveys', { ...SURVEY, title: '垃圾分类意见征集', channels: ['portal'] });
    await apiAs(s.app, names.lead, 'POST', `/surveys/${open.id}/status`, { to: 'open' });
    await page.goto(`${s.url}/portal/surveys`);
    await page.getByRole('button', { name: '参与调查' }).click();
    await page.getByLabel('基本满意').check();
    await page.getByText('5', { exact: true }).click();
    await page.getByLabel('您的手机号码').fill('13900001111');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('请先获取短信验证码，填写后再提交').waitFor();
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByText('验证码已发送到您的手机，5 分钟内有效').waitFor();
    await page.getByRole('button', { name: /秒后可重新获取$/ }).waitFor();
    const code = sms.sent.filter((m) => m.phone === '13900001111' && m.templateCode === STAND_IN_TEMPLATES.sign_in_code).at(-1)!.params.code!;
    await page.getByLabel('短信验证码').fill(code);
    await check(page, 'portal survey');
    await screenshot(page, 'surveys-portal');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('感谢您的参与！您的意见已收到。').waitFor();
    await page.close();
  });

  it('an agent calls the other respondent and enters their answers', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(page, s.url, names.agent), null);
    await page.goto(`${s.url}/surveys`);
    await page.getByRole('row').filter({ hasText: SURVEY.title }).getByRole('button', { name: '外呼作答' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('13700000012').waitFor();
    await clickSettled(page, drawer.getByRole('button', { name: '开始' }));
    await tick(page, drawer.getByLabel('满意', { exact: true }));
    await drawer.getByText('4', { exact: true }).click();
    await check(page, 'outbound');
    await screenshot(page, 'surveys-outbound');
    await drawer.getByRole('button', { name: '提交' }).click();
    await page.getByText('已记录答卷').waitFor();
    await drawer.getByText('没有待外呼的调查对象').waitFor();
    await page.close();
  });

  it('the lead reads the results, by district', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(page, s.url, names.lead), null);
    await page.goto(`${s.url}/surveys`);
    await page.getByRole('row').filter({ hasText: SURVEY.title }).getByRole('button', { name: '查看结果' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('100%').first().waitFor();
    await drawer.getByText('平均分 3').waitFor();
    await drawer.getByLabel('交叉分析').click();
    await page.getByTitle('按区县').click();
    await drawer.getByRole('columnheader', { name: '历下区' }).first().waitFor();
    await drawer.getByRole('columnheader', { name: '市中区' }).first().waitFor();
    await check(page, 'results');
    await screenshot(page, 'surveys-results');
    await page.close();
    assert.deepEqual(violations, []);
  });
});
