// Suggestions for an order's text: the category (down the tree as far as the model is confident),
// the request type, the units to dispatch to (the category's unit kind in the order's area), the
// urgency and sentiment signals, and the most similar recent orders. Stored per order, with the
// agent's choice recorded when the order leaves the hotline, so that acceptance is a figure.
import type pg from 'pg';
import sql, { type Sql } from 'sql-template-tag';
import type { Plan } from '../../db/plan.js';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { routeUnits, type UnitSuggestion } from '../directory/index.js';
import type { EventPayload } from '../events/index.js';
import { categoryWithTree, currentTree as taxonomyTree, REQUEST_TYPES, type Category, type RequestType } from '../taxonomy/index.js';
import { LOW_CONFIDENCE } from './evaluation.js';
import type { Evidence, Prediction } from './model.js';
import { detectSignals, isUrgent, SIGNAL_LABELS, type Signal } from './signals.js';
import { findSimilar, keywordSegmenter, textKeys, type SimilarHit, type TextKeys } from './similar.js';
import { activeModels } from './store.js';

export interface CategoryStep {
  code: string;
  name: string;
  /** probability given the level above */
  probability: number;
  /** probability of the path down to here */
  cumulative: number;
  evidence: Evidence[];
}

export interface CategorySuggestion {
  /** the deepest category the model is confident of (or the top level, flagged low) */
  code: string;
  name: string;
  pathNames: string[];
  confidence: number;
  /** below the confidence the hotline trusts (0.6): the agent must choose */
  lowConfidence: boolean;
  /** the kind of unit that takes it, from the tree */
  unitKind: string | null;
  /** the model's best label at each level, as deep as it reads */
  path: CategoryStep[];
  alternatives: { code: string; name: string; pathNames: string[]; probability: number }[];
}

export interface RequestTypeSuggestion {
  value: RequestType;
  label: { zh: string; en: string };
  confidence: number;
  lowConfidence: boolean;
  evidence: Evidence[];
  alternatives: { value: RequestType; probability: number }[];
}

export interface SimilarOrder {
  id: string;
  trackingNo: string;
  title: string;
  state: string;
  category: { code: string; name: string } | null;
  leadUnit: { id: string; name: string } | null;
  createdAt: string;
  /** share of the text's keyword weight the order carries, 0..1 */
  similarity: number;
  /** the keywords they share */
  shared: string[];
  /** 疑似重复: the same matter reported again (open, recent, the same place and category, the text close): merge it into this one */
  likelyDuplicate: boolean;
}

export interface Suggestion {
  /** the stored suggestion (when made for an order) */
  id: number | null;
  models: { category: { id: number; version: number } | null; requestType: { id: number; version: number } | null };
  category: CategorySuggestion | null;
  requestType: RequestTypeSuggestion | null;
  units: { unit: { id: string; code: string; name: string; level: string; kind: string }; reason: UnitSuggestion['reason'] }[];
  signals: (Signal & { label: { zh: string; en: string } })[];
  /** a danger signal: handle first */
  urgent: boolean;
  /**
   * the most similar recent orders; null in a suggestion made at registration (the search takes
   * tens of milliseconds at a million orders: an agent sees it while typing, and GET /orders/{id}/similar)
   */
  similar: SimilarOrder[] | null;
}

export interface SuggestInput {
  title?: string | undefined;
  text: string;
  areaCode?: string | null | undefined;
}

/** The current tree by code (the taxonomy's copy, re-read every 10 s). */
async function currentTree(db: Queryable, cityCode: string): Promise<Map<string, Category>> {
  return (await taxonomyTree(db, cityCode)).byCode;
}

/** The model's category path in today's tree: codes the tree no longer has end the path. */
function categorySuggestion(p: Prediction, tree: Map<string, Category>): CategorySuggestion | null {
  const steps: CategoryStep[] = [];
  for (const s of p.path) {
    const node = tree.get(s.label);
    if (!node) break;
    steps.push({ code: node.code, name: node.name, probability: round(s.probability), cumulative: round(s.cumulative), evidence: s.evidence });
  }
  if (steps.length === 0) return null;
  const confident = steps.filter((s) => s.cumulative >= LOW_CONFIDENCE);
  const chosen = confident.at(-1) ?? steps[0]!;
  const names = (codes: string[]) => codes.map((c) => tree.get(c)?.name ?? c);
  const depth = steps.indexOf(chosen) + 1;
  let unitKind: string | null = null;
  for (const s of steps.slice(0, depth)) unitKind = tree.get(s.code)?.unitKind ?? unitKind;
  return {
    code: chosen.code, name: chosen.name, pathNames: steps.slice(0, depth).map((s) => s.name),
    confidence: chosen.cumulative, lowConfidence: chosen.cumulative < LOW_CONFIDENCE, unitKind, path: steps,
    alternatives: p.alternatives.filter((a) => a.path.every((c) => tree.has(c))).map((a) => ({
      code: a.path.at(-1)!, name: tree.get(a.path.at(-1)!)!.name, pathNames: names(a.path), probability: round(a.probability) })),
  };
}

