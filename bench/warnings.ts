// npm run bench -- warnings: the early warning's figures.
// - Quality: a generated history of N orders over 60 days at a big city's volume, with an incident a
//   day (10–40 reports of one matter from one community within 20–60 minutes; their truth kept).
//   The cells' history is built from the first 30 days, then the last 30 are replayed through the
//   detector in time order: incidents warned of (recall, by size), warnings that were incidents
//   (precision), false warnings a day, which report crossed the line and how many minutes after the
//   first; reports replayed per second.
// - Latency: reports registered over HTTP on a server running its background work (the consumers,
//   woken by NOTIFY), an SSE client listening: from the crossing report's HTTP answer to its
//   warning on the stream (target: within 5 s).
// - The detector's own cost: registrations spread over the city's communities and categories, then
//   the warnings consumer's drain timed alone (reports per second).
// - In an incident: batches of 100 reports of one cell that all join its warning, against the same
//   batches in a cell where warnings are off (counted only), alternated: what joining costs.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { startBackground } from '../src/platform.js';
import { DEFAULT_WARNING_SETTINGS, observeReports, replayWarnings, warningsConsumer, type Report as WarningReport } from '../src/modules/analytics/index.js';
import { withTransaction } from '../src/db/tx.js';
import { drain } from '../src/modules/events/index.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { makeStaff, orderInput, PASSWORD, type TestPlatform } from '../src/testing/harness.js';
import { readEventStream } from '../src/testing/sse.js';
import { loadWorld } from '../src/seed/history/world.js';
import { writeHistory } from '../src/seed/history/write.js';
import { scoreWarnings } from '../src/seed/history/score.js';
import { Random } from '../src/seed/history/random.js';
import { quantile } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;
const DAY = 86_400_000;
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export async function benchWarnings(p: TestPlatform, opts: { orders: number; samples: number; registrations: number; report: Report }) {
  const { pool } = p.db;
  const city = p.config.cityCode;
  const world = await loadWorld(pool, city);

  // 1. quality, against the generator's truth
  const end = new Date(Date.UTC(2026, 10, 30, 16)); // midnight in Beijing, 1 December 2026
  const written = await writeHistory(pool, city, world, { orders: opts.orders, years: 60 / 365, seed: 7, end, incidentsPerYear: 365 });
  await pool.query('ANALYZE');
  const period = { from: new Date(end.getTime() - 30 * DAY), to: end };
  const replay = await replayWarnings(pool, city, period, { settings: DEFAULT_WARNING_SETTINGS });
  const score = await scoreWarnings(pool, city, written.incidents, period);
  opts.report('warnings_quality', {
    generated: { orders: written.orders, days: 60, incidents: written.incidents.length },
    replayed: { days: 30, reports: replay.reports, perDay: Math.round(replay.reports / 30), seconds: r1(replay.seconds),
      reportsPerSecond: Math.round(replay.reports / replay.seconds) },
    settings: DEFAULT_WARNING_SETTINGS,
    incidents: score.incidents, warnings: score.warnings, recall: r3(score.recall), recallBySize: score.recallBySize,
    precision: r3(score.precision), duplicates: score.duplicates, falseWarnings: score.falseWarnings, falsePerDay: r3(score.falsePerDay),
    crossingReport: { median: quantile(score.crossingReport, 0.5), max: Math.max(...score.crossingReport) },
    minutesToCross: { median: r1(quantile(score.minutesToCross, 0.5)), max: r1(Math.max(...score.minutesToCross)) },
    allReportsJoined: score.allReportsJoined, falseExamples: score.unmatched.slice(0, 5),
    targets: 'fewer than 1 false warning a day; each incident warned of once',
  });

  // 2. latency: the crossing report's HTTP answer → its warning on the SSE stream, consumers running
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  const background = await startBackground(p, (error) => console.error(error));
  let app: FastifyInstance | undefined;
  const abort = new AbortController();
  try {
    app = await buildApp(p, { feed: background.feed });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: agent.username, password: PASSWORD }) });
    const headers = { authorization: `Bearer ${(await login.json()).token}`, 'content-type': 'application/json' };
    const raised = new Map<string, number>();
    const streaming = readEventStream(`${base}/api/v1/events/stream`, { headers, signal: abort.signal, onMessage: (m) => {
      if (m.event === 'warning.raised') raised.set(JSON.parse(m.data).warning.areaCode, performance.now());
    } });
    await new Promise((r) => setTimeout(r, 200));
    const random = new Random(42);
    const latencies: number[] = [];
    const communities = [...world.communities];
    for (let i = 0; i < opts.samples; i++) {
      const community = communities.splice(random.int(communities.length), 1)[0]!.code; // each sample a community of its own
      let answered = 0;
      for (let k = 0; k < DEFAULT_WARNING_SETTINGS.minReports; k++) {
        const res = await fetch(`${base}/api/v1/orders`, { method: 'POST', headers,
          body: JSON.stringify(orderInput({ categoryCode: '010213', title: '燃气泄漏', body: '楼道里燃气味很重，担心泄漏，请马上派人来查看',
            location: { address: '楼道', areaCode: community } })) });
        if (res.status !== 201) throw new Error(`registration: ${res.status} ${await res.text()}`);
        answered = performance.now();
      }
      for (const t = Date.now(); !raised.has(community) && Date.now() - t < 10_000;) await new Promise((r) => setTimeout(r, 2));
      latencies.push(raised.has(community) ? raised.get(community)! - answered : Number.POSITIVE_INFINITY);
    }
    opts.report('warnings_latency', { samples: latencies.length, missed: latencies.filter((x) => !Number.isFinite(x)).length,
      fromCrossingAnswerMs: { median: r1(quantile(latencies, 0.5)), max: r1(Math.max(...latencies)) }, targetMs: 5000,
      note: 'five reports of a gas leak from one community over HTTP; the SSE client in the same process as the server' });
    abort.abort();
    await streaming;
  } finally {
    abort.abort();
    await app?.close();
    await background.stop();
  }

  // 3. the detector's own cost per report
  const random = new Random(7);
  const leaves = world.categories.filter((c) => c.code.length >= 6);
  for (let i = 0; i < opts.registrations; i++) {
    await registerOrder(pool, agent, orderInput({ categoryCode: random.pick(leaves).code, location: { address: '某处', areaCode: random.pick(world.communities).code } }));
  }
  const t = performance.now();
  await drain(pool, warningsConsumer);
  const seconds = (performance.now() - t) / 1000;
  opts.report('warnings_consumer', { reports: opts.registrations, seconds: r1(seconds), reportsPerSecond: Math.round(opts.registrations / seconds),
    note: 'registrations over random communities and categories, their events read by the warnings consumer alone (batches of 500)' });

  // 4. an incident: its later reports join its warning, a batch of 100 at a time
  const batchMs: Record<'joined' | 'counted', number[]> = { joined: [], counted: [] };
  let at = end.getTime() + DAY;
  const communities = [...world.communities];
  for (let round = 0; round < 5; round++) {
    for (const outcome of ['joined', 'counted'] as const) {
      const area = communities.splice(random.int(communities.length), 1)[0]!;
      const cell = { areaCode: area.code, areaPath: [area.streetCode.slice(0, 6), area.streetCode, area.code], categoryCode: '010216', categoryPath: ['01', '0102', '010216'] };
      const options = { settings: { ...DEFAULT_WARNING_SETTINGS, enabled: outcome === 'joined' }, now: (r: WarningReport) => r.at, staleBefore: null };
      const burst = (n: number, gapMs: number) => Array.from({ length: n }, (_, i) => ({ ...cell, orderId: randomUUID(), at: new Date(at += gapMs) }));
      const observe = (reports: WarningReport[]) => withTransaction(pool, (tx) => observeReports(tx, city, reports, options));
      await observe(burst(5, 60_000)); // raises the warning (or, off, counts)
      for (let b = 0; b < 10; b++) {
        const t = performance.now();
        const outcomes = await observe(burst(100, 600));
        batchMs[outcome].push(performance.now() - t);
        if (outcomes.some((o) => o !== outcome)) throw new Error(`a batch expected ${outcome}: ${outcomes.join(' ')}`);
      }
    }
  }
  const joined = quantile(batchMs.joined, 0.5);
  const counted = quantile(batchMs.counted, 0.5);
  opts.report('warnings_joins', { batches: batchMs.joined.length, reportsPerBatch: 100, joinedBatchMs: r1(joined), countedBatchMs: r1(counted),
    ratio: r1(joined / counted), joinMsPerReport: r3((joined - counted) / 100),
    note: "medians; 100 reports of one cell joining its warning, against 100 in a cell where warnings are off, alternated over 5 rounds" });
}
