// Work-order operations. Each change locks the order row, checks the rules on the locked row,
// writes the new state and appends its event and audit row in one transaction.
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared, withTransaction } from '../../db/tx.js';
import { WhereBuilder } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { hasRole, seesWholeCity, type Actor } from '../auth/index.js';
import { areaPrefix, getArea, getUnit, routeUnits, type UnitSuggestion } from '../directory/index.js';
import { findCurrentCategory, getCategory } from '../taxonomy/index.js';
import { publishOrderEvents, type PublishedOrderEvent } from './events.js';
import type {
  Assignment, Channel, OrderDetail, OrderEvent, OrderView, RegisterOrderInput, TransitionInput, UpdateOrderInput, Urgency,
} from './model.js';
import { personalDataVisibility, presentCitizen } from './privacy.js';
import { checkTransition, ORDER_STATE_GROUP, ORDER_STATE_LABELS, TRANSITIONS, type OrderAction, type OrderState } from './rules.js';
import { searchQuery, searchTokens } from './search-text.js';

const PG_FOREIGN_KEY_VIOLATION = '23503';

/** Phone numbers are stored and searched as digits (and a leading +): 139-0531-2345 → 13905312345. */
const normalizePhone = (phone: string) => phone.replace(/[\s-]/g, '');

/** The columns every view of an order needs, with its category, area and lead unit names. */
const ORDER_COLUMNS = `o.*, c.code AS category_code, c.name AS category_name, v.version AS category_version,
         ar.name AS area_name, lu.name AS lead_unit_name`;
const ORDER_JOINS = `
    LEFT JOIN categories c ON c.id = o.category_id
    LEFT JOIN taxonomy_versions v ON v.id = c.version_id
    LEFT JOIN areas ar ON ar.code = o.area_code
    LEFT JOIN units lu ON lu.id = o.lead_unit_id`;
const ORDER_SELECT = `SELECT ${ORDER_COLUMNS} FROM orders o ${ORDER_JOINS}`;

/** SQL condition limiting `o` to the orders the actor may see; adds its parameters to `where`. */
function visibleTo(actor: Actor, where: WhereBuilder): WhereBuilder {
  where.add('o.city_code = ?', actor.cityCode);
  if (seesWholeCity(actor)) return where;
  if (!actor.unitId) return where.add('false');
  return where.add('EXISTS (SELECT 1 FROM order_scopes s WHERE s.unit_id = ? AND s.order_id = o.id)', actor.unitId);
}

