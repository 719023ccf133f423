// The big-data platform's figures so far, on a generated history of N orders over Y years:
// - the generator's load (orders/s) and the bytes stored per order (as bench/storage.ts counts them);
// - the load as `npm run generate` does it (written, indexes, rollups counted at once, the warnings' history), then
//   the rollups recounted in pieces as `rebuild-rollups` does on a live hotline (seconds, rows; not with --no-pieces);
// - the analysis API's reads (overview, trend, ranking; as a leader over the city and as a district
//   government over its subtree; the leadership screen's today by hour and districts), then the rollups' own reads: a year's monthly trend by top-level
//   category, the top 20 streets of the last 30 days, the units' last month, and one day's series
//   for a year; median and worst of --samples runs each;
// - the rollups consumer keeping up with registrations: orders registered in-process, then the
//   consumer's drain timed alone (orders refreshed per second);
// - the hot topics: real messages registered over the city's streets in the last day, the
//   consumer's drain timed alone (orders clustered per second), the topics found, the read and
//   the biggest topic's orders (the screen's drill-down);
// - the last month's analysis report: gathered (every section's reads), then written as a PDF and as a
//   workbook with their charts; median and worst, and the event loop's longest stall meanwhile (what
//   a request arriving then waits), beside the month's overview read alone as the baseline.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TestPlatform } from '../src/testing/harness.js';
import { makeStaff, orderInput } from '../src/testing/harness.js';
import { analysisReport, callerAnalysis, hotTopicOrders, reportFile, hotTopics, hotTopicsConsumer, overview, today, rebuildRollups, rollupSeries, rollupsConsumer, top, topMembers, trend } from '../src/modules/analytics/index.js';
import { drain } from '../src/modules/events/index.js';
import { listOrders, registerOrder } from '../src/modules/orders/index.js';
import { loadWorld } from '../src/seed/history/world.js';
import { loadHistory } from '../src/seed/history/load.js';
import { Random } from '../src/seed/history/random.js';
import { readLabelledCsv } from '../src/modules/classify/dataset.js';
import { countKeys } from '../src/modules/classify/index.js';
import { MESSAGES } from './classify.js';
import { existsSync } from 'node:fs';
import { beijingDate, DAY_MS } from '../src/shared/beijing.js';
import { median, timed } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;

const ms = (x: number) => Math.round(x * 10) / 10;
const day = (offsetDays: number, from = Date.now()) => beijingDate(from + offsetDays * DAY_MS);

