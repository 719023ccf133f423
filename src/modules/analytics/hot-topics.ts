// Hot topics (热点): clusters of similar recent requests, by text, place and time. A durable
// consumer of the registrations reduces each order's text to its keywords (the same jieba TF-IDF
// keywords as similar orders) and puts it in the active topic of its district (an order within the
// last `WINDOW_HOURS`) whose centroid is closest, when the cosine reaches `JOIN_SIMILARITY`; else
// the order starts a topic of its own. A topic is hot once it holds `MIN_SIZE` orders; hot topics
// are ranked by their orders in the recent window, or by their growth against the window before.
// Topics that never grew are dropped once inactive, the others 30 days after their last order, so
// the tables hold the recent weeks only.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { seesWholeCity, type Actor } from '../auth/index.js';
import { keyOf, keywordRarity, keywordSegmenter, textKeys, type TextKeys } from '../classify/index.js';
import { areaIndex } from '../directory/index.js';
import { orderSnapshotOf, type Consumer, type StoredEvent } from '../events/index.js';
import { orderSummaries, textsOf } from '../orders/index.js';
import { currentTree } from '../taxonomy/index.js';

const HOUR = 3_600_000;
/** An order joins a topic whose last order is this recent; older registrations are not clustered. */
export const WINDOW_HOURS = 72;
/** The cosine between an order's keywords and a topic's centroid at which it joins. */
export const JOIN_SIMILARITY = 0.25;
/** A topic is hot from this many orders. */
export const MIN_SIZE = 3;
/** Days a topic is kept after its last order (one that never grew to MIN_SIZE: until it can take no more). */
const KEEP_DAYS = 30;
/** Words a centroid keeps (the strongest), and hashes it is found by. */
const CENTROID_WORDS = 32;
const CANDIDATE_KEYS = 12;

type Vector = Map<string, number>;

interface Topic {
  id: string;
  district: string;
  firstAt: Date;
  lastAt: Date;
  size: number;
  centroid: Vector;
  isNew: boolean;
}

const norm = (v: Vector) => Math.sqrt([...v.values()].reduce((n, x) => n + x * x, 0));

/** The cosine of an order's unit vector with a centroid of length `length`. */
function cosine(order: Vector, centroid: Vector, length: number): number {
  if (length === 0) return 0;
  let dot = 0;
  for (const [word, x] of order) dot += x * (centroid.get(word) ?? 0);
  return dot / length;
}

/** The centroid with the order added, keeping its strongest words. */
export function withOrder(centroid: Vector, order: Vector): Vector {
  const sum = new Map(centroid);
  for (const [word, x] of order) sum.set(word, (sum.get(word) ?? 0) + x);
  return new Map([...sum].sort((a, b) => b[1] - a[1]).slice(0, CENTROID_WORDS));
}

/**
 * Words that say how a citizen addresses the hotline, not what about: letters to officials open
 * with them, and two unrelated letters would look alike by them alone.
 */
const COURTESY = new Set(['您好', '你好', '尊敬', '尊重', '敬爱', '领导', '厅长', '局长', '处长', '书记', '县长', '州长', '市长', '区长', '镇长',
  '主任', '同志', '先生', '女士', '请问', '谢谢', '感谢', '反映', '希望', '恳请', '呼吁', '麻烦', '本人', '政府', '部门', '相关', '问题', '情况']);
/** Codes and numbers (a house number, a date, a masked name such as M5市) say nothing of the matter. */
const CODED = /[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]/;
/** A keyword that says what the request is about. */
const telling = (word: string) => !COURTESY.has(word) && !CODED.test(word);

/**
 * An order's keywords as a unit vector, each weighed by its rarity among the city's orders (the
 * census's: the province's name, in half the letters, weighs little). A word of three characters or
 * more also counts, at half its weight, as each of its two-character pieces: jieba keeps 垃圾堆 and
 * 垃圾桶 whole, and both are about 垃圾.
 */