function toView(r: Record<string, any>, actor: Actor, reveal: boolean): OrderView {
  const visibility = personalDataVisibility(actor, r.confidential);
  return {
    id: r.id,
    trackingNo: r.tracking_no,
    cityCode: r.city_code,
    channel: r.channel,
    requestType: r.request_type,
    category: r.category_id
      ? { id: r.category_id, code: r.category_code, name: r.category_name, version: r.category_version }
      : null,
    title: r.title,
    body: r.body,
    // lists show masked data; only an order's detail reveals it, and that read is audited
    citizen: presentCitizen({ citizen_name: r.citizen_name, citizen_phone: r.citizen_phone, citizen_address: r.citizen_address },
      visibility === 'full' && !reveal ? 'masked' : visibility),
    confidential: r.confidential,
    location: { address: r.location_address, areaCode: r.area_code, areaName: r.area_name ?? null, lat: r.lat, lng: r.lng },
    urgency: r.urgency,
    attachments: r.attachments,
    state: r.state,
    stateGroup: ORDER_STATE_GROUP[r.state as OrderState],
    version: r.version,
    leadUnit: r.lead_unit_id ? { id: r.lead_unit_id, name: r.lead_unit_name } : null,
    extensionPending: r.extension_pending,
    clockPaused: r.clock_paused,
    noCallback: r.no_callback,
    reopenCount: r.reopen_count,
    urgeCount: r.urge_count,
    escalated: r.escalated,
    mergedInto: r.merged_into,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An id that is not a UUID names no order: answered as not found, like any unknown id. */
function assertUuid(id: string): void {
  if (!UUID.test(id)) throw new DomainError('ORDER_NOT_FOUND', { id });
}

function actorRole(actor: Actor): string | null {
  return actor.roles[0] ?? (actor.kind === 'api_key' ? 'api_key' : null);
}

/** Appends one event and its audit row in one statement; returns what to publish after commit. */
async function appendEvent(
  db: Queryable, actor: Actor, order: { id: string; city_code: string },
  e: { seq: number; type: string; fromState: string | null; toState: string; reason?: string | null | undefined; payload: object; at: Date },
): Promise<PublishedOrderEvent> {
  await db.query(prepared(
    `WITH e AS (
       INSERT INTO order_events (city_code, order_id, seq, type, actor_kind, actor_id, actor_role, actor_unit_id, at,
                                 from_state, to_state, reason, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))
     INSERT INTO audit_log (city_code, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, detail)
     VALUES ($1, $9, $5, $6, $14, $4, 'order', $2, jsonb_build_object('seq', $3::int, 'from', $10::text, 'to', $11::text))`,
    [order.city_code, order.id, e.seq, e.type, actor.kind, actor.id, actorRole(actor), actor.unitId, e.at, e.fromState,
      e.toState, e.reason ?? null, JSON.stringify(e.payload), actor.name]));
  return { type: e.type, orderId: order.id, cityCode: order.city_code, seq: e.seq, at: e.at.toISOString(),
    fromState: e.fromState, toState: e.toState };
}

// ---- register ----------------------------------------------------------------------------

/** Who may register: hotline intake staff, or an external system whose key has orders:create. */
function assertMayRegister(actor: Actor): void {
  const allowed = actor.kind === 'api_key' ? actor.scopes.includes('orders:create') : hasRole(actor, 'agent', 'lead');
  if (!allowed && actor.kind !== 'system') throw new DomainError('AUTH_FORBIDDEN');
}

/**
 * Registers a work order (受理) and its first event in one statement. A message already registered
 * under the same channel reference returns that order with `created: false`: retries make no second order.
 */
export async function registerOrder(pool: pg.Pool, actor: Actor, input: RegisterOrderInput, now = new Date()):
  Promise<{ order: OrderView; created: boolean }> {
  assertMayRegister(actor);
  const search = searchTokens(`${input.title} ${input.body}`).join(' ');
  const phone = input.citizen?.phone ? normalizePhone(input.citizen.phone) : null;
  let result: pg.QueryResult;
  try {
    // One statement, one round trip: resolve the category in the current tree, insert the order,
    // its first event and its audit row, and return the order as shown. Always one row: o.id is
    // null when nothing was inserted (unknown category, or a retried channel message).
    result = await pool.query(prepared(
      `WITH cat AS (
         SELECT c.id FROM categories c JOIN taxonomy_versions v ON v.id = c.version_id
          WHERE c.city_code = $1 AND c.code = $5
            AND v.version = (SELECT max(version) FROM taxonomy_versions WHERE city_code = $1)),
       o AS (
         INSERT INTO orders (city_code, tracking_no, channel, channel_ref, request_type, category_id, title, body,
                             citizen_name, citizen_phone, citizen_address, confidential, location_address, area_code,
                             lat, lng, urgency, attachments, state, search_text, created_by, created_at, updated_at, no_callback)
         SELECT $1, to_char($19::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || '-' ||
                    lpad(nextval('order_tracking_seq')::text, 8, '0'),
                $2, $3, $4, (SELECT id FROM cat), $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'registered', $18,
                $20, $19, $19, $25
          WHERE $5::text IS NULL OR EXISTS (SELECT 1 FROM cat)
         ON CONFLICT (city_code, channel, channel_ref) WHERE channel_ref IS NOT NULL DO NOTHING
         RETURNING *),
       e AS (
         INSERT INTO order_events (city_code, order_id, seq, type, actor_kind, actor_id, actor_role, actor_unit_id, at,
                                   from_state, to_state, payload)
         SELECT city_code, id, 1, 'order.registered', $21, $20, $22, $23, created_at, NULL, 'registered',
                jsonb_build_object('channel', $2::text, 'channelRef', $3::text)
           FROM o),
       a AS (
         INSERT INTO audit_log (city_code, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, detail)
         SELECT city_code, created_at, $21, $20, $24, 'order.registered', 'order', id, jsonb_build_object('seq', 1) FROM o)
       SELECT ${ORDER_COLUMNS}, EXISTS (SELECT 1 FROM cat) AS category_found
         FROM (SELECT 1) AS one LEFT JOIN o ON true ${ORDER_JOINS}`,
      [actor.cityCode, input.channel, input.channelRef ?? null, input.requestType, input.categoryCode ?? null, input.title,
        input.body, input.citizen?.name ?? null, phone, input.citizen?.address ?? null, input.confidential ?? false,
        input.location?.address ?? null, input.location?.areaCode ?? null, input.location?.lat ?? null,
        input.location?.lng ?? null, input.urgency ?? 'normal', JSON.stringify(input.attachments ?? []), search, now,
        actor.kind === 'staff' ? actor.id : null, actor.kind, actorRole(actor), actor.unitId, actor.name,
        input.citizen?.noCallback ?? false]));
  } catch (error) {
    if ((error as { code?: string }).code === PG_FOREIGN_KEY_VIOLATION) {
      throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: input.location?.areaCode ?? '' });
    }
    throw error;
  }
  const row = result.rows[0];
  if (row.id) {
    const order = toView(row, actor, false);
    publishOrderEvents([{ type: 'order.registered', orderId: order.id, cityCode: actor.cityCode, seq: 1, at: order.createdAt,
      fromState: null, toState: 'registered' }]);
    return { order: await afterIntake(pool, actor, order, 'registered', now), created: true };
  }
  if (input.categoryCode && !row.category_found) throw new DomainError('TAXONOMY_CATEGORY_NOT_FOUND', { code: input.categoryCode });
  const existing = await pool.query('SELECT id FROM orders WHERE city_code = $1 AND channel = $2 AND channel_ref = $3',
    [actor.cityCode, input.channel, input.channelRef]);
  return { order: await readOrder(pool, actor, existing.rows[0].id, false), created: false };
}

/**
 * Runs after an order is registered or its text changed, once the change is committed: it may add
 * fields to the order as returned (suggestions). A failing hook is logged and skipped: the order is
 * already safe, and never lost for a suggestion.
 */
export type IntakeHook = (ctx: { pool: pg.Pool; actor: Actor; order: OrderView; cause: 'registered' | 'text_changed'; now: Date })
  => Promise<Partial<Pick<OrderView, 'suggestions'>> | void>;
