// Training from the hotline's own history: closed orders and the category each was finally filed
// under are the examples. The newest tenth is held back; the new model is switched in only when it
// scores better on those orders than the model in use. Training runs in a worker thread.
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../db/tx.js';
import { startTsWorker } from '../../shared/worker.js';
import type { Actor } from '../auth/index.js';
import { placeNames } from '../directory/index.js';
import { getTree, REQUEST_TYPES, type Category } from '../taxonomy/index.js';
import { stratifiedSplit, type Labelled } from './dataset.js';
import { DEFAULT_RECIPE, type Recipe, type TrainingExample } from './model.js';
import { isBetter, type HeldBack } from './scoring.js';
import {
  activeModelBytes, finishRun, forgetLoadedModels, saveModel, startRun, type ModelRecord, type Run, type Target,
} from './store.js';
import type { TrainJob, TrainOutcome } from './train-worker.js';

export interface TrainingSettings {
  /** the newest this many closed orders are the examples */
  maxTexts: number;
  /** share of the examples held back to score the models (the newest) */
  heldBackShare: number;
  maxHeldBack: number;
  /** fewer usable examples than this: the run is skipped */
  minTexts: number;
}

export const DEFAULT_TRAINING: TrainingSettings = { maxTexts: 100_000, heldBackShare: 0.1, maxHeldBack: 5_000, minTexts: 40 };

/** A closed order as an example: its text, the category it was finally filed under, its request type. */
export interface ClosedOrder {
  title: string;
  body: string;
  requestType: string;
  /** the category's code in the tree version it was filed in */
  categoryCode: string | null;
}

/** The newest `limit` closed orders of a city, generated ones left out, oldest first: given by the orders module, which owns them. */
export type ClosedOrders = (db: Queryable, cityCode: string, limit: number) => Promise<ClosedOrder[]>;

/** Where the examples come from: the closed orders, or a labelled CSV (a legacy system's export). */
export type TrainingSource = { kind: 'history'; orders: ClosedOrders } | { kind: 'csv'; file: string; rows: (Labelled & { requestType?: string })[] };

export interface RunResult {
  runId: number;
  status: Run['status'];
  detail: Record<string, unknown>;
  models: ModelRecord[];
}

/** Label paths of the current tree: a category code → its codes from the top level down. */
export function categoryPaths(tree: Category[]): Map<string, string[]> {
  const parent = new Map(tree.map((c) => [c.code, c.parentCode]));
  const paths = new Map<string, string[]>();
  for (const c of tree) {
    const path: string[] = [];
    for (let code: string | null | undefined = c.code; code; code = parent.get(code)) path.unshift(code);
    paths.set(c.code, path);
  }
  return paths;
}

/**
 * A CSV label as a category of the tree: its code, or its names from the top level down joined by
 * `/` (城乡建设/住房保障与房地产), or a top-level name alone.
 */
export function resolveLabel(label: string, tree: Category[], paths: Map<string, string[]>): string[] | null {
  if (paths.has(label)) return paths.get(label)!;
  const names = label.split('/').map((n) => n.trim());
  let parent: string | null = null;
  const path: string[] = [];
  for (const name of names) {
    const node = tree.find((c) => c.name === name && c.parentCode === parent);
    if (!node) return null;
    path.push(node.code);
    parent = node.code;
  }
  return path.length ? path : null;
}

interface Sets {
  category: { train: TrainingExample[]; heldBack: HeldBack[] };
  requestType: { train: TrainingExample[]; heldBack: HeldBack[] };
  counts: Record<string, number>;
}

/** Closed orders as examples, oldest first; the newest share held back. */
async function historySets(pool: pg.Pool, cityCode: string, closedOrders: ClosedOrders, paths: Map<string, string[]>,
  settings: TrainingSettings): Promise<Sets> {
  const orders = await closedOrders(pool, cityCode, settings.maxTexts);
  const held = Math.min(settings.maxHeldBack, Math.ceil(orders.length * settings.heldBackShare));
  const cut = orders.length - held;
  const sets: Sets = { category: { train: [], heldBack: [] }, requestType: { train: [], heldBack: [] },
    counts: { closedOrders: orders.length, withoutCurrentCategory: 0 } };
  orders.forEach((o, i) => {
    const text = `${o.title}\n${o.body}`;
    const side = i < cut ? 'train' : 'heldBack';
    const path = o.categoryCode ? paths.get(o.categoryCode) : undefined;
    if (path) sets.category[side].push({ text, path });
    else sets.counts.withoutCurrentCategory! += 1;
    sets.requestType[side].push({ text, path: [o.requestType] });
  });
  return sets;
}

/** CSV rows as examples; a stratified tenth held back (the rows carry no dates). */
function csvSets(rows: (Labelled & { requestType?: string })[], tree: Category[], paths: Map<string, string[]>, settings: TrainingSettings): Sets {
  const sets: Sets = { category: { train: [], heldBack: [] }, requestType: { train: [], heldBack: [] },
    counts: { rows: rows.length, unknownLabel: 0 } };
  const resolved = rows.map((r) => ({ ...r, path: resolveLabel(r.label, tree, paths) }));
  const usable = resolved.filter((r) => r.path);
  sets.counts.unknownLabel = resolved.length - usable.length;
  const share = Math.min(settings.heldBackShare, settings.maxHeldBack / Math.max(1, usable.length));
  const { test } = stratifiedSplit(usable.map((r) => r.path![0]!), share, 46);
  const heldBack = new Set(test);
  usable.forEach((r, i) => {
    const side = heldBack.has(i) ? 'heldBack' : 'train';
    sets.category[side].push({ text: r.text, path: r.path! });
    if (r.requestType && r.requestType in REQUEST_TYPES) sets.requestType[side].push({ text: r.text, path: [r.requestType] });
  });
  return sets;
}

