// Reading orders: who may see which (order_scopes), one order with its history, lists and searches,
// a unit's inbox, summaries for other modules, similar orders, and what classification learns from.
import type pg from 'pg';
import sql, { type Sql } from 'sql-template-tag';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { COUNT_CAP, countUpTo, pageOf, ROW_COUNT_CAP, type Count, type Page, type PageRequest } from '../../db/page.js';
import { WhereBuilder } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { personalDataVisibility, presentCitizen } from './privacy.js';
import { seesWholeCity, type Actor } from '../auth/index.js';
import * as classify from '../classify/index.js';
import { areaPrefix, routeUnits, staffDisplayNames, unitIndex, type UnitSuggestion } from '../directory/index.js';
import { readStream, type StoredEvent } from '../events/index.js';
import { categoriesById, categoryCodesSql, categoryIdsUnder, categoryWithTree } from '../taxonomy/index.js';
import type { Assignment, Channel, InboxOrder, OrderDetail, OrderEvent, OrderView, Urgency } from './model.js';
import * as sla from '../sla/index.js';
import { presentRows } from './presentation.js';
import { availableActions, MERGE_TARGET_STATES, ORDER_STATE_GROUP, type OrderState } from './rules.js';
import { textSearch } from './search-text.js';
import { isUuid } from '../../shared/uuid.js';

/** Phone numbers are stored and searched as digits (and a leading +): 139-0531-2345 → 13905312345. */
/** A phone number as stored and searched: digits only, China's country code (+86, 0086) dropped. */
export const normalizePhone = (phone: string) => phone.replace(/[\s().-]/g, '').replace(/^(?:\+86|0086)/, '');

/** The last four digits of a phone number: searched only by those who see phone numbers in full. */
const PHONE_TAIL = /^\d{4}$/;


/** SQL condition limiting `o` to the orders the actor may see; adds its parameters to `where`. */
export function visibleTo(actor: Actor, where: WhereBuilder): WhereBuilder {
  where.add('o.city_code = ?', actor.cityCode);
  if (actor.kind === 'citizen') return where.add('o.id = ANY(?::uuid[])', [...(actor.orderIds ?? [])]);
  if (seesWholeCity(actor)) return where;
  if (!actor.unitId) return where.add('false');
  return where.add('EXISTS (SELECT 1 FROM order_scopes s WHERE s.unit_id = ? AND s.order_id = o.id)', actor.unitId);
}

/**
 * The ids of the orders the actor may see, as a subquery for another module's query (supervision
 * lists rounds of visible orders); null when the actor sees the whole city. Who sees what stays this
 * module's business: the other module embeds the subquery without naming the table.
 */
export function visibleOrderIds(actor: Actor): Sql | null {
  if (actor.kind === 'citizen') return sql`SELECT unnest(${[...(actor.orderIds ?? [])]}::uuid[])`;
  if (seesWholeCity(actor)) return null;
  if (!actor.unitId) return sql`SELECT NULL::uuid WHERE false`;
  return sql`SELECT order_id FROM order_scopes WHERE unit_id = ${actor.unitId}::uuid`;
}

/**
 * Whether the actor may see an event about an order: the same rule as `visibleTo`, read from the
 * units the event's snapshot says may see the order (so that the live stream needs no query).
 */
export function maySeeEvent(actor: Actor, event: StoredEvent): boolean {
  if (event.stream !== 'order' || event.cityCode !== actor.cityCode || actor.kind === 'citizen') return false;
  if (seesWholeCity(actor)) return true;
  return actor.unitId !== null && (event.snapshot?.units.includes(actor.unitId) ?? false);
}

function assertUuid(id: string): void {
  if (!isUuid(id)) throw new DomainError('ORDER_NOT_FOUND', { id });
}