const intakeHooks = new Set<IntakeHook>();
let logIntakeFailure: (error: unknown) => void = (error) => console.error('intake hook failed:', error);

/** Adds a hook run after every registration and text change (classification); adding one twice keeps one. */
export function registerIntakeHook(hook: IntakeHook, onFailure?: (error: unknown) => void): void {
  intakeHooks.add(hook);
  if (onFailure) logIntakeFailure = onFailure;
}

async function afterIntake(pool: pg.Pool, actor: Actor, order: OrderView, cause: 'registered' | 'text_changed', now: Date): Promise<OrderView> {
  let view = order;
  for (const hook of intakeHooks) {
    try {
      const added = await hook({ pool, actor, order: view, cause, now });
      if (added) view = { ...view, ...added };
    } catch (error) {
      logIntakeFailure(error);
    }
  }
  return view;
}

/** A closed order as training data for classification: its text and the category it was closed under. */
export interface TrainingOrder {
  id: string;
  title: string;
  body: string;
  requestType: string;
  /** code of the category the order was filed under (in the tree version it was filed in) */
  categoryCode: string | null;
  createdAt: Date;
}

/**
 * The newest `limit` closed orders (closed or archived, not cancelled or merged), oldest first: what
 * the hotline finally decided each request was. Answered directly or handled by a unit alike.
 */
export async function trainingOrders(db: Queryable, cityCode: string, limit: number): Promise<TrainingOrder[]> {
  const result = await db.query(
    `SELECT o.id, o.title, o.body, o.request_type, c.code AS category_code, o.created_at
       FROM (SELECT * FROM orders WHERE city_code = $1 AND state IN ('closed', 'archived') ORDER BY created_at DESC LIMIT $2) o
       LEFT JOIN categories c ON c.id = o.category_id
      ORDER BY o.created_at, o.id`, [cityCode, limit]);
  return result.rows.map((r) => ({ id: r.id, title: r.title, body: r.body, requestType: r.request_type, categoryCode: r.category_code,
    createdAt: r.created_at }));
}

/** Every order's text, a page at a time in registration order (for indexing): after `after`, `limit` of them. */
export async function orderTexts(db: Queryable, cityCode: string, after: { createdAt: Date; id: string } | null, limit: number):
  Promise<{ id: string; title: string; body: string; createdAt: Date }[]> {
  const result = await db.query(
    `SELECT id, title, body, created_at FROM orders WHERE city_code = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
      ORDER BY created_at, id LIMIT $4`, [cityCode, after?.createdAt ?? null, after?.id ?? null, limit]);
  return result.rows.map((r) => ({ id: r.id, title: r.title, body: r.body, createdAt: r.created_at }));
}

// ---- read --------------------------------------------------------------------------------

async function readOrder(db: Queryable, actor: Actor, id: string, reveal: boolean): Promise<OrderView> {
  assertUuid(id);
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ?', id);
  const result = await db.query(prepared(`${ORDER_SELECT} ${where.sql}`, where.params));
  if (result.rowCount === 0) throw new DomainError('ORDER_NOT_FOUND', { id });
  return toView(result.rows[0], actor, reveal);
}

/**
 * An order with its assignments and full event history, personal data shown as the actor's role
 * allows. Showing it unmasked is itself recorded in the audit log.
 */
export async function getOrder(pool: pg.Pool, actor: Actor, id: string, ip: string | null = null): Promise<OrderDetail> {
  const order = await readOrder(pool, actor, id, true);
  const [assignments, events] = await Promise.all([listAssignments(pool, id), listOrderEvents(pool, actor, id, false)]);
  if (order.citizen.visibility === 'full' && (order.citizen.name || order.citizen.phone || order.citizen.address)) {
    await recordAudit(pool, actor, { action: 'personal_data.read', subjectType: 'order', subjectId: id, ip,
      detail: { fields: ['name', 'phone', 'address'].filter((f) => order.citizen[f as 'name'] !== null) } });
  }
  return { ...order, assignments, events };
}

async function listAssignments(db: Queryable, orderId: string): Promise<Assignment[]> {
  const result = await db.query(
    `SELECT a.*, u.name AS unit_name FROM order_assignments a JOIN units u ON u.id = a.unit_id
      WHERE a.order_id = $1 ORDER BY a.id`, [orderId]);
  return result.rows.map((r) => ({ id: r.id, unitId: r.unit_id, unitName: r.unit_name, role: r.role, status: r.status,
    parentAssignmentId: r.parent_assignment_id, assignedAt: r.assigned_at.toISOString(), endedAt: r.ended_at?.toISOString() ?? null }));
}

/** The order's events in order. `check` verifies the actor may see the order first. */
export async function listOrderEvents(db: Queryable, actor: Actor, orderId: string, check = true): Promise<OrderEvent[]> {
  if (check) await readOrder(db, actor, orderId, false);
  const result = await db.query('SELECT * FROM order_events WHERE order_id = $1 ORDER BY seq', [orderId]);
  return result.rows.map((r) => ({ seq: r.seq, type: r.type, at: r.at.toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role, unitId: r.actor_unit_id },
    fromState: r.from_state, toState: r.to_state, reason: r.reason, payload: r.payload }));
}

