// The big-data platform's figures so far, on a generated history of N orders over Y years:
// - the generator's load (orders/s) and the bytes stored per order (as bench/storage.ts counts them);
// - the rollups recounted from the orders (seconds, rows);
// - the analysis API's reads (overview, trend, ranking; as a leader over the city and as a district
//   government over its subtree), then the rollups' own reads: a year's monthly trend by top-level
//   category, the top 20 streets of the last 30 days, the units' last month, and one day's series
//   for a year; median and worst of --samples runs each;
// - the rollups consumer keeping up with registrations: orders registered in-process, then the
//   consumer's drain timed alone (orders refreshed per second).
import type { TestPlatform } from '../src/testing/harness.js';
import { makeStaff, orderInput } from '../src/testing/harness.js';
import { callerAnalysis, overview, rebuildRollups, rollupSeries, rollupsConsumer, top, topMembers, trend } from '../src/modules/analytics/index.js';
import { drain } from '../src/modules/events/index.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { loadWorld } from '../src/seed/history/world.js';
import { writeHistory } from '../src/seed/history/write.js';

type Report = (name: string, figures: Record<string, unknown>) => void;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => Math.round(x * 10) / 10;
const day = (offsetDays: number, from = Date.now()) => new Date(from + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

export async function benchAnalytics(p: TestPlatform, opts: { orders: number; years: number; samples: number; registrations: number; report: Report }) {
  const { pool } = p.db;
  const city = p.config.cityCode;
  const world = await loadWorld(pool, city);
  const written = await writeHistory(pool, city, world, { orders: opts.orders, years: opts.years, seed: 1, end: new Date() });
  opts.report('analytics_generate', { orders: written.orders, years: opts.years, seconds: ms(written.seconds),
    perSecond: Math.round(written.orders / written.seconds), incidents: written.incidents.length });
  await pool.query('ANALYZE');

  const rebuilt = await rebuildRollups(pool, city);
  await pool.query('ANALYZE');
  const bytes = Number((await pool.query(`SELECT (pg_total_relation_size('analytics_daily') + pg_total_relation_size('analytics_unit_daily')
    + pg_total_relation_size('analytics_order_facts'))::float8 AS b`)).rows[0].b);
  const unitRows = Number((await pool.query('SELECT count(*)::float8 AS n FROM analytics_unit_daily')).rows[0].n);
  opts.report('analytics_rebuild', { orders: rebuilt.orders, rows: rebuilt.rows, unitRows, seconds: ms(rebuilt.seconds),
    rollupBytesPerOrder: Math.round(bytes / rebuilt.orders) });

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
    const times: number[] = [];
    for (let i = 0; i < opts.samples; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    opts.report('analytics_query', { query: name, medianMs: ms(median(times)), worstMs: ms(Math.max(...times)), samples: opts.samples,
      target: 'median ≤ 50 ms, worst ≤ 200 ms' });
  }

  // the consumer's own cost per order: registrations first (their events wait), then the drain alone
  await drain(pool, rollupsConsumer);
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  for (let i = 0; i < opts.registrations; i++) await registerOrder(pool, agent, orderInput());
  const t = performance.now();
  await drain(pool, rollupsConsumer);
  const seconds = (performance.now() - t) / 1000;
  opts.report('analytics_consumer', { orders: opts.registrations, seconds: ms(seconds), ordersPerSecond: Math.round(opts.registrations / seconds),
    note: 'one registration event per order, refreshed in batches of the consumer (500 events)' });
}
