// The administration's people sections in real Chromium, as the admin through the UI: a unit is
// created and renamed; a staff member is created in it (the initial password shown once), given
// another role, their password reset (the new one signs them in), and deactivated (sign-in refused);
// an API key is created (shown once), works, is revoked and stops working; the audit log lists it
// all; a webhook to a unit's system is made, delivers an order's dispatch signed with its secret and is
// paused. A screenshot of each section, with no serious accessibility violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeStaff, orderInput, PASSWORD, unitId } from '../src/testing/harness.js';
import { applyTransition, registerOrder } from '../src/modules/orders/index.js';
import { BROWSER_SKIP, choose, clickSettled, launch, screenshot, seriousViolations, serve, signIn as signInAt, tick, WIDE, type Served } from './browser.js';

describe('the administration of people in Chromium', { timeout: 120_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  let admin: string;
  const violations: string[] = [];

  before(async () => {
    s = await serve();
    browser = await launch();
    admin = (await makeStaff(s.p, 'HOTLINE', ['admin'])).username;
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  /** Signs in on a fresh page (a browser context of its own): the page, and the refusal's words if refused. */
  const signIn = async (username: string, password: string): Promise<{ page: Page; refusal: string | null }> => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    return { page, refusal: await signInAt(page, s.url, username, password) };
  };
  const check = async (page: Page, name: string) => {
    await page.waitForTimeout(300); // the last dialog's closing animation
    await screenshot(page, name);
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const dialog = (page: Page, title: string | RegExp) => page.getByRole('dialog').filter({ hasText: title });
  /** Picks in a type-ahead or a list of `within`: types first (if asked), then chooses the option. */
  const pick = async (page: Page, within: Page | Locator, label: string, option: string, typed?: string) => {
    const field = within.getByLabel(label, { exact: true });
    if (typed) {
      await field.click();
      await field.fill(typed);
    }
    await choose(page, field, option);
  };
  const save = async (page: Page, title: string | RegExp) => {
    await dialog(page, title).getByRole('button', { name: '保存' }).click();
    await dialog(page, title).waitFor({ state: 'hidden' });
  };
  const confirm = async (page: Page, button: string) => {
    await page.getByRole('button', { name: button }).click();
    await clickSettled(page, page.getByRole('tooltip').getByRole('button', { name: '确定' }));
  };
  /** The secret of the "shown once" dialog, which it then closes. */
  const secretShown = async (page: Page): Promise<string> => {
    const shown = dialog(page, '只显示这一次');
    await shown.getByRole('button', { name: /复制|Copy/ }).waitFor();
    const secret = (await shown.locator('code').textContent())!.trim();
    await clickSettled(page, shown.getByRole('button', { name: '我已记下，关闭' }));
    await shown.waitFor({ state: 'hidden' });
    return secret;
  };

  it('creates a unit and a staff member in it, changes their roles, resets their password and deactivates them; creates and revokes an API key; the audit log lists it', async () => {
    const { page } = await signIn(admin, PASSWORD);

    // a unit: a street office under the Lixia district government
    await page.goto(`${s.url}/admin/units`);
    await page.getByRole('button', { name: '新建单位' }).click();
    const newUnit = dialog(page, '新建单位');
    await pick(page, newUnit, '上级单位', '历下区人民政府', '历下区');
    await pick(page, newUnit, '层级', '街道（镇）');
    await newUnit.getByLabel('单位编码').fill('E2E-STREET');
    await newUnit.getByLabel('名称', { exact: true }).fill('测试街道办');
    await newUnit.getByLabel('类型').fill('street_office');
    await save(page, '新建单位');
    await page.getByLabel('单位名称').fill('测试街道');
    const unitRow = page.getByRole('row').filter({ hasText: 'E2E-STREET' });
    await unitRow.getByText('历下区人民政府').waitFor();
    await unitRow.getByRole('button', { name: '修改 测试街道办' }).click();
    await dialog(page, '修改单位').getByLabel('名称', { exact: true }).fill('测试街道办事处');
    await save(page, '修改单位');
    await unitRow.getByText('测试街道办事处').waitFor();
    await unitRow.getByText('街道（镇）').waitFor();
    await check(page, 'admin-units');

    // a staff member of that unit: the initial password is shown once and signs them in
    await page.getByRole('tab', { name: '人员' }).click();
    await page.getByRole('button', { name: '新建账号' }).click();
    const newStaff = dialog(page, '新建账号');
    await newStaff.getByLabel('用户名').fill('e2e.worker');
    await newStaff.getByLabel('姓名').fill('测试经办人');
    await pick(page, newStaff, '单位', '测试街道办事处', '测试街道');
    await tick(page, newStaff.getByRole('checkbox', { name: '单位经办人', exact: true }));
    await save(page, '新建账号');
    const initial = await secretShown(page);
    assert.match(initial, /^\S{16}$/);
    const first = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'e2e.worker', password: initial } });
    assert.equal(first.statusCode, 200, first.body);

    const row = page.getByRole('row').filter({ hasText: 'e2e.worker' });
    await row.getByText('测试街道办事处').waitFor();
    await row.getByRole('button', { name: '改角色 测试经办人' }).click();
    await tick(page, dialog(page, '修改角色').getByRole('checkbox', { name: '单位负责人', exact: true }));
    await save(page, '修改角色');
    await row.getByText('单位负责人').waitFor();

    // a reset password: shown once; the old one stops, the new one signs them in
    await confirm(page, '重置密码 测试经办人');
    const reset = await secretShown(page);
    assert.notEqual(reset, initial);
    const them = await signIn('e2e.worker', reset);
    assert.equal(them.refusal, null);
    await them.page.close();

    // deactivated: sign-in is refused, in words
    await confirm(page, '停用 测试经办人');
    await row.getByText('已停用').waitFor();
    await check(page, 'admin-staff');
    const refused = await signIn('e2e.worker', reset);
    assert.match(refused.refusal ?? '', /账户已停用/);
    await refused.page.close();

    // an API key: shown once, works; revoked, it stops at once
    await page.getByRole('tab', { name: '接口密钥' }).click();
    await page.getByRole('button', { name: '新建密钥' }).click();
    await dialog(page, '新建密钥').getByLabel('名称', { exact: true }).fill('区政务服务 App');
    await tick(page, dialog(page, '新建密钥').getByRole('checkbox', { name: '查看区划、单位与分类', exact: true }));
    await save(page, '新建密钥');
    const key = await secretShown(page);
    const call = () => fetch(`${s.url}/api/v1/units?limit=1`, { headers: { 'x-api-key': key } });
    assert.equal((await call()).status, 200);
    await page.getByRole('row').filter({ hasText: '区政务服务 App' }).getByText('使用中').waitFor();
    await confirm(page, '吊销 区政务服务 App');
    await page.getByRole('row').filter({ hasText: '区政务服务 App' }).getByText('已吊销').waitFor();
    assert.equal((await call()).status, 401);
    await check(page, 'admin-keys');

    // the audit log, newest first, names each of those actions in words
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page.getByRole('cell', { name: /吊销接口密钥/ }).waitFor();
    const rows = (await page.getByRole('row').allTextContents()).join('\n');
    for (const action of ['新建单位', '修改单位', '新建账号', '修改人员', '重置密码', '登录', '新建接口密钥', '吊销接口密钥']) {
      assert.ok(rows.includes(action), action);
    }
    assert.ok(rows.indexOf('吊销接口密钥') < rows.indexOf('新建单位'), 'newest first');
    await check(page, 'admin-audit');
    await pick(page, page, '操作', '重置密码');
    await page.getByRole('row').filter({ hasText: 'staff.password_reset' }).getByText('测试经办人').waitFor();
    await page.getByRole('row').filter({ hasText: 'unit.created' }).waitFor({ state: 'detached' });
    await page.close();
  });

  it("pushes a unit's orders to its system: a webhook made (its secret once), delivered, paused, its tries shown", async () => {
    // the unit's system, on this machine (the test platform allows private addresses)
    const received: { signature: string; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => { received.push({ signature: String(req.headers['minsheng-signature']), body }); res.writeHead(204).end(); });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { page } = await signIn(admin, PASSWORD);
      await page.goto(`${s.url}/admin/webhooks`);
      await page.getByText('还没有推送').waitFor();
      await page.getByRole('button', { name: '新建推送' }).click();
      const form = dialog(page, '新建推送');
      await form.getByLabel('名称', { exact: true }).fill('自来水集团工单系统');
      await form.getByLabel('推送地址', { exact: true }).fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/minsheng`);
      await pick(page, form, '单位', '济南水务集团', '水务');
      await save(page, '新建推送');
      const secret = await secretShown(page);
      assert.match(secret, /^whsec_/);
      const row = page.getByRole('row').filter({ hasText: '自来水集团工单系统' });
      await row.getByText('推送中').waitFor();

      // an order dispatched to the unit reaches its system, signed with that secret
      const agent = await makeStaff(s.p, 'HOTLINE', ['agent', 'dispatcher']);
      const { order } = await registerOrder(s.p.db.pool, agent, orderInput());
      await applyTransition(s.p.db.pool, agent, order.id, 'dispatch', { unitId: await unitId(s.p, 'UTIL-WATER') } as never);
      while (received.length === 0) await new Promise((r) => setTimeout(r, 100));
      const [, t, v1] = /^t=(\d+),v1=(\w+)$/.exec(received[0]!.signature)!;
      assert.equal(v1, createHmac('sha256', secret).update(`${t}.${received[0]!.body}`).digest('hex'));
      assert.deepEqual(JSON.parse(received[0]!.body).events.map((e: { type: string; orderId: string }) => [e.type, e.orderId]), [['order.dispatched', order.id]]);

      await page.reload();
      await row.getByText(/^已送达至事件 \d+$/).waitFor();
      await row.getByRole('button', { name: '展开行' }).click();
      await page.getByText('最近推送记录').waitFor();
      await page.getByRole('row').filter({ hasText: '204' }).first().waitFor();
      await row.getByRole('button', { name: '暂停' }).click();
      await row.getByText('已暂停').waitFor();
      await page.mouse.move(0, 0); // the button's hover colour is not the page's
      await check(page, 'admin-webhooks');
      await page.close();
    } finally {
      receiver.close();
    }
  });

  it("shows each channel's counters: a refused portal submission is counted with its error code", async () => {
    const refused = await s.app.inject({ method: 'POST', url: '/api/v1/public/portal/requests', payload: { title: '缺少内容' } });
    assert.equal(refused.statusCode, 400);
    const { page } = await signIn(admin, PASSWORD);
    await page.goto(`${s.url}/admin/channels`);
    const row = page.getByRole('row').filter({ hasText: '市长信箱' });
    await row.getByText('VALIDATION_FAILED').waitFor();
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(0, 5), ['市长信箱', '1', '0', '0', '1']);
    await check(page, 'admin-channels');
    await page.close();
  });

  it('has no serious or critical accessibility violation on any section', () => {
    assert.deepEqual(violations, []);
  });
});