function vectorOf(keys: TextKeys, rarity: Map<string, number>): Vector {
  const v: Vector = new Map();
  const add = (word: string, x: number) => v.set(word, (v.get(word) ?? 0) + x);
  keys.words.forEach((word, i) => {
    if (!telling(word)) return;
    const weight = keys.weights[i]! * (rarity.get(word) ?? 1);
    add(word, weight);
    if (word.length >= 3) for (let j = 0; j + 2 <= word.length; j++) add(word.slice(j, j + 2), weight / 2);
  });
  const length = norm(v);
  return length === 0 ? v : new Map([...v].map(([w, x]) => [w, x / length]));
}

/** Words of degree (很重, 非常大, 太吵): how the caller felt, not what the request is about. */
const DEGREE = /^(很|太|挺|真|好|非常|特别|十分|比较|相当|极其|越来越)./;

/**
 * The five words that name a topic, the weightiest first: not a word's two-character piece beside
 * the word (芙蓉 and 蓉街 beside 芙蓉街: the pieces weigh in the clustering, not in its name), nor a
 * word of degree.
 */
export function shownKeywords(centroid: Record<string, number>): string[] {
  const shown: string[] = [];
  for (const [word] of Object.entries(centroid).sort((a, b) => b[1] - a[1])) {
    if (shown.length === 5) break;
    if (!DEGREE.test(word) && !shown.some((w) => w.includes(word))) shown.push(word);
  }
  return shown;
}

const keysOf = (v: Vector) => [...v].sort((a, b) => b[1] - a[1]).slice(0, CANDIDATE_KEYS).map(([w]) => keyOf(w));

interface Arrival { orderId: string; at: Date; district: string; areaCode: string | null; categoryCode: string | null; vector: Vector; words: string[] }

