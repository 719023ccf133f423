// What the browser tests share: Debian's Chromium driven by playwright-core, a server on a fresh
// database with the live stream, a folder of screenshots, and the accessibility check (axe-core).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { startBackground } from '../src/platform.js';
import { PASSWORD, startTestPlatform, type TestPlatform } from '../src/testing/harness.js';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
/** Chromium's path, or null where it is not installed (`.ci/run` installs Debian's). */
export const CHROMIUM = CANDIDATES.find((p) => existsSync(p)) ?? null;

/** Why the browser tests are skipped here, if they are: no Chromium, or BROWSER_TESTS=off. */
export const BROWSER_SKIP: string | false = !CHROMIUM ? "no Chromium here (.ci/run installs Debian's)"
  : process.env.BROWSER_TESTS === 'off' ? 'BROWSER_TESTS=off' : false;

/** Where the screenshots go: SCREENSHOTS_DIR, else e2e-screenshots/ at the top of the checkout. */
export const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.resolve(import.meta.dirname, '..', 'e2e-screenshots');

export interface Served {
  p: TestPlatform;
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The whole server (API, stream, consumers, web application) on a fresh database, listening on a free port. */
/** The whole server on a fresh platform; `configure` sets what the test needs before it starts (an SMS provider's stand-in). */
export async function serve(configure?: (p: TestPlatform) => void): Promise<Served> {
  const p = await startTestPlatform();
  configure?.(p);
  const server = await serveOn(p);
  return { p, ...server, async close() { await server.close(); await p.close(); } };
}

/**
 * The whole server on a platform already open (the browser tests', the web benchmark's), as `npm
 * start` runs it: the live feed and the durable consumers (notices); no timer sweep, whose
 * maintenance timers (a classifier's retraining) could hold the close for minutes.
 */
export async function serveOn(p: TestPlatform): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  // the server's errors (an unhandled one is answered 500) and the background's reach the test's
  // output: a browser test that waits in vain for a list then shows why
  const background = await startBackground({ ...p, config: { ...p.config, timerSweepSeconds: 0 } },
    (error) => process.stderr.write(`background work failed: ${error instanceof Error ? error.stack : String(error)}\n`));
  const app = await buildApp({ ...p, config: { ...p.config, logLevel: 'error' } }, { feed: background.feed });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, async close() { await app.close(); await background.stop(); } };
}

/**
 * Debian's Chromium, headless, without background networking: on a closed network its own calls
 * home are refused many at a time, and a browser waiting on them can be slow to start or to close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM!, timeout: 60_000, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}

export async function launch(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  console.log(`# screenshots: ${SCREENSHOTS}`);
  return launchChromium();
}

/** The screen size of the workspaces' screenshots. */
export const WIDE = { width: 1366, height: 768 };

/**
 * Signs in through the sign-in page with labelled fields, as a person would; resolves when the
 * workspace shows (null) or the refusal does (its words).
 */
export async function signIn(page: Page, url: string, username: string, password = PASSWORD): Promise<string | null> {
  await page.goto(url);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).or(page.getByRole('alert')).first().waitFor();
  return (await page.getByRole('alert').count()) ? await page.getByRole('alert').first().textContent() : null;
}

/** The Ant Design select a field (its search input) belongs to. */
const selectOf = (field: Locator) => field.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');

/**
 * Chooses `option` in the select `field` labels: opens it (unless open), clicks the option (forced
 * on a retry: a list still re-aligning is never "stable" to Playwright), until the choice shows;
 * then waits for the list to close, so that it covers nothing the next step clicks.
 */
export async function choose(page: Page, field: Locator, option: string): Promise<void> {
  const select = selectOf(field);
  const chosen = select.locator('.ant-select-content-has-value', { hasText: option });
  for (let attempt = 0; attempt < 3 && !(await chosen.count()); attempt++) {
    if (!(await page.locator('.ant-select-dropdown:visible').count())) await field.click();
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true })
      .click({ force: attempt > 0, timeout: 5_000 }).catch(() => undefined);
    await chosen.first().waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
  await chosen.first().waitFor();
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/**
 * Adds `option` to the multiple select `field` labels by typing `typed` (the server finds the
 * options): clicks it, again if the list was replaced under the click (a later answer for more
 * letters), until it shows among the chosen; then leaves the field and waits for the list to close.
 */
export async function chooseByTyping(page: Page, field: Locator, typed: string, option: string): Promise<void> {
  const select = selectOf(field);
  const chosen = select.getByTitle(option, { exact: true });
  await field.fill(typed);
  for (let attempt = 0; attempt < 3 && !(await chosen.count()); attempt++) {
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click({ timeout: 5_000 }).catch(() => undefined);
    await chosen.first().waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
  await chosen.first().waitFor();
  await field.blur();
  await page.locator('.ant-select-dropdown:visible').first().waitFor({ state: 'hidden' });
}

/**
 * Lets the page's finite animations end (at most 2 s; spinners, which never end, are left running).
 * A click into an overlay still opening (a dialog zooming in, a confirmation aligning to its
 * button) can land where the target was a frame before: on a loaded machine it was lost, now and
 * then (a role's checkbox left unticked, a confirmation closed as by a click beside it).
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => Promise.race([new Promise((resolve) => setTimeout(resolve, 2_000)),
    Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
      .map((a) => a.finished.catch(() => undefined)))]));
}

/** Ticks a checkbox or radio in an overlay once it has settled, and again if the click was lost, until it is checked. */
export async function tick(page: Page, box: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await settled(page);
    try {
      await box.check({ timeout: attempt < 3 ? 5_000 : undefined });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** Clicks into an overlay (a pop-up confirmation's 确定, an option of a list just opened) once it has settled. */
export async function clickSettled(page: Page, target: Locator): Promise<void> {
  await target.waitFor();
  await settled(page);
  await target.click();
}

/** The order page's state, beside its title. */
export const orderState = (page: Page, state: string) => page.locator('.ant-card-head').getByText(state, { exact: true });

/**
 * Waits until antd's message lines are all gone (each after 3 s), before a screenshot or an
 * accessibility check: one line may still be fading out as the next appears.
 */
export async function messagesGone(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The accessibility violations axe-core calls serious or critical on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // colours caught mid-transition (a button leaving its loading state) are not the page's colours
  await settled(page);
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } })
    .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** The agent's form after the title: the text, the place by a piece of its name (whatever its level) and the category, as an agent fills them. */
export async function fillRequest(page: Page, body: string): Promise<void> {
  await page.getByLabel('诉求内容').fill(body);
  await page.getByLabel('诉求地点').click();
  await page.getByLabel('诉求地点').fill('泉城路');
  await clickSettled(page, page.locator('.ant-select-dropdown:visible').getByTitle('历下区 › 泉城路街道', { exact: true }));
  await page.getByLabel('分类').fill('自来水供应');
  await clickSettled(page, page.getByTitle('自来水供应', { exact: true }));
  await page.keyboard.press('Escape');
  await page.waitForTimeout(400); // the list's closing animation
}

/** An API call as `username` (signed in for it), for what a test sets up or checks beside the browser; fails on an error answer. */
export async function apiAs(app: FastifyInstance, username: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${login.json().token}` }, payload });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}