export interface OrderQuery {
  state?: OrderState[] | undefined;
  stateGroup?: 'open' | 'closed' | undefined;
  /** orders ever assigned to this unit or its sub-units */
  unitId?: string | undefined;
  /** category code, with the categories under it (in any tree version) */
  categoryCode?: string | undefined;
  /** area code, with the areas inside it */
  areaCode?: string | undefined;
  channel?: Channel | undefined;
  requestType?: string | undefined;
  urgency?: Urgency | undefined;
  phone?: string | undefined;
  trackingNo?: string | undefined;
  /** these orders only (as the actor may see them) */
  ids?: string[] | undefined;
  /** words of title and text, all required */
  q?: string | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  sort: 'created_at' | '-created_at' | 'updated_at' | '-updated_at';
  limit: number;
  offset: number;
}

/** Orders visible to the actor, filtered, sorted and paginated; personal data masked. */
export async function listOrders(db: Queryable, actor: Actor, q: OrderQuery): Promise<OrderView[]> {
  const [column, direction] = q.sort.startsWith('-') ? [q.sort.slice(1), 'DESC'] : [q.sort, 'ASC'];
  // A unit's list by registration time walks its order_scopes index: the cost is the page, not its history.
  const byScope = !seesWholeCity(actor) && actor.unitId !== null && column === 'created_at';
  const where = byScope
    ? new WhereBuilder().add('s.unit_id = ?', actor.unitId).add('o.city_code = ?', actor.cityCode)
    : visibleTo(actor, new WhereBuilder());
  if (q.state?.length) where.add('o.state = ANY(?)', q.state);
  if (q.stateGroup) {
    const states = Object.entries(ORDER_STATE_GROUP).filter(([, g]) => g === q.stateGroup).map(([s]) => s);
    where.add('o.state = ANY(?)', states);
  }
  if (q.unitId) where.add('EXISTS (SELECT 1 FROM order_scopes s WHERE s.unit_id = ? AND s.order_id = o.id)', q.unitId);
  if (q.categoryCode) where.add(`c.code LIKE ? || '%'`, q.categoryCode);
  if (q.areaCode) where.add(`o.area_code LIKE ? || '%'`, areaPrefix(q.areaCode));
  if (q.channel) where.add('o.channel = ?', q.channel);
  if (q.requestType) where.add('o.request_type = ?', q.requestType);
  if (q.urgency) where.add('o.urgency = ?', q.urgency);
  if (q.phone) where.add('o.citizen_phone = ?', normalizePhone(q.phone));
  if (q.trackingNo) where.add('o.tracking_no = ?', q.trackingNo);
  if (q.ids) where.add('o.id = ANY(?::uuid[])', q.ids.filter((id) => UUID.test(id)));
  if (q.createdFrom) where.add('o.created_at >= ?', q.createdFrom);
  if (q.createdTo) where.add('o.created_at < ?', q.createdTo);
  if (q.q) {
    const tsquery = searchQuery(q.q);
    if (tsquery) where.add(`o.search_vector @@ to_tsquery('simple', ?)`, tsquery);
    else where.add(`(o.title || o.body) LIKE '%' || ? || '%'`, q.q);
  }
  const source = byScope ? `SELECT ${ORDER_COLUMNS} FROM order_scopes s JOIN orders o ON o.id = s.order_id ${ORDER_JOINS}` : ORDER_SELECT;
  const orderBy = byScope ? `s.order_created_at ${direction}, s.order_id ${direction}` : `o.${column} ${direction}, o.id ${direction}`;
  // Not prepared: how selective a filter is (a phone number, a common word) decides the best plan,
  // and a generic plan chose a bitmap of every match over a walk by date (1M orders: 63 ms vs 2 ms).
  const result = await db.query(
    `${source} ${where.sql} ORDER BY ${orderBy} LIMIT ${where.param(q.limit)} OFFSET ${where.param(q.offset)}`,
    where.params,
  );
  return result.rows.map((r) => toView(r, actor, false));
}

/** A unit's inbox: orders actively assigned to the actor's unit (lead or co-handling), newest first. */
export async function unitInbox(db: Queryable, actor: Actor, q: { limit: number; offset: number }): Promise<OrderView[]> {
  if (!actor.unitId) return [];
  const result = await db.query(prepared(
    // Walks the (unit_id, status, assigned_at) index newest first and stops at the page: the cost
    // is the page size, not the unit's backlog. Dispatch never makes a unit both lead and co-handler.
    `${ORDER_SELECT}
      JOIN (SELECT order_id, assigned_at FROM order_assignments
             WHERE unit_id = $1 AND status = 'active' ORDER BY assigned_at DESC LIMIT $3 OFFSET $4) a ON a.order_id = o.id
      WHERE o.city_code = $2 ORDER BY a.assigned_at DESC, o.id`,
    [actor.unitId, actor.cityCode, q.limit, q.offset],
  ));
  return result.rows.map((r) => toView(r, actor, false));
}

/**
 * Units to dispatch an order to, best first, from its category's unit kind and its area (the
 * directory's routing rules). The agent confirms; nothing is dispatched here.
 */
export async function suggestUnits(db: Queryable, actor: Actor, orderId: string): Promise<UnitSuggestion[]> {
  const order = await readOrder(db, actor, orderId, false);
  const kind = order.category ? (await getCategory(db, actor.cityCode, order.category.id)).unitKind : null;
  return routeUnits(db, actor.cityCode, kind, order.location.areaCode);
}

