// The web application's speed, measured in Debian's Chromium against the whole server (API, live
// stream, built application) on a database of --orders orders (1,000,000) with a unit holding
// --inbox active orders (50,000):
// - a cold sign-in: the sign-in page, then the agent's form usable, in a fresh browser context each
//   time (no cache), and the JavaScript transferred before the form is usable;
// - the unit's inbox: a navigation to /inbox (warm cache) until its first page of rows shows, beside
//   the inbox API's own time in the same run;
// - the typing suggestion: from the last keystroke of a text until the suggestion for that text has
//   arrived and been drawn, beside the suggest API's own time in the same run.
// Beside them, the browser's floor in the same run: a fresh context showing a page of one labelled
// field that needs no server (a data: URL), so that the sign-in figures can be read as multiples of
// what this browser on this machine takes for anything at all.
// Before timing, the server serves a short untimed shift of the same kinds of request, on texts the
// timed part does not use: a server in service has been answering for hours, while one just opened
// on a freshly loaded database pays once for its first reads (the stop of ec23101 measured first
// suggest calls of 106-258 ms, then a median of 18 ms). The report says how long that shift took.
import { existsSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { makeStaff, PASSWORD, type TestPlatform } from '../src/testing/harness.js';
import { readLabelledCsv } from '../src/modules/classify/dataset.js';
import { buildWeb } from '../scripts/build-web.js';
import { CHROMIUM, launchChromium, serveOn, signIn, WIDE } from '../e2e/browser.js';
import { MESSAGES } from './classify.js';
import { median } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;
type Timed = (samples: number, task: (i: number) => Promise<void>) => Promise<{ median: number; p95: number }>;

const ms = (x: number) => Math.round(x * 10) / 10;

/** `n` orders dispatched to one unit and still in its hands (its inbox), with their rounds: some overdue, some due soon. */
export async function loadInbox(p: TestPlatform, unitId: string, n: number): Promise<void> {
  const city = p.config.cityCode;
  await p.db.pool.query(
    `WITH g AS (SELECT i FROM generate_series(1, $3::int) AS i),
     o AS (
       INSERT INTO orders (city_code, tracking_no, channel, request_type, category_id, title, body, citizen_name, citizen_phone,
                           area_code, state, lead_unit_id, search_text, created_at, updated_at, generated)
       SELECT $1, 'W-' || lpad(i::text, 10, '0'), 'phone', 'help', (SELECT id FROM categories WHERE city_code = $1 AND level = 3 ORDER BY id LIMIT 1),
              '小区停水 ' || i, '小区从昨天开始停水，请尽快恢复供水。', '市民', '139' || lpad(i::text, 8, '0'),
              (SELECT code FROM areas WHERE level = 'street' ORDER BY code LIMIT 1), CASE WHEN i % 3 = 0 THEN 'signed' ELSE 'dispatched' END,
              $2::uuid, '停水 供水', now() - i * interval '30 seconds', now() - i * interval '30 seconds', true
         FROM g RETURNING id, created_at, state),
     a AS (INSERT INTO order_assignments (city_code, order_id, unit_id, role, status, assigned_at)
           SELECT $1, id, $2::uuid, 'lead', 'active', created_at FROM o),
     r AS (INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                                     reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete, signed_at, signed_on_time)
           SELECT $1, id, $2::uuid, 1, 'dispatch', 'normal', 'working_days', created_at, created_at + interval '1 day', created_at + interval '20 hours',
                  created_at + interval '7 days', created_at + interval '6 days', created_at + interval '10 days', created_at + interval '9 days', true,
                  CASE WHEN state = 'signed' THEN created_at + interval '1 hour' END, CASE WHEN state = 'signed' THEN true END
             FROM o)
     INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
     SELECT ancestor.id::uuid, o.id, $1, o.created_at
       FROM o, units u, unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) AS ancestor(id) WHERE u.id = $2::uuid`,
    [city, unitId, n]);
}

/** Texts an agent might type: the labelled messages where they are on this machine, else a few of our own. */
function texts(): { title: string; text: string }[] {
  if (existsSync(MESSAGES)) {
    return readLabelledCsv(MESSAGES).filter((m) => m.text.length >= 20).slice(0, 200).map((m) => ({ title: m.text.slice(0, 12), text: m.text.slice(0, 120) }));
  }
  return ['小区停水两天了没有通知', '路灯坏了晚上很黑', '楼下饭店油烟太大', '公司拖欠工资三个月', '暖气不热室温只有十五度']
    .map((t, i) => ({ title: t, text: `${t}，地址在历下区第${i + 1}号院，请尽快处理。` }));
}

/** Who the web bench signs in as: an agent, and a handler of the unit whose inbox it opens. */
export interface WebUsers { agent: string; handler: string }

/** The bench's two users, and the handler's unit holding `inbox` active orders. */
export async function prepareWeb(p: TestPlatform, inbox: number): Promise<WebUsers> {
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  const water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
  await loadInbox(p, water.unitId!, inbox);
  return { agent: agent.username, handler: water.username };
}

export async function benchWeb(p: TestPlatform, users: WebUsers, opts: { inbox: number; samples: number; report: Report; timed: Timed }): Promise<void> {
  if (!CHROMIUM) {
    opts.report('web_skipped', { reason: "no Chromium here (Debian's package chromium)" });
    return;
  }
  await buildWeb({ ifStale: true, log: (line) => console.error(line) }); // stdout carries the figures
  const { url, close } = await serveOn(p);
  const browser = await launchChromium();
  try {
    await warmUp(url, users, opts);
    await coldSignIn(browser, url, users.agent, opts);
    await inbox(browser, url, users.handler, opts);
    await suggestion(browser, url, users.agent, opts);
  } finally {
    await browser.close();
    await close();
  }
}

const TIMED_TEXTS = (samples: number) => samples * 3;

/** A token for `username`, signed in through the API. */
async function tokenOf(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The untimed shift before timing: suggestions for texts the timed part never types, and the inbox's pages and counts. */
async function warmUp(url: string, users: WebUsers, opts: { samples: number; report: Report }) {
  const start = performance.now();
  const [agent, handler] = [await tokenOf(url, users.agent), await tokenOf(url, users.handler)];
  const spare = texts().slice(TIMED_TEXTS(opts.samples));
  const shift = spare.length > 0 ? spare.slice(0, 60) : [{ title: '咨询', text: '请问办理居住证需要哪些材料，在哪里办理？' }];
  for (const { title, text } of shift) {
    const res = await fetch(`${url}/api/v1/classify/suggest`, { method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' }, body: JSON.stringify({ title, text }) });
    if (res.status !== 200) throw new Error(`suggest: ${res.status}`);
    await res.arrayBuffer();
  }
  for (let i = 0; i < 5; i++) {
    for (const path of ['/api/v1/orders/inbox?limit=20', '/api/v1/orders/inbox/counts']) {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${handler}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.arrayBuffer();
    }
  }
  opts.report('web_warm_up', { suggestions: shift.length, inboxRequests: 10, seconds: ms((performance.now() - start) / 1000),
    note: 'untimed, on texts the timed part does not use' });
}

/**
 * The API requests a page makes while it is watched: each path's time from the request sent to its
 * response's end, so that a figure over its target says which request it waited for.
 */
function watchApi(page: Page): () => Promise<Map<string, number[]>> {
  const done: Promise<[string, number] | null>[] = [];
  // from the request sent, so that one still answering when the navigation is timed is waited for
  const sent = (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (!path.startsWith('/api/') || path.startsWith('/api/v1/events/stream')) return; // the live stream never ends
    done.push(request.response().then((r) => r?.finished())
      .then(() => [path.replace(/\/[0-9a-f-]{36}/g, '/{id}'), request.timing().responseEnd] as [string, number], () => null));
  };
  page.on('request', sent);
  return async () => {
    page.off('request', sent);
    const byPath = new Map<string, number[]>();
    for (const [path, took] of (await Promise.all(done)).filter((x) => x !== null)) byPath.set(path, [...(byPath.get(path) ?? []), took]);
    return byPath;
  };
}

/** Each path's median over the samples (of every request to it), slowest first. */
function slowest(samples: Map<string, number[]>[]): Record<string, number> {
  const all = new Map<string, number[]>();
  for (const sample of samples) for (const [path, times] of sample) all.set(path, [...(all.get(path) ?? []), ...times]);
  return Object.fromEntries([...all].map(([path, times]) => [path, ms(median(times))] as const).sort((a, b) => b[1] - a[1]));
}

/** Sign-in page → agent's form usable, each time in a fresh context (an empty cache), and the script bytes it took. */
async function coldSignIn(browser: Browser, url: string, username: string, opts: { samples: number; report: Report }) {
  const floorMs: number[] = [];
  const pageMs: number[] = [];
  const formMs: number[] = [];
  const phoneMs: number[] = [];
  const scriptBytes: number[] = [];
  const styleBytes: number[] = [];
  const requests: Map<string, number[]>[] = [];
  for (let i = 0; i < opts.samples; i++) {
    const blank = await browser.newContext({ viewport: WIDE });
    const minimal = await blank.newPage();
    const floor = performance.now(); // timed as the sign-in page is: from the navigation, the context and page made
    await minimal.goto(`data:text/html;charset=utf-8,${encodeURIComponent('<!doctype html><html lang="zh-CN"><label>用户名 <input></label></html>')}`);
    await minimal.getByLabel('用户名').waitFor();
    floorMs.push(performance.now() - floor);
    await blank.close();

    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    const finished: Promise<{ at: number; bytes: number; type: string }>[] = [];
    page.on('requestfinished', (request) => {
      const type = request.resourceType();
      if (type !== 'script' && type !== 'stylesheet') return;
      const at = performance.now();
      finished.push(request.sizes().then((s) => ({ at, type, bytes: s.responseBodySize + s.responseHeadersSize })));
    });
    const start = performance.now();
    await page.goto(url);
    await page.getByLabel('用户名').waitFor();
    pageMs.push(performance.now() - start);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(PASSWORD);
    const watched = watchApi(page);
    const submitted = performance.now();
    const tree = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/taxonomy');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'phone');
    phoneMs.push(performance.now() - submitted);
    await usable(page, tree);
    const ready = performance.now();
    formMs.push(ready - submitted);
    requests.push(await watched());
    const before = (await Promise.all(finished)).filter((f) => f.at <= ready);
    scriptBytes.push(before.filter((f) => f.type === 'script').reduce((n, f) => n + f.bytes, 0));
    styleBytes.push(before.filter((f) => f.type === 'stylesheet').reduce((n, f) => n + f.bytes, 0));
    await context.close();
  }
  const floor = median(floorMs);
  opts.report('web_cold_sign_in', { browserFloorMs: ms(floor), signInPageMs: ms(median(pageMs)), signInToPhoneFieldMs: ms(median(phoneMs)),
    signInToAgentFormMs: ms(median(formMs)), signInPageToFloor: ms(median(pageMs) / floor), agentFormToFloor: ms(median(formMs) / floor),
    pageToFormMs: ms(median(pageMs.map((x, i) => x + formMs[i]!))), scriptKBTransferred: Math.round(median(scriptBytes) / 1024),
    styleKBTransferred: Math.round(median(styleBytes) / 1024), apiRequestsMs: slowest(requests),
    samples: opts.samples, target: '≤ 1 s to the usable form; ≤ 400 KB of script (gzip)' });
}

/**
 * The agent's form is usable: the phone field has the focus (the caller's number comes first), the
 * category tree has arrived and been drawn, the request type shows its name (its list has loaded).
 */
async function usable(page: Page, tree?: Promise<unknown>) {
  await page.waitForFunction(() => document.activeElement?.id === 'phone');
  await tree;
  await page.locator('.ant-select-content-has-value', { hasText: '求助' }).first().waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * The inbox opened from the menu, in a session that has not opened it yet (its code and its first
 * page both fetched), until its first rows show; beside the inbox API's own time.
 */
async function inbox(browser: Browser, url: string, username: string, opts: { samples: number; report: Report; timed: Timed; inbox: number }) {
  const navigations: number[] = [];
  const requests: Map<string, number[]>[] = [];
  let token: string | null = null;
  for (let i = 0; i < opts.samples; i++) {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    await signIn(page, `${url}/orders`, username); // the session starts on the order list
    await page.getByRole('link', { name: /^W-\d{10}$/ }).first().waitFor();
    token = await page.evaluate(() => localStorage.getItem('minsheng.session'));
    const watched = watchApi(page);
    const start = performance.now();
    await page.getByRole('menuitem', { name: '承办工作台' }).click();
    await page.getByRole('link', { name: /^W-\d{10}$/ }).first().waitFor();
    navigations.push(performance.now() - start);
    requests.push(await watched());
    await context.close();
  }
  const api = await opts.timed(opts.samples * 2, async () => {
    const res = await fetch(`${url}/api/v1/orders/inbox?limit=20`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`inbox: ${res.status}`);
    await res.arrayBuffer();
  });
  const counts = await opts.timed(opts.samples, async () => {
    const res = await fetch(`${url}/api/v1/orders/inbox/counts`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`inbox counts: ${res.status}`);
    await res.arrayBuffer();
  });
  opts.report('web_unit_inbox', { menuToFirstPageMs: ms(median(navigations)), apiMedianMs: api.median, countsApiMedianMs: counts.median,
    apiRequestsMs: slowest(requests), activeOrders: opts.inbox, samples: navigations.length, target: '≤ 300 ms' });
}

/** From the last keystroke of a text until its suggestion has arrived and been drawn, beside the suggest API's own time. */
async function suggestion(browser: Browser, url: string, username: string, opts: { samples: number; report: Report; timed: Timed }) {
  const context = await browser.newContext({ viewport: WIDE });
  const page = await context.newPage();
  await signIn(page, url, username);
  await usable(page);
  const token = await page.evaluate(() => localStorage.getItem('minsheng.session'));
  const all = texts();
  const times: number[] = [];
  for (let i = 0; i < TIMED_TEXTS(opts.samples); i++) {
    const { title, text } = all[i % all.length]!;
    await page.getByLabel('标题').fill(title);
    await page.getByLabel('诉求内容').fill(text.slice(0, -1));
    const arrived = page.waitForResponse((r) => r.url().endsWith('/api/v1/classify/suggest') && r.request().postDataJSON()?.text === text);
    const pressed = performance.now();
    await Promise.all([arrived, page.getByLabel('诉求内容').pressSequentially(text.at(-1)!)]);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    times.push(performance.now() - pressed);
  }
  const api = await opts.timed(TIMED_TEXTS(opts.samples), async (i) => {
    const { title, text } = all[i % all.length]!;
    const res = await fetch(`${url}/api/v1/classify/suggest`, { method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ title, text: `${text} ` }) });
    if (res.status !== 200) throw new Error(`suggest: ${res.status}`);
    await res.arrayBuffer();
  });
  opts.report('web_typing_suggestion', { lastKeystrokeToSuggestionMs: ms(median(times)), apiMedianMs: api.median,
    samples: times.length, target: '≤ 150 ms' });
  await context.close();
}
