// npm run bench [-- core|sla|classify|events|mix] [--orders N --open N --year-rounds N --similar N --base N --engines pglite,postgres]
// core: loads N orders (default 1,000,000) into a fresh database per engine, then measures through
// the real HTTP API: orders created per second, lifecycle transitions per second, and the
// median/p95 of a unit's inbox, a phone-number search and a text search.
// sla (bench/sla.ts): the timer sweep over N open orders (default 1,000,000) and a month's
// assessment over a year of rounds (default 1,000,000). Prints one JSON line per figure.
// classify (bench/classify.ts): the text classifier on the labelled messages (accuracy, training time,
// time per text, segmenters and model families compared), then similar-order search and a whole
// suggestion over N orders (default 1,000,000).
// events (bench/events.ts): a committed change → an SSE client, in one process and across two; consumer
// lag while orders are registered at --rate per second (300) for --lag-seconds (30), every event counted.
// mix (bench/mix.ts): a busy hour replayed open loop in --multiples of Jinan's busiest hour, --mix-seconds each.
// web (bench/web.ts): the web application in Chromium over N orders (1,000,000) and a unit inbox of --inbox
// (50,000): a cold sign-in to the agent's form and its script bytes, the inbox's first page, the typing suggestion.
// channels (bench/channels.ts): messages accepted per second end to end on each citizens' channel (the portal so
// far, --messages 2000), beside the same registrations in-process, then delivered again (no second order).
// storage (bench/storage.ts): bytes per stored order by table and index after loading N orders (1,000,000).
// analytics (bench/analytics.ts): a generated history of N orders over --years (10): the load as `npm run generate` does it, the rollups
// recounted in pieces as `rebuild-rollups` does (not with --no-pieces),
// dashboard reads over them (median and worst), the orders' text search by an agent and by a unit, the rollups consumer's orders
// per second (--registrations 2000), bytes per order. On a server the load counts the rollups beside the index builds;
// --in-turn counts them after, as on PGlite (to measure the one against the other).
// partitions (bench/partitions.ts): a generated history of N orders over --years, copied into a plain and a
// month-partitioned twin of `orders`: the copy, the application's reads on each (median and worst), the oldest year removed.
// warnings (bench/warnings.ts): the early warning replayed over a generated month at N orders in 60 days (1,000,000), scored
// against the generator's truth; the crossing report → its warning on the SSE stream; the detector's reports per second.
// calls (bench/calls.ts): the telephony's call events absorbed per second through HTTP (one per POST, and 50 per POST),
// --calls (3000) calls' worth, beside in-process; then the screen-pop: `answered` posted → the agent's stream → the caller's profile.
// knowledge (bench/knowledge.ts): the callers' questions searched over the project's 60 articles, then over --articles (10,000):
// median and p95 of a search, top-1 and top-3 accuracy at both sizes.
// events, mix and channels run on a database of --base orders (100,000) loaded first.
// The HTTP load comes from a second process, so that the server process has a core of its own.
// PostgreSQL is measured when BENCH_DATABASE_URL (or DATABASE_URL) names a server (npm run bench:all starts one).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { CITY, startTestPlatform, makeStaff, orderInput, type TestPlatform, PASSWORD } from '../src/testing/harness.js';
import { buildApp } from '../src/http/app.js';
import { loadOrders, prepareClassification, trainFromMessages } from './load-orders.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { benchSla } from './sla.js';
import { benchSimilar, benchText, loadRealisticKeys, MESSAGES } from './classify.js';
import { readLabelledCsv } from '../src/modules/classify/dataset.js';
import { benchEvents } from './events.js';
import { benchMix } from './mix.js';
import { cpuSeconds } from './cpu.js';
import { median, quantile, round, timed } from './stats.js';
import { prepareWeb, type WebUsers } from './web.js';
import { drainConsumers } from '../src/platform.js';
import { buildWeb } from '../scripts/build-web.js';
import { benchChannels } from './channels.js';
import { benchStorage } from './storage.js';
import { benchAnalytics } from './analytics.js';
import { benchPartitions } from './partitions.js';
import { rebuildRollups } from '../src/modules/analytics/index.js';
import { benchWarnings } from './warnings.js';
import { benchCalls } from './calls.js';
import { benchKnowledge } from './knowledge.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { orders: { type: 'string', default: '1000000' },
  engines: { type: 'string' }, creates: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '16' },
  open: { type: 'string', default: '1000000' }, 'year-rounds': { type: 'string', default: '1000000' },
  similar: { type: 'string', default: '1000000' }, 'skip-text': { type: 'boolean' }, help: { type: 'boolean' },
  base: { type: 'string', default: '100000' }, rate: { type: 'string', default: '300' }, 'lag-seconds': { type: 'string', default: '30' },
  multiples: { type: 'string' }, 'mix-seconds': { type: 'string', default: '120' },
  inbox: { type: 'string', default: '50000' }, samples: { type: 'string', default: '10' }, messages: { type: 'string', default: '2000' },
  years: { type: 'string', default: '10' }, registrations: { type: 'string', default: '2000' }, calls: { type: 'string', default: '3000' },
  articles: { type: 'string', default: '10000' }, pieces: { type: 'boolean', default: true }, 'in-turn': { type: 'boolean' } }, allowNegative: true });