/** The registrations of a batch worth clustering (recent enough), with their keywords. */
async function arrivalsOf(tx: Queryable, cityCode: string, events: StoredEvent[], now: Date): Promise<Arrival[]> {
  const fresh = events.flatMap((e) => {
    const order = orderSnapshotOf(e);
    if (e.type !== 'order.registered' || e.cityCode !== cityCode || !order) return [];
    const at = new Date(order.createdAt);
    return now.getTime() - at.getTime() > WINDOW_HOURS * HOUR ? [] : [{ orderId: e.streamId, at, order }];
  });
  if (fresh.length === 0) return [];
  const done = new Set((await tx.query('SELECT order_id FROM hot_topic_orders WHERE city_code = $1 AND order_id = ANY($2::uuid[])',
    [cityCode, fresh.map((f) => f.orderId)])).rows.map((r) => r.order_id));
  const todo = fresh.filter((f) => !done.has(f.orderId));
  const texts = await textsOf(tx, cityCode, todo.map((f) => f.orderId));
  const segmenter = await keywordSegmenter(tx, cityCode);
  const keywords = new Map([...texts].map(([id, text]) => [id, textKeys(segmenter, `${text.title}\n${text.body}`)]));
  const rarity = await keywordRarity(tx, cityCode, [...new Set([...keywords.values()].flatMap((k) => k.words))]);
  return todo.flatMap(({ orderId, at, order }) => {
    const keys = keywords.get(orderId);
    if (!keys) return [];
    const vector = vectorOf(keys, rarity);
    if (vector.size === 0) return [];
    return [{ orderId, at, district: order.areaPath[0] ?? '', areaCode: order.areaCode, categoryCode: order.categoryPath.slice(0, 3).at(-1) ?? null,
      vector, words: keys.words.filter(telling) }];
  }).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The active topics of these districts that share a keyword with any of the arrivals. */
async function candidates(tx: Queryable, cityCode: string, arrivals: Arrival[]): Promise<Topic[]> {
  const since = new Date(arrivals[0]!.at.getTime() - WINDOW_HOURS * HOUR);
  const result = await tx.query(
    `SELECT id, district, first_at, last_at, size, centroid FROM hot_topics
      WHERE city_code = $1 AND district = ANY($2::text[]) AND last_at >= $3 AND keys && $4::int4[]`,
    [cityCode, [...new Set(arrivals.map((a) => a.district))], since, [...new Set(arrivals.flatMap((a) => keysOf(a.vector)))]]);
  return result.rows.map((r) => ({ id: r.id, district: r.district, firstAt: r.first_at, lastAt: r.last_at, size: r.size,
    centroid: new Map(Object.entries(r.centroid as Record<string, number>)), isNew: false }));
}

/** Puts each arrival, in time order, in its closest active topic of its district, or in a new one. */
export function cluster(topics: Topic[], arrivals: Arrival[]): { topics: Topic[]; joined: { arrival: Arrival; topic: Topic; similarity: number }[] } {
  const joined: { arrival: Arrival; topic: Topic; similarity: number }[] = [];
  const lengths = new Map(topics.map((t) => [t, norm(t.centroid)]));
  const byDistrict = new Map<string, Topic[]>();
  const ofDistrict = (district: string) => byDistrict.get(district) ?? byDistrict.set(district, []).get(district)!;
  for (const topic of topics) ofDistrict(topic.district).push(topic);
  for (const arrival of arrivals) {
    let best: Topic | null = null;
    let similarity = 0;
    const near = ofDistrict(arrival.district);
    for (const topic of near) {
      if (arrival.at.getTime() - topic.lastAt.getTime() > WINDOW_HOURS * HOUR) continue;
      const s = cosine(arrival.vector, topic.centroid, lengths.get(topic)!);
      if (s > similarity) [best, similarity] = [topic, s];
    }
    if (!best || similarity < JOIN_SIMILARITY) {
      best = { id: randomUUID(), district: arrival.district, firstAt: arrival.at, lastAt: arrival.at, size: 0, centroid: new Map(), isNew: true };
      topics.push(best);
      near.push(best);
      similarity = 1;
    }
    best.size++;
    best.centroid = withOrder(best.centroid, arrival.vector);
    lengths.set(best, norm(best.centroid));
    if (arrival.at > best.lastAt) best.lastAt = arrival.at;
    joined.push({ arrival, topic: best, similarity });
  }
  return { topics, joined };
}

/**
 * Clusters a batch of registrations, then drops the topics that stayed small and went quiet (tests;
 * in service the consumer is the topics' one writer, which lets it prepare outside its transaction).
 */
export async function clusterRegistrations(tx: Queryable, cityCode: string, events: StoredEvent[], now = new Date()): Promise<void> {
  const clustering = await clusteringOf(tx, cityCode, events, now);
  if (clustering) await writeClustering(tx, cityCode, clustering);
}

/** Where a batch's registrations go: worked out from the topics as they are, before anything is written. */
interface Clustering { arrivals: Arrival[]; joined: ReturnType<typeof cluster>['joined'] }

async function clusteringOf(db: Queryable, cityCode: string, events: StoredEvent[], now: Date): Promise<Clustering | null> {
  const arrivals = await arrivalsOf(db, cityCode, events, now);
  if (arrivals.length === 0) return null;
  return { arrivals, joined: cluster(await candidates(db, cityCode, arrivals), arrivals).joined };
}

async function writeClustering(tx: Queryable, cityCode: string, { arrivals, joined }: Clustering): Promise<void> {
  const touched = [...new Set(joined.map((j) => j.topic))];
  await tx.query(
    `INSERT INTO hot_topics (city_code, id, district, first_at, last_at, size, centroid, keys)
     SELECT $1, t.id, t.district, t.first_at, t.last_at, t.size, t.centroid, t.keys::int4[]
       FROM jsonb_to_recordset($2::jsonb) AS t(id uuid, district text, first_at timestamptz, last_at timestamptz, size int, centroid jsonb, keys text)
     ON CONFLICT (city_code, id) DO UPDATE SET last_at = EXCLUDED.last_at, size = EXCLUDED.size, centroid = EXCLUDED.centroid, keys = EXCLUDED.keys`,
    [cityCode, JSON.stringify(touched.map((t) => ({ id: t.id, district: t.district, first_at: t.firstAt, last_at: t.lastAt, size: t.size,
      centroid: Object.fromEntries(t.centroid), keys: `{${keysOf(t.centroid).join(',')}}` })))]);
  await tx.query(
    `INSERT INTO hot_topic_orders (city_code, order_id, topic_id, at, similarity, area_code, category_code)
     SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[], $5::real[], $6::text[], $7::text[])
     ON CONFLICT (city_code, order_id) DO NOTHING`,
    [cityCode, joined.map((j) => j.arrival.orderId), joined.map((j) => j.topic.id), joined.map((j) => j.arrival.at),
      joined.map((j) => j.similarity), joined.map((j) => j.arrival.areaCode), joined.map((j) => j.arrival.categoryCode)]);
  await countWords(tx, cityCode, arrivals);
  // a topic that never reached MIN_SIZE and takes no more orders will never be hot; a hot one is kept KEEP_DAYS
  const quiet = new Date(arrivals.at(-1)!.at.getTime() - WINDOW_HOURS * HOUR);
  const old = new Date(quiet.getTime() - KEEP_DAYS * 24 * HOUR);
  await tx.query(`WITH gone AS (DELETE FROM hot_topics WHERE city_code = $1 AND last_at < $2 AND (size < $3 OR last_at < $4) RETURNING id)
    DELETE FROM hot_topic_orders o USING gone WHERE o.city_code = $1 AND o.topic_id = gone.id`, [cityCode, quiet, MIN_SIZE, old]);
}

/** Days the words' counts are kept. */
const WORD_DAYS = 90;

/** Adds the arrivals' words to their days' counts (each order once: a batch read again has no arrivals left). */
async function countWords(tx: Queryable, cityCode: string, arrivals: Arrival[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const a of arrivals) {
    const day = beijingDate(a.at);
    for (const word of new Set(a.words)) counts.set(`${day}|${word}`, (counts.get(`${day}|${word}`) ?? 0) + 1);
  }
  const rows = [...counts].map(([key, n]) => [...key.split('|'), n] as [string, string, number]);
  await tx.query(`INSERT INTO analytics_words_daily (city_code, day, word, orders)
    SELECT $1, * FROM unnest($2::date[], $3::text[], $4::int[])
    ON CONFLICT (city_code, day, word) DO UPDATE SET orders = analytics_words_daily.orders + EXCLUDED.orders`,
  [cityCode, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])]);
  await tx.query('DELETE FROM analytics_words_daily WHERE city_code = $1 AND day < $2::date',
    [cityCode, beijingDate(new Date(arrivals.at(-1)!.at.getTime() - WORD_DAYS * 24 * HOUR))]);
}

