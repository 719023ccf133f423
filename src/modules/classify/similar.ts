// Similar orders: each order's text is reduced to its 16 keywords (jieba TF-IDF), hashed and kept
// in `order_text_keys` under a GIN index. A search starts from the query's rarer keywords (counted
// by a periodic census, so that 小区 or 物业 never drags in a hundred thousand candidates), then
// scores the candidates by the share of the query's keyword weight they carry.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { placeNames } from '../directory/index.js';
import { orderTexts } from '../orders/index.js';
import { sharedSegmenter, type Segmenter } from './text.js';

/** Keywords kept per order. */
export const KEYWORDS_PER_ORDER = 16;
/** A keyword in more orders than this does not start a search (it still counts in the score). */
export const MAX_STARTING_POSTINGS = 5_000;
/** Census: above this many indexed orders, the counts come from a sample of the table. */
const CENSUS_SAMPLE_ABOVE = 200_000;

const keywordSegmenters = new Map<string, { at: number; segmenter: Promise<Segmenter> }>();

/**
 * The segmenter that gives orders their keywords: the hotline vocabulary and the city's place names,
 * the same for every order whatever model is in use (so that keys stay comparable). Re-read hourly.
 */
export function keywordSegmenter(db: Queryable, cityCode: string): Promise<Segmenter> {
  const cached = keywordSegmenters.get(cityCode);
  if (cached && Date.now() - cached.at < 3_600_000) return cached.segmenter;
  const segmenter = placeNames(db, cityCode).then((names) => sharedSegmenter(names));
  keywordSegmenters.set(cityCode, { at: Date.now(), segmenter });
  segmenter.catch(() => keywordSegmenters.delete(cityCode));
  return segmenter;
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

/**
 * Gives every order without keywords its keywords (orders registered before classification was
 * installed, or loaded in bulk), a page at a time, then takes the census. Safe to run again.
 */
export async function indexOrderKeys(pool: pg.Pool, cityCode: string, options: { batch?: number | undefined; now?: Date } = {}):
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
       ON CONFLICT (order_id) DO NOTHING`,
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

/** The orders whose keywords best cover a text's keywords, most similar first, then newest. */
export async function findSimilar(db: Queryable, cityCode: string, query: TextKeys, q: SimilarQuery): Promise<SimilarHit[]> {
  if (query.keys.length === 0) return [];
  const counts = await db.query(prepared('SELECT key, orders FROM text_key_counts WHERE city_code = $1 AND key = ANY($2::int4[])',
    [cityCode, query.keys]));
  const postings = new Map<number, number>(counts.rows.map((r) => [r.key, r.orders]));
  // a keyword never counted is new since the census: rare
  const byRarity = query.keys.map((key) => ({ key, n: postings.get(key) ?? 0 })).sort((a, b) => a.n - b.n);
  let starting = byRarity.filter((k) => k.n <= MAX_STARTING_POSTINGS).map((k) => k.key);
  if (starting.length === 0) starting = byRarity.slice(0, 2).map((k) => k.key);
  const total = query.weights.reduce((s, w) => s + w, 0);
  const since = new Date(q.now.getTime() - q.days * 86_400_000);
  const result = await db.query(prepared(
    `SELECT t.order_id, t.created_at, s.score, s.shared
       FROM order_text_keys t,
            LATERAL (SELECT sum(q.w) / $7 AS score, array_agg(q.i ORDER BY q.w DESC) AS shared
                       FROM unnest($3::int4[], $4::float8[]) WITH ORDINALITY AS q(k, w, i) WHERE q.k = ANY (t.keys)) s
      WHERE t.city_code = $1 AND t.keys && $2::int4[] AND t.created_at >= $5 AND t.order_id IS DISTINCT FROM $6::uuid
        AND s.score >= $8
      ORDER BY s.score DESC, t.created_at DESC LIMIT $9`,
    [cityCode, starting, query.keys, query.weights, since, q.excludeOrderId ?? null, total, q.minSimilarity, q.limit]));
  return result.rows.map((r) => ({ orderId: r.order_id, similarity: Math.round(r.score * 1000) / 1000, createdAt: r.created_at,
    shared: (r.shared as (number | string)[]).map((i) => query.words[Number(i) - 1]!) }));
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