function requestTypeSuggestion(p: Prediction): RequestTypeSuggestion | null {
  const top = p.path[0];
  if (!top || !(top.label in REQUEST_TYPES)) return null;
  const value = top.label as RequestType;
  return { value, label: REQUEST_TYPES[value], confidence: round(top.probability), lowConfidence: top.probability < LOW_CONFIDENCE,
    evidence: top.evidence, alternatives: p.alternatives.map((a) => ({ value: a.path[0] as RequestType, probability: round(a.probability) })) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A suggestion as computed, before the similar orders are shown to a viewer. */
export interface Computed {
  suggestion: Suggestion;
  /** the text's keywords (stored with an order, to find it as similar) */
  keys: TextKeys;
  /** the most similar recent orders, to present as the viewer may see them; null when not searched */
  similar: SimilarHit[] | null;
}

/**
 * Suggestions for a text, nothing stored: what the agent sees while typing (with the similar orders,
 * which the orders module presents), and what a registration stores (without them).
 */
export async function suggest(pool: pg.Pool, actor: Actor, input: SuggestInput,
  options: { excludeOrderId?: string; now?: Date; similarDays?: number; similar?: boolean } = {}): Promise<Computed> {
  const now = options.now ?? new Date();
  const text = input.title ? `${input.title}\n${input.text}` : input.text;
  const models = await activeModels(pool, actor.cityCode);
  const tree = models.category ? await currentTree(pool, actor.cityCode) : new Map<string, Category>();
  const category = models.category ? categorySuggestion(models.category.classifier.predict(text, 3), tree) : null;
  const requestType = models.request_type ? requestTypeSuggestion(models.request_type.classifier.predict(text, 3)) : null;
  const units = category || input.areaCode ? await routeUnits(pool, actor.cityCode, category?.unitKind ?? null, input.areaCode ?? null) : [];
  const signals = detectSignals(text).map((s) => ({ ...s, label: SIGNAL_LABELS[s.kind] }));
  const keys = textKeys(await keywordSegmenter(pool, actor.cityCode), text);
  const similar = options.similar === false ? null : await findSimilar(pool, actor.cityCode, keys, { limit: 5,
    days: options.similarDays ?? 365, minSimilarity: 0.25, excludeOrderId: options.excludeOrderId, now });
  return {
    suggestion: {
      id: null,
      models: {
        category: models.category ? { id: models.category.id, version: models.category.version } : null,
        requestType: models.request_type ? { id: models.request_type.id, version: models.request_type.version } : null,
      },
      category, requestType,
      units: units.map(({ unit, reason }) => ({ unit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level, kind: unit.kind }, reason })),
      signals, urgent: isUrgent(signals), similar: null,
    },
    keys, similar,
  };
}

/** The keywords of an order's text, and the orders most like it (GET /orders/{id}/similar, shown by the orders module). */
export async function similarHits(pool: pg.Pool, cityCode: string, text: string,
  q: { limit: number; days: number; excludeOrderId: string; now: Date }): Promise<SimilarHit[]> {
  const keys = textKeys(await keywordSegmenter(pool, cityCode), text);
  return findSimilar(pool, cityCode, keys, { ...q, minSimilarity: 0.15 });
}

/**
 * The statements that keep a suggestion made for an order and the order's keywords: run them, or
 * embed them as CTEs of the statement that registers the order (they write nothing unless `guard`).
 */
export function storeSuggestionStatements(cityCode: string, order: { id: string; createdAt: Date }, cause: 'registered' | 'text_changed',
  computed: Computed, now: Date, guard: Sql = sql`true`): { keys: Sql; suggestion: Sql } {
  const s = computed.suggestion;
  return {
    keys: sql`INSERT INTO order_text_keys (order_id, city_code, created_at, keys)
      SELECT ${order.id}::uuid, ${cityCode}, ${order.createdAt}::timestamptz, ${computed.keys.keys}::int4[] WHERE ${guard}
      ON CONFLICT (order_id, city_code) DO UPDATE SET keys = EXCLUDED.keys`,
    suggestion: sql`INSERT INTO order_suggestions (city_code, order_id, created_at, cause, category_model_id, request_type_model_id,
        category_code, category_confidence, request_type, request_type_confidence, urgent, detail)
      SELECT ${cityCode}, ${order.id}::uuid, ${now}::timestamptz, ${cause}, ${s.models.category?.id ?? null}::bigint,
        ${s.models.requestType?.id ?? null}::bigint, ${s.category?.code ?? null}, ${s.category?.confidence ?? null}::real,
        ${s.requestType?.value ?? null}, ${s.requestType?.confidence ?? null}::real, ${s.urgent}, ${JSON.stringify(s)}::jsonb
      WHERE ${guard}
      RETURNING id`,
  };
}

/** Keeps a suggestion made for an order whose text changed (and its new keywords); returns it with its id. */
export async function storeSuggestion(tx: Queryable, cityCode: string, order: { id: string; createdAt: Date }, computed: Computed,
  now: Date): Promise<Suggestion> {
  const { keys, suggestion } = storeSuggestionStatements(cityCode, order, 'text_changed', computed, now);
  await tx.query(keys.text, keys.values);
  const stored = await tx.query(suggestion.text, suggestion.values);
  return { ...computed.suggestion, id: Number(stored.rows[0].id) };
}

/** The latest suggestion made for an order, with the agent's choice once made; null when none. */
export async function latestSuggestion(db: Queryable, orderId: string): Promise<(Suggestion & { decision: Decision | null }) | null> {
  const r = await db.query(prepared('SELECT * FROM order_suggestions WHERE order_id = $1 ORDER BY id DESC LIMIT 1', [orderId]));
  const row = r.rows[0];
  if (!row) return null;
  return { ...(row.detail as Suggestion), id: Number(row.id), decision: row.decided_at ? {
    decidedAt: row.decided_at.toISOString(), chosenCategoryCode: row.chosen_category_code, categoryOutcome: row.category_outcome,
    chosenInAlternatives: row.chosen_in_alternatives, chosenRequestType: row.chosen_request_type, requestTypeOutcome: row.request_type_outcome,
  } : null };
}

export interface Decision {
  decidedAt: string;
  chosenCategoryCode: string | null;
  categoryOutcome: 'accepted' | 'corrected' | null;
  chosenInAlternatives: boolean | null;
  chosenRequestType: string | null;
  requestTypeOutcome: 'accepted' | 'corrected' | null;
}

/** The agent's choice against the suggestion, as the lifecycle's event records it. */
export type Classification = NonNullable<EventPayload<'order.dispatched'>['classification']>;

/** An order's suggestion waiting for the agent's choice, as the lifecycle reads it with the order. */
export interface PendingSuggestion {
  id: number;
  categoryCode: string | null;
  requestType: string | null;
  /** the codes of the alternatives shown */
  alternatives: string[];
}

/** The order's latest undecided suggestion as JSON, a subquery for the orders module's read of an order (`orderId`: a column). */
export function pendingSuggestionQuery(orderId: Sql, cityCode: Sql): Sql {
  return sql`(SELECT jsonb_build_object('id', s.id, 'categoryCode', s.category_code, 'requestType', s.request_type,
      'alternatives', coalesce((SELECT jsonb_agg(a ->> 'code') FROM jsonb_array_elements(s.detail -> 'category' -> 'alternatives') a), '[]'))
    FROM order_suggestions s WHERE s.order_id = ${orderId} AND s.city_code = ${cityCode} AND s.decided_at IS NULL
    ORDER BY s.id DESC LIMIT 1)`;
}

/**
 * The agent's choice, recorded when the order first leaves the hotline (dispatched or answered
 * directly): the category accepted if it is the suggested one or a category beneath it (the agent
 * went deeper), corrected otherwise; the same for the request type. Null when the order has no
 * suggestion waiting for a decision. Added to the change's plan.
 */
export async function recordChoice(db: Queryable, plan: Plan, pending: PendingSuggestion | null,
  order: { cityCode: string; categoryId: number | null; requestType: string }, actor: Actor, now: Date): Promise<Classification | null> {
  if (!pending) return null;
  let chosen: string | null = null;
  let within: string[] = [];
  if (order.categoryId) {
    const { category, tree } = await categoryWithTree(db, order.cityCode, order.categoryId);
    chosen = category.code;
    within = tree.lineage(category.code);
  }
  const decided = pending.categoryCode !== null && chosen !== null;
  const categoryOutcome = !decided ? null : within.includes(pending.categoryCode!) ? 'accepted' : 'corrected';
  const inAlternatives = !decided ? null : within.includes(pending.categoryCode!) || pending.alternatives.some((a) => within.includes(a));
  const requestTypeOutcome = pending.requestType === null ? null : pending.requestType === order.requestType ? 'accepted' : 'corrected';
  plan.add('choice', sql`UPDATE order_suggestions SET decided_at = ${now}::timestamptz, decided_by = ${actor.kind === 'staff' ? actor.id : null}::uuid,
      chosen_category_code = ${chosen}, chosen_request_type = ${order.requestType}, category_outcome = ${categoryOutcome},
      chosen_in_alternatives = ${inAlternatives}::boolean, request_type_outcome = ${requestTypeOutcome}
    WHERE id = ${pending.id}::bigint AND city_code = ${order.cityCode} AND decided_at IS NULL AND ${plan.guard}`);
  return { suggestionId: pending.id, categoryCode: chosen, categoryOutcome, requestType: order.requestType, requestTypeOutcome };
}

export interface AcceptanceFigures {
  from: string;
  to: string;
  category: { decided: number; accepted: number; corrected: number; acceptanceRate: number | null; inAlternativesRate: number | null;
    /** by the confidence shown: does a confident suggestion get accepted more? */
    byConfidence: { band: string; decided: number; accepted: number; acceptanceRate: number | null }[] };
  requestType: { decided: number; accepted: number; corrected: number; acceptanceRate: number | null };
  /** orders registered in the period with a suggestion, and how many were flagged urgent */
  suggestions: number;
  urgent: number;
}

const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 10000 : null);