/** The words used most more in the last `days` than in the days before (public opinion's rising words). */
export async function risingWords(db: Queryable, actor: Actor, q: { days: number; limit: number }, now = new Date()):
  Promise<{ from: string; to: string; words: { word: string; orders: number; previous: number }[] }> {
  if (!seesWholeCity(actor)) throw new DomainError('AUTH_FORBIDDEN');
  const today = beijingDate(now);
  const from = beijingDate(new Date(now.getTime() - (q.days - 1) * 24 * HOUR));
  const before = beijingDate(new Date(now.getTime() - (2 * q.days - 1) * 24 * HOUR));
  const result = await db.query(
    `SELECT word, sum(orders) FILTER (WHERE day >= $2::date)::int AS orders, coalesce(sum(orders) FILTER (WHERE day < $2::date), 0)::int AS previous
       FROM analytics_words_daily WHERE city_code = $1 AND day >= $3::date AND day <= $4::date AND word <> ALL($7::text[]) AND word !~ $8
      GROUP BY word HAVING sum(orders) FILTER (WHERE day >= $2::date) >= $5
      ORDER BY sum(orders) FILTER (WHERE day >= $2::date) - coalesce(sum(orders) FILTER (WHERE day < $2::date), 0) DESC, word LIMIT $6`,
    [actor.cityCode, from, before, today, RISING_MIN, q.limit, FILLER, QUANTITY.source]);
  return { from, to: today, words: result.rows.filter((r) => r.orders > r.previous) };
}

/** A word rises from this many orders in the span. */
const RISING_MIN = 3;

/**
 * Words of requests of any matter (how long, how bad, that it was handled or not): they rise with
 * the volume, not with a matter, and crowd the rising words out. They still weigh in the topics,
 * where the rarer words outweigh them.
 */
const FILLER = ['已经', '一直', '总是', '经常', '每天', '现在', '时候', '影响', '处理', '解决', '东西', '很大', '非常', '没有', '出现', '发现',
  '需要', '导致', '造成', '这个', '那个', '这样', '怎么', '什么', '为什么', '可以', '不能', '知道', '告诉', '市民', '来电', '诉求'];