/** The order as the actor may see it; ORDER_NOT_FOUND when outside the actor's reach. */
export async function readOrder(db: Queryable, actor: Actor, id: string, reveal = false): Promise<OrderView> {
  assertUuid(id);
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ?', id);
  const result = await db.query(prepared(`SELECT o.* FROM orders o ${where.sql}`, where.params));
  if (result.rowCount === 0) throw new DomainError('ORDER_NOT_FOUND', { id });
  return (await presentRows(db, actor, result.rows, reveal))[0]!;
}

/** The order as the actor may see it (personal data masked); ORDER_NOT_FOUND when outside the actor's reach. */
export function getOrderSummary(db: Queryable, actor: Actor, id: string): Promise<OrderView> {
  return readOrder(db, actor, id, false);
}

/** Orders by id as the actor may see them (masked), for another module's list; the others are left out. */
export async function orderSummaries(db: Queryable, actor: Actor, ids: readonly string[]): Promise<Map<string, OrderView>> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return new Map();
  const where = visibleTo(actor, new WhereBuilder()).add('o.id = ANY(?::uuid[])', wanted);
  const result = await db.query(`SELECT o.* FROM orders o ${where.sql}`, where.params);
  return new Map((await presentRows(db, actor, result.rows, false)).map((o) => [o.id, o]));
}

/** Records that `actor` was shown an order's citizen unmasked (nothing when masked, hidden or empty). */
async function auditUnmaskedRead(db: Queryable, actor: Actor, orderId: string,
  citizen: { name: string | null; phone: string | null; address: string | null; visibility: string },
  ip: string | null, detail: object = {}): Promise<void> {
  const fields = (['name', 'phone', 'address'] as const).filter((f) => citizen[f] !== null);
  if (citizen.visibility !== 'full' || fields.length === 0) return;
  await recordAudit(db, actor, { action: 'personal_data.read', subjectType: 'order', subjectId: orderId, ip, detail: { fields, ...detail } });
}

/**
 * The citizens of orders a return-visit caller must phone, as the caller may see them (a visitor in
 * full; masked or hidden otherwise), each unmasked read audited as any other.
 */
export async function citizensToCall(db: Queryable, actor: Actor, orderIds: string[], ip: string | null = null):
  Promise<Map<string, ReturnType<typeof presentCitizen>>> {
  if (orderIds.length === 0) return new Map();
  const rows = (await db.query('SELECT id, citizen_name, citizen_phone, citizen_address, confidential FROM orders WHERE city_code = $1 AND id = ANY($2::uuid[])',
    [actor.cityCode, orderIds])).rows;
  const out = new Map<string, ReturnType<typeof presentCitizen>>();
  for (const row of rows) {
    const citizen = presentCitizen(row, personalDataVisibility(actor, row.confidential));
    out.set(row.id, citizen);
    await auditUnmaskedRead(db, actor, row.id, citizen, ip, { for: 'return_visit' });
  }
  return out;
}

/**
 * Where the platform itself tells citizens about their orders (the outbox): the number they
 * gave, the channel they came by, its reference there, and whether the citizen registered it
 * themselves (a channel's callback, the portal) rather than staff or an API client. Read by no person, so neither masked nor audited.
 */
export async function citizenContacts(db: Queryable, cityCode: string, orderIds: readonly string[]):
  Promise<Map<string, { phone: string | null; channel: string; channelRef: string | null; byCitizen: boolean; trackingNo: string }>> {
  if (orderIds.length === 0) return new Map();
  const rows = (await db.query(prepared(
    `SELECT id, citizen_phone, channel, channel_ref, intake_caller LIKE 'citizen:%' AS by_citizen, tracking_no
       FROM orders WHERE city_code = $1 AND id = ANY($2::uuid[])`, [cityCode, orderIds]))).rows;
  return new Map(rows.map((r) => [r.id, { phone: r.citizen_phone, channel: r.channel, channelRef: r.channel_ref, byCitizen: r.by_citizen === true,
    trackingNo: r.tracking_no }]));
}

