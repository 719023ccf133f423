// The call centre in the agents' browsers, in real Chromium: an agent signs in to a seat and says
// whether they are ready (kept by the server across a reload); a call the telephony reports answered
// at that seat pops up at once with the caller's history (their number, how often they asked, what is
// open, earlier dissatisfaction, a confidentiality warning, their latest orders), the form filled
// with the number; the agent registers the order with the keyboard and it is linked to the call,
// which the call records then show. Another agent, at another seat, sees nothing of it. An agent on
// another page is brought to the form. Prints the time from the stream's event to the profile shown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { signedCallEvents } from '../src/testing/telephony.js';
import { answerByUnit, makeStaff, orderInput } from '../src/testing/harness.js';
import { apiAs, fillRequest, BROWSER_SKIP, choose, launch, messagesGone, orderState, screenshot, seriousViolations, serve, signIn as signInAt, WIDE, type Served } from './browser.js';

describe('the call centre in the agents\' browsers', { timeout: 300_000, skip: BROWSER_SKIP }, () => {
  let s: Served;
  let browser: Browser;
  const users: Record<string, string> = {};
  const violations: string[] = [];
  const popped: number[] = [];

  before(async () => {
    s = await serve();
    browser = await launch();
    for (const [name, roles] of [['anna', ['agent']], ['bo', ['agent']], ['visitor', ['visitor']]] as const) {
      users[name] = (await makeStaff(s.p, 'HOTLINE', [...roles])).username;
    }
  });
  after(async () => {
    await browser?.close();
    await s?.close();
  }, { timeout: 60_000 });

  const signIn = async (page: Page, who: string) => assert.equal(await signInAt(page, s.url, users[who]!), null);
  const checkAccessibility = async (page: Page, name: string) => {
    for (const v of await seriousViolations(page)) violations.push(`${name}: ${v}`);
  };
  const api = (who: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) => apiAs(s.app, users[who]!, method, url, payload);
  /** Posts call events as the telephony does (docs/telephony.md): signed over the body's bytes. */
  const telephony = async (events: object[]) => {
    const res = await s.app.inject({ method: 'POST', ...signedCallEvents(events) });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(res.json().results.every((r: { outcome: string }) => r.outcome === 'accepted'), res.body);
  };
  /** A call offered, ringing at `seat` and answered there, the last just now. */
  const answeredAt = (callId: string, caller: string, seat: string) => {
    const at = (s: number) => new Date(Date.now() - 8_000 + s * 1000).toISOString();
    return [
      { id: `${callId}:offered`, callId, type: 'offered', at: at(0), caller, callee: '12345', queue: 'general' },
      { id: `${callId}:ringing`, callId, type: 'ringing', at: at(3), seat },
      { id: `${callId}:answered`, callId, type: 'answered', at: at(6), seat, agent: `agent-${seat}` },
    ];
  };
  const ended = (callId: string, seat: string) =>
    [{ id: `${callId}:ended`, callId, type: 'ended', at: new Date().toISOString(), seat, reason: 'caller', recording: `/var/spool/asterisk/monitor/${callId}.wav` }];
  const popOf = (page: Page) => page.getByRole('region', { name: '来电', exact: true });
  /** The pop's time from the stream's event to the profile in the page, as the page measured it. */
  const poppedMs = async (page: Page) => {
    const ms = Number(await popOf(page).getAttribute('data-popped-ms'));
    assert.ok(ms > 0 && ms < 5_000, `popped in ${ms} ms`);
    return ms;
  };
  /** Signs in to a seat through the bar in the form's header. */
  const takeSeat = async (page: Page, seat: string) => {
    await page.getByLabel('分机号').fill(seat);
    await page.getByLabel('分机号').press('Enter');
    await page.getByText(`坐席 ${seat}`, { exact: true }).waitFor();
  };

  it('signs the agent in to a seat, not ready for a reason and ready again, kept across a reload', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    await signIn(page, 'anna');
    await takeSeat(page, '2001');
    const bar = page.getByRole('group', { name: '坐席' });
    await bar.getByTitle('就绪', { exact: true }).waitFor();
    await choose(page, page.getByLabel('坐席状态'), '未就绪 · 培训');
    await bar.getByTitle('未就绪 · 培训', { exact: true }).waitFor();
    assert.deepEqual(await api('anna', 'GET', '/seats/mine').then((m) => [m.seat, m.state, m.reason]), ['2001', 'not_ready', 'training']);
    await page.reload();
    await page.getByRole('group', { name: '坐席' }).getByTitle('未就绪 · 培训', { exact: true }).waitFor();
    await screenshot(page, 'calls-seat-bar-not-ready');
    // ("就绪" is within "未就绪": the option itself, clicked)
    await page.getByLabel('坐席状态').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('就绪', { exact: true }).click();
    await bar.getByTitle('就绪', { exact: true }).waitFor();
    await screenshot(page, 'calls-seat-bar');
    await checkAccessibility(page, 'seat bar');
    assert.equal((await api('anna', 'GET', '/seats/mine')).state, 'ready');
    await page.close();
  });

  it("pops a call answered at the agent's seat with the caller's history; the order registered with the keyboard is linked to the call", async () => {
    // the caller asked twice before: once kept confidential, once answered and found unsatisfying on the return visit
    const caller = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const earlier = await api('anna', 'POST', '/orders', orderInput({ title: '楼道灯不亮', citizen: { name: '张先生', phone: caller } }));
    const secret = await api('anna', 'POST', '/orders', orderInput({ title: '举报噪音扰民', citizen: { phone: caller }, confidential: true }));
    await answerByUnit(s.p, earlier.id);
    const visit = (await api('visitor', 'GET', '/visits/queue?limit=100')).items.find((v: { orderId: string }) => v.orderId === earlier.id);
    await api('visitor', 'POST', `/visits/${visit.id}/result`, { solved: false, satisfaction: 'unsatisfied' });

    const anna = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    await signIn(anna, 'anna'); // already at seat 2001, ready: the bar says so
    await anna.getByText('坐席 2001', { exact: true }).waitFor();
    const bo = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    await signIn(bo, 'bo');
    await takeSeat(bo, '2002');
    await Promise.all([anna.waitForTimeout(500), bo.waitForTimeout(500)]); // the streams are open

    const callId = `pbx1-${randomUUID()}`;
    await telephony(answeredAt(callId, caller, '2001'));
    const pop = popOf(anna);
    await pop.getByText(caller, { exact: true }).waitFor({ timeout: 3_000 });
    popped.push(await poppedMs(anna));
    assert.equal(await pop.getAttribute('data-call-id'), callId);
    await pop.getByText('通话中').waitFor();
    await pop.getByRole('alert').getByText('注意保密：该来电人此前有 1 件诉求要求保密').waitFor();
    const counts = await pop.locator('.ant-descriptions-item').allInnerTexts();
    const figure = (label: string) => counts.find((c) => c.startsWith(label))?.replace(/\s+/g, '');
    assert.deepEqual([figure('近 30 天'), figure('近一年'), figure('办理中'), figure('曾不满意')],
      ['近30天2件', '近一年2件', '办理中2件', '曾不满意1件']);
    for (const o of [earlier, secret]) await pop.getByRole('link', { name: o.trackingNo }).waitFor();
    assert.equal(await pop.getByRole('link', { name: earlier.trackingNo }).getAttribute('href'), `/orders/${earlier.id}`);
    // the form has the number, and the cursor waits in the title
    assert.equal(await anna.getByLabel('电话').inputValue(), caller);
    await anna.waitForFunction(() => document.activeElement?.id === 'title');

    // the agent at seat 2002 sees nothing of it
    await bo.waitForTimeout(1_000);
    assert.equal(await popOf(bo).count(), 0, 'no pop at seat 2002');
    assert.equal(await bo.getByLabel('电话').inputValue(), '');

    // keyboard first: the title where the cursor is, then the rest as the journey does
    await anna.keyboard.type('楼道灯又不亮了');
    await fillRequest(anna, '历下区解放路112号院3号楼楼道灯上月报修后又坏了，晚上上下楼很危险，请尽快维修。');
    await screenshot(anna, 'calls-screen-pop');
    await checkAccessibility(anna, 'screen-pop');

    await anna.getByLabel('诉求内容').press('Control+Enter');
    await anna.getByRole('heading', { name: '楼道灯又不亮了' }).waitFor();
    const orderId = anna.url().split('/').at(-1)!;
    await orderState(anna, '已派单').waitFor();
    const { trackingNo } = await api('anna', 'GET', `/orders/${orderId}`);
    await telephony(ended(callId, '2001')); // the caller hangs up

    // the consumers link the order to the call
    let call: { orders: { orderId: string; trackingNo: string }[]; handling: string | null; outcome: string | null } = { orders: [], handling: null, outcome: null };
    for (let i = 0; i < 100 && call.orders.length === 0; i++) {
      call = await api('anna', 'GET', `/calls/${callId}`);
      if (call.orders.length === 0) await anna.waitForTimeout(50);
    }
    assert.deepEqual(call.orders.map((o) => o.orderId), [orderId]);
    assert.deepEqual([call.handling, call.outcome], ['registered', 'answered']);

    // two other calls of the hour: one abandoned in the queue, one passed on to the police (110)
    const other = (s: number) => new Date(Date.now() - 60_000 + s * 1000).toISOString();
    await telephony([{ id: 'gone:offered', callId: 'gone', type: 'offered', at: other(0), caller: '13805310001', queue: 'general' },
      { id: 'gone:abandoned', callId: 'gone', type: 'abandoned', at: other(25) }]);
    await telephony([{ id: 'police:offered', callId: 'police', type: 'offered', at: other(1), caller: '13805310002', queue: 'general' },
      { id: 'police:ringing', callId: 'police', type: 'ringing', at: other(3), seat: '2003' },
      { id: 'police:answered', callId: 'police', type: 'answered', at: other(5), seat: '2003', agent: 'agent-2003' },
      { id: 'police:transferred', callId: 'police', type: 'transferred', at: other(40), seat: '2003', target: { kind: 'desk', value: '110' } },
      { id: 'police:ended', callId: 'police', type: 'ended', at: other(41), seat: '2003', reason: 'transfer' }]);

    // and the call records show it: a click opens the call, its course and its order
    await anna.getByRole('menuitem', { name: '话务' }).click();
    await anna.getByRole('tab', { name: '通话记录', selected: true }).waitFor();
    const masked = `${caller.slice(0, 3)}****${caller.slice(-4)}`;
    const row = anna.getByRole('row').filter({ hasText: masked });
    await row.getByText('已接听').waitFor();
    await row.getByText('已登记工单').waitFor();
    assert.match(await row.innerText(), /2001 · agent-2001/);
    await anna.getByRole('row').filter({ hasText: '138****0001' }).getByText('放弃').waitFor();
    const police = anna.getByRole('row').filter({ hasText: '138****0002' });
    for (const text of ['已转接', '转110']) await police.getByText(text).waitFor();
    await messagesGone(anna); // the registration's line
    await checkAccessibility(anna, 'calls page');
    await screenshot(anna, 'calls-page');
    await row.getByRole('cell').nth(1).click();
    const drawer = anna.getByRole('dialog');
    await drawer.getByRole('link', { name: trackingNo }).waitFor();
    for (const step of ['进入队列', '振铃', '接听', '挂机']) await drawer.getByText(step, { exact: true }).first().waitFor();
    await drawer.getByText(`/var/spool/asterisk/monitor/${callId}.wav`).waitFor();
    await checkAccessibility(anna, 'call detail'); // once the drawer has slid in
    await screenshot(anna, 'calls-detail');
    // the pop stays until the agent closes it (a second matter of the same caller is linked to the call too)
    await anna.keyboard.press('Escape');
    await anna.getByRole('menuitem', { name: '受理登记' }).click();
    await popOf(anna).getByRole('button', { name: '关闭弹屏' }).click();
    await popOf(anna).waitFor({ state: 'detached' });
    await bo.close();
    await anna.close();
  });

  it('tells the agent when the caller hangs up, the form staying to be finished', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    await signIn(page, 'anna'); // at seat 2001
    await page.waitForTimeout(500); // the stream is open
    const callId = `pbx1-${randomUUID()}`;
    await telephony(answeredAt(callId, '13905310066', '2001'));
    await popOf(page).getByText('13905310066', { exact: true }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'title');
    await page.keyboard.type('咨询公积金提取');
    await telephony(ended(callId, '2001'));
    try {
      await popOf(page).getByText('已挂机', { exact: true }).waitFor({ timeout: 3_000 });
      await popOf(page).getByText('来电人已挂机：表单保留，请完成登记。').waitFor();
      assert.equal(await page.getByLabel('标题').inputValue(), '咨询公积金提取');
      await screenshot(page, 'calls-screen-pop-ended');
    } finally {
      await popOf(page).getByRole('button', { name: '关闭弹屏' }).click();
      await page.close();
    }
  });

  it('brings an agent reading another page to the form when a call is answered at their seat', async () => {
    const page = await browser.newPage({ bypassCSP: true, viewport: WIDE });
    await signIn(page, 'bo'); // at seat 2002
    await page.getByRole('menuitem', { name: '工单查询' }).click();
    await page.waitForURL(/\/orders$/);
    await page.waitForTimeout(500); // the stream is open
    const callId = `pbx1-${randomUUID()}`;
    await telephony(answeredAt(callId, '13905310088', '2002'));
    await page.waitForURL(/\/intake$/, { timeout: 3_000 });
    await popOf(page).getByText('13905310088', { exact: true }).waitFor();
    await popOf(page).getByText('此前没有诉求记录：首次来电').waitFor();
    popped.push(await poppedMs(page));
    assert.equal(await page.getByLabel('电话').inputValue(), '13905310088');
    await screenshot(page, 'calls-brought-to-form');
    await page.close();
  });

  it('has no serious or critical accessibility violation, and says how fast the pop was', () => {
    console.log(`# call.answered → caller's profile shown: ${popped.map((ms) => `${ms.toFixed(1)} ms`).join(', ')} (on the form; brought from another page)`);
    assert.deepEqual(violations, []);
  });
});
