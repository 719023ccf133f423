// The analysis in Chromium, on two generated years: a leader lands on it, sees this month's orders
// as the database counts them with the change against last year, the trend, the rankings and the
// units; the last 12 months redraw it. A unit's manager sees the same page over their own unit and
// the units below it. Screenshots of both; no serious accessibility violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { CITY, makeStaff, orderInput } from '../src/testing/harness.js';
import { rebuildRollups, REPORT_TIMER, reportTimer } from '../src/modules/analytics/index.js';
import { NO_SUBJECT } from '../src/modules/timers/index.js';
import { withTransaction } from '../src/db/tx.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { loadWorld } from '../src/seed/history/world.js';
import { writeHistory } from '../src/seed/history/write.js';
import { beijingDate } from '../src/shared/beijing.js';
import { readFile } from 'node:fs/promises';
import { BROWSER_SKIP, clickSettled, launch, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

const BEIJING_DAY = `(created_at AT TIME ZONE 'Asia/Shanghai')::date`;
const TODAY = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

describe('the analysis in Chromium', { timeout: 180_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  const violations: string[] = [];

  before(async () => {
    [s, browser] = await Promise.all([serve(), launch()]);
    await writeHistory(s.p.db.pool, CITY, await loadWorld(s.p.db.pool, CITY), { orders: 6_000, years: 2, seed: 4, end: new Date() });
    await rebuildRollups(s.p.db.pool, CITY);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  // each user their own browser, in Beijing, as the figures' days are
  const newPage = async () => (await browser.newContext({ bypassCSP: true, viewport: WIDE, timezoneId: 'Asia/Shanghai' })).newPage();
  const count = async (where: string, values: unknown[] = []) =>
    (await s.p.db.pool.query(`SELECT count(*)::int AS n FROM orders WHERE ${where}`, values)).rows[0].n as number;
  const shoot = async (page: Page, name: string) => {
    await page.waitForTimeout(300); // the charts settle
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const kpi = (page: Page, title: string) => page.locator('.ant-card').filter({ has: page.getByText(title, { exact: true }) }).locator('.ant-statistic-content');

  it("opens on this month's figures for a leader, each as the orders count, with the hot topics, the trend, the rankings and the units", async () => {
    // four callers this hour about the rubbish at one estate's gate: a hot topic
    const agent = await makeStaff(s.p, 'HOTLINE', ['agent']);
    for (const body of ['小区门口垃圾堆积很久没人清理，臭味很大', '我们小区门口的垃圾好几天没有清运了，气味难闻', '垃圾桶满了没人清理，小区门口全是垃圾', '小区门口垃圾没人清运，苍蝇很多']) {
      await registerOrder(s.p.db.pool, agent, orderInput({ title: '小区门口垃圾无人清运', body, location: { address: '某小区', areaCode: '370102001' } }));
    }
    // and one who has called before, in anger (public opinion)
    await registerOrder(s.p.db.pool, agent, orderInput({ title: '路灯坏了没人修', body: '路灯坏了多次反映一直没人处理，太过分了' }));
    while ((await s.p.db.pool.query('SELECT count(*)::int AS n FROM hot_topic_orders')).rows[0].n < 5) await new Promise((r) => setTimeout(r, 100));
    const page = await newPage();
    assert.equal(await signIn(page, s.url, (await makeStaff(s.p, 'HOTLINE', ['leader'])).username), null);
    await page.getByRole('menuitem', { name: '数据分析' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/analytics', "a leader's first workspace");
    await page.locator('.ant-tag').getByText('全市').waitFor();
    assert.equal(await page.getByText('本页只统计本单位及下级单位', { exact: false }).count(), 0, "the city's figures leave nothing out");
    const month = await count(`${BEIJING_DAY} >= date_trunc('month', ${TODAY})::date AND ${BEIJING_DAY} <= ${TODAY}`);
    assert.ok(month > 0, 'the generated history reaches this month');
    await page.waitForFunction((n) => [...document.querySelectorAll('.ant-statistic-content')].some((e) => e.textContent === n), month.toLocaleString());
    assert.equal(await kpi(page, '受理量').textContent(), month.toLocaleString());
    assert.match(await page.locator('.ant-card').filter({ has: page.getByText('受理量', { exact: true }) }).textContent() ?? '', /同比.*环比/);
    await page.getByRole('img', { name: new RegExp(`受理量走势：.* 共 ${month} 件`) }).waitFor();
    const hotCard = page.locator('.ant-card').filter({ has: page.getByText('热点问题', { exact: true }) });
    const hot = hotCard.getByRole('row').filter({ hasText: '垃圾' });
    await hot.waitFor(); // the hot topics come in their own request
    const cells = await hot.getByRole('cell').allTextContents(); // [expander, words, place, matter, now, before, …]
    assert.match(cells[2]!, /^历下区/);
    assert.deepEqual([cells[4], cells[5]], ['4', '0'], 'its four orders now, none before');
    await hot.getByRole('button').first().click();
    assert.equal(await hotCard.getByRole('link', { name: /^\d{8}-\d{8}$/ }).count(), 3, 'its first and two most typical orders');
    await clickSettled(page, hotCard.getByRole('button', { name: '查看全部 4 件' }));
    const drawer = page.getByRole('dialog');
    await drawer.getByText('热点工单（共 4 件）').waitFor();
    await drawer.getByRole('link', { name: /^\d{8}-\d{8}$/ }).nth(3).waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await page.mouse.move(0, 0); // off the button: its hover colour is antd's, not the page's
    await page.getByRole('img', { name: '本期情绪激动 1 件，多次反映未解决 1 件' }).waitFor();
    await page.locator('.ant-tag').filter({ hasText: /^垃圾 \+4$/ }).waitFor(); // this week's rising word, four orders more than the week before
    await page.getByRole('img', { name: /^诉求分类排行：.+ 最多，\d+ 件$/ }).waitFor();
    await page.getByRole('img', { name: /^区县排行：.+(区|县|市) 最多，\d+ 件$/ }).waitFor();
    await shoot(page, 'analytics');

    // the last 12 months, from the presets
    await page.getByLabel('统计期间').first().click();
    await clickSettled(page, page.getByText('近 12 个月'));
    const year = await count(`${BEIJING_DAY} >= (date_trunc('month', ${TODAY}) - interval '11 months')::date AND ${BEIJING_DAY} <= ${TODAY}`);
    await page.getByRole('img', { name: new RegExp(`受理量走势：.* 共 ${year} 件`) }).waitFor();
    await page.waitForFunction((n) => [...document.querySelectorAll('.ant-statistic-content')].some((e) => e.textContent === n), year.toLocaleString());
    assert.equal(await kpi(page, '受理量').textContent(), year.toLocaleString());
    const units = page.locator('.ant-card').filter({ has: page.getByText('承办单位办理情况') });
    await units.locator('tbody tr.ant-table-row').nth(5).waitFor(); // the units that led orders, ranked
    // callers by how often they have called: the once-only callers as the database counts them
    const once = (await s.p.db.pool.query(`SELECT count(*)::int AS n FROM (SELECT 1 FROM orders WHERE coalesce(citizen_phone, citizen_identity) IS NOT NULL
      GROUP BY coalesce(citizen_phone, citizen_identity) HAVING count(*) = 1) k`)).rows[0].n as number;
    const onceRow = page.locator('.ant-card').filter({ has: page.getByText('来电人分析（按累计来电次数分组）') }).getByRole('row').filter({ hasText: '仅一次' });
    assert.equal((await onceRow.getByRole('cell').allTextContents())[1], once.toLocaleString());
    await page.getByRole('img', { name: '各组来电人本期工单的诉求类型构成' }).waitFor();
    await page.locator('.ant-card').filter({ hasText: '来电人分析' }).scrollIntoViewIfNeeded();
    await shoot(page, 'analytics-year');

    // a span typed past the 11 years the server reads is not taken: the last period stays, every card with it
    const [start, end] = [page.getByPlaceholder('开始日期'), page.getByPlaceholder('结束日期')];
    await start.click();
    await start.fill('2010-01-01');
    await start.press('Enter');
    await end.fill(beijingDate(Date.now()));
    await end.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1_500);
    assert.equal(await kpi(page, '受理量').textContent(), year.toLocaleString(), 'the last 12 months still shown');
    assert.equal(await page.locator('.ant-skeleton:visible').count(), 0, 'no card left loading');
    assert.equal(await page.locator('.ant-alert-error:visible').count(), 0, 'nothing asked that the server refuses');

    // the biggest district's bar opens its orders of the 12 months
    const districts = page.getByRole('img', { name: /^区县排行：.+ 最多，\d+ 件$/ });
    const [, district, most] = /^区县排行：(.+) 最多，(\d+) 件$/.exec((await districts.getAttribute('aria-label'))!)!;
    await districts.scrollIntoViewIfNeeded();
    const box = (await districts.boundingBox())!;
    const bars = Number((await s.p.db.pool.query(`SELECT count(DISTINCT substr(area_code, 1, 6))::int AS n FROM orders
      WHERE area_code IS NOT NULL AND ${BEIJING_DAY} >= (date_trunc('month', ${TODAY}) - interval '11 months')::date`)).rows[0].n);
    await page.mouse.click(box.x + box.width * 0.6, box.y + 8 + (box.height - 16) / Math.min(bars, 10) / 2); // the first bar, the longest
    await page.waitForURL(/\/orders\?/);
    assert.equal(new URL(page.url()).searchParams.get('label'), district);
    await page.locator('.ant-tag').filter({ hasText: new RegExp(`^${district} · \\d{4}-\\d{2}-01 至 ${beijingDate(Date.now())}$`) }).waitFor();
    await page.getByText(new RegExp(`共 ${most} 件`)).first().waitFor();
    await shoot(page, 'analytics-drill');
    // a link whose days cannot be read lists nothing, and says so
    await page.goto(`${s.url}/orders?areaCode=370102&from=2026-13-01&to=abc`);
    await page.getByText('此链接的筛选条件无法识别，未列出工单').waitFor();
    assert.match(await page.locator('.ant-alert').textContent() ?? '', /from=2026-13-01; to=abc/);
    await page.close();
  });

  it("gives a unit's manager the figures of their own unit and the units below it", async () => {
    const [unit] = (await s.p.db.pool.query(`SELECT a.code, a.name, array_agg(DISTINCT u.id) AS subtree
        FROM units a JOIN units u ON u.path LIKE a.path || '%' JOIN orders o ON o.lead_unit_id = u.id
       WHERE a.level = 'district' GROUP BY a.code, a.name HAVING count(DISTINCT u.id) > 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
    assert.ok(unit, 'a district government with sub-units leads orders');
    const page = await newPage();
    assert.equal(await signIn(page, s.url, (await makeStaff(s.p, unit.code, ['unit_manager'])).username), null);
    await page.getByRole('menuitem', { name: '数据分析' }).click();
    await page.locator('.ant-tag').getByText('本单位及下级单位').waitFor();
    // what the figures leave out, said where they are read
    await page.getByText('其他单位承办的工单（包括本辖区内由市直部门承办的）不计入', { exact: false }).waitFor();
    await page.getByLabel('统计期间').first().click();
    await clickSettled(page, page.getByText('近 12 个月'));
    const led = await count(`${BEIJING_DAY} >= (date_trunc('month', ${TODAY}) - interval '11 months')::date AND ${BEIJING_DAY} <= ${TODAY}
      AND lead_unit_id = ANY($1::uuid[])`, [unit.subtree]);
    assert.ok(led > 0, 'its units led orders this year');
    await page.waitForFunction((n) => [...document.querySelectorAll('.ant-statistic-content')].some((e) => e.textContent === n), led.toLocaleString());
    const unitRows = page.locator('.ant-card').filter({ has: page.getByText('承办单位办理情况') }).locator('tbody tr.ant-table-row');
    await unitRows.first().waitFor();
    const names = await unitRows.locator('td:first-child').allTextContents();
    const own = (await s.p.db.pool.query('SELECT name FROM units WHERE id = ANY($1::uuid[])', [unit.subtree])).rows.map((r) => r.name);
    assert.ok(names.length > 0 && names.every((n) => own.includes(n)), `only its own units: ${names.join('、')}`);
    await shoot(page, 'analytics-unit');

    // one of its orders loaded with the history: no events, and the page says why its history is empty
    const [loaded] = (await s.p.db.pool.query(`SELECT o.id FROM orders o WHERE o.lead_unit_id = ANY($1::uuid[])
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = o.id) LIMIT 1`, [unit.subtree])).rows;
    await page.goto(`${s.url}/orders/${loaded.id}`);
    await page.locator('.ant-card').filter({ has: page.getByText('办理过程', { exact: true }) }).getByText('此工单随历史数据导入，没有逐条的办理记录。').waitFor();
    await page.close();
  });

  it("reads last month's report on the page, and downloads it as a PDF, and a quarter's as a workbook in English once the page is", async () => {
    const page = await newPage();
    assert.equal(await signIn(page, s.url, (await makeStaff(s.p, 'HOTLINE', ['leader'])).username), null);
    const card = page.locator('.ant-card').filter({ has: page.getByText('分析报告（月度、季度）', { exact: true }) });
    const lastMonth = (await s.p.db.pool.query(`SELECT to_char(date_trunc('month', ${TODAY}) - interval '1 month', 'YYYY-MM') AS m`)).rows[0].m as string;
    const orders = await count(`to_char(${BEIJING_DAY}, 'YYYY-MM') = $1`, [lastMonth]);
    await card.getByText(`热线共受理诉求 ${orders.toLocaleString('en')} 件`, { exact: false }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'analytics-report');
    const [pdf] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: '下载 PDF' }).click()]);
    assert.equal(pdf.suggestedFilename(), `report-${lastMonth}-zh.pdf`);
    const bytes = await readFile((await pdf.path())!);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.ok(bytes.length > 50_000, `${bytes.length} bytes: the charts and the font are in it`);

    // the pickers name the months in the interface's language, and the report is in it unless another is chosen
    const months = page.locator('.ant-picker-dropdown:visible .ant-picker-cell-inner');
    await card.getByLabel('报告期间').click();
    await months.first().waitFor();
    assert.deepEqual((await months.allTextContents()).slice(0, 3), ['1月', '2月', '3月']);
    await screenshot(page, 'analytics-report-month');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'English' }).click();
    const inEnglish = page.locator('.ant-card').filter({ has: page.getByText('Analysis report (monthly, quarterly)', { exact: true }) });
    await inEnglish.getByLabel('Report period').click();
    // the English picker's months, read once it has settled: the Chinese one fades out as the language
    // changes, and a read of the cells in between found none
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.ant-picker-dropdown .ant-picker-cell-inner')]
      .filter((cell) => cell.offsetParent !== null).slice(0, 3).map((cell) => cell.textContent).join() === 'Jan,Feb,Mar');
    await screenshot(page, 'analytics-report-month-en');
    await page.keyboard.press('Escape');

    await inEnglish.getByText('Quarter', { exact: true }).click();
    await inEnglish.getByText(/^\d{4}-(01|04|07|10)-01 to \d{4}-\d{2}-\d{2}/).first().waitFor(); // a quarter's span
    const quarter = await inEnglish.getByLabel('Report period').inputValue();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), inEnglish.getByRole('button', { name: 'Download Excel' }).click()]);
    assert.match(quarter, /^\d{4}-Q[1-4]$/);
    assert.match(xlsx.suggestedFilename(), new RegExp(`^report-${quarter}(-partial)?-en\\.xlsx$`));
    assert.equal((await readFile((await xlsx.path())!)).subarray(0, 2).toString(), 'PK', 'a workbook is a zip');
    await page.close();
  });

  it('opens a report from the notice that it is ready', async () => {
    // the schedule's timer as it fired on the first of a month some months ago: that month's report is the month before
    const { at, due } = (await s.p.db.pool.query(`SELECT to_char(date_trunc('month', ${TODAY}) - interval '3 month', 'YYYY-MM') AS at,
      to_char(date_trunc('month', ${TODAY}) - interval '4 month', 'YYYY-MM') AS due`)).rows[0];
    const leader = await makeStaff(s.p, 'LEADERS', ['leader']);
    await withTransaction(s.p.db.pool, (tx) => reportTimer(tx, { id: 0, cityCode: CITY, kind: REPORT_TIMER, subjectId: NO_SUBJECT, ref: null,
      detail: null, dueAt: new Date(), attempts: 0 }, new Date(`${at}-01T00:00:00Z`)));
    const page = await newPage();
    assert.equal(await signIn(page, s.url, leader.username), null);
    await page.getByRole('button', { name: /^通知，\d+ 条未读/ }).click();
    await page.getByText(`${Number(due.slice(0, 4))}年${Number(due.slice(5))}月分析报告已生成，可查看和下载`).waitFor();
    await page.getByRole('link', { name: `分析报告 ${due}` }).click();
    await page.waitForURL((url) => url.pathname === '/analytics' && url.searchParams.get('report') === due);
    const card = page.locator('.ant-card').filter({ has: page.getByText('分析报告（月度、季度）', { exact: true }) });
    await card.getByText(`${due}-01 至`, { exact: false }).first().waitFor();
    assert.equal(await card.getByLabel('报告期间').inputValue(), due);
    await shoot(page, 'analytics-report-from-notice');
    await page.close();
  });

  it('says the figures are incomplete while a recount stopped half way is not run again, and no more once it is', async () => {
    await assert.rejects(rebuildRollups(s.p.db.pool, CITY, { between: ({ phase }) => {
      if (phase === 'rollups') throw new Error('the operator pressed Ctrl+C');
    } }), /Ctrl\+C/);
    const page = await newPage();
    assert.equal(await signIn(page, s.url, (await makeStaff(s.p, 'HOTLINE', ['leader'])).username), null);
    const notice = page.getByRole('alert').filter({ hasText: '统计数据的重算' });
    await notice.getByText('中途停止，数字不完整：请管理员再次运行 npm run cli -- rebuild-rollups', { exact: false }).waitFor();
    await shoot(page, 'analytics-recount-interrupted');
    await rebuildRollups(s.p.db.pool, CITY);
    await page.reload();
    await kpi(page, '受理量').first().waitFor();
    assert.equal(await notice.count(), 0);
    await page.close();
  });

  it('has no serious or critical accessibility violation', () => {
    assert.deepEqual(violations, []);
  });
});