const ALL_SUITES = ['core', 'sla', 'classify', 'events', 'mix', 'web', 'channels', 'storage', 'analytics', 'warnings', 'calls', 'knowledge', 'partitions'];
const SUITES = positionals.length ? positionals : ALL_SUITES;
if (values.help || SUITES.some((s) => !ALL_SUITES.includes(s))) {
  console.log('usage: npm run bench -- [core] [sla] [classify] [events] [mix] [web] [channels] [storage] [analytics] [warnings] [calls] [knowledge] [partitions] [--articles 10000] [--calls 3000] [--years 10] [--registrations 2000] [--messages 2000] [--orders 1000000] [--creates 3000] [--concurrency 16] ' +
    '[--open 1000000] [--year-rounds 1000000] [--similar 1000000] [--skip-text] [--base 100000] [--rate 300] [--lag-seconds 30] ' +
    '[--multiples 1,5,10,25,50] [--mix-seconds 120] [--no-pieces] [--in-turn] [--engines pglite,postgres]');
  process.exit(values.help ? 0 : 2);
}
const ORDERS = Number(values.orders);
const CREATES = Number(values.creates);
const CONCURRENCY = Number(values.concurrency);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const engines = (values.engines ?? (serverUrl ? 'pglite,postgres' : 'pglite')).split(',');
const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? '', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };

