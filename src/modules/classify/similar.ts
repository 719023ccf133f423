// Similar orders: each order's text is reduced to its 16 keywords (jieba TF-IDF), hashed and kept
// in `order_text_keys` under a GIN index. A search starts from the query's rarer keywords (counted
// by a periodic census, so that 小区 or 物业 never drags in a hundred thousand candidates), then
// scores the candidates by the share of the query's keyword weight they carry.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { placeNames } from '../directory/index.js';
import { memo } from '../../shared/memo.js';
import { sharedSegmenter, type Segmenter } from './text.js';

/** Keywords kept per order. */
export const KEYWORDS_PER_ORDER = 16;
/** Census: above this many indexed orders, the counts come from a sample of the table. */
const CENSUS_SAMPLE_ABOVE = 200_000;

const keywordSegmenters = memo<Segmenter>(3_600_000);

/**
 * The segmenter that gives orders their keywords: the hotline vocabulary and the city's place names,
 * the same for every order whatever model is in use (so that keys stay comparable). Re-read hourly.
 */
export function keywordSegmenter(db: Queryable, cityCode: string): Promise<Segmenter> {
  return keywordSegmenters.get(cityCode, async () => sharedSegmenter(await placeNames(db, cityCode)));
}

/** FNV-1a, 32 bits, as a signed int4. */
export function keyOf(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) {
    h ^= word.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export interface TextKeys {
  words: string[];
  keys: number[];
  weights: number[];
}

/** The keywords of a text, hashed, with their TF-IDF weights. */
export function textKeys(segmenter: Segmenter, text: string, k = KEYWORDS_PER_ORDER): TextKeys {
  const keywords = segmenter.keywords(text, k);
  return { words: keywords.map((w) => w.word), keys: keywords.map((w) => keyOf(w.word)), weights: keywords.map((w) => w.weight) };
}

/** Every order's text, a page at a time in registration order (after `after`): given by the orders module. */
export type OrderTexts = (db: Queryable, cityCode: string, after: { createdAt: Date; id: string } | null, limit: number) =>
  Promise<{ id: string; title: string; body: string; createdAt: Date }[]>;

/**
 * Gives every order without keywords its keywords (orders registered before classification was
 * installed, or loaded in bulk), a page at a time, then takes the census. Safe to run again.
 */
export async function indexOrderKeys(pool: pg.Pool, cityCode: string, orderTexts: OrderTexts, options: { batch?: number | undefined; now?: Date } = {}):
  Promise<{ indexed: number; census: Awaited<ReturnType<typeof countKeys>> }> {
  const batch = options.batch ?? 1000;
  const segmenter = await keywordSegmenter(pool, cityCode);
  let indexed = 0;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const page = await orderTexts(pool, cityCode, after, batch);
    if (page.length === 0) break;
    after = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
    const have = new Set((await pool.query('SELECT order_id FROM order_text_keys WHERE order_id = ANY($1::uuid[])', [page.map((o) => o.id)]))
      .rows.map((r) => r.order_id));
    const missing = page.filter((o) => !have.has(o.id));
    if (missing.length === 0) continue;
    // int4[] per order travel as text literals through unnest
    await pool.query(
      `INSERT INTO order_text_keys (order_id, city_code, created_at, keys)
       SELECT id, $1, created_at, keys::int4[] FROM unnest($2::uuid[], $3::timestamptz[], $4::text[]) AS t(id, created_at, keys)
       ON CONFLICT (order_id, city_code) DO NOTHING`,
      [cityCode, missing.map((o) => o.id), missing.map((o) => o.createdAt),
        missing.map((o) => `{${textKeys(segmenter, `${o.title}\n${o.body}`).keys.join(',')}}`)]);
    indexed += missing.length;
  }
  return { indexed, census: await countKeys(pool, cityCode, options.now ?? new Date()) };
}

export interface SimilarHit {
  orderId: string;
  /** share of the query's keyword weight found in the order, 0..1 */
  similarity: number;
  /** the query's keywords the order shares */
  shared: string[];
  createdAt: Date;
}

export interface SimilarQuery {
  limit: number;
  /** only orders registered in the last this many days */
  days: number;
  /** leave this order out (the one being registered) */
  excludeOrderId?: string | undefined;
  /** a hit must share at least this share of the query's weight */
  minSimilarity: number;
  now: Date;
}

/** A search starts from at most this many of the query's keywords, the rarest. */
const STARTING_KEYWORDS = 4;
/** At most this many candidates (the newest) are scored: a bound when even the rarest keywords are common. */
const MAX_CANDIDATES = 500;
/**
 * When the starting keywords are in more than this share of the orders, the candidates are those
 * among the newest RECENT_WALK orders (at 20,000 a day, the last six hours: where the duplicates of
 * a common complaint are), read by walking the newest first, rather than every match through the
 * GIN index, which collects them all before the newest can be taken (12,500 matches: 26 ms).
 */
const COMMON_SHARE = 0.01;
const RECENT_WALK = 5_000;

/**
 * The orders whose keywords best cover a text's keywords, most similar first, then newest. The
 * query's rarest keywords by the census (one the census never saw is newer, hence rare) find the
 * candidates through the GIN index; each candidate scores the share of the query's weight it carries.
 */
