// The leadership screen (数据大屏) in Chromium at full HD, on two generated years up to now: a leader
// opens it and sees today's orders as the database counts them against the same date last year,
// the districts on the map, a gas leak's early warning and a hot topic of the hour; an order
// registered meanwhile raises today's figure with no reload; a topic opens its orders, a warning
// opens the warning, a district opens its orders. Screenshots; no serious accessibility violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CITY, makeStaff, orderInput } from '../src/testing/harness.js';
import type { Actor } from '../src/modules/auth/index.js';
import { rebuildRollups } from '../src/modules/analytics/index.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { addRespondents, answerByToken, createSurvey, moveSurvey } from '../src/modules/surveys/index.js';
import { beijingDate } from '../src/shared/beijing.js';
import { loadWorld } from '../src/seed/history/world.js';
import { writeHistory } from '../src/seed/history/write.js';
import { BROWSER_SKIP, launch, screenshot, seriousViolations, serve, signIn, type Served } from './browser.js';

const BEIJING_DAY = `(created_at AT TIME ZONE 'Asia/Shanghai')::date`;
const TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;
const FULL_HD = { width: 1920, height: 1080 };

describe('the leadership screen in Chromium', { timeout: 180_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let page: Page;
  let agent: Actor;
  const violations: string[] = [];

  before(async () => {
    [s, browser] = await Promise.all([serve(), launch()]);
    await writeHistory(s.p.db.pool, CITY, await loadWorld(s.p.db.pool, CITY), { orders: 6_000, years: 2, seed: 5, end: new Date() });
    await rebuildRollups(s.p.db.pool, CITY);
    agent = await makeStaff(s.p, 'HOTLINE', ['agent']);
    // this hour: four callers about the rubbish at one estate's gate (a hot topic), five about gas in one stairwell (an early warning)
    for (const body of ['小区门口垃圾堆积很久没人清理，臭味很大', '我们小区门口的垃圾好几天没有清运了，气味难闻', '垃圾桶满了没人清理，小区门口全是垃圾', '小区门口垃圾没人清运，苍蝇很多']) {
      await registerOrder(s.p.db.pool, agent, orderInput({ title: '小区门口垃圾无人清运', body, location: { address: '某小区', areaCode: '370102001' } }));
    }
    const community = (await s.p.db.pool.query(`SELECT code FROM areas WHERE code LIKE '370103%' AND length(code) = 12 ORDER BY code LIMIT 1`)).rows[0].code;
    for (let i = 0; i < 5; i++) {
      await registerOrder(s.p.db.pool, agent, orderInput({ categoryCode: '010213', title: '楼道燃气味很重', body: '楼道里燃气味很重，担心泄漏，请马上派人来查看',
        location: { address: '楼道', areaCode: community } }));
    }
    // and six about no water in another (a second warning, a second topic): the right column no taller for them
    const dry = (await s.p.db.pool.query(`SELECT code FROM areas WHERE code LIKE '370104%' AND length(code) = 12 ORDER BY code LIMIT 1`)).rows[0].code;
    for (let i = 0; i < 6; i++) {
      await registerOrder(s.p.db.pool, agent, orderInput({ categoryCode: '010216', title: '小区突然停水', body: `小区从早上开始停水，没有任何通知，家里没水用${'！'.repeat(i)}`,
        location: { address: '小区', areaCode: dry } }));
    }
    // a survey open, two asked, one answered
    const lead = await makeStaff(s.p, 'HOTLINE', ['lead']);
    const today = beijingDate(new Date());
    const survey = await createSurvey(s.p.db.pool, lead, { title: '城市交通出行满意度调查', intro: '', channels: ['sms'], startsOn: today, endsOn: today,
      questions: [{ id: 'q1', kind: 'single', text: '是否满意', required: true, options: [{ id: 'a', label: '满意' }, { id: 'b', label: '不满意' }] }] });
    await addRespondents(s.p.db.pool, lead, survey.id, { kind: 'list', phones: ['13900004001', '13900004002'] });
    await moveSurvey(s.p.db.pool, lead, survey.id, 'open');
    const token = (await s.p.db.pool.query('SELECT token FROM survey_respondents WHERE survey_id = $1 ORDER BY phone LIMIT 1', [survey.id])).rows[0].token;
    await answerByToken(s.p.db.pool, CITY, token, { q1: 'a' });
    page = await (await browser.newContext({ bypassCSP: true, viewport: FULL_HD, timezoneId: 'Asia/Shanghai' })).newPage();
    assert.equal(await signIn(page, s.url, (await makeStaff(s.p, 'HOTLINE', ['leader'])).username), null);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  const count = async (where: string, values: unknown[] = []) =>
    (await s.p.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE ${where}`, values)).rows[0].n as number;
  const shoot = async (name: string) => {
    await page.waitForTimeout(300); // the charts settle
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const tile = (title: string) => page.locator('.ant-card').filter({ has: page.getByText(title, { exact: true }) }).locator('.ant-statistic-content');
  /** Waits until the figure titled `title` reads `text`. */
  const shows = (title: string, text: string, timeout?: number) => page.waitForFunction(([title, text]) => [...document.querySelectorAll('.ant-statistic')]
    .some((e) => e.querySelector('.ant-statistic-title')?.textContent === title && e.querySelector('.ant-statistic-content')?.textContent === text), [title, text], { timeout });
  const settled = async () => {
    // the consumers (rollups, hot topics, warnings) have read every order registered so far
    while ((await s.p.db.pool.query('SELECT count(*)::int AS n FROM hot_topic_orders')).rows[0].n < 15
      || (await s.p.db.pool.query(`SELECT count(*)::int AS n FROM early_warnings`)).rows[0].n < 2) await new Promise((r) => setTimeout(r, 100));
  };

  it("shows today's orders against the same date last year, the month, the map, the warnings and the hot topics", async () => {
    await settled();
    await page.getByRole('button', { name: '数据大屏' }).click(); // from the analysis, a leader's first workspace
    await page.waitForURL(/\/screen$/);
    const today = await count(`${BEIJING_DAY} = ${TODAY}`);
    await shows('今日受理', today.toLocaleString());
    const month = await count(`${BEIJING_DAY} >= date_trunc('month', ${TODAY})::date AND ${BEIJING_DAY} <= ${TODAY}`);
    await shows('本月受理', month.toLocaleString());
    const lastYearDay = await count(`${BEIJING_DAY} = (${TODAY} - interval '1 year')::date`);
    await page.getByText(`去年同日全天 ${lastYearDay} 件`).waitFor();
    await page.getByRole('img', { name: new RegExp(`^今日截至 \\d+ 时 \\d+ 分受理 ${today} 件，去年同日同一时刻 \\d+ 件$`) }).waitFor();
    // the map: the districts of this month, the busiest named
    await page.getByRole('img', { name: /^区县分布（受理量，本月）：.+(区|县)最高，\d+ 件$/ }).waitFor();
    const warning = page.locator('.ant-card').filter({ has: page.getByText('突发事件预警', { exact: true }) }).getByRole('listitem').filter({ hasText: '燃气供应' });
    await warning.waitFor();
    assert.match(await warning.textContent() ?? '', /待确认.*5 件来电/);
    const topic = page.locator('.ant-card').filter({ has: page.getByText('热点问题（24 小时）', { exact: true }) }).getByRole('listitem').filter({ hasText: '垃圾' });
    await topic.waitFor();
    assert.match(await topic.textContent() ?? '', /历下区/);
    await shows('待处理预警', '2');
    const surveys = page.locator('.ant-card').filter({ has: page.getByText('民意调查', { exact: true }) }).getByRole('listitem');
    await surveys.filter({ hasText: '城市交通出行满意度调查' }).getByText('已作答 1 / 2 人 · 回收率 50.0%', { exact: false }).waitFor();
    await page.locator('.ant-card').filter({ hasText: '承办单位排行（本月）' }).locator('tbody tr.ant-table-row').nth(4).waitFor();
    // a wall display cannot scroll: the whole page, menu bar included, fits 1080 px without going full screen
    const tall = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(tall <= FULL_HD.height, `the page is ${tall} px tall`);
    await shoot('screen');
  });

  it("raises today's figure when an order is registered, with no reload", async () => {
    const before = Number((await tile('今日受理').textContent())!.replace(/,/g, ''));
    await registerOrder(s.p.db.pool, agent, orderInput({ title: '路灯不亮', body: '小区路灯坏了好几天，晚上出行不安全' }));
    const started = Date.now();
    await shows('今日受理', (before + 1).toLocaleString(), 10_000);
    console.log(`# today's figure rose ${Date.now() - started} ms after the order was registered`);
  });

  it('opens a hot topic to all its orders, and a warning to the warning', async () => {
    const topics = page.locator('.ant-card').filter({ has: page.getByText('热点问题（24 小时）', { exact: true }) });
    await topics.getByRole('listitem').filter({ hasText: '垃圾' }).getByText('4 件').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('热点工单（共 4 件）').waitFor();
    await drawer.getByRole('link', { name: /^\d{8}-\d{8}$/ }).nth(3).waitFor();
    assert.equal(await drawer.getByRole('link', { name: /^\d{8}-\d{8}$/ }).count(), 4);
    await shoot('screen-topic');
    // an order of the topic: the page asks a leader for nothing the role may not read
    const refused: string[] = [];
    page.on('response', (r) => { if (r.status() === 403) refused.push(r.url()); });
    await drawer.getByRole('link', { name: /^\d{8}-\d{8}$/ }).first().click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    await page.getByText('办理过程', { exact: true }).waitFor();
    await page.waitForTimeout(1_000); // the page's other sections answered
    assert.deepEqual(refused, []);
    await page.goBack();
    await page.waitForURL(/\/screen$/);
    const warnings = page.locator('.ant-card').filter({ has: page.getByText('突发事件预警', { exact: true }) });
    await warnings.getByRole('listitem').filter({ hasText: '燃气供应' }).getByText('详情').click();
    await page.getByRole('dialog').getByText('并入的来电（5 件）').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });

  it("opens a district's orders of the span from the map's list", async () => {
    const list = page.getByRole('navigation', { name: '各区县（点击查看工单）' });
    await list.getByRole('link', { name: '历下区' }).click();
    await page.waitForURL(/\/orders\?/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('areaCode'), '370102');
    await page.locator('.ant-tag').filter({ hasText: /^历下区 · \d{4}-\d{2}-01 至 \d{4}-\d{2}-\d{2}$/ }).waitFor();
    const inMonth = await count(`area_code LIKE '370102%' AND ${BEIJING_DAY} >= date_trunc('month', ${TODAY})::date AND ${BEIJING_DAY} <= ${TODAY}`);
    await page.getByText(new RegExp(`共 ${inMonth} 件`)).first().waitFor();
    await shoot('screen-drill');
    assert.deepEqual(violations, []);
  });
});
