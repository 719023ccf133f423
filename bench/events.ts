// npm run bench -- events: the backbone's figures.
// - A committed change → an SSE client has it: in one process (the server here, the client in a
//   process of its own), and across two server processes on one PostgreSQL server.
// - Consumer lag while orders are registered at 300/s (open loop, from another process): every
//   event counted at every consumer and at an SSE client, none missed, none twice.
// - Intake capacity in one process: registrations as fast as they go, every consumer beside them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { CONSUMERS, consumerSettleMs } from '../src/platform.js';
import { consumersBehind, drain, ensureConsumers, headCursor, LiveFeed, startConsumers, type Consumer } from '../src/modules/events/index.js';
import { registerOrder, type RegisterOrderInput } from '../src/modules/orders/index.js';
import { makeStaff, orderInput, PASSWORD, type TestPlatform } from '../src/testing/harness.js';
import { callerPhone, HistoryModel } from '../src/seed/history/model.js';
import { loadWorld } from '../src/seed/history/world.js';
import type { Scheduled } from './open-loop.js';
import { quantile } from './stats.js';

export interface EventBenchOptions {
  report: (name: string, figures: Record<string, unknown>) => void;
  /** registrations per second for the lag run, and for how long */
  rate: number;
  seconds: number;
  /** a server database URL when the engine is PostgreSQL (the two-process run) */
  databaseUrl: string | undefined;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const r1 = (x: number) => Math.round(x * 10) / 10;
const summary = (xs: number[]) => ({ median: r1(quantile(xs, 0.5)), p95: r1(quantile(xs, 0.95)), p99: r1(quantile(xs, 0.99)), max: r1(Math.max(...xs)) });

/** Runs a bench script in its own process with a JSON job on stdin; resolves with its last line. */
export function child<T>(script: string, job: unknown, onReady?: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', here(script)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => {
      err += d;
      if (onReady && String(d).includes('ready')) onReady();
    });
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`${script} exited ${code}: ${err}`))));
    proc.stdin.end(JSON.stringify(job));
  });
}

/**
 * `count` registrations as a day of the city's would bring them: the generator's texts, matters,
 * communities, channels and callers, with a few incidents (bursts from one community) among them,
 * so that the consumers work as they would (a single repeated order joins one warning and one topic).
 */
async function variedRegistrations(p: TestPlatform, count: number): Promise<RegisterOrderInput[]> {
  const world = await loadWorld(p.db.pool, p.config.cityCode);
  const model = new HistoryModel(world, { orders: count, years: 1 / 365, seed: 11, end: new Date(), incidentsPerYear: 3 * 365 });
  return Array.from(model.orders(), (o) => ({
    channel: o.channel, requestType: o.requestType, urgency: o.urgency, confidential: o.confidential,
    categoryCode: world.categories[o.category]!.code, title: o.title, body: o.body,
    citizen: { name: '市民', phone: callerPhone(o.caller) },
    location: { address: world.communities[o.community]!.name, areaCode: world.communities[o.community]!.code },
    channelRef: `lag-${Date.now()}-${o.seq}`,
  }));
}

/** Waits (up to a minute) for every consumer to pass the log's last event (one not backing off after a failure). */
async function caughtUp(p: TestPlatform, consumers: Consumer[]): Promise<void> {
  for (const startedWaiting = Date.now(); Date.now() - startedWaiting < 60_000; await new Promise((r) => setTimeout(r, 200))) {
    if (!(await consumersBehind(p.db.pool, consumers))) return;
  }
}

/** The lag consumer's record of the registrations after `position`: how many, and how late. */
async function lagSince(p: TestPlatform, position: string | number): Promise<{ n: number; ms: Record<string, number> }> {
  const lag = await p.db.pool.query(
    `SELECT count(*)::int AS n, percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM handled_at - at) * 1000) AS ms,
            max(extract(epoch FROM handled_at - at) * 1000) AS max
       FROM bench_lag WHERE position > $1`, [position]);
  const [median, p95, p99] = ((lag.rows[0].ms ?? []) as number[]).map(r1);
  return { n: lag.rows[0].n, ms: { median: median!, p95: p95!, p99: p99!, max: r1(lag.rows[0].max) } };
}