function report(engine: string, name: string, figures: Record<string, unknown>) {
  console.log(JSON.stringify({ bench: name, engine, orders: ORDERS, ...figures, machine }));
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Sends `requests` from a separate load-generator process (bench/load-client.ts). */
function runLoad(headers: Record<string, string>, requests: { method: string; url: string; body?: unknown; headers?: Record<string, string> }[]):
  Promise<{ perSecond: number; statuses: Record<number, number>; ids: string[]; cpuSeconds: number }> {
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

/** CPU milliseconds per request: the server (PGlite's worker included), PostgreSQL's processes, the load client. */
function cpuPerRequest(before: ReturnType<typeof cpuSeconds>, after: ReturnType<typeof cpuSeconds>, clientSeconds: number, n: number) {
  return { server: round(((after.server - before.server) * 1000) / n),
    postgres: after.postgres === null || before.postgres === null ? null : round(((after.postgres - before.postgres) * 1000) / n),
    loadClient: round((clientSeconds * 1000) / n) };
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

/** A fresh platform on `engine` (PGlite in a temporary folder, or a new database on the server), closed after `work`. */
async function onEngine(engine: string, work: (p: TestPlatform, dataDir: string | undefined) => Promise<void>): Promise<void> {
  const dataDir = engine === 'pglite' ? mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-')) : undefined;
  const saved = process.env.DATABASE_URL;
  if (engine === 'postgres') process.env.DATABASE_URL = serverUrl;
  else delete process.env.DATABASE_URL;
  const p = await startTestPlatform({ dataDir });
  if (saved) process.env.DATABASE_URL = saved;
  try {
    await work(p, dataDir);
  } finally {
    await p.close();
    if (dataDir && !process.env.KEEP_BENCH_DIR) rmSync(dataDir, { recursive: true, force: true });
    if (dataDir) console.error(`# folder ${dataDir}`);
  }
}

/** The web suite's timed part in a process of its own (bench/web-process.ts), on the database `p` loaded. */
async function webInOwnProcess(p: TestPlatform, dataDir: string | undefined, task: { users: WebUsers; inbox: number; samples: number },
  report: (name: string, figures: Record<string, unknown>) => void): Promise<void> {
  if (dataDir) await p.db.close(); // a PGlite folder is one process's
  // this process waits meanwhile: its CPU says whether it took any from the timed part
  const [cpuBefore, wallBefore] = [process.cpuUsage(), performance.now()];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./web-process.ts', import.meta.url))],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return void console.error(line); // not a figure: a build's progress, say
      const { name, figures } = JSON.parse(line) as { name: string; figures: Record<string, unknown> };
      report(name, figures);
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the web bench's process exited ${code}`))));
    child.stdin.end(JSON.stringify({ ...task, ...(dataDir ? { dataDir } : { databaseUrl: p.config.databaseUrl }) }));
  });
  const cpu = process.cpuUsage(cpuBefore);
  report('web_bench_process_while_timed', { wallSeconds: round((performance.now() - wallBefore) / 1000),
    cpuSeconds: round((cpu.user + cpu.system) / 1e6), note: 'the bench process that loaded the database, waiting for the timed process' });
}

async function benchEngine(engine: string, p: TestPlatform, dataDir: string | undefined): Promise<void> {
  let app: FastifyInstance | undefined;
  try {
    const loadSeconds = await loadOrders(p, ORDERS);
    report(engine, 'load', { seconds: round(loadSeconds),
      ...(dataDir ? { folderMB: round(folderBytes(dataDir) / 2 ** 20), walMB: round(folderBytes(path.join(dataDir, 'pg_wal')) / 2 ** 20) } : {}) });
    // every registration below runs a real prediction and stores a real suggestion
    await prepareClassification(p, (name, figures) => report(engine, name, figures));
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    const district = await makeStaff(p, 'D370102', ['unit_manager']);
    const waterUnit = water.unitId!;
    app = await buildApp(p);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = async (username: string) => (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) })).json()).token;
    const agentAuth = { authorization: `Bearer ${await login(agent.username)}`, 'content-type': 'application/json' };
    const waterAuth = { authorization: `Bearer ${await login(water.username)}` };
    const districtAuth = { authorization: `Bearer ${await login(district.username)}` };

    // Baseline: the same registration, called in-process with no HTTP, same concurrency (after a
    // warm-up: the model and the keyword segmenter load at the first registration).
    for (let i = 0; i < 20; i++) await registerOrder(p.db.pool, agent, orderInput({ channelRef: `warm-${i}`, channel: 'api' }));
    const direct = await throughput(Math.min(1000, CREATES), CONCURRENCY, async (i) => {
      await registerOrder(p.db.pool, agent, orderInput({ channelRef: `direct-${i}`, channel: 'api' }));
    });
    let before = cpuSeconds(engine);
    const createJob = await runLoad(agentAuth, Array.from({ length: CREATES }, (_, i) =>
      ({ method: 'POST', url: `${base}/api/v1/orders`, body: orderInput({ channelRef: `bench-${i}`, channel: 'app' }) })));
    if (createJob.statuses[201] !== CREATES) throw new Error(`create: ${JSON.stringify(createJob.statuses)}`);
    report(engine, 'create_orders_http', { perSecond: round(createJob.perSecond), requests: CREATES, concurrency: CONCURRENCY,
      inProcessPerSecond: round(direct), ratioToInProcess: round(createJob.perSecond / direct),
      cpuMsPerRequest: cpuPerRequest(before, cpuSeconds(engine), createJob.cpuSeconds, CREATES) });

    before = cpuSeconds(engine);
    const dispatchJob = await runLoad(agentAuth, createJob.ids.map((id) =>
      ({ method: 'POST', url: `${base}/api/v1/orders/${id}/actions/dispatch`, body: { unitId: waterUnit } })));
    if (dispatchJob.statuses[200] !== CREATES) throw new Error(`dispatch: ${JSON.stringify(dispatchJob.statuses)}`);
    report(engine, 'transitions_http', { perSecond: round(dispatchJob.perSecond), action: 'dispatch', requests: CREATES, concurrency: CONCURRENCY,
      cpuMsPerRequest: cpuPerRequest(before, cpuSeconds(engine), dispatchJob.cpuSeconds, CREATES) });

    const get = async (url: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${url}`, { headers });
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      await res.arrayBuffer();
    };
    const SAMPLES = 200;
    report(engine, 'unit_inbox_http', { ...(await timed(SAMPLES, () => get('/api/v1/orders/inbox?limit=20', waterAuth))), samples: SAMPLES,
      unitActiveOrders: (await p.db.pool.query(`SELECT count(*) AS n FROM order_assignments WHERE unit_id = $1 AND status = 'active'`, [waterUnit])).rows[0].n });
    report(engine, 'unit_order_list_http', { ...(await timed(SAMPLES / 4, () => get('/api/v1/orders?limit=20', waterAuth))),
      samples: SAMPLES / 4, note: 'all orders ever assigned to the unit, newest first' });
    report(engine, 'district_order_list_http', { ...(await timed(SAMPLES / 4, () => get('/api/v1/orders?limit=20', districtAuth))),
      samples: SAMPLES / 4, note: "the district's and its street offices' orders, newest first",
      ordersInScope: (await p.db.pool.query('SELECT count(*) AS n FROM order_scopes WHERE unit_id = $1', [district.unitId])).rows[0].n });
    report(engine, 'phone_search_http', { ...(await timed(SAMPLES, (i) => {
      const phone = '13' + String((((i * 4999) % ORDERS) + 1) * 7919 % 1_000_000_000).padStart(9, '0');
      return get(`/api/v1/orders?phone=${phone}&limit=20`, agentAuth);
    })), samples: SAMPLES });
    const words = ['路灯', '停水', '暖气 温度', '拖欠工资', '燃气', '噪音', '公交 班次', '油烟'];
    report(engine, 'text_search_http', { ...(await timed(SAMPLES / 4, (i) =>
      get(`/api/v1/orders?q=${encodeURIComponent(words[i % words.length]!)}&limit=20`, agentAuth))), samples: SAMPLES / 4 });
  } finally {
    await app?.close();
  }
}

// the text part needs no database: once, whatever the engines
const messages = !SUITES.includes('classify') ? null
  : values['skip-text'] ? (existsSync(MESSAGES) ? readLabelledCsv(MESSAGES) : null)
    : benchText((name, figures) => console.log(JSON.stringify({ bench: name, ...figures, machine })));
for (const engine of engines) {
  if (SUITES.includes('classify')) {
    await onEngine(engine, (p) => benchSimilar(p, Number(values.similar), messages,
      (name, figures) => console.log(JSON.stringify({ bench: name, engine, ...figures, machine })), timed));
  }
  if (SUITES.includes('core')) await onEngine(engine, (p, dataDir) => benchEngine(engine, p, dataDir));
  const baseOrders = Number(values.base);
  const emit = (name: string, figures: Record<string, unknown>) => console.log(JSON.stringify({ bench: name, engine, baseOrders, ...figures, machine }));
  if (SUITES.includes('events')) {
    await onEngine(engine, async (p) => {
      if (baseOrders > 0) await loadOrders(p, baseOrders);
      // registrations run a real prediction, as a live hotline's do
      await prepareClassification(p, emit);
      await benchEvents(p, engine, { report: emit, rate: Number(values.rate), seconds: Number(values['lag-seconds']),
        databaseUrl: p.config.databaseUrl });
    });
  }
  if (SUITES.includes('mix')) {
    const multiples = (values.multiples ?? (engine === 'postgres' ? '1,10,25,50,75' : '1,10,25,35')).split(',').map(Number);
    await onEngine(engine, async (p) => {
      if (baseOrders > 0) await loadOrders(p, baseOrders);
      await prepareClassification(p, emit);
      await benchMix(p, engine, { report: emit, multiples, seconds: Number(values['mix-seconds']) });
    });
  }
  if (SUITES.includes('storage')) {
    await onEngine(engine, async (p, dataDir) => {
      const seconds = await loadOrders(p, ORDERS);
      report(engine, 'storage_load', { orders: ORDERS, seconds: round(seconds), perSecond: Math.round(ORDERS / seconds) });
      await benchStorage(p, ORDERS, (name, figures) => report(engine, name, figures), () => (dataDir ? folderBytes(dataDir) : null));
    });
  }
  if (SUITES.includes('partitions')) {
    await onEngine(engine, (p) => benchPartitions(p, { orders: ORDERS, years: Number(values.years), samples: Math.max(50, Number(values.samples)),
      report: (name, figures) => report(engine, name, figures) }));
  }
  if (SUITES.includes('analytics')) {
    await onEngine(engine, async (p, dataDir) => {
      await benchAnalytics(p, { orders: ORDERS, years: Number(values.years), samples: Math.max(20, Number(values.samples)),
        registrations: Number(values.registrations), pieces: values.pieces !== false, inTurn: values['in-turn'] === true, report: (name, figures) => report(engine, name, figures) });
      await benchStorage(p, ORDERS, (name, figures) => report(engine, name, figures), () => (dataDir ? folderBytes(dataDir) : null),
        'generated history: orders with their assignments, scopes, rounds and visits, no events; the rollups and their facts');
    });
  }
  if (SUITES.includes('warnings')) {
    await onEngine(engine, (p) => benchWarnings(p, { orders: ORDERS, samples: Math.max(10, Number(values.samples)),
      registrations: Number(values.registrations), report: (name, figures) => report(engine, name, figures) }));
  }
  if (SUITES.includes('channels')) {
    await onEngine(engine, async (p) => {
      if (baseOrders > 0) await loadOrders(p, baseOrders);
      await prepareClassification(p, emit);
      await benchChannels(p, { messages: Number(values.messages), concurrency: CONCURRENCY, report: emit, throughput,
        load: (headers, requests) => runLoad(headers, requests),
        cpuMs: async (run) => {
          const before = cpuSeconds(engine);
          const { cpuSeconds: client } = await run();
          return cpuPerRequest(before, cpuSeconds(engine), client, Number(values.messages));
        } });
    });
  }
  if (SUITES.includes('calls')) {
    await onEngine(engine, (p) => benchCalls(p, { calls: Number(values.calls), samples: Math.max(20, Number(values.samples)), concurrency: CONCURRENCY,
      report: (name, figures) => console.log(JSON.stringify({ bench: name, engine, ...figures, machine })), throughput, load: (headers, requests) => runLoad(headers, requests),
      cpuMs: async (events, run) => {
        const before = cpuSeconds(engine);
        const { cpuSeconds: client } = await run();
        return cpuPerRequest(before, cpuSeconds(engine), client, events);
      } }));
  }
  if (SUITES.includes('knowledge')) {
    await onEngine(engine, (p) => benchKnowledge(p, { articles: Number(values.articles), report: (name, figures) => report(engine, name, figures) }));
  }
  if (SUITES.includes('web')) {
    await buildWeb({ ifStale: true, log: (line) => console.error(line) }); // before the load: a build that fails says so in seconds, not after it
    await onEngine(engine, async (p, dataDir) => {
      const loadSeconds = await loadOrders(p, ORDERS);
      report(engine, 'load', { seconds: round(loadSeconds) });
      // a model in use, and the orders' keywords as real texts have them (as the classify suite loads them)
      await trainFromMessages(p, (name, figures) => report(engine, name, figures));
      await loadRealisticKeys(p, ORDERS, messages ?? (existsSync(MESSAGES) ? readLabelledCsv(MESSAGES) : null),
        (name, figures) => report(engine, name, figures));
      const users = await prepareWeb(p, Number(values.inbox));
      // a server in service has read its event log: the consumers (rollups, hot topics, warnings, webhooks…)
      // read the loaded orders' events first, untimed (else the timed part shares the machine with that
      // backlog); the rollups are recounted as after any load, which moves their consumer past it
      const draining = Date.now();
      const rollups = await rebuildRollups(p.db.pool, CITY, { atOnce: true });
      await drainConsumers(p);
      // then as the nightly VACUUM leaves a database in service (src/platform.ts): rows just written
      // have no hint bits or visibility map yet, and the first reads of each page pay for them
      const vacuuming = Date.now();
      await p.db.pool.query('VACUUM ANALYZE');
      report(engine, 'web_consumers_drained', { seconds: round((vacuuming - draining) / 1000), rollups_seconds: round(rollups.seconds),
        vacuum_seconds: round((Date.now() - vacuuming) / 1000),
        note: 'untimed: the rollups recounted, the loaded orders\' events read by the other consumers, VACUUM ANALYZE' });
      // the server as `npm start` runs it, started on the database as it is, in a process of its own:
      // not in the process that has just bulk-loaded a million orders (a heap no server has)
      await webInOwnProcess(p, dataDir, { users, inbox: Number(values.inbox), samples: Number(values.samples) },
        (name, figures) => report(engine, name, figures));
    });
  }
  if (SUITES.includes('sla')) {
    await onEngine(engine, (p) => benchSla(p, { openOrders: Number(values.open), yearRounds: Number(values['year-rounds']),
      report: (name, figures) => console.log(JSON.stringify({ bench: name, engine, ...figures, machine })), timed }));
  }
}
