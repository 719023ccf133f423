// The classification benchmark. On the labelled messages (../shared/data/gov-messages, read in place;
// skipped with a note when absent): the kept recipe on a stratified 80/20 split (seed 46) with its
// per-label table, segmenters and model families compared on the same split, what the hotline
// vocabulary and the stop words bring, 5-fold cross-validation, and the signals raised on real texts.
// Then similar-order search and a whole suggestion over N orders (default 1,000,000).
import { existsSync } from 'node:fs';
import type { TestPlatform } from '../src/testing/harness.js';
import { makeStaff } from '../src/testing/harness.js';
import { readLabelledCsv, stratifiedFolds, stratifiedSplit, type Labelled } from '../src/modules/classify/dataset.js';
import { evaluateOn } from '../src/modules/classify/evaluation.js';
import { Segmenter } from '../src/modules/classify/text.js';
import { detectSignals } from '../src/modules/classify/signals.js';
import { countKeys, findSimilar, forgetLoadedModels, startTraining, suggest, textKeys } from '../src/modules/classify/index.js';
import { keywordSegmenter } from '../src/modules/classify/similar.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { orderInput } from '../src/testing/harness.js';
import { loadOrders } from './load-orders.js';
import { trainAndScore } from './classify-lab.js';

export const MESSAGES = new URL('../../shared/data/gov-messages/messages.csv', import.meta.url).pathname;
type Report = (name: string, figures: Record<string, unknown>) => void;
type Timed = (samples: number, task: (i: number) => Promise<void>) => Promise<{ median: number; p95: number }>;
const round = (x: number) => Math.round(x * 10000) / 10000;

/** The text part: needs no database. */
export function benchText(report: Report): Labelled[] | null {
  if (!existsSync(MESSAGES)) {
    report('classify_skipped', { reason: `no ${MESSAGES}: the labelled messages are not on this machine` });
    return null;
  }
  const rows = readLabelledCsv(MESSAGES);
  const { train, test } = stratifiedSplit(rows.map((r) => r.label), 0.2, 46);
  const kept = evaluateOn(train.map((i) => rows[i]!), test.map((i) => rows[i]!));
  report('classify_eval', { split: '80/20 stratified, seed 46', train: train.length, test: test.length,
    accuracy: round(kept.evaluation.accuracy), macroF1: round(kept.evaluation.macroF1), trainSeconds: round(kept.trainSeconds),
    msPerText: round(kept.msPerText), calibrationError: round(kept.calibrationError), lowConfidence: kept.lowConfidence,
    targets: { macroF1: 0.93, trainSeconds: 60, msPerText: 1 },
    labels: kept.evaluation.labels.map((l) => ({ ...l, precision: round(l.precision), recall: round(l.recall), f1: round(l.f1) })),
    confusion: kept.evaluation.confusion });

  const segmenter = new Segmenter();
  const compare = (name: string, space: string, model: string, seg = segmenter) => {
    const r = trainAndScore(rows, train, test, space, model, seg);
    report(name, { space, model, features: r.features, accuracy: round(r.accuracy), macroF1: round(r.macroF1),
      trainSeconds: round(r.trainSeconds), msPerText: round(r.msPerText) });
  };
  for (const space of ['words1', 'words2', 'chars12', 'chars13', 'words1+chars12']) compare('classify_segmenter', space, 'svm:1.2');
  for (const model of ['logistic:1', 'fasttext:20']) compare('classify_family', 'words1+chars12', model);
  compare('classify_without_vocabulary', 'words1+chars12', 'svm:1.2', new Segmenter([], { vocabulary: false }));
  compare('classify_without_stop_words', 'words1+chars12', 'svm:1.2', new Segmenter([], { stopWords: false }));

  const folds = stratifiedFolds(rows.map((r) => r.label), 5, 46);
  const cv = folds.map((fold) => {
    const held = new Set(fold);
    return evaluateOn(rows.filter((_, i) => !held.has(i)), fold.map((i) => rows[i]!)).evaluation.macroF1;
  });
  const mean = cv.reduce((a, b) => a + b, 0) / cv.length;
  report('classify_cv5', { macroF1: round(mean), sd: round(Math.sqrt(cv.reduce((s, x) => s + (x - mean) ** 2, 0) / (cv.length - 1))),
    folds: cv.map(round), note: '5 stratified random folds of all the texts: what to expect of new texts, more than one split says' });

  const flagged = new Map<string, number>();
  for (const r of rows) for (const s of detectSignals(r.text)) flagged.set(s.kind, (flagged.get(s.kind) ?? 0) + 1);
  report('classify_signals_on_messages', { texts: rows.length, flagged: Object.fromEntries(flagged),
    note: 'board messages, often about past events: a flag is a prompt to the agent, not a verdict' });
  return rows;
}