export async function benchAnalytics(p: TestPlatform, opts: { orders: number; years: number; samples: number; registrations: number; pieces: boolean; inTurn: boolean; report: Report }) {
  const { pool } = p.db;
  const city = p.config.cityCode;
  const world = await loadWorld(pool, city);
  // the load as `npm run generate` does it: written, indexed, the rollups counted at once, the warnings' history
  // on a server the rollups are counted while the indexes are built (their steps' times overlap); loadSeconds: ready to read
  const sideBySide = p.db.engine === 'postgres' && !opts.inTurn;
  const loaded = await loadHistory(pool, city, world, { orders: opts.orders, years: opts.years, seed: 1, end: new Date() }, undefined, { sideBySide });
  opts.report('analytics_generate', { orders: loaded.orders, years: opts.years, sideBySide, loadSeconds: ms(loaded.totalSeconds),
    loadPerSecond: Math.round(loaded.orders / loaded.totalSeconds), writtenSeconds: ms(loaded.writtenSeconds),
    writtenPerSecond: Math.round(loaded.orders / loaded.writtenSeconds), buildSeconds: ms(loaded.buildSeconds), indexSeconds: ms(loaded.indexSeconds),
    slowestBuilds: loaded.builds.slice(0, 6).map((b) => `${b.name} ${ms(b.seconds)} s`),
    rollupSeconds: ms(loaded.rollups.seconds), rollupRows: loaded.rollups.rows, baselineSeconds: ms(loaded.baselines.seconds),
    incidents: loaded.incidents.length, timersArmed: loaded.timers });
  await pool.query('ANALYZE');
  const bytes = Number((await pool.query(`SELECT (pg_total_relation_size('analytics_daily') + pg_total_relation_size('analytics_unit_daily')
    + pg_total_relation_size('analytics_unit_monthly') + pg_total_relation_size('analytics_order_facts'))::float8 AS b`)).rows[0].b);
  opts.report('analytics_rollups', { orders: loaded.orders, rollupBytesPerOrder: Math.round(bytes / loaded.orders) });

  // `npm run cli -- rebuild-rollups` on a live hotline: in pieces, each a short transaction, over the rollups the load
  // counted (earlier runs started from empty tables); over an hour at ten million: --no-pieces
  if (opts.pieces) {
    const rebuilt = await rebuildRollups(pool, city);
    await pool.query('ANALYZE');
    const unitRows = Number((await pool.query('SELECT count(*)::float8 AS n FROM analytics_unit_daily')).rows[0].n);
    opts.report('analytics_rebuild', { orders: rebuilt.orders, rows: rebuilt.rows, unitRows, seconds: ms(rebuilt.seconds),
      pieces: rebuilt.pieces, longestTransactionSeconds: ms(rebuilt.longestSeconds) });
  }

  // the API's reads (each one or three rollup queries, with names), as a leader and as a district government
  const leader = await makeStaff(p, 'HOTLINE', ['leader']);
  const district = (await pool.query(`SELECT a.code FROM units a JOIN units u ON u.path LIKE a.path || '%' JOIN orders o ON o.lead_unit_id = u.id
    WHERE a.level = 'district' GROUP BY a.code ORDER BY count(*) DESC LIMIT 1`)).rows[0].code as string;
  const manager = await makeStaff(p, district, ['unit_manager']);
  const month = { from: day(-30), to: day(0) };
  const year = { from: day(-364), to: day(0) };
  const queries: [string, () => Promise<unknown>][] = [
    ['API overview: 30 days, 环比 and 同比 (leader)', () => overview(pool, leader, month)],
    ['API trend: 12 months × top 8 level-1 categories, 环比 and 同比', () => trend(pool, leader, { ...year, dim: 'category1', grain: 'month', limit: 8 })],
    ['API trend: the city by day, a year, 同比', () => trend(pool, leader, { ...year, dim: 'all', grain: 'day', limit: 1 })],
    ['API top: level-3 categories rising, 30 days', () => top(pool, leader, { ...month, dim: 'category3', limit: 10, order: 'growth' })],
    ['API top: every unit, 30 days', () => top(pool, leader, { ...month, dim: 'unit', limit: 500, order: 'orders' })],
    ['API callers: a year, the four groups compared', () => callerAnalysis(pool, leader, year)],
    ['API today: by hour against the same date a year earlier (the screen)', () => today(pool, leader)],
    ['API top: districts, a year (the screen\'s map)', () => top(pool, leader, { ...year, dim: 'district', limit: 50, order: 'orders' })],
    ['API top: the hours of registration, 30 days', () => top(pool, leader, { ...month, dim: 'hour', limit: 24, order: 'orders' })],
    ['API overview: 30 days (district government, its subtree)', () => overview(pool, manager, month)],
    ['API trend: 12 months × top 8 level-1 categories (district government)', () => trend(pool, manager, { ...year, dim: 'category1', grain: 'month', limit: 8 })],
    ['API top: level-3 categories rising, 30 days (district government)', () => top(pool, manager, { ...month, dim: 'category3', limit: 10, order: 'growth' })],
    ['trend: 12 months by top-level category', () => rollupSeries(pool, city, { dim: 'category1', from: day(-365), to: day(1), grain: 'month' })],
    ['top 20 streets, last 30 days', () => topMembers(pool, city, { dim: 'street', from: day(-30), to: day(1), limit: 20 })],
    ['units, last month', () => topMembers(pool, city, { dim: 'unit', from: day(-31), to: day(1), limit: 500 })],
    ['the whole city by day, a year', () => rollupSeries(pool, city, { dim: 'all', from: day(-365), to: day(1), grain: 'day' })],
    ['same day last year', () => rollupSeries(pool, city, { dim: 'all', from: day(-365), to: day(-364), grain: 'day' })],
  ];
  for (const [name, run] of queries) {
    await run();
    const times = await timed(opts.samples, run);
    opts.report('analytics_query', { query: name, medianMs: ms(times.median), worstMs: ms(times.worst), samples: opts.samples,
      target: 'median ≤ 50 ms, worst ≤ 200 ms' });
  }

  // an agent's search of the whole history, and a unit's of its own orders: a word common in it, two
  // words, and words found nowhere (which the planner once took for common and walked the history for)
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  const unit = (await pool.query(`SELECT u.code FROM units u JOIN orders o ON o.lead_unit_id = u.id WHERE u.level <> 'district'
    GROUP BY u.code ORDER BY count(*) DESC LIMIT 1`)).rows[0].code as string;
  const handler = await makeStaff(p, unit, ['unit_handler']);
  for (const [who, actor] of [['agent', agent], [`unit ${unit}`, handler]] as const) {
    // a common word in the last two days: a few hundred matches, read among them
    for (const [q, createdFrom] of [['噪音', undefined], ['噪音', day(-2)], ['小区 投诉', undefined], ['蓝莓园', undefined], ['qzx731', undefined]]) {
      const run = () => listOrders(pool, actor, { sort: '-created_at', limit: 20, offset: 0, q: q!, createdFrom });
      const { total } = await run();
      const times = await timed(opts.samples, run);
      opts.report('orders_search', { who, q, createdFrom: createdFrom ?? null, total, medianMs: ms(times.median), worstMs: ms(times.worst), samples: opts.samples });
    }
  }

  // the consumer's own cost per order: registrations first (their events wait), then the drain alone
  await drain(pool, rollupsConsumer);
  for (let i = 0; i < opts.registrations; i++) await registerOrder(pool, agent, orderInput());
  const t = performance.now();
  await drain(pool, rollupsConsumer);
  const seconds = (performance.now() - t) / 1000;
  opts.report('analytics_consumer', { orders: opts.registrations, seconds: ms(seconds), ordersPerSecond: Math.round(opts.registrations / seconds),
    note: 'one registration event per order, refreshed in batches of the consumer (500 events)' });

  // the hot topics: real messages (where this machine has them) registered over the city's streets
  // in the last day, then the consumer's drain alone (keywords, candidates, clustering), then the read
  await drain(pool, hotTopicsConsumer);
  await pool.query('TRUNCATE hot_topics, hot_topic_orders'); // the identical orders above made one topic of their own
  const texts = existsSync(MESSAGES) ? readLabelledCsv(MESSAGES).filter((m) => m.text.length >= 20).map((m) => m.text.slice(0, 300)) : null;
  const streets = (await pool.query(`SELECT code FROM areas WHERE city_code = $1 AND level = 'street' ORDER BY code`, [city])).rows.map((r) => r.code);
  const random = new Random(9);
  for (let i = 0; i < opts.registrations; i++) {
    const body = texts ? random.pick(texts) : `${random.pick(['小区停水两天了没有通知', '路灯坏了晚上很黑', '楼下饭店油烟太大', '公司拖欠工资三个月'])}，请尽快处理。`;
    await registerOrder(pool, agent, orderInput({ title: body.slice(0, 20), body, location: { address: '某处', areaCode: random.pick(streets) } }),
      new Date(Date.now() - random.next() * 86_400_000));
  }
  await countKeys(pool, city, new Date()); // the keywords' rarity, as the daily census leaves it
  const h = performance.now();
  await drain(pool, hotTopicsConsumer);
  const hotSeconds = (performance.now() - h) / 1000;
  const sizes = (await pool.query('SELECT size FROM hot_topics WHERE size >= 3 ORDER BY size DESC')).rows.map((r) => r.size as number);
  const reads: number[] = [];
  const drills: number[] = [];
  const biggest = (await pool.query('SELECT id FROM hot_topics ORDER BY size DESC LIMIT 1')).rows[0]?.id as string | undefined;
  for (let i = 0; i < opts.samples; i++) {
    const r = performance.now();
    await hotTopics(pool, leader, { hours: 24, limit: 20, order: 'recent' });
    reads.push(performance.now() - r);
    if (!biggest) continue;
    const d = performance.now();
    await hotTopicOrders(pool, leader, biggest, { limit: 50, offset: 0 });
    drills.push(performance.now() - d);
  }
  opts.report('analytics_hot_topics', { orders: opts.registrations, texts: texts ? 'gov-messages' : 'four phrases', seconds: ms(hotSeconds),
    ordersPerSecond: Math.round(opts.registrations / hotSeconds), hotTopics: sizes.length, biggest: sizes.slice(0, 5),
    readMedianMs: ms(median(reads)), readWorstMs: ms(Math.max(...reads)),
    topicOrdersMedianMs: drills.length ? ms(median(drills)) : null, topicOrdersWorstMs: drills.length ? ms(Math.max(...drills)) : null });

  await benchReport(p, leader, opts);
}