/** The order `orderId` was merged into, if it was (followed to its end: a target is never itself merged while it has duplicates). */
export async function mergedInto(db: Queryable, cityCode: string, orderId: string): Promise<string | null> {
  const r = await db.query(prepared('SELECT merged_into FROM orders WHERE city_code = $1 AND id = $2', [cityCode, orderId]));
  return r.rows[0]?.merged_into ?? null;
}

/** The orders merged into each of `targetIds` (their duplicates), by target: whose citizens hear the target's outcome too. */
export async function duplicatesOf(db: Queryable, cityCode: string, targetIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (targetIds.length === 0) return out;
  const rows = (await db.query(prepared('SELECT id, merged_into FROM orders WHERE city_code = $1 AND merged_into = ANY($2::uuid[]) ORDER BY created_at',
    [cityCode, targetIds]))).rows;
  for (const r of rows) out.set(r.merged_into, [...(out.get(r.merged_into) ?? []), r.id]);
  return out;
}

/** The order of a tracking number (as told to the citizen and on the phone), as `getOrder` shows it. */
export async function getOrderByTrackingNo(pool: pg.Pool, actor: Actor, trackingNo: string, ip: string | null = null): Promise<OrderDetail> {
  const found = await pool.query(prepared('SELECT id FROM orders WHERE tracking_no = $1 AND city_code = $2', [trackingNo, actor.cityCode]));
  if (!found.rowCount) throw new DomainError('ORDER_NOT_FOUND', { id: trackingNo });
  return getOrder(pool, actor, found.rows[0].id, ip);
}

/**
 * An order with its assignments and full event history, personal data shown as the actor's role
 * allows. Showing it unmasked is itself recorded in the audit log.
 */
export async function getOrder(pool: pg.Pool, actor: Actor, id: string, ip: string | null = null): Promise<OrderDetail> {
  const order = await readOrder(pool, actor, id, true);
  const [assignments, events] = await Promise.all([listAssignments(pool, actor.cityCode, id), orderHistory(pool, actor.cityCode, id)]);
  await auditUnmaskedRead(pool, actor, id, order.citizen, ip);
  const active = assignments.filter((a) => a.status === 'active');
  const actions = availableActions({ state: order.state, leadUnitId: order.leadUnit?.id ?? null, extensionPending: order.extensionPending,
    clockPaused: order.clockPaused, coUnitIds: active.filter((a) => a.role === 'co').map((a) => a.unitId) }, actor);
  return { ...order, assignments, events, actions };
}

async function listAssignments(db: Queryable, cityCode: string, orderId: string): Promise<Assignment[]> {
  const result = await db.query('SELECT * FROM order_assignments WHERE order_id = $1 ORDER BY id', [orderId]);
  const units = await unitIndex(db, cityCode, result.rows.map((r) => r.unit_id));
  return result.rows.map((r) => ({ id: Number(r.id), unitId: r.unit_id, unitName: units.get(r.unit_id)?.name ?? r.unit_id, role: r.role,
    status: r.status, parentAssignmentId: r.parent_assignment_id === null ? null : Number(r.parent_assignment_id),
    assignedAt: r.assigned_at.toISOString(), endedAt: r.ended_at?.toISOString() ?? null }));
}

async function orderHistory(db: Queryable, cityCode: string, orderId: string): Promise<OrderEvent[]> {
  const events = await readStream(db, cityCode, orderId);
  const units = await unitIndex(db, cityCode, events.flatMap((e) => (e.actor.unitId ? [e.actor.unitId] : [])));
  const people = await staffDisplayNames(db, cityCode, events.flatMap((e) => (e.actor.kind === 'staff' && e.actor.id ? [e.actor.id] : [])));
  return events.map((e) => ({ seq: e.seq, type: e.type, at: e.at,
    // who acted, by name, and for which unit: the history is read by the hotline and the units that held the order
    actor: { kind: e.actor.kind, id: e.actor.id, name: (e.actor.id && people.get(e.actor.id)) ?? e.actor.name, role: e.actor.role, unitId: e.actor.unitId,
      unitName: e.actor.unitId ? units.get(e.actor.unitId)?.name ?? null : null },
    fromState: e.fromState, toState: e.toState ?? e.fromState ?? '', reason: e.reason, payload: e.payload }));
}

