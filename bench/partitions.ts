// Does partitioning by time pay? (issue 13: "partition the big tables by time where it pays, and say
// what you chose and why"). A generated history of N orders over --years is written into `orders`,
// then copied into two twins of it: one plain (`LIKE orders INCLUDING ALL`), one partitioned by
// month of registration with the same indexes (a unique key must hold the partition key, so each
// gains `created_at`). The same reads the application makes are then timed on both, as named
// statements like the application's (PostgreSQL plans them generically after five runs):
// - an order by id, and by tracking number (every lifecycle step, every order page: no time in them);
// - the city's newest page (the lists), a month counted by state, a year counted by area;
// - the oldest year removed: DELETE on the plain twin, DROP of its twelve partitions on the other.
// Median and worst of --samples each, and partitioned ÷ plain.
import type { TestPlatform } from '../src/testing/harness.js';
import { loadWorld } from '../src/seed/history/world.js';
import { writeHistory } from '../src/seed/history/write.js';
import { prepared } from '../src/db/tx.js';
import { round, timed } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;

const PLAIN = 'orders_plain_twin';
const MONTHLY = 'orders_monthly_twin';

export async function benchPartitions(p: TestPlatform, o: { orders: number; years: number; samples: number; report: Report }): Promise<void> {
  const { pool } = p.db;
  const city = p.config.cityCode;
  const written = await writeHistory(pool, city, await loadWorld(pool, city), { orders: o.orders, years: o.years, seed: 1, end: new Date() });
  o.report('partitions_history', { orders: written.orders, years: o.years, seconds: round(written.seconds) });

  const months = (await pool.query(`SELECT to_char(m, 'YYYY-MM-DD') AS m FROM generate_series(
      (SELECT date_trunc('month', min(created_at)) FROM orders), (SELECT date_trunc('month', max(created_at)) FROM orders), interval '1 month') m`))
    .rows.map((r) => r.m as string);
  await pool.query(`CREATE TABLE ${PLAIN} (LIKE orders INCLUDING ALL)`);
  await pool.query(`CREATE TABLE ${MONTHLY} (LIKE orders INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)`);
  for (const [i, from] of months.entries()) {
    await pool.query(`CREATE TABLE ${MONTHLY}_${i} PARTITION OF ${MONTHLY} FOR VALUES FROM ('${from}') TO ('${from}'::date + interval '1 month')`);
  }
  for (const def of (await pool.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'orders'`)).rows) {
    await pool.query(partitionedIndex(def.indexdef as string));
  }
  const copy = async (table: string) => {
    const t0 = performance.now();
    await pool.query(`INSERT INTO ${table} SELECT * FROM orders`);
    await pool.query(`ANALYZE ${table}`);
    return round((performance.now() - t0) / 1000);
  };
  o.report('partitions_copy', { orders: written.orders, partitions: months.length, plainSeconds: await copy(PLAIN), monthlySeconds: await copy(MONTHLY),
    plainBytes: await totalBytes(p, PLAIN), monthlyBytes: await totalBytes(p, MONTHLY) });

  const sample = (await pool.query(`SELECT id, tracking_no, created_at FROM orders ORDER BY md5(id::text) LIMIT $1`, [o.samples])).rows;
  const newest = (await pool.query('SELECT max(created_at) AS at FROM orders')).rows[0].at as Date;
  const monthFrom = new Date(newest.getTime() - 30 * 86_400_000);
  const yearFrom = new Date(newest.getTime() - 365 * 86_400_000);
  const reads: [string, (table: string) => string, (i: number) => unknown[]][] = [
    ['an order by id', (t) => `SELECT * FROM ${t} WHERE id = $1 AND city_code = $2`, (i) => [sample[i]!.id, city]],
    ['an order by tracking number', (t) => `SELECT id FROM ${t} WHERE tracking_no = $1 AND city_code = $2`, (i) => [sample[i]!.tracking_no, city]],
    ['the newest 50', (t) => `SELECT id, tracking_no, title, state, created_at FROM ${t} WHERE city_code = $1 ORDER BY created_at DESC LIMIT 50`, () => [city]],
    ['the last 30 days by state', (t) => `SELECT state, count(*) FROM ${t} WHERE city_code = $1 AND created_at >= $2 GROUP BY state`, () => [city, monthFrom]],
    ['the last year by area', (t) => `SELECT area_code, count(*) FROM ${t} WHERE city_code = $1 AND created_at >= $2 GROUP BY area_code`, () => [city, yearFrom]],
  ];
  for (const [name, text, args] of reads) {
    const plain = await timedReads(p, text(PLAIN), args, o.samples);
    const monthly = await timedReads(p, text(MONTHLY), args, o.samples);
    o.report('partitions_read', { read: name, partitions: months.length, plainMs: plain, monthlyMs: monthly,
      monthlyOverPlain: round(monthly.median / plain.median), samples: o.samples });
  }

  // retention: the oldest year removed
  const year = months.slice(0, 12);
  const t0 = performance.now();
  const deleted = await pool.query(`DELETE FROM ${PLAIN} WHERE created_at < '${year.at(-1)}'::date + interval '1 month'`);
  const deleteMs = performance.now() - t0;
  const t1 = performance.now();
  for (const i of year.keys()) await pool.query(`DROP TABLE ${MONTHLY}_${i}`);
  o.report('partitions_retention', { removed: 'the oldest 12 months', orders: deleted.rowCount, plainDeleteMs: round(deleteMs),
    monthlyDropMs: round(performance.now() - t1) });
}

/** An index of `orders` made for the partitioned twin: a unique one also holds the partition key, as PostgreSQL requires. */
function partitionedIndex(def: string): string {
  const renamed = def.replace(/INDEX (\S+) ON (\S+\.)?orders /, (_m, name: string) => `INDEX ${name.replace(/^orders/, MONTHLY)} ON ${MONTHLY} `);
  if (!/^CREATE UNIQUE/.test(def)) return renamed;
  return renamed.replace(/\(([^()]*(?:\([^()]*\)[^()]*)*)\)/, (_m, columns: string) => `(${columns}, created_at)`);
}

async function totalBytes(p: TestPlatform, table: string): Promise<number> {
  // a partitioned table's size is its partitions'
  return Number((await p.db.pool.query(`SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree($1)),
    pg_total_relation_size($1))::float8 AS b`, [table])).rows[0].b);
}

/** Runs a read as a named statement (planned generically after five runs, as the application's are): median and worst, ms. */
async function timedReads(p: TestPlatform, text: string, args: (i: number) => unknown[], samples: number): Promise<{ median: number; worst: number }> {
  const { median, worst } = await timed(samples, (i) => p.db.pool.query(prepared(text, args(i))));
  return { median, worst };
}