// ---- change ------------------------------------------------------------------------------

/** The locked row: every column of `orders`; these are the ones the rules read. */
interface LockedOrder extends Record<string, any> {
  id: string;
  city_code: string;
  state: OrderState;
  version: number;
  lead_unit_id: string | null;
  extension_pending: boolean;
  clock_paused: boolean;
  merged_into: string | null;
}

interface AssignmentRow {
  id: number;
  unit_id: string;
  role: 'lead' | 'co';
  status: Assignment['status'];
  parent_assignment_id: number | null;
}

/** Refuses a change made on a stale copy: the caller saw `expected`, the order is at another version. */
function assertVersion(order: LockedOrder, expected: number | undefined): void {
  if (expected !== undefined && expected !== order.version) {
    throw new DomainError('ORDER_VERSION_CONFLICT', { expected, actual: order.version });
  }
}

/** Locks the order row (through the actor's visibility) and reads its assignments. */
async function lockOrder(client: Queryable, actor: Actor, id: string): Promise<{ order: LockedOrder; assignments: AssignmentRow[] }> {
  assertUuid(id);
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ?', id);
  const locked = await client.query(prepared(
    `SELECT o.* FROM orders o ${where.sql} FOR UPDATE OF o`, where.params));
  if (locked.rowCount === 0) throw new DomainError('ORDER_NOT_FOUND', { id });
  const assignments = await client.query(prepared(
    'SELECT id, unit_id, role, status, parent_assignment_id FROM order_assignments WHERE order_id = $1 ORDER BY id', [id]));
  return { order: locked.rows[0], assignments: assignments.rows };
}

/** What an action changes besides the state: columns of `orders`, event payload. */
interface Effect {
  columns: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** overrides the rule's target state (a return to the unit that passed the order down) */
  toState?: OrderState;
  /** events to append to other orders (merge) */
  after?: (client: Queryable) => Promise<PublishedOrderEvent[]>;
}

type EffectContext = {
  client: Queryable;
  actor: Actor;
  order: LockedOrder;
  assignments: AssignmentRow[];
  input: TransitionInput;
  now: Date;
};

function requireText(input: TransitionInput, field: 'text', action: OrderAction): string {
  const value = input[field]?.trim();
  if (!value) throw new DomainError('ORDER_INVALID_FIELD', { detail: `${action} needs ${field}` });
  return value;
}