/**
 * The keywords of the `n` loaded orders (loadOrders), each order's drawn from a real message's
 * keywords (cycled, a third of them swapped for others drawn by frequency), so that rare and common
 * words occur as in real texts; then the keyword census. Returns the texts the keys came from.
 */
export async function loadRealisticKeys(p: TestPlatform, n: number, rows: Labelled[] | null, report: Report): Promise<string[]> {
  const segmenter = await keywordSegmenter(p.db.pool, '370100');
  const texts = rows?.map((r) => r.text) ?? ['小区从早上开始停水，没有任何通知，请尽快恢复供水', '路口的路灯坏了半个月，晚上出行不安全'];
  const base = texts.map((t) => textKeys(segmenter, t).keys);
  const pooled = base.flat();
  let started = performance.now();
  const BATCH = 100_000;
  for (let from = 1; from <= n; from += BATCH) {
    await p.db.pool.query(
      `INSERT INTO order_text_keys (order_id, city_code, created_at, keys)
       SELECT o.id, $1, o.created_at,
              ARRAY(SELECT CASE WHEN (o.i * 31 + j) % 3 = 0 THEN ($3::int4[])[1 + ((o.i * 7919 + j * 104729) % cardinality($3::int4[]))]
                                ELSE b[j] END FROM generate_subscripts(b, 1) AS j)
         FROM (SELECT id, created_at, substr(tracking_no, 3)::bigint AS i FROM orders WHERE tracking_no LIKE 'B-%'
                  AND substr(tracking_no, 3)::bigint BETWEEN $4 AND $5) o,
              LATERAL (SELECT (($2::text[])[1 + o.i % cardinality($2::text[])])::int4[] AS b) kb`,
      ['370100', base.map((k) => `{${k.join(',')}}`), pooled, from, Math.min(n, from + BATCH - 1)]);
  }
  await p.db.pool.query('ANALYZE order_text_keys');
  const keysSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const census = await countKeys(p.db.pool, '370100', new Date());
  report('similar_load', { orders: n, keysSeconds: Math.round(keysSeconds), censusSeconds: round((performance.now() - started) / 1000), census });
  return texts;
}

/** Similar-order search over `n` orders with realistic keywords, then a whole suggestion (model, units, signals, similar) at that size. */
export async function benchSimilar(p: TestPlatform, n: number, rows: Labelled[] | null, report: Report, timed: Timed): Promise<void> {
  const loadSeconds = await loadOrders(p, n);
  report('orders_load', { orders: n, loadSeconds: Math.round(loadSeconds) });
  const texts = await loadRealisticKeys(p, n, rows, report);
  const segmenter = await keywordSegmenter(p.db.pool, '370100');

  const queries = texts.filter((_, i) => i % 31 === 7).slice(0, 200);
  let hits = 0;
  const search = await timed(queries.length, async (i) => {
    const found = await findSimilar(p.db.pool, '370100', textKeys(segmenter, queries[i]!), { limit: 5, days: 365, minSimilarity: 0.25, now: new Date() });
    hits += found.length;
  });
  report('similar_search', { ...search, targetMs: 50, orders: n, queries: queries.length, meanHits: round(hits / queries.length) });

  // the whole suggestion an agent gets, with a category model trained from the messages (CSV path)
  forgetLoadedModels();
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  if (rows) {
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    const run = await (await startTraining(p.db.pool, admin, 'cli', { source: { kind: 'csv', file: MESSAGES, rows } })).done;
    report('suggest_model', { status: run.status, detail: run.detail });
  }
  const whole = await timed(queries.length, async (i) => {
    await suggest(p.db.pool, agent, { text: queries[i]!, areaCode: '370102001' });
  });
  report('suggest_whole', { ...whole, orders: n, parts: 'category and request type models, units, signals, similar orders' });
  const register = await timed(100, async (i) => {
    await registerOrder(p.db.pool, agent, orderInput({ categoryCode: undefined, body: queries[i % queries.length]!, channelRef: `bench-suggest-${i}` }));
  });
  report('register_with_suggestions', { ...register, orders: n, note: 'one registration, then its suggestion stored, one at a time' });
}
