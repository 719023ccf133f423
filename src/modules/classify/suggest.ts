// Suggestions for an order's text: the category (down the tree as far as the model is confident),
// the request type, the units to dispatch to (the category's unit kind in the order's area), the
// urgency and sentiment signals, and the most similar recent orders. Stored per order, with the
// agent's choice recorded when the order leaves the hotline, so that acceptance is a figure.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { routeUnits, type UnitSuggestion } from '../directory/index.js';
import { getOrderSummary, listOrders, type OrderView, type TransitionHookContext } from '../orders/index.js';
import { getCategory, getTree, REQUEST_TYPES, type Category, type RequestType } from '../taxonomy/index.js';
import { LOW_CONFIDENCE } from './evaluation.js';
import type { Evidence, Prediction } from './model.js';
import { detectSignals, isUrgent, SIGNAL_LABELS, type Signal } from './signals.js';
import { findSimilar, keywordSegmenter, textKeys } from './similar.js';
import { memo } from './memo.js';
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

const trees = memo<Map<string, Category>>(10_000);
/** The current tree by code, re-read at most every 10 s (an edit shows within that). */
function currentTree(db: Queryable, cityCode: string): Promise<Map<string, Category>> {
  return trees.get(cityCode, async () => new Map((await getTree(db, cityCode)).map((c) => [c.code, c])));
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

const routes = memo<UnitSuggestion[]>(60_000);
/** The directory's routing for a unit kind and an area, reused for a minute (units change rarely). */
function routeCached(db: Queryable, cityCode: string, unitKind: string | null, areaCode: string | null): Promise<UnitSuggestion[]> {
  return routes.get(`${cityCode}|${unitKind}|${areaCode}`, () => routeUnits(db, cityCode, unitKind, areaCode));
}

/** Suggestions for a text, nothing stored: what the agent sees while typing (POST /classify/suggest). */
export async function suggest(pool: pg.Pool, actor: Actor, input: SuggestInput,
  options: { excludeOrderId?: string; now?: Date; similarDays?: number; similar?: boolean } = {}): Promise<Suggestion & { keys: number[] }> {
  const now = options.now ?? new Date();
  const text = input.title ? `${input.title}\n${input.text}` : input.text;
  const models = await activeModels(pool, actor.cityCode);
  const tree = models.category ? await currentTree(pool, actor.cityCode) : new Map<string, Category>();
  const category = models.category ? categorySuggestion(models.category.classifier.predict(text, 3), tree) : null;
  const requestType = models.request_type ? requestTypeSuggestion(models.request_type.classifier.predict(text, 3)) : null;
  const units = category || input.areaCode ? await routeCached(pool, actor.cityCode, category?.unitKind ?? null, input.areaCode ?? null) : [];
  const signals = detectSignals(text).map((s) => ({ ...s, label: SIGNAL_LABELS[s.kind] }));
  const keys = textKeys(await keywordSegmenter(pool, actor.cityCode), text);
  const hits = options.similar === false ? null : await findSimilar(pool, actor.cityCode, keys, { limit: 5,
    days: options.similarDays ?? 365, minSimilarity: 0.25, excludeOrderId: options.excludeOrderId, now });
  return {
    id: null,
    models: {
      category: models.category ? { id: models.category.id, version: models.category.version } : null,
      requestType: models.request_type ? { id: models.request_type.id, version: models.request_type.version } : null,
    },
    category, requestType,
    units: units.map(({ unit, reason }) => ({ unit: { id: unit.id, code: unit.code, name: unit.name, level: unit.level, kind: unit.kind }, reason })),
    signals, urgent: isUrgent(signals),
    similar: hits && await presentSimilar(pool, actor, hits),
    keys: keys.keys,
  };
}

/** The orders most similar to an order, as the actor may see them (GET /orders/{id}/similar). */
export async function similarToOrder(pool: pg.Pool, actor: Actor, orderId: string, q: { limit: number; days: number; now?: Date }): Promise<SimilarOrder[]> {
  const order = await getOrderSummary(pool, actor, orderId);
  const keys = textKeys(await keywordSegmenter(pool, actor.cityCode), `${order.title}\n${order.body}`);
  return presentSimilar(pool, actor, await findSimilar(pool, actor.cityCode, keys,
    { limit: q.limit, days: q.days, minSimilarity: 0.15, excludeOrderId: order.id, now: q.now ?? new Date() }));
}

/** Similar orders as the actor may see them (personal data masked), in the order found. */
async function presentSimilar(db: Queryable, actor: Actor, hits: Awaited<ReturnType<typeof findSimilar>>): Promise<SimilarOrder[]> {
  if (hits.length === 0) return [];
  const orders = new Map((await listOrders(db, actor, { ids: hits.map((h) => h.orderId), sort: '-created_at', limit: hits.length, offset: 0 }))
    .map((o) => [o.id, o]));
  return hits.flatMap((h) => {
    const o = orders.get(h.orderId);
    return o ? [{ id: o.id, trackingNo: o.trackingNo, title: o.title, state: o.state,
      category: o.category ? { code: o.category.code, name: o.category.name } : null, leadUnit: o.leadUnit, createdAt: o.createdAt,
      similarity: h.similarity, shared: h.shared }] : [];
  });
}

/**
 * Suggests for an order just registered or whose text changed, and stores the suggestion and the
 * order's keywords (one statement): the intake hook of the orders module. The similar-order search
 * is left out here (GET /orders/{id}/similar): registration stays a few milliseconds.
 */
export async function suggestForOrder(pool: pg.Pool, actor: Actor, order: OrderView, cause: 'registered' | 'text_changed', now: Date): Promise<Suggestion> {
  const { keys, ...s } = await suggest(pool, actor, { title: order.title, text: order.body, areaCode: order.location.areaCode },
    { excludeOrderId: order.id, now, similar: false });
  const stored = await pool.query(prepared(
    `WITH k AS (
       INSERT INTO order_text_keys (order_id, city_code, created_at, keys) VALUES ($2, $1, $11, $12)
       ON CONFLICT (order_id) DO UPDATE SET keys = EXCLUDED.keys)
     INSERT INTO order_suggestions (city_code, order_id, created_at, cause, category_model_id, request_type_model_id, category_code,
                                    category_confidence, request_type, request_type_confidence, urgent, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13, $14) RETURNING id`,
    [actor.cityCode, order.id, now, cause, s.models.category?.id ?? null, s.models.requestType?.id ?? null, s.category?.code ?? null,
      s.category?.confidence ?? null, s.requestType?.value ?? null, s.requestType?.confidence ?? null, order.createdAt, keys, s.urgent,
      JSON.stringify(s)]));
  return { ...s, id: Number(stored.rows[0].id) };
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

/** A category's code and those of the categories above it, from the current tree (any unknown code: itself). */
function selfAndAncestors(code: string, tree: Map<string, Category>): string[] {
  const codes: string[] = [];
  for (let c: string | null | undefined = code; c; c = tree.get(c)?.parentCode) codes.push(c);
  return codes;
}

const categoryCodes = new Map<number, string>();
/** A category's code by id: a category row never changes (an edit is a new tree version), so it is kept. */
async function categoryCode(db: Queryable, cityCode: string, id: number): Promise<string> {
  let code = categoryCodes.get(id);
  if (code === undefined) {
    code = (await getCategory(db, cityCode, id)).code;
    if (categoryCodes.size > 100_000) categoryCodes.clear();
    categoryCodes.set(id, code);
  }
  return code;
}

/**
 * The agent's choice, recorded when the order first leaves the hotline (dispatched or answered
 * directly), in one statement: the category accepted if it is the suggested one or a category
 * beneath it (the agent went deeper), corrected otherwise; the same for the request type. A
 * transition hook.
 */
export async function recordChoice(ctx: TransitionHookContext): Promise<void> {
  if (ctx.action !== 'dispatch' && ctx.action !== 'answer_directly') return;
  const { client, order, actor, now } = ctx;
  const chosen = order.category_id ? await categoryCode(client, order.city_code, Number(order.category_id)) : null;
  const within = chosen ? selfAndAncestors(chosen, await currentTree(client, order.city_code)) : [];
  await client.query(prepared(
    `UPDATE order_suggestions s
        SET decided_at = $2, decided_by = $3, chosen_category_code = $4, chosen_request_type = $6,
            category_outcome = CASE WHEN s.category_code IS NULL OR $4::text IS NULL THEN NULL
                                    WHEN s.category_code = ANY($5::text[]) THEN 'accepted' ELSE 'corrected' END,
            chosen_in_alternatives = CASE WHEN s.category_code IS NULL OR $4::text IS NULL THEN NULL
                                          ELSE s.category_code = ANY($5::text[]) OR EXISTS (
                                            SELECT 1 FROM jsonb_array_elements(s.detail -> 'category' -> 'alternatives') a
                                             WHERE a ->> 'code' = ANY($5::text[])) END,
            request_type_outcome = CASE WHEN s.request_type IS NULL THEN NULL WHEN s.request_type = $6 THEN 'accepted' ELSE 'corrected' END
      WHERE s.id = (SELECT id FROM order_suggestions WHERE order_id = $1 AND decided_at IS NULL ORDER BY id DESC LIMIT 1)`,
    [order.id, now, actor.kind === 'staff' ? actor.id : null, chosen, within, order.request_type]));
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
