// The early warning over history: the cells' baselines computed from the orders already stored
// (after a bulk load, which writes no events), and a replay of a period's registrations through the
// detector, in time order, as the consumer would have read them. The replay writes its warnings
// like the consumer: run it on a database of its own (a generated history), never on a live one.
import type pg from 'pg';
import { withTransaction } from '../../db/tx.js';
import { areaIndex } from '../directory/index.js';
import { orderPlacesSql } from '../orders/index.js';
import { categoryCodesSql } from '../taxonomy/index.js';
import { getWarningSettings, type WarningSettings } from './warning-settings.js';
import { observeReports, RECENT_DAYS, type Outcome, type Report } from './warnings.js';

/** The category code at the cell's level (codes nest by prefix, two digits a level). */
const CELL_CODE = `left(c.code, 6)`;

/**
 * Sets every cell's rates to what the orders registered before `asOf` give (the same moving averages
 * the detector keeps, taken over five time constants), each order in its place and category now.
 * For a database whose orders were loaded in bulk (no events): the consumer, reading events later,
 * would count their orders again. A replay empties the recent reports too.
 */
export async function rebuildWarningBaselines(pool: pg.Pool, cityCode: string, asOf: Date, options: { clearRecent?: boolean } = {}):
  Promise<{ cells: number }> {
  const s = await getWarningSettings(pool, cityCode);
  return withTransaction(pool, async (tx) => {
    if (options.clearRecent) await tx.query('DELETE FROM warning_recent WHERE city_code = $1', [cityCode]);
    await tx.query('DELETE FROM warning_baselines WHERE city_code = $1', [cityCode]);
    const age = `extract(epoch FROM $2::timestamptz - o.created_at) / 86400.0`;
    // each cell (area × category), and each category over the city (area '')
    const result = await tx.query(
      `INSERT INTO warning_baselines (city_code, area_code, category_code, rate, recent_rate, at)
       SELECT o.city_code, coalesce(o.area_code, ''), ${CELL_CODE}, sum(exp(-${age} / $3::float8)) / $3::float8,
              sum(exp(-${age} / $4::float8)) / $4::float8, $2::timestamptz
         FROM (${orderPlacesSql(`o.city_code = $1 AND o.created_at < $2::timestamptz AND o.created_at >= $2::timestamptz - $3::float8 * 5 * interval '1 day'`)}) o
         JOIN (${categoryCodesSql()}) c ON c.id = o.category_id
        WHERE o.area_code IS NOT NULL
        GROUP BY GROUPING SETS ((o.city_code, o.area_code, ${CELL_CODE}), (o.city_code, ${CELL_CODE}))`,
      [cityCode, asOf, s.baselineDays, RECENT_DAYS]);
    return { cells: result.rowCount ?? 0 };
  });
}

export interface ReplayResult {
  reports: number;
  outcomes: Record<Outcome, number>;
  seconds: number;
}

/**
 * Replays the registrations of [from, to) through the detector, each warning raised at its crossing
 * report's time. The baselines are rebuilt as of `from` first.
 */
export async function replayWarnings(pool: pg.Pool, cityCode: string, period: { from: Date; to: Date },
  options: { settings?: WarningSettings; batch?: number; progress?: (done: number) => void } = {}): Promise<ReplayResult> {
  const started = performance.now();
  const earlier = await pool.query('SELECT 1 FROM early_warnings WHERE city_code = $1 AND crossed_at >= $2 LIMIT 1', [cityCode, period.from]);
  if (earlier.rowCount) throw new Error('warnings were raised in or after this period already: replay on a database of its own');
  const settings = options.settings ?? await getWarningSettings(pool, cityCode);
  await rebuildWarningBaselines(pool, cityCode, period.from, { clearRecent: true });
  const areas = await areaIndex(pool, cityCode);
  const outcomes: Record<Outcome, number> = { counted: 0, raised: 0, joined: 0 };
  let after: { at: Date; id: string } = { at: period.from, id: '00000000-0000-0000-0000-000000000000' };
  let reports = 0;
  for (;;) {
    const rows = (await pool.query(
      `SELECT o.order_id, o.created_at, o.area_code, c.code
         FROM (${orderPlacesSql(`o.city_code = $1 AND (o.created_at, o.id) > ($2, $3::uuid) AND o.created_at < $4`)}) o
         JOIN (${categoryCodesSql()}) c ON c.id = o.category_id
        WHERE o.area_code IS NOT NULL ORDER BY o.created_at, o.order_id LIMIT $5`,
      [cityCode, after.at, after.id, period.to, options.batch ?? 2000])).rows;
    if (rows.length === 0) break;
    const batch: Report[] = rows.map((r) => {
      const categoryPath = [2, 4, 6].filter((n) => r.code.length >= n).map((n) => r.code.slice(0, n) as string);
      return { orderId: r.order_id, at: r.created_at, areaCode: r.area_code, areaPath: areas.lineage(r.area_code),
        categoryCode: categoryPath.at(-1)!, categoryPath };
    });
    const done = await withTransaction(pool, (tx) => observeReports(tx, cityCode, batch, { settings, now: (r) => r.at, staleBefore: null }));
    for (const outcome of done) outcomes[outcome]++;
    reports += rows.length;
    options.progress?.(reports);
    const last = rows.at(-1)!;
    after = { at: last.created_at, id: last.order_id };
  }
  return { reports, outcomes, seconds: (performance.now() - started) / 1000 };
}