/** The order's events in order, if the actor may see the order. */
export async function listOrderEvents(db: Queryable, actor: Actor, orderId: string): Promise<OrderEvent[]> {
  await readOrder(db, actor, orderId, false);
  return orderHistory(db, actor.cityCode, orderId);
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
  /** any of these tracking numbers */
  trackingNos?: string[] | undefined;
  /** any of these category codes, each with the categories under it */
  categoryCodes?: string[] | undefined;
  /** only what the public may see listed (Open311): no confidential request, no report (举报), whose citizen the rest could point to */
  publicOnly?: boolean | undefined;
  /** 'me': the orders the actor registered */
  registeredBy?: 'me' | undefined;
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

/**
 * `q`: a tracking number finds its order; otherwise each space-separated term must appear as written
 * in the title or the text, the index narrowing first. A term the index cannot narrow (one Chinese
 * character, a symbol) is checked row by row: over a whole city's history only with another filter.
 */
function addTextSearch(where: WhereBuilder, q: OrderQuery, scoped: boolean): boolean {
  const search = textSearch(q.q!);
  if (search.trackingNo) {
    where.add('o.tracking_no = ?', search.trackingNo);
    return false;
  }
  // `::tsquery`, not to_tsquery: the words as written, as the index holds them (the parser would
  // drop a character its locale does not take for a letter, such as ䷀, and miss the order)
  if (search.tsquery) where.add(`minsheng_search_words(o.search_text) @@ ?::tsquery`, search.tsquery);
  else if (!scoped && !hasOtherFilter(q)) throw new DomainError('ORDER_SEARCH_TOO_BROAD', { q: q.q! });
  // `<> 0`, not `> 0`: the planner takes an inequality for a third of the rows and would walk a
  // common word's every match instead of the newest orders; it takes `<>` for nearly all of them
  for (const piece of search.pieces) where.add(`strpos(lower(o.title || ' ' || o.body), ?) <> 0`, piece);
  return search.tsquery !== null;
}

/**
 * A search by words finds its matches first, by the index, up to the count's cap: when there are no
 * more than that, the page is read among them (by id alone: they passed every filter). The planner
 * guesses a word's matches from the commonest words it sampled, and took a word found nowhere for
 * one in a thousand orders: to find the newest twenty it walked the whole history by date (1M
 * orders: 路灯 614 ms, 1.1 by its matches). `ids` is null when there are more.
 */
async function matchesFirst(db: Queryable, where: WhereBuilder, byScope: boolean): Promise<{ count: Count; ids: string[] | null }> {
  const found = await db.query<{ id: string }>(`SELECT o.id ${fromOrders(byScope)} ${where.sql} LIMIT ${ROW_COUNT_CAP + 1}`, where.params);
  return found.rows.length > ROW_COUNT_CAP
    ? { count: { total: ROW_COUNT_CAP, exact: false }, ids: null }
    : { count: { total: found.rows.length, exact: true }, ids: found.rows.map((r) => r.id) };
}

/** A staff id no one has: the system registers no orders of its own. */
const NO_ONE = '00000000-0000-0000-0000-000000000000';

const NOT_FILTERS = new Set(['q', 'sort', 'limit', 'offset']);
const hasOtherFilter = (q: OrderQuery) =>
  Object.entries(q).some(([key, value]) => !NOT_FILTERS.has(key) && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0));

