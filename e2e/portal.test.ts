// The citizen portal (市长信箱) in real Chromium on a phone-sized screen (390 × 844): a citizen writes
// (the proof of work solved in the page), keeps the tracking number and lookup code, follows the
// request, reads the unit's answer and rates it, which closes the request. Also: a wrong code is
// said in words, the page switches to English, nothing is wider than the screen, and no serious
// accessibility violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import type { Actor } from '../src/modules/auth/index.js';
import { applyTransition, updateOrder } from '../src/modules/orders/index.js';
import { makeStaff, unitId } from '../src/testing/harness.js';
import { BROWSER_SKIP, launch, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

const PHONE = { width: 390, height: 844 };
/** A 1 × 1 PNG: the photo the citizen sends. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('the citizen portal in Chromium, on a phone', { timeout: 300_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let agent: Actor & { username: string };
  let water: Actor;
  const violations: string[] = [];

  before(async () => {
    s = await serve();
    browser = await launch();
    agent = await makeStaff(s.p, 'HOTLINE', ['agent']);
    water = await makeStaff(s.p, 'UTIL-WATER', ['unit_handler']);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: nothing wider than the screen (${overflow} px too wide)`);
  };

  it('writes, follows, reads the answer and rates it, on a 390-px screen', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${s.url}/portal`);
    await page.getByRole('heading', { name: '12345 市长信箱' }).waitFor();
    await page.getByText('投诉', { exact: true }).click();
    await page.getByLabel('标题').fill('小区停水两天');
    await page.getByLabel('诉求内容').fill('解放路100号小区从前天开始停水，没有任何通知，老人孩子用水困难，请尽快恢复供水。');
    const place = page.getByLabel('发生地点（区县、街道或社区）');
    await place.fill('解放路');
    await page.locator('.ant-select-dropdown:visible').getByTitle(/解放路街道$/).first().click();
    await page.getByLabel('详细地址').fill('解放路100号3单元');
    await page.getByLabel('姓名').fill('王小明');
    await page.getByLabel('手机号码').fill('139 0531 2345');
    await page.locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await page.getByText('现场照片.png').waitFor();
    await page.waitForFunction(() => !document.querySelector('.ant-upload-list-item-uploading'));
    await check(page, 'portal-write-390');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByText('已受理您的来信').waitFor({ timeout: 30_000 });
    const trackingNo = (await page.getByTestId('tracking-no').textContent())!.trim();
    const code = (await page.getByTestId('lookup-code').textContent())!.trim();
    assert.match(trackingNo, /^\d{8}-\d{8}$/);
    assert.match(code, /^[2-9A-Z]{8}$/);
    await check(page, 'portal-receipt-390');

    const order = (await s.p.db.pool.query('SELECT id, channel, request_type, area_code, citizen_phone, location_address FROM orders WHERE tracking_no = $1',
      [trackingNo])).rows[0];
    assert.deepEqual({ ...order, id: undefined }, { id: undefined, channel: 'web', request_type: 'complaint', area_code: '370102001',
      citizen_phone: '13905312345', location_address: '解放路100号3单元' });

    const files = (await s.p.db.pool.query('SELECT name, content_type, size FROM attachments WHERE order_id = $1', [order.id])).rows;
    assert.deepEqual(files, [{ name: '现场照片.png', content_type: 'image/png', size: PNG.length }]);
    await page.getByRole('button', { name: '查看办理进度' }).click();
    await page.getByText('热线已受理').waitFor();
    await page.getByText('承办单位正在办理，答复后会显示在这里').waitFor();

    await updateOrder(s.p.db.pool, agent, order.id, { categoryCode: '010216' });
    await applyTransition(s.p.db.pool, agent, order.id, 'dispatch', { unitId: await unitId(s.p, 'UTIL-WATER') });
    await applyTransition(s.p.db.pool, water, order.id, 'sign', {});
    await applyTransition(s.p.db.pool, water, order.id, 'reply', { text: '经查，小区供水管道破裂，已于今日抢修完毕，供水已恢复。' });
    await page.reload();
    await page.getByTestId('answer').filter({ hasText: '供水已恢复' }).waitFor();
    await page.getByText(/济南水务集团已答复/).waitFor();
    await page.getByRole('radio', { name: '已解决' }).check();
    await page.getByRole('radio', { name: '满意', exact: true }).check();
    await page.getByLabel('意见或建议（选填）').fill('处理很快，谢谢');
    await check(page, 'portal-rate-390');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.getByText('感谢您的评价').waitFor();
    await page.getByText('已办结', { exact: true }).first().waitFor();
    await check(page, 'portal-rated-390');
    const visit = (await s.p.db.pool.query('SELECT status, satisfaction, comment FROM return_visits WHERE order_id = $1', [order.id])).rows;
    assert.deepEqual(visit, [{ status: 'done', satisfaction: 'satisfied', comment: '处理很快，谢谢' }]);
    await page.close();

    // the hotline sees the photo on the order's page, and downloads it
    const staff = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    assert.equal(await signIn(staff, s.url, agent.username), null);
    await staff.goto(`${s.url}/orders/${order.id}`);
    const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByRole('button', { name: '下载 现场照片.png' }).click()]);
    assert.equal(download.suggestedFilename(), '现场照片.png');
    await staff.close();
  });

  it('says a wrong lookup code in words, and switches to English', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${s.url}/portal/track`);
    await page.getByLabel('受理编号').fill('20261202-00000001');
    await page.getByLabel('查询码').fill('ABCDEFGH');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '受理编号或查询码不正确' }).waitFor();
    await check(page, 'portal-track-wrong-390');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: "12345 Mayor's Mailbox" }).waitFor();
    await page.getByLabel('Tracking number').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.close();
  });

  it('has no serious accessibility violation on any page it showed', () => {
    assert.deepEqual(violations, []);
  });
});
