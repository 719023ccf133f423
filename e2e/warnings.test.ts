// Early warnings in Chromium, as a supervisor: the page open and empty, five reports of a gas leak
// from one community registered meanwhile, the warning appearing without a reload, its reports
// opened, acknowledged with a note and closed as a real incident. Screenshots of the list and the
// warning; no serious accessibility violation. An agent is told of it on the intake form and reads it,
// without the handlers' buttons.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { makeStaff, orderInput } from '../src/testing/harness.js';
import { registerOrder } from '../src/modules/orders/index.js';
import type { Actor } from '../src/modules/auth/index.js';
import { BROWSER_SKIP, launch, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

describe('early warnings in Chromium', { timeout: 180_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let page: Page;
  let agent: Actor;
  const violations: string[] = [];

  before(async () => {
    [s, browser] = await Promise.all([serve(), launch()]);
    agent = await makeStaff(s.p, 'HOTLINE', ['agent']);
    const supervisor = (await makeStaff(s.p, 'HOTLINE', ['supervisor'])).username;
    page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(page, s.url, supervisor), null);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  const shoot = async (name: string) => {
    await page.waitForTimeout(300); // animations settle
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };

  /** The text beside a label in the warning's drawer. */
  const figure = async (label: string) => (await page.getByRole('dialog').locator('tr').filter({ has: page.getByText(label, { exact: true }) })
    .locator('td').textContent()) ?? '';

  it('shows a burst of reports as a warning the moment it is raised, with its reports', async () => {
    await page.getByRole('menuitem', { name: '突发预警' }).click();
    await page.getByText('没有待处理的预警').waitFor();
    const community = (await s.p.db.pool.query(`SELECT code, name FROM areas WHERE parent_code = '370102001' ORDER BY code LIMIT 1`)).rows[0];
    for (let i = 0; i < 5; i++) {
      await registerOrder(s.p.db.pool, agent, orderInput({ categoryCode: '010213', title: '楼道燃气味很重', body: '楼道里燃气味很重，担心泄漏，请马上派人来查看',
        location: { address: '楼道', areaCode: community.code } }));
    }
    // no reload: the live stream brings it
    const row = page.getByRole('row').filter({ hasText: '燃气供应' });
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.textContent() ?? '', new RegExp(`待确认.*${community.name}.*燃气供应.*5`));
    await shoot('warnings-list');
    await row.getByRole('button', { name: '详情' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('并入的来电（5 件）').waitFor();
    assert.equal(await drawer.getByRole('link', { name: /^\d{8}-\d{8}$/ }).count(), 5, 'each report by its tracking number');
    // the figures in words a leader reads, not 0.0e+0
    assert.match(await figure('出现这么多来电的概率'), /^(低于百万分之一|约[\d.]+[万亿]?分之一|约 \d+%)$/);
    assert.match(await figure('依历史预计（高峰一小时内）'), /^(不到 0\.01 件|\d+\.\d\d 件)$/);
    await shoot('warnings-detail');
  });

  it("tells an agent who chooses the warned community's street on the intake form that the incident is in hand", async () => {
    const street = (await s.p.db.pool.query(`SELECT name FROM areas WHERE code = '370102001'`)).rows[0].name as string;
    const agentPage = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(agentPage, s.url, agent.name), null);
    await agentPage.getByLabel('诉求地点').click();
    await agentPage.getByLabel('诉求地点').fill(street);
    await agentPage.locator('.ant-select-dropdown:visible').getByTitle(`历下区 › ${street}`, { exact: true }).click();
    const alert = agentPage.getByRole('alert').filter({ hasText: '来电地点有进行中的突发预警' });
    await alert.waitFor();
    assert.match(await alert.textContent() ?? '', new RegExp(`历下区 › ${street} › .+ · 燃气供应 · 已有 5 件诉求，首报`));
    assert.equal(await alert.getByRole('link', { name: '引发预警的工单' }).count(), 1);
    await screenshot(agentPage, 'intake-warning-here');
    for (const v of await seriousViolations(agentPage)) violations.push(`intake-warning-here: ${v}`);
    // the district alone is too wide to tell: the notice goes
    await agentPage.getByLabel('诉求地点').click();
    await agentPage.getByLabel('诉求地点').fill('历下区');
    await agentPage.locator('.ant-select-dropdown:visible').getByTitle('历下区', { exact: true }).click();
    await alert.waitFor({ state: 'detached' });
    await agentPage.close();
  });

  it('lets an agent read the warnings and their reports, but leaves acknowledging and closing to their handlers', async () => {
    const agentPage = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(agentPage, s.url, agent.name), null);
    await agentPage.getByRole('menuitem', { name: '突发预警' }).click();
    await agentPage.getByRole('row').filter({ hasText: '燃气供应' }).getByRole('button', { name: '详情' }).click();
    const drawer = agentPage.getByRole('dialog');
    await drawer.getByText('并入的来电（5 件）').waitFor();
    await drawer.getByText('由督办员、班长或领导确认和关闭；来电人问及此事时，可告知已在处理。').waitFor();
    assert.equal(await drawer.getByRole('button', { name: '确认' }).count(), 0);
    assert.equal(await drawer.getByRole('button', { name: '关闭预警' }).count(), 0);
    await agentPage.waitForTimeout(300); // the drawer's animation settles
    await screenshot(agentPage, 'warnings-agent');
    for (const v of await seriousViolations(agentPage)) violations.push(`warnings-agent: ${v}`);
    await agentPage.close();
  });

  it('is acknowledged with a note, then closed as a real incident, and leaves the list to handle', async () => {
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('处置说明').fill('已通知燃气公司到场排查');
    await drawer.getByRole('button', { name: '确认' }).click();
    await page.getByText('已确认', { exact: true }).first().waitFor();
    await drawer.getByText(/，.*：已通知燃气公司到场排查/).waitFor();
    await drawer.getByRole('button', { name: '关闭预警' }).click();
    await drawer.getByText('关闭前请选择结论').waitFor();
    await drawer.getByLabel('属实（突发事件）').check();
    await drawer.getByLabel('查明情况与处置结果').fill('管道接口松动，已紧固');
    await drawer.getByRole('button', { name: '关闭预警' }).click();
    await page.getByText('预警已关闭').waitFor();
    await drawer.getByText('属实（突发事件）：管道接口松动，已紧固').waitFor();
    await shoot('warnings-closed');
    await page.keyboard.press('Escape');
    await page.getByText('没有待处理的预警').waitFor();
    await page.getByText('已关闭', { exact: true }).first().click();
    await page.getByRole('row').filter({ hasText: '燃气供应' }).waitFor();
    assert.deepEqual(violations, []);
  });

  it("reads a closed warning in English with English punctuation and words", async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('row').filter({ hasText: '燃气供应' }).getByRole('button', { name: 'Details' }).click();
    await page.getByRole('dialog').getByText('Confirmed (an incident): 管道接口松动，已紧固').waitFor();
    assert.match(await figure('Chance of as many reports'), /^(less than one in a million|about one in [\d,]+|about \d+%)$/);
    await page.keyboard.press('Escape');
  });

  it("sends a unit's staff who type the address back to their inbox", async () => {
    const unit = await (await browser.newContext({ bypassCSP: true, viewport: WIDE })).newPage();
    const refused: string[] = [];
    unit.on('response', (r) => { if (r.status() === 403) refused.push(r.url()); });
    assert.equal(await signIn(unit, s.url, (await makeStaff(s.p, 'UTIL-WATER', ['unit_handler'])).username), null);
    await unit.goto(`${s.url}/warnings`);
    await unit.waitForURL(/\/inbox$/);
    assert.deepEqual(refused, []);
    await unit.context().close();
  });
});