/** Orders visible to the actor, filtered, sorted and paginated; personal data masked. */
export async function listOrders(db: Queryable, actor: Actor, q: OrderQuery): Promise<Page<OrderView>> {
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
  if (q.unitId) where.add('EXISTS (SELECT 1 FROM order_scopes s2 WHERE s2.unit_id = ? AND s2.order_id = o.id)', q.unitId);
  if (q.categoryCode) where.add('o.category_id = ANY(?::bigint[])', await categoryIdsUnder(db, actor.cityCode, q.categoryCode));
  if (q.areaCode) where.add(`o.area_code LIKE ? || '%'`, areaPrefix(q.areaCode));
  if (q.channel) where.add('o.channel = ?', q.channel);
  if (q.requestType) where.add('o.request_type = ?', q.requestType);
  if (q.urgency) where.add('o.urgency = ?', q.urgency);
  if (q.phone) {
    const phone = normalizePhone(q.phone);
    // a confidential order's citizen is hidden from most readers: a search by phone must not find it for them
    if (personalDataVisibility(actor, true) !== 'full') where.add('NOT o.confidential');
    if (PHONE_TAIL.test(phone)) {
      if (personalDataVisibility(actor, false) !== 'full') throw new DomainError('AUTH_FORBIDDEN');
      where.add('right(o.citizen_phone, 4) = ?', phone);
    } else {
      where.add('o.citizen_phone = ?', phone);
    }
  }
  if (q.trackingNo) where.add('o.tracking_no = ?', q.trackingNo);
  if (q.trackingNos) where.add('o.tracking_no = ANY(?)', q.trackingNos);
  if (q.publicOnly) where.add("NOT o.confidential AND o.request_type <> 'report'");
  if (q.categoryCodes) {
    const ids = await Promise.all(q.categoryCodes.map((code) => categoryIdsUnder(db, actor.cityCode, code)));
    where.add('o.category_id = ANY(?::bigint[])', ids.flat());
  }
  if (q.registeredBy) where.add('o.created_by = ?', actor.id ?? NO_ONE);
  if (q.ids) where.add('o.id = ANY(?::uuid[])', q.ids.filter(isUuid));
  if (q.createdFrom) where.add('o.created_at >= ?', q.createdFrom);
  if (q.createdTo) where.add('o.created_at < ?', q.createdTo);
  const byWords = q.q ? addTextSearch(where, q, byScope || !seesWholeCity(actor)) : false;
  const matches = byWords ? await matchesFirst(db, where, byScope) : null;
  // Unfiltered, a unit's orders are counted on the scope index alone, a city's on its first rows;
  // filtered, the orders themselves are read, and counted to a lower cap.
  const unfiltered = !q.q && !hasOtherFilter(q);
  const [matching, cap] = unfiltered && byScope
    ? [{ text: 'FROM order_scopes s WHERE s.unit_id = $1', values: [actor.unitId] }, COUNT_CAP]
    : [{ text: `${fromOrders(byScope)} ${where.sql}`, values: [...where.params] }, unfiltered ? COUNT_CAP : ROW_COUNT_CAP];
  const page = matches?.ids ? amongIds(matches.ids, byScope ? actor.unitId : null) : where;
  const orderBy = byScope ? `s.order_created_at ${direction}, s.order_id ${direction}` : `o.${column} ${direction}, o.id ${direction}`;
  // Not prepared: how selective a filter is (a phone number, a common word) decides the best plan,
  // and a generic plan chose a bitmap of every match over a walk by date (1M orders: 63 ms vs 2 ms).
  const [result, count] = await Promise.all([
    matches?.ids?.length === 0 ? { rows: [] } : db.query(
      `SELECT o.* ${fromOrders(byScope)} ${page.sql} ORDER BY ${orderBy} LIMIT ${page.param(q.limit)} OFFSET ${page.param(q.offset)}`, page.params),
    matches?.count ?? countUpTo(db, matching, cap),
  ]);
  return pageOf(await presentRows(db, actor, result.rows, false), count, q);
}

/** The orders `ids`; through a unit's scopes, the unit's rows of them (one each). */
function amongIds(ids: string[], unitId: string | null): WhereBuilder {
  const where = new WhereBuilder();
  if (unitId) where.add('s.unit_id = ?', unitId);
  return where.add('o.id = ANY(?::uuid[])', ids);
}

const fromOrders = (byScope: boolean) => byScope ? 'FROM order_scopes s JOIN orders o ON o.id = s.order_id' : 'FROM orders o';

