// The administration's rules sections in Chromium, as the admin through the interface: a category
// found by typing part of its name, a subcategory added (a new version), the tree exported as CSV
// and imported back; a deadline setting changed and kept after a reload; a loaded year's holidays
// and a working-day deadline; a training run followed to its end. A screenshot of each section, and
// no serious accessibility violation on any.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { makeStaff, PASSWORD } from '../src/testing/harness.js';
import { BROWSER_SKIP, launch, screenshot, seriousViolations, serve, signIn, WIDE, type Served } from './browser.js';

describe('the administration of the rules in Chromium', { timeout: 120_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let page: Page;
  let admin: string;
  let token: string;
  const violations: string[] = [];

  before(async () => {
    [s, browser] = await Promise.all([serve(), launch()]);
    admin = (await makeStaff(s.p, 'HOTLINE', ['admin'])).username;
    const login = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: admin, password: PASSWORD }) });
    token = ((await login.json()) as { token: string }).token;
    page = await browser.newPage({ bypassCSP: true, viewport: WIDE, acceptDownloads: true });
    assert.equal(await signIn(page, s.url, admin), null);
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  /** The API as the admin, through fetch. */
  const api = async <T,>(url: string): Promise<T> => {
    const res = await fetch(`${s.url}/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
    assert.ok(res.ok, await res.clone().text());
    return res.json() as Promise<T>;
  };
  const shoot = async (name: string) => {
    await page.waitForTimeout(200); // animations settle
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };

  it('finds a category by part of its name, adds a subcategory as a new version, exports the CSV and imports it back', async () => {
    await page.goto(`${s.url}/admin/taxonomy`);
    await page.getByText(/共 \d+ 个分类，\d 级/).waitFor();
    await page.getByLabel('查找分类').fill('自来水');
    await page.getByText(/找到 \d+ 个分类/).waitFor();
    await page.locator('.ant-tree-title').filter({ hasText: '自来水供应' }).first().click();
    await page.getByRole('button', { name: '新增下级分类' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('二次供水水箱清洗');
    await dialog.getByLabel('办理时限').fill('3');
    await dialog.getByRole('button', { name: '提交' }).click();
    await page.getByText('已保存为第 2 版').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '二次供水水箱清洗' }).or(page.locator('.ant-descriptions-title').filter({ hasText: '二次供水水箱清洗' })).first().waitFor();
    await page.getByText(/第 2 版 · \d+ 个分类/).waitFor();
    await shoot('admin-taxonomy');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    const file = await download.path();
    const csv = await readFile(file, 'utf8');
    assert.match(csv, /^code,parent_code,level,name,unit_kind,time_limit_days/);
    assert.match(csv, /010216\d\d,010216,4,二次供水水箱清洗,water_supply,3/);

    await page.getByRole('button', { name: '导入 CSV' }).click();
    await dialog.locator('input[type=file]').setInputFiles({ name: 'categories.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await dialog.getByText(/已选：categories\.csv/).waitFor();
    await dialog.getByRole('button', { name: '导入 CSV' }).click();
    await page.getByText('已导入为第 3 版').waitFor();
    const versions = await api<{ version: number; note: string }[]>('/taxonomy/versions');
    assert.deepEqual(versions.slice(0, 2).map((v) => v.version), [3, 2]);
    assert.match(versions[0]!.note, /categories\.csv/);
  });

  it('changes a deadline setting, kept after a reload and by the API', async () => {
    await page.goto(`${s.url}/admin/settings`);
    const field = page.getByLabel('可退回期限（自派单起）');
    const before = Number(await field.inputValue());
    const next = before === 5 ? 4 : 5;
    await field.fill(String(next));
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('时限设置已保存').waitFor();
    await page.reload();
    await page.getByLabel('可退回期限（自派单起）').waitFor();
    assert.equal(await page.getByLabel('可退回期限（自派单起）').inputValue(), String(next));
    assert.equal((await api<{ returnWindowDays: number }>('/sla/settings')).returnWindowDays, next);
    await shoot('admin-settings');
  });

  it("shows a loaded year's holidays and computes a working-day deadline", async () => {
    await page.goto(`${s.url}/admin/calendar`);
    const years = await api<{ year: number }[]>('/calendar/years');
    assert.ok(years.some((y) => y.year === 2025), 'the calendar package loads 2025');
    await page.getByRole('button', { name: '查看 2025' }).click();
    await page.getByText('2025 年').waitFor();
    await page.getByRole('cell', { name: '春节' }).waitFor();
    // ten working days from 24 January 2025 run over the Spring Festival and its make-up days
    const from = page.getByLabel('开始时间');
    await from.click();
    await from.fill('2025-01-24 09:00');
    await from.press('Enter');
    await page.getByLabel('工作日数').fill('10');
    await page.getByRole('button', { name: '计算' }).click();
    // what staff type and read is Beijing's clock, whatever the browser's zone
    const expected = await api<{ dueAt: string }>(`/calendar/working-days?from=${encodeURIComponent('2025-01-24T09:00:00+08:00')}&days=10`);
    assert.equal(expected.dueAt, '2025-02-13T01:00:00.000Z');
    await page.getByText('到期时间：2025/2/13 09:00:00').waitFor();
    await shoot('admin-calendar');
  });

  it('starts a training run and follows it to its end, with the reason in words', async () => {
    await page.goto(`${s.url}/admin/classifier`);
    await page.getByRole('button', { name: '开始训练' }).click();
    const outcome = page.getByRole('status').filter({ hasText: /第 \d+ 次：(已完成|已跳过)/ });
    await outcome.waitFor({ timeout: 30_000 });
    const text = await outcome.innerText();
    assert.doesNotMatch(text, /[a-z]{4,}/, `in words, not the server's English: ${text}`);
    if (text.includes('已跳过')) assert.match(text, /样本|类别|留出/);
    await page.getByRole('row').filter({ hasText: '管理员发起' }).first().waitFor();
    await shoot('admin-classifier');
  });

  it('has no serious or critical accessibility violation on any section', () => {
    assert.deepEqual(violations, []);
  });
});