async function benchReport(p: TestPlatform, leader: Awaited<ReturnType<typeof makeStaff>>, opts: { samples: number; report: Report }) {
  const { pool } = p.db;
  const now = new Date(Date.now() + 8 * 3_600_000);
  const period = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  const lastDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  const samples = Math.max(3, Math.min(opts.samples, 5));
  const runs: [string, () => Promise<unknown>][] = [
    ['baseline: the month\'s overview alone', () => overview(pool, leader, { from: `${period}-01`, to: lastDay })],
    ['report gathered (JSON)', () => analysisReport(pool, leader, period)],
    ['report as PDF (zh)', () => reportFile(pool, leader, { period, lang: 'zh', format: 'pdf' })],
    ['report as workbook (zh)', () => reportFile(pool, leader, { period, lang: 'zh', format: 'xlsx' })],
  ];
  let baseline = 0;
  for (const [what, run] of runs) {
    await run(); // the first one loads ECharts, resvg and the font
    const times: number[] = [];
    const stalls: number[] = [];
    let bytes = 0;
    for (let i = 0; i < samples; i++) {
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const t = performance.now();
      const out = await run();
      times.push(performance.now() - t);
      loop.disable();
      stalls.push(loop.max / 1e6);
      if (out && typeof out === 'object' && 'bytes' in out) bytes = (out as { bytes: Buffer }).bytes.length;
    }
    baseline ||= median(times);
    opts.report('analytics_report', { what, period, medianMs: ms(median(times)), worstMs: ms(Math.max(...times)),
      vsBaseline: Math.round((median(times) / baseline) * 10) / 10, loopStallMedianMs: ms(median(stalls)), ...(bytes ? { bytes } : {}), samples });
  }
}