/** Why a set cannot train a model, or null when it can. */
function unusable(set: { train: TrainingExample[]; heldBack: HeldBack[] }, settings: TrainingSettings): string | null {
  if (set.train.length + set.heldBack.length < settings.minTexts) {
    return `${set.train.length + set.heldBack.length} examples, fewer than the ${settings.minTexts} needed`;
  }
  if (new Set(set.train.map((e) => e.path[0])).size < 2) return 'fewer than two labels to tell apart';
  if (set.heldBack.length === 0) return 'nothing to hold back for scoring';
  return null;
}

/** Runs the job in a worker thread and waits for its models. */
function trainInWorker(job: TrainJob): Promise<TrainOutcome[]> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./train-worker.ts', import.meta.url), { job });
    worker.once('message', (message: { outcomes?: TrainOutcome[]; error?: string }) => {
      void worker.terminate();
      if (message.outcomes) resolve(message.outcomes);
      else reject(new Error(message.error ?? 'training failed'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`training worker exited with ${code}`)));
  });
}

/** Starts a run: its row is written before this returns; `done` settles when its models are saved. */
export async function startTraining(pool: pg.Pool, actor: Actor, cause: Run['cause'],
  options: { source: TrainingSource; settings?: TrainingSettings; recipe?: Recipe; now?: Date }): Promise<{ runId: number; done: Promise<RunResult> }> {
  const runId = await startRun(pool, actor.cityCode, cause, options.now ?? new Date());
  const done = train(pool, actor, runId, options.source, options.settings ?? DEFAULT_TRAINING,
    options.recipe ?? DEFAULT_RECIPE).catch(async (error: unknown) => {
    const detail = { error: (error as Error).message };
    await finishRun(pool, runId, 'failed', detail, new Date());
    return { runId, status: 'failed' as const, detail, models: [] };
  });
  return { runId, done };
}

async function train(pool: pg.Pool, actor: Actor, runId: number, source: TrainingSource, settings: TrainingSettings,
  recipe: Recipe): Promise<RunResult> {
  const tree = await getTree(pool, actor.cityCode);
  const taxonomyVersion = tree[0]?.version ?? null;
  const paths = categoryPaths(tree);
  const sets = source.kind === 'history' ? await historySets(pool, actor.cityCode, source.orders, paths, settings)
    : csvSets(source.rows, tree, paths, settings);
  const wanted: { target: Target; set: Sets['category'] }[] = [
    { target: 'category', set: sets.category }, { target: 'request_type', set: sets.requestType }];
  const skipped: Record<string, string> = {};
  const jobSets: TrainJob['sets'] = [];
  for (const { target, set } of wanted) {
    const why = unusable(set, settings);
    if (why) { skipped[target] = why; continue; }
    const active = await activeModelBytes(pool, actor.cityCode, target);
    jobSets.push({ target, train: set.train, heldBack: set.heldBack, active: active ? new Uint8Array(active.bytes) : null });
  }
  const detail: Record<string, unknown> = { source: source.kind === 'csv' ? `csv:${source.file}` : 'history', ...sets.counts, skipped };
  if (jobSets.length === 0) {
    await finishRun(pool, runId, 'skipped', detail, new Date());
    return { runId, status: 'skipped', detail, models: [] };
  }
  const outcomes = await trainInWorker({ sets: jobSets, dictionary: await placeNames(pool, actor.cityCode), recipe });
  const trainedAt = new Date();
  const models = await withTransaction(pool, async (client) => {
    const saved: ModelRecord[] = [];
    for (const o of outcomes) {
      const set = jobSets.find((s) => s.target === o.target)!;
      const activate = !o.baselineScores || isBetter(o.scores, o.baselineScores);
      const decision = !o.baselineScores ? 'first model: switched in'
        : activate ? `better than the model in use on the same ${o.scores.n} held-back texts: switched in`
          : `not better than the model in use on the same ${o.scores.n} held-back texts: kept for the record`;
      saved.push(await saveModel(client, actor.cityCode, { target: o.target, runId, source: detail.source as string,
        trainingTexts: set.train.length, heldBackTexts: set.heldBack.length, taxonomyVersion: o.target === 'category' ? taxonomyVersion : null,
        scores: o.scores, baselineScores: o.baselineScores, activate, decision, recipe, bytes: o.bytes, trainedAt }, trainedAt));
    }
    return saved;
  });
  forgetLoadedModels();
  const result = { ...detail, models: models.map((m) => ({ id: m.id, target: m.target, version: m.version, status: m.status,
    macroF1: m.scores.macroF1, baselineMacroF1: m.baselineScores?.macroF1 ?? null })),
    trainSeconds: Object.fromEntries(outcomes.map((o) => [o.target, Math.round(o.trainSeconds * 10) / 10])) };
  await finishRun(pool, runId, 'done', result, new Date());
  return { runId, status: 'done', detail: result, models };
}
