// npm run bench [-- --orders N --engines pglite,postgres]
// Loads N orders (default 1,000,000) into a fresh database per engine, then measures through the
// real HTTP API: orders created per second, lifecycle transitions per second, and the median/p95
// of a unit's inbox, a phone-number search and a text search. Prints one JSON line per figure.
// The HTTP load comes from a second process, so that the server process has a core of its own.
// PostgreSQL is measured when BENCH_DATABASE_URL (or DATABASE_URL) names a server (npm run bench:all starts one).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { startTestPlatform, makeStaff, orderInput, type TestPlatform, PASSWORD } from '../src/testing/harness.js';
import { buildApp } from '../src/http/app.js';
import { searchTokens } from '../src/modules/orders/search-text.js';
import { registerOrder } from '../src/modules/orders/index.js';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000000' }, engines: { type: 'string' },
  creates: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log('usage: npm run bench -- [--orders 1000000] [--creates 3000] [--concurrency 16] [--engines pglite,postgres]');
  process.exit(0);
}
const ORDERS = Number(values.orders);
const CREATES = Number(values.creates);
const CONCURRENCY = Number(values.concurrency);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const engines = (values.engines ?? (serverUrl ? 'pglite,postgres' : 'pglite')).split(',');
const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const round = (x: number) => Math.round(x * 100) / 100;
function report(engine: string, name: string, figures: Record<string, unknown>) {
  console.log(JSON.stringify({ bench: name, engine, orders: ORDERS, ...figures, machine }));
}

// Texts for the bulk load, written for the benchmark.
const TEXTS = [
  ['小区停水', '小区从早上开始停水，没有任何通知，请尽快恢复供水'], ['路灯不亮', '路口的路灯坏了半个月，晚上出行不安全'],
  ['暖气不热', '供暖开始一周暖气片温度很低，室温只有十四度'], ['占道经营', '路口每天晚上有摊贩占道经营，油烟很大'],
  ['拖欠工资', '公司已经拖欠工资三个月，多次讨要无果'], ['噪音扰民', '工地每天晚上十一点以后还在施工，噪音很大'],
  ['燃气味道', '楼道里燃气味很重，担心有泄漏，请尽快检查'], ['公交班次', '早高峰公交车间隔太长，建议增加班次'],
];

/** Bulk-loads `n` orders spread over a year, units, areas, channels and states, in SQL batches. */
async function load(p: TestPlatform, n: number): Promise<number> {
  const pool = p.db.pool;
  const started = Date.now();
  const units = (await pool.query(`SELECT id FROM units WHERE level IN ('department', 'district', 'street') ORDER BY code`)).rows.map((r) => r.id);
  const streets = (await pool.query(`SELECT code FROM areas WHERE level = 'street' ORDER BY code`)).rows.map((r) => r.code);
  const categories = (await pool.query(`SELECT id FROM categories WHERE level = 3 ORDER BY id`)).rows.map((r) => r.id);
  const titles = TEXTS.map((t) => t[0]!);
  const bodies = TEXTS.map((t) => t[1]!);
  const search = TEXTS.map((t) => searchTokens(`${t[0]} ${t[1]}`).join(' '));
  const BATCH = 100_000;
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    await pool.query(
      `WITH g AS (SELECT i, ($1::uuid[])[1 + (i * 7) % cardinality($1::uuid[])] AS unit,
                         (ARRAY['registered','dispatched','signed','replied','closed','closed','closed','closed','archived','closed'])[1 + i % 10] AS state
                    FROM generate_series($6::int, $7::int) AS i),
       o AS (
         INSERT INTO orders (city_code, tracking_no, channel, request_type, category_id, title, body, citizen_name, citizen_phone,
                             area_code, state, lead_unit_id, search_text, created_at, updated_at)
         SELECT '370100', 'B-' || lpad(i::text, 10, '0'), (ARRAY['phone','phone','phone','sms','web','wechat','app','weibo'])[1 + i % 8],
                (ARRAY['help','complaint','enquiry','report','suggestion'])[1 + i % 5], ($4::bigint[])[1 + i % cardinality($4::bigint[])],
                ($8::text[])[1 + i % 8], ($9::text[])[1 + i % 8], '市民' || (i % 1000),
                '13' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0'), ($2::text[])[1 + i % cardinality($2::text[])],
                state, CASE WHEN state = 'registered' THEN NULL ELSE unit END, ($3::text[])[1 + i % 8],
                $5::timestamptz - (i % 365) * interval '1 day' - (i % 86400) * interval '1 second',
                $5::timestamptz - (i % 365) * interval '1 day'
           FROM g RETURNING id, lead_unit_id, state, created_at)
       INSERT INTO order_assignments (city_code, order_id, unit_id, role, status, assigned_at)
       SELECT '370100', id, lead_unit_id, 'lead', CASE WHEN state IN ('dispatched', 'signed') THEN 'active' ELSE 'done' END, created_at
         FROM o WHERE lead_unit_id IS NOT NULL`,
      [units, streets, search, categories, new Date(), from, to, titles, bodies]);
  }
  await pool.query('ANALYZE');
  if (p.db.engine === 'pglite') await pool.query('CHECKPOINT');
  return (Date.now() - started) / 1000;
}

