// Quality review (质检) in real Chromium: a team lead writes a scoring sheet, draws the month's samples
// (the order a unit returned and the hotline sent elsewhere is drawn as mis-routed, beside random
// ones), scores the mis-routed one with a comment, and reads the agent's month; the agent then
// is told by a notice, which opens that review, its items and the comment under 话务 › 我的质检, and nothing still waiting.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { beijingMonth } from '../src/shared/beijing.js';
import { makeCast, registerTestOrder, unitIds } from '../src/testing/harness.js';
import { signedCallEvents } from '../src/testing/telephony.js';
import { applyTransition } from '../src/modules/orders/index.js';
import { apiAs, BROWSER_SKIP, launch, messagesGone, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

describe('quality review in a team lead\'s and an agent\'s browser', { timeout: 300_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let lead: Page;
  let names: { anna: string; lead: string };
  let misroutedNo: string;
  const violations: string[] = [];

  before(async () => {
    s = await serve();
    browser = await launch();
    const cast = await makeCast(s.p, { anna: ['HOTLINE', ['agent']], lead: ['HOTLINE', ['lead']], dora: ['HOTLINE', ['dispatcher']],
      water: ['UTIL-WATER', ['unit_handler']] });
    names = { anna: cast.anna.username, lead: cast.lead.username };
    const [water, power] = await unitIds(s.p, ['UTIL-WATER', 'UTIL-POWER'] as const);
    const { pool } = s.p.db;
    // anna's month: four orders; the water company returns one, and the hotline sends it to the power company
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await registerTestOrder(s.p, cast.anna));
    const misrouted = orders[0]!;
    misroutedNo = misrouted.trackingNo;
    await applyTransition(pool, cast.anna, misrouted.id, 'dispatch', { unitId: water });
    await applyTransition(pool, cast.water, misrouted.id, 'return', { reason: '不属于本单位职责' });
    await applyTransition(pool, cast.dora, misrouted.id, 'dispatch', { unitId: power });
    // and a call she answered at her seat, during which she registered nothing
    await apiAs(s.app, names.anna, 'PUT', '/seats/mine', { seat: '5001' });
    const at = (sec: number) => new Date(Date.now() - 600_000 + sec * 1000).toISOString();
    const posted = await s.app.inject({ method: 'POST', ...signedCallEvents([
      { id: 'q1:o', callId: 'quality-call-1', type: 'offered', at: at(0), caller: '13805319999', queue: 'general' },
      { id: 'q1:a', callId: 'quality-call-1', type: 'answered', at: at(6), seat: '5001' },
      { id: 'q1:e', callId: 'quality-call-1', type: 'ended', at: at(96), seat: '5001', reason: 'caller' },
    ]) });
    assert.equal(posted.statusCode, 200, posted.body);
    // the server's consumers keep the agents' work: wait until the re-dispatch and the call are in it
    for (let i = 0; i < 100; i++) {
      const r = await pool.query(`SELECT (SELECT count(*) FROM quality_marks)::int + (SELECT count(*) FROM quality_work WHERE kind = 'call')::int AS n`);
      if (r.rows[0].n === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    lead = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(lead, s.url, names.lead), null);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  const checkAccessibility = async (page: Page, name: string) => {
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };

  it('writes a scoring sheet', async () => {
    await lead.goto(`${s.url}/calls/quality`);
    await lead.getByRole('tab', { name: '质检', selected: true }).waitFor();
    await lead.getByText('评分表', { exact: true }).click();
    await lead.getByRole('button', { name: '新建评分表' }).click();
    const modal = lead.getByRole('dialog');
    await modal.getByLabel('名称').fill('受理质检评分表');
    await modal.getByLabel('评分项 1').fill('分类准确');
    await modal.getByLabel('满分 1').fill('50');
    await modal.getByLabel('评分要点 1').fill('分类选到末级');
    await modal.getByRole('button', { name: '添加评分项' }).click();
    await modal.getByLabel('评分项 2').fill('派单准确');
    await modal.getByLabel('满分 2').fill('50');
    await checkAccessibility(lead, 'sheet form');
    await screenshot(lead, 'quality-sheet-form');
    await modal.getByRole('button', { name: '保存评分' }).click();
    await lead.getByText('已保存评分表').waitFor();
    const card = lead.locator('.ant-card').filter({ hasText: '受理质检评分表' }).last();
    for (const text of ['使用中', '分类准确', '派单准确', '满分合计 100']) await card.getByText(text).first().waitFor();
    await checkAccessibility(lead, 'sheets');
    await screenshot(lead, 'quality-sheets');
  });

  it('draws the month\'s samples, the mis-routed order among them, and scores it with a comment', async () => {
    await lead.getByText('抽样质检', { exact: true }).click();
    await lead.getByLabel('每人随机抽工单').fill('2');
    await lead.getByRole('button', { name: '抽样' }).click();
    await lead.getByText(/本次新增：随机工单 2 件，通话 1 通，误派 1 件，重办 0 件/).waitFor();
    const row = lead.getByRole('row').filter({ hasText: misroutedNo });
    await row.getByText('误派（退单改派）').waitFor();
    assert.equal(await lead.getByRole('row').filter({ hasText: '待质检' }).count(), 4,
      "anna's mis-routed order, two random others and her call; the dispatcher's re-dispatch of her order is not his sample");
    await checkAccessibility(lead, 'samples');
    await screenshot(lead, 'quality-samples');

    await row.getByRole('cell').first().click();
    const drawer = lead.getByRole('dialog');
    await drawer.getByRole('link', { name: '打开工单详情' }).waitFor();
    await drawer.getByLabel('分类准确（满分 50）').fill('45');
    await drawer.getByLabel('派单准确（满分 50）').fill('20.5');
    await drawer.getByText('合计 65.5 / 100').waitFor();
    await drawer.getByLabel('评语').fill('供水与供电职责未核对即派单，请熟悉派单目录');
    await checkAccessibility(lead, 'review');
    await screenshot(lead, 'quality-review');
    await drawer.getByRole('button', { name: '保存评分' }).click();
    await lead.getByText('已保存评分', { exact: true }).waitFor();
    await drawer.getByText('65.5 / 100 · 65.5%').first().waitFor();
    await drawer.getByRole('button', { name: '重新评分' }).waitFor();
    await lead.keyboard.press('Escape');
    await lead.getByRole('row').filter({ hasText: misroutedNo }).getByText('已质检').waitFor();

    // a call: its sample opens the call's course in a tab of its own
    await lead.getByRole('row').filter({ hasText: '通话 quality-call-1' }).getByRole('cell').first().click();
    const link = lead.getByRole('dialog').getByRole('link', { name: '打开通话详情（通话过程与录音编号）' });
    const [tab] = await Promise.all([lead.context().waitForEvent('page'), link.click()]);
    for (const step of ['进入队列', '接听', '挂机']) await tab.getByRole('dialog').getByText(step, { exact: true }).first().waitFor();
    await tab.close();
    await lead.keyboard.press('Escape');
  });

  it("gives each agent's month", async () => {
    await lead.getByText('质检成绩', { exact: true }).click();
    const anna = lead.getByRole('row').filter({ hasText: names.anna });
    // drawn 4 (the mis-routed order, two random, the call), reviewed 1, 1 mis-routed, 0 reopened, average and lowest 65.5%, the items 90% and 41%
    await anna.getByText('65.5%').first().waitFor();
    assert.deepEqual((await anna.getByRole('cell').allInnerTexts()).map((c) => c.trim()),
      [names.anna, '4', '1', '1', '0', '65.5%', '65.5%', '90%', '41%']);
    const month = beijingMonth(Date.now());
    const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('button', { name: '导出 Excel' }).click()]);
    assert.equal(download.suggestedFilename(), `quality-${month}.xlsx`);
    await lead.getByText(`已导出 quality-${month}.xlsx`).waitFor();
    await messagesGone(lead); // the export's line, and the save's when it is still fading out
    await lead.mouse.move(0, 0); // the button's hover colours are not the page's
    await checkAccessibility(lead, 'scores');
    await screenshot(lead, 'quality-scores');
  });

  it('shows the agent their own review, its items and the comment, and nothing still waiting', async () => {
    const anna = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(anna, s.url, names.anna), null);
    // the notice of the scored review opens it
    await anna.getByRole('button', { name: /^通知，[1-9]\d* 条未读$/ }).click();
    const notice = anna.getByRole('dialog').getByRole('listitem').filter({ hasText: '已完成质检评分：65.5 / 100 分' });
    await notice.getByRole('link', { name: /^我的质检 \d{4}-\d{2}$/ }).click();
    await anna.waitForURL(/\/calls\/my-quality\?month=\d{4}-\d{2}$/);
    await anna.getByRole('tab', { name: '我的质检', selected: true }).waitFor();
    await anna.getByText('已质检 1 件').waitFor();
    await anna.getByText('供水与供电职责未核对即派单，请熟悉派单目录').waitFor();
    for (const text of ['45 / 50', '20.5 / 50', misroutedNo]) await anna.getByText(text).first().waitFor();
    await checkAccessibility(anna, 'my reviews');
    await screenshot(anna, 'quality-mine');
    await anna.getByRole('button', { name: 'English' }).click();
    await anna.getByText('1 reviewed').waitFor();
    await anna.getByRole('tab', { name: 'My reviews', selected: true }).waitFor();
    await anna.close();
    assert.deepEqual(violations, []);
  });
});