/**
 * How often agents accepted the suggestions, over the orders decided in [from, to): accepted ÷
 * (accepted + corrected); suggestions with no category (no model yet) are not counted.
 */
export async function acceptance(db: Queryable, cityCode: string, from: Date, to: Date): Promise<AcceptanceFigures> {
  const r = await db.query(
    `SELECT count(*) FILTER (WHERE category_outcome IS NOT NULL) AS decided,
            count(*) FILTER (WHERE category_outcome = 'accepted') AS accepted,
            count(*) FILTER (WHERE chosen_in_alternatives) AS in_alternatives,
            count(*) FILTER (WHERE request_type_outcome IS NOT NULL) AS type_decided,
            count(*) FILTER (WHERE request_type_outcome = 'accepted') AS type_accepted,
            count(*) FILTER (WHERE category_outcome IS NOT NULL AND category_confidence < 0.6) AS low_decided,
            count(*) FILTER (WHERE category_outcome = 'accepted' AND category_confidence < 0.6) AS low_accepted,
            count(*) FILTER (WHERE category_outcome IS NOT NULL AND category_confidence >= 0.6 AND category_confidence < 0.9) AS mid_decided,
            count(*) FILTER (WHERE category_outcome = 'accepted' AND category_confidence >= 0.6 AND category_confidence < 0.9) AS mid_accepted,
            count(*) FILTER (WHERE category_outcome IS NOT NULL AND category_confidence >= 0.9) AS high_decided,
            count(*) FILTER (WHERE category_outcome = 'accepted' AND category_confidence >= 0.9) AS high_accepted
       FROM order_suggestions WHERE city_code = $1 AND decided_at >= $2 AND decided_at < $3`, [cityCode, from, to]);
  const made = await db.query(
    `SELECT count(DISTINCT order_id) AS n, count(DISTINCT order_id) FILTER (WHERE urgent) AS urgent
       FROM order_suggestions WHERE city_code = $1 AND created_at >= $2 AND created_at < $3`, [cityCode, from, to]);
  const n = Object.fromEntries(Object.entries(r.rows[0]).map(([k, v]) => [k, Number(v)])) as Record<string, number>;
  const band = (name: string, key: string) => ({ band: name, decided: n[`${key}_decided`]!, accepted: n[`${key}_accepted`]!,
    acceptanceRate: rate(n[`${key}_accepted`]!, n[`${key}_decided`]!) });
  return {
    from: from.toISOString(), to: to.toISOString(),
    category: { decided: n.decided!, accepted: n.accepted!, corrected: n.decided! - n.accepted!, acceptanceRate: rate(n.accepted!, n.decided!),
      inAlternativesRate: rate(n.in_alternatives!, n.decided!),
      byConfidence: [band('< 0.6', 'low'), band('0.6 – 0.9', 'mid'), band('≥ 0.9', 'high')] },
    requestType: { decided: n.type_decided!, accepted: n.type_accepted!, corrected: n.type_decided! - n.type_accepted!,
      acceptanceRate: rate(n.type_accepted!, n.type_decided!) },
    suggestions: Number(made.rows[0].n), urgent: Number(made.rows[0].urgent),
  };
}

/**
 * What an order's latest suggestion flagged, as SQL the analytics module embeds (it never names
 * this module's tables): one row per order with a suggestion, `where` a condition on `s`.
 */
export function signalFactsSql(where: string): string {
  return `SELECT DISTINCT ON (s.order_id) s.city_code, s.order_id,
                 coalesce(s.detail->'signals' @> '[{"kind": "anger"}]', false) AS angry,
                 coalesce(s.detail->'signals' @> '[{"kind": "repeated"}]', false) AS repeated,
                 coalesce(s.detail->'signals' @> '[{"group": "danger"}]', false) AS danger
            FROM order_suggestions s WHERE ${where}
           ORDER BY s.order_id, s.id DESC`;
}