export async function findSimilar(db: Queryable, cityCode: string, query: TextKeys, q: SimilarQuery): Promise<SimilarHit[]> {
  if (query.keys.length === 0) return [];
  const counts = await db.query(prepared(
    `SELECT key, orders, (SELECT orders FROM text_key_census WHERE city_code = $1) AS census
       FROM text_key_counts WHERE city_code = $1 AND key = ANY($2::int4[])`, [cityCode, query.keys]));
  const postings = new Map<number, number>(counts.rows.map((r) => [r.key, r.orders]));
  const ranked = query.keys.map((key, i) => ({ key, n: postings.get(key) ?? 0, w: query.weights[i]! }))
    .sort((a, b) => a.n - b.n || b.w - a.w).slice(0, STARTING_KEYWORDS);
  const starting = ranked.map((k) => k.key);
  const census = Number(counts.rows[0]?.census ?? 0);
  const common = census > 0 && ranked.reduce((n, k) => n + k.n, 0) / census > COMMON_SHARE;
  const total = query.weights.reduce((s, w) => s + w, 0);
  const since = new Date(q.now.getTime() - q.days * 86_400_000);
  // Not prepared, and the path chosen here, not by the planner: rare starting keywords are read
  // through the GIN index, all their matches materialized before the newest are taken. Left to
  // choose, the planner took rare keywords for common ones (their frequency is below what its
  // statistics keep) and walked the newest orders for matches that were not there: at a million
  // orders, the whole table, 1 to 2.5 s.
  const matching = common
    ? `SELECT * FROM (SELECT * FROM order_text_keys WHERE city_code = $1 AND created_at >= $4 ORDER BY created_at DESC LIMIT ${RECENT_WALK}) t
        WHERE t.keys && $9::int4[]`
    : 'SELECT * FROM order_text_keys t WHERE t.keys && $9::int4[] AND t.city_code = $1 AND t.created_at >= $4';
  const result = await db.query(
    `WITH q AS (SELECT k, w, i FROM unnest($2::int4[], $3::float8[]) WITH ORDINALITY AS q(k, w, i)),
          matching AS MATERIALIZED (SELECT m.order_id, m.created_at, m.keys FROM (${matching}) m WHERE m.order_id IS DISTINCT FROM $5::uuid),
          candidates AS (SELECT * FROM matching ORDER BY created_at DESC LIMIT ${MAX_CANDIDATES}),
          scored AS (SELECT c.order_id, c.created_at, sum(q.w) / $6 AS score, array_agg(q.i ORDER BY q.w DESC) AS shared
                       FROM candidates c CROSS JOIN LATERAL unnest(c.keys) AS ck(k) JOIN q ON q.k = ck.k
                      GROUP BY c.order_id, c.created_at)
     SELECT order_id, created_at, score, shared FROM scored WHERE score >= $7 ORDER BY score DESC, created_at DESC LIMIT $8`,
    [cityCode, query.keys, query.weights, since, q.excludeOrderId ?? null, total, q.minSimilarity, q.limit, starting]);
  return result.rows.map((r) => ({ orderId: r.order_id, similarity: Math.round(r.score * 1000) / 1000, createdAt: r.created_at,
    shared: (r.shared as (number | string)[]).map((i) => query.words[Number(i) - 1]!) }));
}

/**
 * How rare each word is among the city's orders, by the last census: log((N + 1) / (n + 1)) ÷ log(N + 1),
 * 1 for a word the census never saw, 0 for one in every order. Empty before the first census.
 */
export async function keywordRarity(db: Queryable, cityCode: string, words: readonly string[]): Promise<Map<string, number>> {
  const keys = words.map(keyOf);
  const counts = await db.query(prepared(
    `SELECT c.orders AS census, k.key, k.orders FROM text_key_census c LEFT JOIN text_key_counts k ON k.city_code = c.city_code AND k.key = ANY($2::int4[])
      WHERE c.city_code = $1`, [cityCode, keys]));
  const census = Number(counts.rows[0]?.census ?? 0);
  if (census === 0) return new Map();
  const seen = new Map<number, number>(counts.rows.filter((r) => r.key !== null).map((r) => [r.key, r.orders]));
  return new Map(words.map((w, i) => [w, Math.max(0, Math.log((census + 1) / ((seen.get(keys[i]!) ?? 0) + 1)) / Math.log(census + 1))]));
}

/**
 * Counts how many orders carry each keyword (a sample of the table when it is large, scaled up):
 * only the order of rarity matters to a search. Replaces the previous census in one transaction.
 */
export async function countKeys(db: Queryable, cityCode: string, now: Date): Promise<{ orders: number; keys: number; sampled: boolean }> {
  const indexed = Number((await db.query('SELECT count(*) AS n FROM order_text_keys WHERE city_code = $1', [cityCode])).rows[0].n);
  const percent = indexed > CENSUS_SAMPLE_ABOVE ? Math.max(1, (100 * CENSUS_SAMPLE_ABOVE) / indexed) : 100;
  const source = percent < 100 ? `order_text_keys TABLESAMPLE SYSTEM (${percent.toFixed(3)})` : 'order_text_keys';
  await db.query('DELETE FROM text_key_counts WHERE city_code = $1', [cityCode]);
  const inserted = await db.query(
    `INSERT INTO text_key_counts (city_code, key, orders)
     SELECT $1, k, ceil(count(*) * 100 / $2::float8)::int FROM ${source}, unnest(keys) AS k WHERE city_code = $1 GROUP BY k`,
    [cityCode, percent]);
  await db.query(
    `INSERT INTO text_key_census (city_code, orders, counted_at) VALUES ($1, $2, $3)
     ON CONFLICT (city_code) DO UPDATE SET orders = EXCLUDED.orders, counted_at = EXCLUDED.counted_at`, [cityCode, indexed, now]);
  return { orders: indexed, keys: inserted.rowCount ?? 0, sampled: percent < 100 };
}