async function activeUnit(ctx: EffectContext, unitId: string | undefined, field: string): Promise<string> {
  if (!unitId) throw new DomainError('ORDER_INVALID_FIELD', { detail: `${field} is required` });
  assertUuidOrTarget(unitId, field);
  const unit = await getUnit(ctx.client, ctx.actor.cityCode, unitId).catch(() => {
    throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: no such unit ${unitId}` });
  });
  if (!unit.active) throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: unit ${unit.name} is inactive` });
  if (unit.level === 'hotline') throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: the hotline is not a handling unit` });
  return unit.id;
}

function assertUuidOrTarget(id: string, field: string): void {
  if (!UUID.test(id)) throw new DomainError('ORDER_INVALID_TARGET', { detail: `${field}: ${id} is not an id` });
}

async function endAssignments(ctx: EffectContext, ids: number[], status: Assignment['status']): Promise<void> {
  if (ids.length === 0) return;
  await ctx.client.query(prepared('UPDATE order_assignments SET status = $2, ended_at = $3 WHERE id = ANY($1)', [ids, status, ctx.now]));
}

/** Assigns the order to a unit, and opens it to that unit and every unit above it (order_scopes). */
async function assign(ctx: EffectContext, unitId: string, role: 'lead' | 'co', parentId: number | null = null): Promise<void> {
  await ctx.client.query(prepared(
    `WITH a AS (
       INSERT INTO order_assignments (city_code, order_id, unit_id, role, parent_assignment_id, status, assigned_at, assigned_by)
       VALUES ($1, $2, $3, $4, $5, 'active', $6, $7))
     INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
     SELECT ancestor.id::uuid, o.id, o.city_code, o.created_at
       FROM orders o, units u, unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) AS ancestor(id)
      WHERE o.id = $2 AND u.id = $3
     ON CONFLICT DO NOTHING`,
    [ctx.order.city_code, ctx.order.id, unitId, role, parentId, ctx.now, ctx.actor.kind === 'staff' ? ctx.actor.id : null]));
}

const activeIds = (rows: AssignmentRow[], role?: 'lead' | 'co') =>
  rows.filter((a) => a.status === 'active' && (!role || a.role === role)).map((a) => a.id);
const activeLead = (rows: AssignmentRow[]) => rows.find((a) => a.status === 'active' && a.role === 'lead');
const lastLead = (rows: AssignmentRow[]) => [...rows].reverse().find((a) => a.role === 'lead');

/** The side effects of each action, beyond the state change the rules decide. */
const EFFECTS: Record<OrderAction, (ctx: EffectContext) => Promise<Effect>> = {
  async answer_directly(ctx) {
    return { columns: {}, payload: { text: requireText(ctx.input, 'text', 'answer_directly') } };
  },
  async dispatch(ctx) {
    const lead = await activeUnit(ctx, ctx.input.unitId, 'unitId');
    const coUnits = [...new Set(ctx.input.coUnitIds ?? [])];
    if (coUnits.includes(lead)) throw new DomainError('ORDER_INVALID_TARGET', { detail: 'a co-handler cannot be the lead unit' });
    for (const co of coUnits) await activeUnit(ctx, co, 'coUnitIds');
    await endAssignments(ctx, activeIds(ctx.assignments), 'withdrawn');
    await assign(ctx, lead, 'lead');
    for (const co of coUnits) await assign(ctx, co, 'co');
    return { columns: { lead_unit_id: lead }, payload: { unitId: lead, coUnitIds: coUnits } };
  },
  async sign() {
    return { columns: {}, payload: {} };
  },
  async return(ctx) {
    const current = activeLead(ctx.assignments)!;
    await endAssignments(ctx, [current.id], 'returned');
    const parent = ctx.assignments.find((a) => a.id === current.parent_assignment_id);
    if (parent) {
      // passed down: the order goes back to the unit that passed it, which had signed for it
      await assign(ctx, parent.unit_id, 'lead', parent.parent_assignment_id);
      return { columns: { lead_unit_id: parent.unit_id }, payload: { unitId: current.unit_id, backTo: parent.unit_id },
        toState: 'signed' };
    }
    return { columns: { clock_paused: false }, payload: { unitId: current.unit_id } };
  },
  async reject_return(ctx) {
    const returned = lastLead(ctx.assignments);
    if (!returned) throw new DomainError('ORDER_INVALID_TARGET', { detail: 'no unit to send the order back to' });
    await assign(ctx, returned.unit_id, 'lead');
    return { columns: { lead_unit_id: returned.unit_id }, payload: { unitId: returned.unit_id } };
  },
  async pass_down(ctx) {
    const target = await activeUnit(ctx, ctx.input.unitId, 'unitId');
    const current = activeLead(ctx.assignments)!;
    const sub = await ctx.client.query(
      `SELECT 1 FROM units t, units me WHERE t.id = $1 AND me.id = $2 AND t.id <> me.id AND t.path LIKE me.path || '%'`,
      [target, current.unit_id]);
    if (!sub.rowCount) throw new DomainError('ORDER_INVALID_TARGET', { detail: 'an order can be passed down only to a sub-unit' });
    await endAssignments(ctx, [current.id], 'passed_down');
    await assign(ctx, target, 'lead', current.id);
    return { columns: { lead_unit_id: target }, payload: { fromUnitId: current.unit_id, unitId: target } };
  },
  async request_extension(ctx) {
    const days = ctx.input.days;
    if (!days || !Number.isInteger(days) || days < 1 || days > 30) {
      throw new DomainError('ORDER_INVALID_FIELD', { detail: 'days must be a whole number of working days, 1 to 30' });
    }
    return { columns: { extension_pending: true }, payload: { days } };
  },
  async approve_extension(ctx) {
    const requested = await ctx.client.query(
      `SELECT (payload->>'days')::int AS days FROM order_events
        WHERE order_id = $1 AND type = 'order.extension_requested' ORDER BY seq DESC LIMIT 1`, [ctx.order.id]);
    const asked: number = requested.rows[0]?.days ?? 0;
    const days = ctx.input.days ?? asked;
    if (!Number.isInteger(days) || days < 1 || days > asked) {
      throw new DomainError('ORDER_INVALID_FIELD', { detail: `days must be 1 to the ${asked} requested` });
    }
    return { columns: { extension_pending: false }, payload: { days, requestedDays: asked } };
  },
  async deny_extension() {
    return { columns: { extension_pending: false }, payload: {} };
  },
  async pause_clock() {
    return { columns: { clock_paused: true }, payload: {} };
  },
  async resume_clock() {
    return { columns: { clock_paused: false }, payload: {} };
  },
  async co_reply(ctx) {
    const text = requireText(ctx.input, 'text', 'co_reply');
    const mine = ctx.assignments.filter((a) => a.status === 'active' && a.role === 'co' && a.unit_id === ctx.actor.unitId);
    await endAssignments(ctx, mine.map((a) => a.id), 'done');
    return { columns: {}, payload: { text, unitId: ctx.actor.unitId } };
  },
  async reply(ctx) {
    const text = requireText(ctx.input, 'text', 'reply');
    await endAssignments(ctx, activeIds(ctx.assignments, 'lead'), 'done');
    return { columns: { clock_paused: false }, payload: { text, unitId: ctx.actor.unitId } };
  },
  async return_visit(ctx) {
    const { solved, satisfaction, reached } = ctx.input;
    // a citizen not reached after the last attempt is recorded as such, never as satisfied
    if (reached === false) return { columns: {}, payload: { reached: false, comment: ctx.input.text ?? null } };
    if (solved === undefined || !satisfaction) {
      throw new DomainError('ORDER_INVALID_FIELD', { detail: 'a return visit records solved and satisfaction' });
    }
    return { columns: {}, payload: { reached: true, solved, satisfaction, comment: ctx.input.text ?? null } };
  },
  async close(ctx) {
    return { columns: {}, payload: { text: ctx.input.text ?? null } };
  },
  async reopen(ctx) {
    const unit = ctx.input.unitId ? await activeUnit(ctx, ctx.input.unitId, 'unitId') : lastLead(ctx.assignments)?.unit_id;
    if (!unit) throw new DomainError('ORDER_INVALID_FIELD', { detail: 'unitId is required: the order was never dispatched' });
    await endAssignments(ctx, activeIds(ctx.assignments), 'withdrawn');
    await assign(ctx, unit, 'lead');
    return { columns: { lead_unit_id: unit, reopen_count: { sql: 'reopen_count + 1' }, closed_at: null }, payload: { unitId: unit } };
  },
  async urge(ctx) {
    return { columns: { urge_count: { sql: 'urge_count + 1' } }, payload: { text: ctx.input.text ?? null } };
  },
  async escalate(ctx) {
    return { columns: { escalated: true }, payload: { text: ctx.input.text ?? null } };
  },
  async merge(ctx) {
    const targetId = ctx.input.targetOrderId;
    if (!targetId) throw new DomainError('ORDER_INVALID_FIELD', { detail: 'targetOrderId is required' });
    if (targetId === ctx.order.id) throw new DomainError('ORDER_INVALID_TARGET', { detail: 'an order cannot be merged into itself' });
    assertUuidOrTarget(targetId, 'targetOrderId');
    const target = await ctx.client.query(
      'SELECT id, city_code, state, version FROM orders WHERE city_code = $1 AND id = $2 FOR UPDATE', [ctx.order.city_code, targetId]);
    const t = target.rows[0];
    if (!t) throw new DomainError('ORDER_INVALID_TARGET', { detail: `no such order ${targetId}` });
    if (ORDER_STATE_GROUP[t.state as OrderState] !== 'open') {
      throw new DomainError('ORDER_INVALID_TARGET', { detail: 'the target order is no longer open' });
    }
    await endAssignments(ctx, activeIds(ctx.assignments), 'withdrawn');
    return {
      columns: { merged_into: targetId },
      payload: { targetOrderId: targetId },
      after: async (client) => {
        await client.query('UPDATE orders SET version = version + 1, updated_at = $2 WHERE id = $1', [targetId, ctx.now]);
        return [await appendEvent(client, ctx.actor, t, { seq: t.version + 1, type: 'order.duplicate_merged', fromState: t.state,
          toState: t.state, payload: { sourceOrderId: ctx.order.id }, at: ctx.now })];
      },
    };
  },
  async cancel(ctx) {
    await endAssignments(ctx, activeIds(ctx.assignments), 'withdrawn');
    return { columns: {}, payload: {} };
  },
  async archive() {
    return { columns: {}, payload: {} };
  },
};

/**
 * Takes one lifecycle action on an order: locks it, checks the actor's role, unit and the
 * current state against the transition table, applies the action's effects and the other
 * modules' hooks (deadlines, return visits), bumps the version and appends the event, all in one
 * transaction. Of two concurrent actions, the second sees the first's result (and is refused if it
 * no longer applies, or if it sent a stale version).
 */
export async function applyTransition(pool: pg.Pool, actor: Actor, orderId: string, action: OrderAction,
  input: TransitionInput = {}, now = new Date()): Promise<OrderView> {
  const published = await withTransaction(pool, (client) => transitionInTransaction(client, actor, orderId, action, input, now));
  publishOrderEvents(published);
  return readOrder(pool, actor, orderId, false);
}

/**
 * `applyTransition` inside the caller's transaction, for modules that chain actions (a return
 * visit that closes the order) or act from a timer. The caller publishes the returned events
 * after commit.
 */
export async function transitionInTransaction(client: Queryable, actor: Actor, orderId: string, action: OrderAction,
  input: TransitionInput, now: Date): Promise<PublishedOrderEvent[]> {
  const { order, assignments } = await lockOrder(client, actor, orderId);
  assertVersion(order, input.expectedVersion);
  const lead = activeLead(assignments);
  const snapshot = {
    state: order.state,
    leadUnitId: lead?.unit_id ?? null,
    coUnitIds: assignments.filter((a) => a.status === 'active' && a.role === 'co').map((a) => a.unit_id),
    extensionPending: order.extension_pending,
    clockPaused: order.clock_paused,
  };
  const ruleTarget = checkTransition(action, snapshot, actor, input.reason);
  const effect = await EFFECTS[action]({ client, actor, order, assignments, input, now });
  const toState = effect.toState ?? ruleTarget;
  const payload = { ...effect.payload };
  for (const hook of transitionHooks) {
    Object.assign(payload, await hook({ client, actor, action, order, fromState: order.state, toState, input, now, payload,
      leadUnitAfter: (effect.columns.lead_unit_id as string | undefined) ?? order.lead_unit_id }));
  }
  await updateOrderRow(client, order.id, toState, now, effect.columns, ORDER_STATE_GROUP[toState] === 'closed' && order.state !== toState);
  const events = [await appendEvent(client, actor, order, { seq: order.version + 1, type: TRANSITIONS[action].event,
    fromState: order.state, toState, reason: input.reason?.trim() || null, payload, at: now })];
  if (effect.after) events.push(...(await effect.after(client)));
  return events;
}

/** What a transition hook is told: the order as it was (locked), the action, and its outcome. */
export interface TransitionHookContext {
  client: Queryable;
  actor: Actor;
  action: OrderAction;
  /** the locked row before the action */
  order: LockedOrder;
  fromState: OrderState;
  toState: OrderState;
  input: TransitionInput;
  now: Date;
  /** the event's payload so far */
  payload: Readonly<Record<string, unknown>>;
  /** the lead unit after the action */
  leadUnitAfter: string | null;
}

/**
 * Runs inside every transition's transaction, before its event is appended: it may refuse the
 * action (throw a DomainError), write its own tables, and return fields to add to the event's payload.
 */
export type TransitionHook = (ctx: TransitionHookContext) => Promise<Record<string, unknown> | void>;
const transitionHooks = new Set<TransitionHook>();

/** Adds a hook to every transition (deadlines, return visits); adding one twice keeps one. */
export function registerTransitionHook(hook: TransitionHook): void {
  transitionHooks.add(hook);
}

/**
 * Appends an event that changes no state (a deadline warning, a return-visit attempt): locks the
 * order, bumps its version and appends the event with its audit row, in the caller's transaction.
 */
export async function recordOrderFact(client: Queryable, actor: Actor, orderId: string,
  fact: { type: string; payload: Record<string, unknown>; reason?: string | null }, now: Date): Promise<PublishedOrderEvent> {
  const bumped = await client.query(prepared(
    'UPDATE orders SET version = version + 1, updated_at = $2 WHERE id = $1 RETURNING id, city_code, state, version',
    [orderId, now]));
  const order = bumped.rows[0];
  if (!order) throw new DomainError('ORDER_NOT_FOUND', { id: orderId });
  return appendEvent(client, actor, order, { seq: order.version, type: fact.type, fromState: order.state, toState: order.state,
    reason: fact.reason ?? null, payload: fact.payload, at: now });
}

/** The order as the actor may see it (personal data masked); ORDER_NOT_FOUND when outside the actor's reach. */
export async function getOrderSummary(db: Queryable, actor: Actor, id: string): Promise<OrderView> {
  return readOrder(db, actor, id, false);
}

/** Writes the new state, bumps the version, and the effect's columns ({sql} values are expressions). */
async function updateOrderRow(client: Queryable, id: string, state: OrderState, now: Date,
  columns: Record<string, unknown>, closing: boolean): Promise<void> {
  const params: unknown[] = [id, state, now];
  const sets = ['state = $2', 'version = version + 1', 'updated_at = $3'];
  if (closing && !('closed_at' in columns)) sets.push('closed_at = COALESCE(closed_at, $3)');
  for (const [column, value] of Object.entries(columns)) {
    if (value && typeof value === 'object' && 'sql' in value) {
      sets.push(`${column} = ${(value as { sql: string }).sql}`);
    } else {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    }
  }
  await client.query(prepared(`UPDATE orders SET ${sets.join(', ')} WHERE id = $1`, params));
}

/**
 * Corrects an order's classification, text, urgency or place while it is at the hotline
 * (registered or returned). The change and the values it replaced are an `order.updated` event.
 */
export async function updateOrder(pool: pg.Pool, actor: Actor, orderId: string, input: UpdateOrderInput, now = new Date()): Promise<OrderView> {
  if (!hasRole(actor, 'agent', 'lead', 'dispatcher')) throw new DomainError('ORDER_ACTION_FORBIDDEN', { action: { zh: '修改', en: 'edit' } });
  const published = await withTransaction(pool, async (client) => {
    const { order } = await lockOrder(client, actor, orderId);
    assertVersion(order, input.expectedVersion);
    if (order.state !== 'registered' && order.state !== 'returned') {
      throw new DomainError('ORDER_TRANSITION_NOT_ALLOWED', { state: ORDER_STATE_LABELS[order.state], action: { zh: '修改', en: 'edit' } });
    }
    const before = order;
    const columns: Record<string, unknown> = {};
    if (input.requestType) columns.request_type = input.requestType;
    if (input.categoryCode) columns.category_id = (await findCurrentCategory(client, actor.cityCode, input.categoryCode)).id;
    if (input.title) columns.title = input.title;
    if (input.body) columns.body = input.body;
    if (input.title || input.body) {
      columns.search_text = searchTokens(`${input.title ?? before.title} ${input.body ?? before.body}`).join(' ');
    }
    if (input.urgency) columns.urgency = input.urgency;
    if (input.location) {
      if (input.location.areaCode) {
        await getArea(client, actor.cityCode, input.location.areaCode);
      }
      columns.location_address = input.location.address ?? before.location_address;
      columns.area_code = input.location.areaCode ?? before.area_code;
      columns.lat = input.location.lat ?? before.lat;
      columns.lng = input.location.lng ?? before.lng;
    }
    const changed = Object.keys(columns).filter((k) => k !== 'search_text');
    if (changed.length === 0) throw new DomainError('VALIDATION_FAILED', { detail: 'nothing to change' });
    await updateOrderRow(client, order.id, order.state, now, columns, false);
    const previous = Object.fromEntries(changed.map((k) => [k, before[k]]));
    const next = Object.fromEntries(changed.map((k) => [k, columns[k]]));
    return [await appendEvent(client, actor, order, { seq: order.version + 1, type: 'order.updated', fromState: order.state,
      toState: order.state, payload: { before: previous, after: next }, at: now })];
  });
  publishOrderEvents(published);
  const updated = await readOrder(pool, actor, orderId, false);
  return input.title || input.body ? afterIntake(pool, actor, updated, 'text_changed', now) : updated;
}