export interface InboxRequest extends PageRequest {
  /** only the orders whose pressing deadline is in this status, the most pressing first */
  deadline?: sla.PressingStatus | undefined;
}

/** A unit's inbox: orders actively assigned to the actor's unit (lead or co-handling), newest first. */
export async function unitInbox(db: Queryable, actor: Actor, q: InboxRequest, now = new Date()): Promise<Page<InboxOrder>> {
  if (!actor.unitId) return pageOf([], { total: 0, exact: true }, q);
  const filtered = q.deadline ? await pressingRows(db, actor, q.deadline, q, now) : null;
  const [newest, all] = filtered ? [null, null] : await Promise.all([newestRows(db, actor, q), countUpTo(db, assignedTo(actor.unitId), INBOX_COUNT_CAP)]);
  const rows = filtered?.rows ?? newest!;
  // each with the deadline that presses now, so that the inbox is coloured by time left
  const deadlines = await sla.pressingDeadlines(db, actor.cityCode, rows.map((r) => r.id), now);
  const orders = await presentRows(db, actor, rows, false);
  return pageOf(orders.map((o) => ({ ...o, deadline: deadlines.get(o.id) ?? null })), filtered?.count ?? all!, q);
}

export type InboxCounts = Record<'all' | sla.PressingStatus, number>;

/**
 * How many orders the actor's unit has in hand, and how many by the status of their pressing
 * deadline at `now`: the inbox's filters. Asked apart from the first page, which need not wait for
 * it (counting a unit's 50,000 rounds takes far longer than reading 20 orders).
 */
export async function unitInboxCounts(db: Queryable, actor: Actor, now = new Date()): Promise<InboxCounts> {
  if (!actor.unitId) return { all: 0, on_time: 0, warning: 0, overdue: 0, paused: 0 };
  const [all, byStatus] = await Promise.all([countUpTo(db, assignedTo(actor.unitId), INBOX_COUNT_CAP), sla.unitPressingCounts(db, actor.cityCode, actor.unitId, now)]);
  return { all: all.total, ...byStatus };
}

const assignedTo = (unitId: string) => ({ text: `FROM order_assignments WHERE unit_id = $1 AND status = 'active'`, values: [unitId] });
/**
 * A unit's orders in hand are counted whole (a unit's backlog, not the city's history: 50,000 index
 * entries take milliseconds), so that the inbox's "all" agrees with its exact counts by deadline.
 */
const INBOX_COUNT_CAP = 1_000_000;

/** The unit's active assignments, newest first. */
async function newestRows(db: Queryable, actor: Actor, q: PageRequest): Promise<Record<string, any>[]> {
  const result = await db.query(prepared(
    // Walks the (unit_id, status, assigned_at) index newest first and stops at the page: the cost
    // is the page size, not the unit's backlog. Dispatch never makes a unit both lead and co-handler.
    `SELECT o.* FROM orders o
      JOIN (SELECT order_id, assigned_at FROM order_assignments
             WHERE unit_id = $1 AND status = 'active' ORDER BY assigned_at DESC LIMIT $3 OFFSET $4) a ON a.order_id = o.id
      WHERE o.city_code = $2 ORDER BY a.assigned_at DESC, o.id`,
    [actor.unitId, actor.cityCode, q.limit, q.offset],
  ));
  return result.rows;
}

/** The unit's orders whose pressing deadline is in `status`, in the deadlines module's order. */
async function pressingRows(db: Queryable, actor: Actor, status: sla.PressingStatus, q: PageRequest, now: Date) {
  const ids = await sla.unitOrdersPressing(db, actor.cityCode, actor.unitId!, status, q, now);
  const result = await db.query('SELECT * FROM orders WHERE city_code = $1 AND id = ANY($2::uuid[])', [actor.cityCode, ids.items]);
  const byId = new Map(result.rows.map((r) => [r.id as string, r]));
  return { rows: ids.items.flatMap((id) => byId.get(id) ?? []), count: { total: ids.total, exact: ids.totalExact } };
}