/** Sends `requests` from a separate load-generator process (bench/load-client.ts). */
function runLoad(headers: Record<string, string>, requests: { method: string; url: string; body?: unknown }[]):
  Promise<{ perSecond: number; statuses: Record<number, number>; ids: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load-client.ts', import.meta.url))],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`))));
    child.stdin.end(JSON.stringify({ headers, concurrency: CONCURRENCY, requests }));
  });
}

/** Runs `total` calls of `task` with `concurrency` in flight; returns calls per second. */
async function throughput(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) await task(next++);
  }));
  return total / ((performance.now() - started) / 1000);
}

async function timed(samples: number, task: (i: number) => Promise<void>): Promise<{ median: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await task(i);
    times.push(performance.now() - t);
  }
  return { median: round(median(times)), p95: round(quantile(times, 0.95)) };
}

async function benchEngine(engine: string): Promise<void> {
  const dataDir = engine === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-')) : undefined;
  const saved = process.env.DATABASE_URL;
  if (engine === 'postgres') process.env.DATABASE_URL = serverUrl;
  else delete process.env.DATABASE_URL;
  const p = await startTestPlatform({ dataDir });
  if (saved) process.env.DATABASE_URL = saved;
  let app: FastifyInstance | undefined;
  try {
    const loadSeconds = await load(p, ORDERS);
    report(engine, 'load', { seconds: round(loadSeconds) });
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const waterUnit = water.unitId!;
    app = await buildApp(p);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = async (username: string) => (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })).json()).token;
    const agentAuth = { authorization: `Bearer ${await login(agent.username)}`, 'content-type': 'application/json' };
    const waterAuth = { authorization: `Bearer ${await login(water.username)}` };

    // Baseline: the same registration, called in-process with no HTTP, same concurrency.
    const direct = await throughput(Math.min(1000, CREATES), CONCURRENCY, async (i) => {
      await registerOrder(p.db.pool, agent, orderInput({ channelRef: `direct-${i}`, channel: 'api' }));
    });
    const createJob = await runLoad(agentAuth, Array.from({ length: CREATES }, (_, i) =>
      ({ method: 'POST', url: `${base}/api/v1/orders`, body: orderInput({ channelRef: `bench-${i}`, channel: 'app' }) })));
    if (createJob.statuses[201] !== CREATES) throw new Error(`create: ${JSON.stringify(createJob.statuses)}`);
    report(engine, 'create_orders_http', { perSecond: round(createJob.perSecond), requests: CREATES, concurrency: CONCURRENCY,
      inProcessPerSecond: round(direct), ratioToInProcess: round(createJob.perSecond / direct) });

    const dispatchJob = await runLoad(agentAuth, createJob.ids.map((id) =>
      ({ method: 'POST', url: `${base}/api/v1/orders/${id}/actions/dispatch`, body: { unitId: waterUnit } })));
    if (dispatchJob.statuses[200] !== CREATES) throw new Error(`dispatch: ${JSON.stringify(dispatchJob.statuses)}`);
    report(engine, 'transitions_http', { perSecond: round(dispatchJob.perSecond), action: 'dispatch', requests: CREATES, concurrency: CONCURRENCY });

    const get = async (url: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${url}`, { headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      await res.arrayBuffer();
    };
    const SAMPLES = 200;
    report(engine, 'unit_inbox_http', { ...(await timed(SAMPLES, () => get('/api/v1/orders/inbox?limit=20', waterAuth))), samples: SAMPLES,
      unitActiveOrders: (await p.db.pool.query(`SELECT count(*) AS n FROM order_assignments WHERE unit_id = $1 AND status = 'active'`, [waterUnit])).rows[0].n });
    report(engine, 'phone_search_http', { ...(await timed(SAMPLES, (i) => {
      const phone = '13' + String((((i * 4999) % ORDERS) + 1) * 7919 % 1_000_000_000).padStart(9, '0');
      return get(`/api/v1/orders?phone=${phone}&limit=20`, agentAuth);
    })), samples: SAMPLES });
    const words = ['路灯', '停水', '暖气 温度', '拖欠工资', '燃气', '噪音', '公交 班次', '油烟'];
    report(engine, 'text_search_http', { ...(await timed(SAMPLES / 4, (i) =>
      get(`/api/v1/orders?q=${encodeURIComponent(words[i % words.length]!)}&limit=20`, agentAuth))), samples: SAMPLES / 4 });
  } finally {
    await app?.close();
    await p.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const engine of engines) await benchEngine(engine);