/** Counts and spans in words (两三个, 十几天, 半年) say how much, not what about. */
const QUANTITY = /^[一二两三四五六七八九十百千万几半多]+[个天次年月日周号家户人条件位名遍趟]*$/;

/** Keeps the hot topics current as orders are registered. */
export const hotTopicsConsumer: Consumer<Map<string, Clustering | null>> = {
  name: 'analytics-hot-topics',
  types: ['order.registered'],
  from: 'start',
  // the keywords and the clustering are worked out before the transaction: only this consumer
  // changes the topics, so they are as the batch's transaction would find them
  async prepare(db, events) {
    const clusterings = new Map<string, Clustering | null>();
    for (const city of new Set(events.map((e) => e.cityCode))) clusterings.set(city, await clusteringOf(db, city, events, new Date()));
    return clusterings;
  },
  async handle(tx, _events, clusterings) {
    for (const [city, clustering] of clusterings) if (clustering) await writeClustering(tx, city, clustering);
  },
};

// --- reading

export const HOT_TOPIC_ORDERS = ['recent', 'growth'] as const;
export type HotTopicOrder = (typeof HOT_TOPIC_ORDERS)[number];

export interface HotTopic {
  id: string;
  /** the strongest words of the topic */
  keywords: string[];
  district: { code: string; name: string } | null;
  /** the street most of its orders come from, and the matter most were classified as */
  street: { code: string; name: string } | null;
  category: { code: string; name: string } | null;
  size: number;
  /** orders in the window, and in the window before */
  recent: number;
  previous: number;
  firstAt: string;
  lastAt: string;
  /** orders per hour over the two windows, oldest first */
  hourly: number[];
  /** the first order and those closest to the topic, up to three */
  orders: { orderId: string; trackingNo: string | null; title: string | null; at: string }[];
}