/** A server process (npm start's entry) on a server database. */
function serverProcess(databaseUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', here('../src/main.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'warn', CLASSIFY_RETRAIN_DAYS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, stop: () => new Promise((done) => { proc.once('exit', () => done()); proc.kill('SIGTERM'); }) });
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

export async function benchEvents(p: TestPlatform, engine: string, o: EventBenchOptions): Promise<void> {
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  const body = orderInput({ channel: 'app' });
  await p.db.pool.query(`CREATE TABLE IF NOT EXISTS bench_lag (position bigint PRIMARY KEY, at timestamptz, handled_at timestamptz)`);
  // a consumer like any other, which notes when it handled each registration
  const lagRecorder: Consumer = {
    name: 'bench-lag', types: ['order.registered'],
    async handle(tx, events) {
      await tx.query(`INSERT INTO bench_lag (position, at, handled_at) SELECT unnest($1::bigint[]), unnest($2::timestamptz[]), clock_timestamp()`,
        [events.map((e) => e.position), events.map((e) => e.at)]);
    },
  };
  const consumers = [...CONSUMERS, lagRecorder];
  await ensureConsumers(p.db.pool, consumers);
  // the consumers that start at the log's start (rollups, warnings) catch up on the loaded history first
  const catchingUp = performance.now();
  for (const consumer of consumers) await drain(p.db.pool, consumer);
  o.report('events_consumers_caught_up', { seconds: r1((performance.now() - catchingUp) / 1000), note: 'the loaded orders\' events, before the runs' });
  // the statistics a running hotline's tables have (autovacuum's, on tables that just filled up)
  await p.db.pool.query('ANALYZE');
  const wake = (f: () => void) => p.db.listen('minsheng_events', f);
  const log = (error: unknown) => console.error(error);
  const feed = await LiveFeed.start(p.db.pool, { wake, pollMs: 1000, log });
  const stopConsumers = startConsumers(p.db.pool, consumers, { wake, pollMs: 1000, log, settleMs: consumerSettleMs(p.db) });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(p, { feed });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });

    // 1. commit → SSE, one process
    const one = await child<{ fromSend: number[]; fromAnswer: number[]; duplicates: number }>('./sse-probe.ts',
      { mode: 'latency', listen: base, write: base, username: agent.username, password: PASSWORD, samples: 200, body });
    o.report('events_sse_latency_one_process', { samples: one.fromSend.length, fromRequestSentMs: summary(one.fromSend),
      fromAnswerMs: summary(one.fromAnswer), targetMedianMs: 50,
      note: 'a registration sent to the server → its event read from the same server\'s stream by a client in another process; ' +
        'from the answer: negative when the event arrived before the HTTP answer' });

    // 2. consumer lag at `rate` registrations per second, open loop, with an SSE client counting every event
    const start = await headCursor(p.db.pool);
    const total = o.rate * o.seconds;
    const bodies = await variedRegistrations(p, total);
    const requests: Scheduled[] = bodies.map((body, i) => ({ at: (i * 1000) / o.rate, kind: 'register', auth: 'agent',
      method: 'POST', url: `${base}/api/v1/orders`, body }));
    let countReady!: () => void;
    const countConnected = new Promise<void>((r) => (countReady = r));
    const counting = child<{ events: number; distinct: number; duplicates: number }>('./sse-probe.ts',
      { mode: 'count', listen: base, write: base, username: agent.username, password: PASSWORD, quietMs: 5000 }, countReady);
    await countConnected;
    const token = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: agent.username, password: PASSWORD }) })).json()).token;
    const load = await child<{ seconds: number; byKind: Record<string, { n: number; statuses: Record<number, number>; latencies: number[] }> }>(
      './open-loop.ts', { tokens: { agent: token }, requests });
    const registered = load.byKind.register!;
    const streamed = await counting;
    await caughtUp(p, consumers);
    const appended = await p.db.pool.query(
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE type = 'order.registered')::int AS registered FROM events
        WHERE (tx_id, id) > ($1::xid8, $2::bigint)`, [start.txId, start.position]);
    const lag = await lagSince(p, start.position);
    const cursors = await p.db.pool.query('SELECT name, handled FROM event_consumers WHERE name = ANY($1)', [consumers.map((c) => c.name)]);
    o.report('events_consumer_lag', {
      targetRate: o.rate, seconds: o.seconds, sent: total, registered: registered.statuses[201] ?? 0, errors: total - (registered.statuses[201] ?? 0),
      achievedRate: r1(total / load.seconds), registerLatencyMs: summary(registered.latencies),
      lagMs: lag.ms, targetP99Ms: 1000,
      counted: { eventsAppended: appended.rows[0].all, registrationsAppended: appended.rows[0].registered, handledByLagConsumer: lag.n,
        consumersHandledInAll: Object.fromEntries(cursors.rows.map((r) => [r.name, Number(r.handled)])),
        sseClientReceived: streamed.events, sseDistinct: streamed.distinct, sseDuplicates: streamed.duplicates },
      note: 'lag: from the event\'s time (the change, in its transaction) to the consumer\'s handling (clock_timestamp in its batch)',
    });

    // 3. intake in this one process, no HTTP and no client beside it: registrations through the orders
    // module, every consumer running with them; first at `rate` (open loop), then as fast as they go
    for (const paced of [true, false]) {
      const from = await headCursor(p.db.pool);
      const inputs = await variedRegistrations(p, total);
      const began = performance.now();
      const latencies: number[] = [];
      const register = async (input: RegisterOrderInput, at: number) => {
        await registerOrder(p.db.pool, agent, input);
        latencies.push(performance.now() - began - at);
      };
      if (paced) {
        await Promise.all(inputs.map(async (input, i) => {
          const at = (i * 1000) / o.rate;
          await new Promise((r) => setTimeout(r, Math.max(0, began + at - performance.now())));
          await register(input, at);
        }));
      } else {
        let next = 0;
        await Promise.all(Array.from({ length: 16 }, async () => {
          while (next < inputs.length) await register(inputs[next++]!, performance.now() - began);
        }));
      }
      const registering = (performance.now() - began) / 1000;
      await caughtUp(p, consumers);
      const lag = await lagSince(p, from.position);
      o.report(paced ? 'events_intake_in_process' : 'events_intake_capacity', {
        ...(paced ? { targetRate: o.rate } : { concurrency: 16 }), registrations: total, perSecond: Math.round(total / registering),
        registerLatencyMs: summary(latencies), consumersDoneAfterSeconds: r1((performance.now() - began) / 1000), lagMs: lag.ms,
        handledByLagConsumer: lag.n, targetPerSecond: 500,
        note: 'one process: registrations through the orders module with the rollups, early warnings, hot topics, outbox, notices ' +
          'and the live feed consuming beside them' + (paced ? '' : '; as fast as 16 at a time go, the consumers catching up after') });
    }

    // 4. commit → SSE across two server processes (PostgreSQL)
    if (engine === 'postgres' && o.databaseUrl) {
      const [a, b] = await Promise.all([serverProcess(o.databaseUrl), serverProcess(o.databaseUrl)]);
      try {
        const two = await child<{ fromSend: number[]; fromAnswer: number[]; duplicates: number }>('./sse-probe.ts',
          { mode: 'latency', listen: b.url, write: a.url, username: agent.username, password: PASSWORD, samples: 200, body });
        o.report('events_sse_latency_two_processes', { samples: two.fromSend.length, fromRequestSentMs: summary(two.fromSend),
          fromAnswerMs: summary(two.fromAnswer), duplicates: two.duplicates, targetMedianMs: 100,
          note: 'registered through one server process, read from the stream of another (and the bench process runs a third)' });
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    }
  } finally {
    await app?.close();
    await stopConsumers();
    await feed.stop();
  }
}
