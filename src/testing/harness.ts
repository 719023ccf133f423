// Test platform on a real engine: a throw-away PGlite database by default, or a fresh database on
// the PostgreSQL server named by DATABASE_URL. Real migrations, real Jinan directory, no fakes.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { openPlatform, type Platform } from '../platform.js';
import { buildApp } from '../http/app.js';
import { createStaffAccount, requestSignInCode, signInCitizen, systemActor, type Actor, type Role } from '../modules/auth/index.js';
import { applyTransition, registerOrder, updateOrder, type RegisterOrderInput } from '../modules/orders/index.js';
import type { FastifyInstance } from 'fastify';
import { dropWhenFree, pgliteTemplate, serverTemplate } from './template.js';

export const CITY = '370100';
export const PASSWORD = 'correct-horse-battery';

export interface TestPlatform extends Platform {
  /** the server database created for this platform, dropped on close (PostgreSQL only) */
  close(): Promise<void>;
}

/** Creates a database on the server (a copy of `template` if given) and returns its URL. */
async function createServerDatabase(url: string, template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `minsheng_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await dropWhenFree(c, name, `DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** The secret test platforms' SMS callbacks are signed with. */
export const SMS_CALLBACK_TEST_SECRET = 'minsheng-test-sms-callback';
/** The secret test platforms' telephony signs its call events with. */
export const TELEPHONY_TEST_SECRET = 'minsheng-test-telephony';
/** The app secret test platforms' Weibo pushes are signed with. */
export const WEIBO_TEST_SECRET = 'appsecretEnF5leY4V';
/** The Weibo account test platforms serve (the uid in Weibo's push examples). */
export const WEIBO_TEST_UID = '1902538057';
/** The WeChat account of test platforms: the Token, EncodingAESKey and AppID of WeChat's own encryption example. */
export const WECHAT_TEST_ACCOUNT = { token: 'spamtest', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', appId: 'wx2c2769f8efd9abc2' };

let swept = false;

/**
 * A folder of attachments for one test platform, named by the process: a process killed before its
 * platforms closed leaves theirs, and the next test process removes those of processes gone.
 */
function attachmentsFolder(): string {
  const tmp = os.tmpdir();
  if (!swept) {
    swept = true;
    for (const name of readdirSync(tmp)) {
      const pid = Number(/^minsheng-files-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) rmSync(path.join(tmp, name), { recursive: true, force: true });
    }
  }
  return mkdtempSync(path.join(tmp, `minsheng-files-${process.pid}-`));
}

/** Whether a process runs (one of another user's answers EPERM: it runs). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Opens a platform on a fresh database with the base seed (areas, handling network, category tree),
 * copied from the seeded template (src/testing/template.ts). `dataDir` keeps PGlite's data in a
 * folder (for restart tests); `databaseUrl` reuses a server database.
 */
export async function startTestPlatform(options: { dataDir?: string; databaseUrl?: string; seed?: boolean } = {}): Promise<TestPlatform> {
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl = options.databaseUrl;
  const seed = options.seed ?? true;
  // a seeded platform starts as a copy of the seeded template; a kept folder (restart tests) seeds itself
  const template = seed && !options.dataDir && !options.databaseUrl;
  if (!databaseUrl && process.env.DATABASE_URL && !options.dataDir) {
    const created = await createServerDatabase(process.env.DATABASE_URL, template ? await serverTemplate(process.env.DATABASE_URL) : undefined);
    databaseUrl = created.url;
    drop = created.drop;
  }
  const config: Config = {
    ...loadConfig({}),
    databaseUrl,
    dataDir: options.dataDir ?? 'memory://',
    // each test platform its own folder of attachments, as it has its own database
    attachmentsDir: attachmentsFolder(),
    seedDemo: false,
    logLevel: 'silent',
    // the webhooks' receivers in the tests listen on this machine
    webhooksAllowPrivate: true,
    // tests log in far more often than people; security.test.ts builds an app with the limits on
    loginLimitPerAddress: 100_000,
    loginLimitPerUsername: 100_000,
    // and submit to the portal; portal.test.ts builds an app with its limits on
    portalLimitPerAddress: 100_000,
    portalLimitPerPhone: 100_000,
    portalLookupsPerMinute: 100_000,
    // the SMS gateway's callbacks are signed with this (sms.test.ts signs as the gateway does)
    smsCallbackSecret: SMS_CALLBACK_TEST_SECRET,
    telephonySecret: TELEPHONY_TEST_SECRET,
    wechat: WECHAT_TEST_ACCOUNT,
    wechatApi: null,
    weiboAppSecret: WEIBO_TEST_SECRET,
    weiboUid: WEIBO_TEST_UID,
    weiboApi: null,
    publicUrl: 'https://12345.example.gov.cn',
  };
  const restoreFrom = template && !databaseUrl ? await pgliteTemplate() : undefined;
  const platform = await openPlatform(config, { seed, restoreFrom });
  return {
    ...platform,
    async close() {
      await platform.db.close();
      rmSync(config.attachmentsDir, { recursive: true, force: true });
      // a benchmark's database kept to look into after it (KEEP_BENCH_DIR, as its PGlite folder is)
      if (drop && process.env.KEEP_BENCH_DIR) console.error(`# database ${databaseUrl} kept`);
      else if (drop) await drop();
    },
  };
}

/** The id of a unit by its code (HOTLINE, UTIL-WATER, D370102, S370102001…). */
export async function unitId(platform: Platform, code: string): Promise<string> {
  const result = await platform.db.pool.query('SELECT id FROM units WHERE city_code = $1 AND code = $2', [CITY, code]);
  if (!result.rowCount) throw new Error(`no unit ${code}`);
  return result.rows[0].id;
}

/** The ids of units by their codes, in order. */
export async function unitIds<const T extends readonly string[]>(platform: Platform, codes: T): Promise<{ [K in keyof T]: string }> {
  const ids: string[] = [];
  for (const code of codes) ids.push(await unitId(platform, code));
  return ids as { [K in keyof T]: string };
}

let staffCounter = 0;

/** Creates a staff member of a unit with roles and returns them as an actor (and their username). */
export async function makeStaff(platform: Platform, unitCode: string, roles: Role[]): Promise<Actor & { username: string }> {
  const username = `${roles[0]}_${++staffCounter}_${randomBytes(3).toString('hex')}`;
  const unit = await unitId(platform, unitCode);
  const staff = await createStaffAccount(platform.db.pool, systemActor(CITY), { username, displayName: username, unitId: unit, roles, password: PASSWORD });
  const path = (await platform.db.pool.query('SELECT path FROM units WHERE id = $1', [unit])).rows[0].path;
  return { kind: 'staff', id: staff.id, name: username, cityCode: CITY, roles, unitId: unit, unitPath: path, scopes: [], username };
}

/** Staff for a test by name, each with a unit and roles: `{ agent: ['HOTLINE', ['agent']], water: ['UTIL-WATER', ['unit_handler']] }`. */
export async function makeCast<K extends string>(platform: Platform, cast: Record<K, [unitCode: string, roles: Role[]]>):
  Promise<Record<K, Actor & { username: string }>> {
  const out = {} as Record<K, Actor & { username: string }>;
  for (const [name, [unit, roles]] of Object.entries(cast) as [K, [string, Role[]]][]) out[name] = await makeStaff(platform, unit, roles);
  return out;
}

/** A valid registration with a citizen's contact details; override what the test is about. */
export function orderInput(overrides: Partial<RegisterOrderInput> = {}): RegisterOrderInput {
  return {
    channel: 'phone',
    requestType: 'help',
    categoryCode: '010216', // 城乡建设 › 城市建设和市政管理 › 自来水供应
    title: '小区停水',
    body: '历下区解放路街道某小区停水两天，请尽快恢复供水。',
    citizen: { name: '张三丰', phone: '13812345678', address: '济南市历下区解放路100号3单元' },
    location: { address: '解放路', areaCode: '370102001' },
    ...overrides,
  };
}

export async function registerTestOrder(platform: Platform, actor: Actor, overrides: Partial<RegisterOrderInput> = {}) {
  return (await registerOrder(platform.db.pool, actor, orderInput(overrides))).order;
}

const answerers = new WeakMap<Platform, Promise<{ agent: Actor; water: Actor }>>();

/**
 * Walks an order to the unit's answer, as staff would: categorised (自来水供应), dispatched to the
 * water company, signed and replied to. The reply queues the return visit (its event says so).
 */
export async function answerByUnit(platform: Platform, orderId: string, text = '经检测，水箱已清洗消毒，水质恢复正常。'): Promise<void> {
  if (!answerers.has(platform)) answerers.set(platform, makeCast(platform, { agent: ['HOTLINE', ['agent']], water: ['UTIL-WATER', ['unit_handler']] }));
  const { agent, water } = await answerers.get(platform)!;
  const { pool } = platform.db;
  await updateOrder(pool, agent, orderId, { categoryCode: '010216' });
  await applyTransition(pool, agent, orderId, 'dispatch', { unitId: water.unitId! });
  await applyTransition(pool, water, orderId, 'sign', {});
  await applyTransition(pool, water, orderId, 'reply', { text });
}

/**
 * The HTTP app over a test platform, and a helper that logs a staff member in. Every answer is
 * checked against its response schema (a property the schema lacks fails the request), so that
 * each HTTP test also proves the schemas of the routes it calls.
 */
export async function startTestApp(platform: Platform): Promise<{ app: FastifyInstance; tokenFor: (username: string) => Promise<string> }> {
  const app = await buildApp(platform, { checkResponses: true });
  const tokenFor = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.body}`);
    return res.json().token as string;
  };
  return { app, tokenFor };
}

/**
 * A mobile app citizen's session for `phone`, made as a sign-in makes it (the code read where the SMS
 * would carry it): for tests whose subject is not the sign-in (app.test.ts tests that, by SMS).
 */
export async function citizenToken(platform: Platform, phone: string): Promise<string> {
  let sent = '';
  await requestSignInCode(platform.db.pool, platform.config.cityCode, phone, async (code) => { sent = code; });
  if (!sent) throw new Error(`no sign-in code for ${phone}: one was asked for within the minute`);
  return (await signInCitizen(platform.db.pool, platform.config.cityCode, phone, sent, { sessionDays: 1 })).token;
}

/** A 1 × 1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A multipart/form-data body with one file, as a browser or an app sends it (the name in UTF-8). */
export function multipart(name: string, bytes: Buffer, type = 'application/octet-stream') {
  const boundary = `----minsheng${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