/** The hot topics of the last `hours`, ranked by their orders then, or by growth against the hours before. */
export async function hotTopics(db: Queryable, actor: Actor, q: { hours: number; limit: number; order: HotTopicOrder }, now = new Date()):
  Promise<{ from: string; to: string; topics: HotTopic[] }> {
  if (!seesWholeCity(actor)) throw new DomainError('AUTH_FORBIDDEN');
  const city = actor.cityCode;
  const from = new Date(now.getTime() - q.hours * HOUR);
  const before = new Date(from.getTime() - q.hours * HOUR);
  const ranked = await db.query(
    `SELECT t.id, t.district, t.first_at, t.last_at, t.size, t.centroid,
            count(*) FILTER (WHERE o.at >= $2)::int AS recent, count(*) FILTER (WHERE o.at < $2)::int AS previous
       FROM hot_topics t JOIN hot_topic_orders o ON o.city_code = t.city_code AND o.topic_id = t.id AND o.at >= $3 AND o.at < $4
      WHERE t.city_code = $1 AND t.size >= $5 AND t.last_at >= $2
      GROUP BY t.city_code, t.id HAVING count(*) FILTER (WHERE o.at >= $2) > 0
      ORDER BY ${q.order === 'growth' ? 'count(*) FILTER (WHERE o.at >= $2) - count(*) FILTER (WHERE o.at < $2) DESC,' : ''}
               count(*) FILTER (WHERE o.at >= $2) DESC, t.first_at LIMIT $6`,
    [city, from, before, now, MIN_SIZE, q.limit]);
  const ids = ranked.rows.map((r) => r.id);
  const [places, hours, picked] = ids.length === 0 ? [[], [], []] : await Promise.all([
    // each topic's commonest street and matter in the two windows
    db.query(`SELECT DISTINCT ON (topic_id, kind) topic_id, kind, code FROM (
                SELECT topic_id, 'street' AS kind, left(area_code, 9) AS code, count(*) AS n FROM hot_topic_orders
                 WHERE city_code = $1 AND topic_id = ANY($2::uuid[]) AND at >= $3 AND length(area_code) >= 9 GROUP BY 1, 2, 3
                UNION ALL
                SELECT topic_id, 'category', category_code, count(*) FROM hot_topic_orders
                 WHERE city_code = $1 AND topic_id = ANY($2::uuid[]) AND at >= $3 AND category_code IS NOT NULL GROUP BY 1, 2, 3) c
              ORDER BY topic_id, kind, n DESC, code`, [city, ids, before]).then((r) => r.rows),
    db.query(`SELECT topic_id, floor(extract(epoch FROM at - $3::timestamptz) / 3600)::int AS slot, count(*)::int AS n FROM hot_topic_orders
               WHERE city_code = $1 AND topic_id = ANY($2::uuid[]) AND at >= $3 AND at < $4 GROUP BY 1, 2`, [city, ids, before, now]).then((r) => r.rows),
    // its first order in the two windows, and the two closest to it after
    db.query(`SELECT topic_id, order_id, at FROM (
                SELECT topic_id, order_id, at, row_number() OVER (PARTITION BY topic_id ORDER BY at, order_id) AS first,
                       row_number() OVER (PARTITION BY topic_id ORDER BY similarity DESC, at, order_id) AS closest
                  FROM hot_topic_orders WHERE city_code = $1 AND topic_id = ANY($2::uuid[]) AND at >= $3) o
               WHERE first = 1 OR closest <= 3 ORDER BY topic_id, first <> 1, closest`, [city, ids, before]).then((r) => r.rows),
  ]);
  const [areas, tree] = await Promise.all([areaIndex(db, city), currentTree(db, city)]);
  const summaries = await orderSummaries(db, actor, picked.map((m) => m.order_id));
  const named = (code: string | null | undefined, name: string | undefined) => (code && name ? { code, name } : null);
  const place = (id: string, kind: string) => places.find((x) => x.topic_id === id && x.kind === kind)?.code as string | undefined;
  return {
    from: from.toISOString(), to: now.toISOString(),
    topics: ranked.rows.map((r) => {
      const street = place(r.id, 'street');
      const category = place(r.id, 'category');
      const hourly = new Array<number>(2 * q.hours).fill(0);
      for (const h of hours) if (h.topic_id === r.id && h.slot >= 0 && h.slot < hourly.length) hourly[h.slot] = h.n;
      const orders = picked.filter((m) => m.topic_id === r.id).filter((m, i, all) => all.findIndex((x) => x.order_id === m.order_id) === i).slice(0, 3);
      return {
        id: r.id,
        keywords: shownKeywords(r.centroid as Record<string, number>),
        district: named(r.district, areas.get(r.district)?.name), street: named(street, street ? areas.get(street)?.name : undefined),
        category: named(category, category ? tree.byCode.get(category)?.name : undefined),
        size: r.size, recent: r.recent, previous: r.previous, firstAt: r.first_at.toISOString(), lastAt: r.last_at.toISOString(), hourly,
        orders: orders.map((m) => {
          const o = summaries.get(m.order_id);
          return { orderId: m.order_id, trackingNo: o?.trackingNo ?? null, title: o?.title ?? null, at: m.at.toISOString() };
        }),
      };
    }),
  };
}

/** A topic's orders, the latest first (the drill-down from a hot topic); a topic dropped (30 days after its last order) is not found. */
export async function hotTopicOrders(db: Queryable, actor: Actor, topicId: string, page: { limit: number; offset: number }):
  Promise<{ items: { orderId: string; trackingNo: string | null; title: string | null; state: string | null; at: string; similarity: number }[]; total: number }> {
  if (!seesWholeCity(actor)) throw new DomainError('AUTH_FORBIDDEN');
  const topic = await db.query('SELECT size FROM hot_topics WHERE city_code = $1 AND id = $2', [actor.cityCode, topicId]);
  if (topic.rowCount === 0) throw new DomainError('ANALYTICS_HOT_TOPIC_NOT_FOUND', { id: topicId });
  const rows = await db.query(`SELECT order_id, at, similarity FROM hot_topic_orders WHERE city_code = $1 AND topic_id = $2
                                ORDER BY at DESC, order_id LIMIT $3 OFFSET $4`, [actor.cityCode, topicId, page.limit, page.offset]);
  const summaries = await orderSummaries(db, actor, rows.rows.map((r) => r.order_id));
  return {
    total: topic.rows[0].size,
    items: rows.rows.map((r) => {
      const o = summaries.get(r.order_id);
      return { orderId: r.order_id, trackingNo: o?.trackingNo ?? null, title: o?.title ?? null, state: o?.state ?? null, at: r.at.toISOString(),
        similarity: r.similarity };
    }),
  };
}