/**
 * Units to dispatch an order to, best first, from its category's unit kind and its area (the
 * directory's routing rules). The agent confirms; nothing is dispatched here.
 */
export async function suggestUnits(db: Queryable, actor: Actor, orderId: string): Promise<UnitSuggestion[]> {
  const order = await readOrder(db, actor, orderId, false);
  const kind = order.category ? (await categoryWithTree(db, actor.cityCode, order.category.id)).category.unitKind : null;
  return routeUnits(db, actor.cityCode, kind, order.location.areaCode);
}

const DUPLICATE_DAYS = 7;

/** What a request is compared with for duplicates: its place, its category and when it came. */
export interface DuplicateProbe { areaCode: string | null | undefined; categoryCode: string | null | undefined; at: Date }

/**
 * 疑似重复: a similar order that is the same matter reported again, to merge rather than handle twice:
 * still open to a merge, within DUPLICATE_DAYS of the request, in the same street (the first nine
 * digits of the area code) and category where both know theirs, and close in words (half the
 * keyword weight shared; seven tenths when either place is unknown).
 */
export function isLikelyDuplicate(o: OrderView, similarity: number, probe: DuplicateProbe): boolean {
  if (!MERGE_TARGET_STATES.includes(o.state) || Math.abs(Date.parse(o.createdAt) - probe.at.getTime()) > DUPLICATE_DAYS * 86_400_000) return false;
  if (probe.categoryCode && o.category && o.category.code !== probe.categoryCode) return false;
  const places = probe.areaCode && o.location.areaCode;
  if (places && probe.areaCode!.slice(0, 9) !== o.location.areaCode!.slice(0, 9)) return false;
  return similarity >= (places ? 0.5 : 0.7);
}

/** Similar orders (keyword hits) as the actor may see them (personal data masked), in the order found, the likely duplicates of `probe` marked. */
export async function presentSimilar(db: Queryable, actor: Actor, hits: readonly classify.SimilarHit[], probe: DuplicateProbe): Promise<classify.SimilarOrder[]> {
  if (hits.length === 0) return [];
  const orders = await orderSummaries(db, actor, hits.map((h) => h.orderId));
  return hits.flatMap((h) => {
    const o = orders.get(h.orderId);
    return o ? [{ id: o.id, trackingNo: o.trackingNo, title: o.title, state: o.state,
      category: o.category ? { code: o.category.code, name: o.category.name } : null, leadUnit: o.leadUnit, createdAt: o.createdAt,
      similarity: h.similarity, shared: h.shared, likelyDuplicate: isLikelyDuplicate(o, h.similarity, probe) }] : [];
  });
}

/** The orders most similar to an order, as the actor may see them (GET /orders/{id}/similar). */
export async function similarOrders(pool: pg.Pool, actor: Actor, orderId: string, q: { limit: number; days: number; now?: Date }):
  Promise<classify.SimilarOrder[]> {
  const order = await readOrder(pool, actor, orderId, false);
  const hits = await classify.similarHits(pool, actor.cityCode, `${order.title}\n${order.body}`,
    { limit: q.limit, days: q.days, excludeOrderId: order.id, now: q.now ?? new Date() });
  return presentSimilar(pool, actor, hits, { areaCode: order.location.areaCode, categoryCode: order.category?.code, at: new Date(order.createdAt) });
}

/** What the agent sees while typing (POST /classify/suggest): the suggestion, with the similar orders they may see. */
export async function suggestWhileTyping(pool: pg.Pool, actor: Actor, input: { title?: string | undefined; text: string; areaCode?: string | null | undefined },
  options: { similarDays?: number; now?: Date } = {}): Promise<classify.Suggestion> {
  const computed = await classify.suggest(pool, actor, input, options);
  // what is typed has a place, but no category yet: the suggestion's is not the agent's
  return { ...computed.suggestion, similar: computed.similar && await presentSimilar(pool, actor, computed.similar,
    { areaCode: input.areaCode, categoryCode: null, at: options.now ?? new Date() }) };
}

