// The knowledge base (知识库) in real Chromium: the water company writes an article and submits it,
// a team lead publishes it, an agent on a call finds it beside the form as the caller's words are
// typed and answers directly from it (the order names the article), searches the knowledge base and
// reads an article in full; the lead reads the article's use; a citizen finds it in the portal's FAQ.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { makeCast } from '../src/testing/harness.js';
import { seedKnowledgeArticles } from '../src/seed/knowledge.js';
import { beijingDate } from '../src/shared/beijing.js';
import { apiAs, BROWSER_SKIP, clickSettled, launch, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

const TITLE = '二次供水水箱清洗消毒周期和费用';
const ANSWER = '二次供水水箱每半年至少清洗消毒一次，费用由物业服务企业承担，清洗后须在小区公示水质检测报告。';

describe('the knowledge base in a unit\'s, a team lead\'s, an agent\'s and a citizen\'s browser', { timeout: 300_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let names: { water: string; lead: string; agent: string };
  const violations: string[] = [];
  const check = async (page: Page, name: string) => {
    await page.mouse.move(0, 0);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const pageOf = async (username: string) => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(page, s.url, username), null);
    return page;
  };

  before(async () => {
    s = await serve();
    browser = await launch();
    await seedKnowledgeArticles(s.p.db.pool, s.p.config.cityCode);
    const cast = await makeCast(s.p, { water: ['UTIL-WATER', ['unit_handler']], lead: ['HOTLINE', ['lead']], agent: ['HOTLINE', ['agent']] });
    names = { water: cast.water.username, lead: cast.lead.username, agent: cast.agent.username };
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  it('the water company writes an article and submits it for review', async () => {
    const page = await pageOf(names.water);
    await page.goto(`${s.url}/knowledge/work`);
    await page.getByRole('button', { name: '新建知识' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('标题').fill(TITLE);
    const asked = modal.getByLabel('常见问法');
    for (const q of ['小区水箱多久洗一次', '水箱清洗费用谁出']) {
      await asked.fill(q);
      await page.keyboard.press('Enter');
    }
    await modal.getByLabel('答复口径').fill(ANSWER);
    await check(page, 'article form');
    await screenshot(page, 'knowledge-editor');
    await modal.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存草稿').waitFor();
    const drawer = page.getByRole('dialog').filter({ hasText: '正在编写的版本' });
    await drawer.getByText('草稿', { exact: true }).waitFor();
    await clickSettled(page, drawer.getByRole('button', { name: '提交审核' }));
    await page.getByText('已提交审核').waitFor();
    await drawer.getByText('待审核', { exact: true }).waitFor();
    await page.close();
  });

  it('a team lead publishes it from the review list', async () => {
    const page = await pageOf(names.lead);
    await page.goto(`${s.url}/knowledge/work`);
    await page.getByRole('row').filter({ hasText: TITLE }).getByText(TITLE).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText(ANSWER).waitFor();
    await check(page, 'review');
    await screenshot(page, 'knowledge-review');
    await drawer.getByRole('button', { name: '审核通过并发布' }).click();
    await page.getByText('已发布', { exact: true }).first().waitFor();
    await drawer.getByText('答复口径').waitFor();
    await page.close();
  });

  it("an agent finds it beside the form as the caller's words are typed, and answers from it", async () => {
    const page = await pageOf(names.agent);
    await page.goto(`${s.url}/intake`);
    await page.getByLabel('电话', { exact: true }).fill('13912345678');
    await page.getByLabel('标题').fill('咨询水箱清洗');
    await page.getByLabel('诉求内容').fill('市民询问小区二次供水水箱多长时间清洗一次，费用由谁承担');
    const card = page.locator('.ant-card').filter({ hasText: '知识库' }).last();
    await card.getByText(TITLE).waitFor();
    await check(page, 'intake with articles');
    await screenshot(page, 'knowledge-intake');
    await card.getByRole('button', { name: `用“${TITLE}”答复` }).click();
    assert.equal(await page.getByLabel('直接答复内容（直接办理时填写）').inputValue(), ANSWER);
    await page.getByText(`答复依据：《${TITLE}》`).waitFor();
    await page.getByRole('button', { name: '直接办理 (Ctrl+Shift+Enter)' }).click();
    await page.waitForURL(/\/orders\//);
    await page.getByText(ANSWER).first().waitFor();
    await page.close();
  });

  it('an agent searches the knowledge base and reads an article in full', async () => {
    const page = await pageOf(names.agent);
    await page.goto(`${s.url}/knowledge`);
    await page.getByLabel('检索知识').fill('租房子能取公积金吗');
    const first = page.locator('.ant-list-item').first();
    await first.getByText('租房提取住房公积金的条件和办理流程').waitFor();
    assert.ok(await first.locator('mark').count() > 0, 'the words found are marked');
    await check(page, 'search');
    await screenshot(page, 'knowledge-search');
    await first.getByText('租房提取住房公积金的条件和办理流程').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('答复口径').waitFor();
    await drawer.getByText('常见问法').waitFor();
    await check(page, 'article');
    await screenshot(page, 'knowledge-article');
    await page.close();
  });

  it("the lead reads the article's use, and a citizen finds it in the portal's FAQ", async () => {
    const page = await pageOf(names.lead);
    // the usage consumer counts the direct answer once the server's consumers have read it
    for (let i = 0; i < 50; i++) {
      const today = beijingDate(Date.now());
      const usage = await apiAs(s.app, names.lead, 'GET', `/knowledge/usage?from=${today}&to=${today}`);
      if (usage.withArticle > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await page.goto(`${s.url}/knowledge/reports`);
    await page.getByRole('row').filter({ hasText: TITLE }).getByRole('cell', { name: '1', exact: true }).first().waitFor();
    await check(page, 'reports');
    await screenshot(page, 'knowledge-reports');
    await page.close();

    const citizen = await browser.newPage({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    await citizen.goto(`${s.url}/portal/faq`);
    await citizen.getByLabel('搜索常见问题').fill('水箱多久清洗');
    await citizen.getByText(TITLE).click();
    await citizen.getByText(ANSWER).waitFor();
    await check(citizen, 'portal faq');
    await screenshot(citizen, 'knowledge-portal-faq');
    await citizen.close();
    assert.deepEqual(violations, []);
  });
});
