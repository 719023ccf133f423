// Trained models in the database: saving a run's models, switching one in, listing them for the
// admin, and the models in use, loaded once per process and reloaded when another is switched in.
import type { Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { TextClassifier, type Recipe } from './model.js';

export const TARGETS = ['category', 'request_type'] as const;
export type Target = (typeof TARGETS)[number];

/** Figures of a model on held-back texts. */
export interface Scores {
  n: number;
  /** top level: share right, and macro-F1 */
  accuracy: number;
  macroF1: number;
  /** the whole category path right (category models; = accuracy for request types) */
  exactAccuracy: number;
  /** the right label among the three alternatives shown */
  top3Accuracy: number;
  calibrationError: number;
}

/** What a training run says of each model it made. */
interface ModelFacts {
  target: Target;
  runId: number | null;
  /** 'history' (closed orders) or 'csv:<file>' */
  source: string;
  trainingTexts: number;
  heldBackTexts: number;
  /** the tree version whose category codes it predicts */
  taxonomyVersion: number | null;
  /** on the held-back texts */
  scores: Scores;
  /** the model in use, on the same held-back texts */
  baselineScores: Scores | null;
  /** why it was switched in, or not */
  decision: string;
}

export interface ModelRecord extends ModelFacts {
  id: number;
  version: number;
  status: 'active' | 'retired' | 'rejected';
  trainedAt: string;
  sizeBytes: number;
  activatedAt: string | null;
  retiredAt: string | null;
}

export interface Run {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  cause: 'schedule' | 'api' | 'cli' | 'seed';
  status: 'running' | 'done' | 'skipped' | 'failed';
  detail: Record<string, unknown>;
}

const MODEL_COLUMNS = `id, target, version, status, trained_at, source, training_texts, held_back_texts, taxonomy_version, scores,
  baseline_scores, decision, size_bytes, activated_at, retired_at, run_id`;
const iso = (d: Date | null) => d?.toISOString() ?? null;

function toRecord(r: Record<string, any>): ModelRecord {
  return { id: Number(r.id), target: r.target, version: r.version, status: r.status, trainedAt: r.trained_at.toISOString(), source: r.source,
    trainingTexts: r.training_texts, heldBackTexts: r.held_back_texts, taxonomyVersion: r.taxonomy_version, scores: r.scores,
    baselineScores: r.baseline_scores, decision: r.decision, sizeBytes: r.size_bytes, activatedAt: iso(r.activated_at),
    retiredAt: iso(r.retired_at), runId: r.run_id === null ? null : Number(r.run_id) };
}

function toRun(r: Record<string, any>): Run {
  return { id: Number(r.id), startedAt: r.started_at.toISOString(), finishedAt: iso(r.finished_at), cause: r.cause, status: r.status,
    detail: r.detail };
}

/** A run still 'running' after this long was left by a process that died: it is over. */
export const STALE_RUN = '2 hours';
/** Runs this process started and has not finished: marked failed if the process stops. */
const runsHere = new Set<number>();

/** Records a new run; refused while another is running for the city (a unique index decides a race). */
export async function startRun(db: Queryable, cityCode: string, cause: Run['cause'], now: Date): Promise<number> {
  await db.query(`UPDATE classifier_runs SET status = 'failed', finished_at = $2, detail = detail || '{"error": "interrupted"}'
                   WHERE city_code = $1 AND status = 'running' AND started_at < $2::timestamptz - interval '${STALE_RUN}'`, [cityCode, now]);
  try {
    const r = await db.query(`INSERT INTO classifier_runs (city_code, started_at, cause, status) VALUES ($1, $2, $3, 'running') RETURNING id`,
      [cityCode, now, cause]);
    runsHere.add(Number(r.rows[0].id));
    return Number(r.rows[0].id);
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    const running = (await db.query(`SELECT id, started_at FROM classifier_runs WHERE city_code = $1 AND status = 'running'`, [cityCode])).rows[0];
    throw new DomainError('CLASSIFY_TRAINING_RUNNING', { id: running?.id ?? '?', since: running?.started_at?.toISOString() ?? '?' });
  }
}

export async function finishRun(db: Queryable, id: number, status: Run['status'], detail: Record<string, unknown>, now: Date): Promise<void> {
  await db.query('UPDATE classifier_runs SET status = $2, detail = $3, finished_at = $4 WHERE id = $1', [id, status, detail, now]);
  runsHere.delete(id);
}

/** On shutdown: the runs this process was training are marked failed, so that a new one may start at once. */
export async function abandonRuns(db: Queryable, now = new Date()): Promise<void> {
  if (runsHere.size === 0) return;
  await db.query(`UPDATE classifier_runs SET status = 'failed', finished_at = $2, detail = detail || '{"error": "the server stopped"}'
                   WHERE id = ANY($1::bigint[]) AND status = 'running'`, [[...runsHere], now]);
  runsHere.clear();
}

export async function getRun(db: Queryable, cityCode: string, id: number): Promise<Run> {
  const r = await db.query('SELECT * FROM classifier_runs WHERE city_code = $1 AND id = $2', [cityCode, id]);
  if (!r.rows[0]) throw new DomainError('CLASSIFY_RUN_NOT_FOUND', { id });
  return toRun(r.rows[0]);
}

export async function listRuns(db: Queryable, cityCode: string, limit: number): Promise<Run[]> {
  const r = await db.query('SELECT * FROM classifier_runs WHERE city_code = $1 ORDER BY started_at DESC, id DESC LIMIT $2', [cityCode, limit]);
  return r.rows.map(toRun);
}

export async function listModels(db: Queryable, cityCode: string, target?: Target): Promise<ModelRecord[]> {
  const r = await db.query(
    `SELECT ${MODEL_COLUMNS} FROM classifier_models WHERE city_code = $1 AND ($2::text IS NULL OR target = $2) ORDER BY target, version DESC`,
    [cityCode, target ?? null]);
  return r.rows.map(toRecord);
}

export interface NewModel extends ModelFacts {
  activate: boolean;
  recipe: Recipe;
  bytes: Uint8Array;
  trainedAt: Date;
}

/**
 * Saves a trained model with its figures and the decision; an activated one retires the model it
 * replaces, in the caller's transaction.
 */
export async function saveModel(db: Queryable, cityCode: string, m: NewModel, now: Date): Promise<ModelRecord> {
  if (m.activate) {
    await db.query(`UPDATE classifier_models SET status = 'retired', retired_at = $3 WHERE city_code = $1 AND target = $2 AND status = 'active'`,
      [cityCode, m.target, now]);
  }
  const r = await db.query(
    `INSERT INTO classifier_models (city_code, run_id, target, version, status, trained_at, source, training_texts, held_back_texts,
                                    taxonomy_version, scores, baseline_scores, decision, recipe, size_bytes, model, activated_at)
     SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16
       FROM classifier_models WHERE city_code = $1 AND target = $3
     RETURNING ${MODEL_COLUMNS}`,
    [cityCode, m.runId, m.target, m.activate ? 'active' : 'rejected', m.trainedAt, m.source, m.trainingTexts, m.heldBackTexts,
      m.taxonomyVersion, m.scores, m.baselineScores, m.decision, m.recipe, m.bytes.byteLength, Buffer.from(m.bytes), m.activate ? now : null]);
  return toRecord(r.rows[0]);
}

/** The bytes of the active model of a target, for comparing a candidate against it. */
export async function activeModelBytes(db: Queryable, cityCode: string, target: Target): Promise<{ id: number; bytes: Buffer } | null> {
  const r = await db.query(`SELECT id, model FROM classifier_models WHERE city_code = $1 AND target = $2 AND status = 'active'`, [cityCode, target]);
  return r.rows[0] ? { id: Number(r.rows[0].id), bytes: r.rows[0].model } : null;
}

export interface LoadedModel {
  id: number;
  version: number;
  taxonomyVersion: number | null;
  classifier: TextClassifier;
}

const loaded = new Map<string, { checkedAt: number; models: Partial<Record<Target, LoadedModel>> }>();
/** How long this process trusts its copy before asking which models are active (a switch elsewhere shows within it). */
const RECHECK_MS = 10_000;

/**
 * The active models of a city, as this process holds them: the ids are checked every 10 s, and a
 * model switched in (by this process or another) is loaded from the database.
 */
export async function activeModels(db: Queryable, cityCode: string, now = Date.now()): Promise<Partial<Record<Target, LoadedModel>>> {
  const cached = loaded.get(cityCode);
  if (cached && now - cached.checkedAt < RECHECK_MS) return cached.models;
  const ids = await db.query(`SELECT id, target, version, taxonomy_version FROM classifier_models WHERE city_code = $1 AND status = 'active'`, [cityCode]);
  const models: Partial<Record<Target, LoadedModel>> = {};
  for (const row of ids.rows) {
    const target = row.target as Target;
    const held = cached?.models[target];
    if (held && held.id === Number(row.id)) { models[target] = held; continue; }
    const bytes = (await db.query('SELECT model FROM classifier_models WHERE id = $1', [row.id])).rows[0].model as Buffer;
    models[target] = { id: Number(row.id), version: row.version, taxonomyVersion: row.taxonomy_version, classifier: TextClassifier.deserialize(bytes) };
  }
  loaded.set(cityCode, { checkedAt: now, models });
  return models;
}

/** Forgets this process's copies (after this process switched a model in, or in tests). */
export function forgetLoadedModels(): void {
  loaded.clear();
}