/**
 * The newest `limit` closed orders (closed or archived, not cancelled or merged), oldest first: what
 * the hotline finally decided each request was, for classification to learn from. Generated orders
 * (a demo's or a benchmark's history) are left out: their words are the generator's templates.
 */
export const trainingOrders: classify.ClosedOrders = async (db, cityCode, limit) => {
  const result = await db.query(
    `SELECT o.id, o.title, o.body, o.request_type, o.category_id, o.created_at
       FROM (SELECT * FROM orders WHERE city_code = $1 AND state IN ('closed', 'archived') AND NOT generated ORDER BY created_at DESC LIMIT $2) o
      ORDER BY o.created_at, o.id`, [cityCode, limit]);
  const categories = await categoriesById(db, cityCode, result.rows.filter((r) => r.category_id).map((r) => Number(r.category_id)));
  return result.rows.map((r) => ({ title: r.title, body: r.body, requestType: r.request_type,
    categoryCode: r.category_id ? categories.get(Number(r.category_id))?.code ?? null : null }));
};

/** Every order's text, a page at a time in registration order (for indexing keywords). */
export const orderTexts: classify.OrderTexts = async (db, cityCode, after, limit) => {
  const result = await db.query(
    `SELECT id, title, body, created_at FROM orders WHERE city_code = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2, $3::uuid))
      ORDER BY created_at, id LIMIT $4`, [cityCode, after?.createdAt ?? null, after?.id ?? null, limit]);
  return result.rows.map((r) => ({ id: r.id, title: r.title, body: r.body, createdAt: r.created_at }));
};

/** The texts of these orders (for the hot topics' clustering); orders of another city are left out. */
export async function textsOf(db: Queryable, cityCode: string, ids: readonly string[]): Promise<Map<string, { title: string; body: string }>> {
  if (ids.length === 0) return new Map();
  const result = await db.query('SELECT id, title, body FROM orders WHERE city_code = $1 AND id = ANY($2::uuid[])', [cityCode, ids]);
  return new Map(result.rows.map((r) => [r.id, { title: r.title, body: r.body }]));
}

export interface CallerQuery {
  from: Date;
  to: Date;
  /** requests of this category or one below it */
  categoryCode?: string | undefined;
  /** requests in this area or one inside it */
  areaCode?: string | undefined;
}

/**
 * The citizens who contacted the hotline in a period (about a category, in a place): each number
 * once, with the area and category of its latest request; for the city's opinion surveys. Numbers
 * that did not ask to be left alone (no_callback) and did not ask for confidentiality (保密) only.
 */
export async function callersOf(db: Queryable, cityCode: string, q: CallerQuery): Promise<{ phone: string; areaCode: string | null; categoryCode: string | null }[]> {
  const r = await db.query(prepared(
    `SELECT DISTINCT ON (o.citizen_phone) o.citizen_phone AS phone, o.area_code, c.code AS category_code
       FROM orders o LEFT JOIN (${categoryCodesSql()}) c ON c.id = o.category_id
      WHERE o.city_code = $1 AND o.created_at >= $2 AND o.created_at < $3 AND o.citizen_phone IS NOT NULL
        -- a number that asked once to be left alone, or for confidentiality, is never picked
        AND NOT EXISTS (SELECT 1 FROM orders x WHERE x.city_code = o.city_code AND x.citizen_phone = o.citizen_phone AND (x.no_callback OR x.confidential))
        AND ($4::text IS NULL OR c.code LIKE $4 || '%') AND ($5::text IS NULL OR o.area_code LIKE $5 || '%')
      ORDER BY o.citizen_phone, o.created_at DESC`, [cityCode, q.from, q.to, q.categoryCode ?? null, q.areaCode ?? null]));
  return r.rows.map((row) => ({ phone: row.phone, areaCode: row.area_code, categoryCode: row.category_code }));
}
