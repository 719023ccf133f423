// Registering an order (受理), from any channel, and correcting it while it is at the hotline.
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import sql, { empty } from 'sql-template-tag';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, type Actor } from '../auth/index.js';
import * as classify from '../classify/index.js';
import { areaIndex } from '../directory/index.js';
import { appendStatement, type NewEvent } from '../events/index.js';
import { categoryWithTree, currentCategory } from '../taxonomy/index.js';
import { assertVersion, notAllowed, type OrderRow } from './lifecycle/change.js';
import { change } from './lifecycle/index.js';
import type { OrderView, RegisterOrderInput, UpdateOrderInput } from './model.js';
import { presentRows } from './presentation.js';
import { normalizePhone, readOrder } from './reads.js';
import { snapshotOf } from './snapshot.js';
import { searchTokens } from './search-text.js';

/**
 * Who may register: hotline intake staff, an external system whose key has orders:create (or
 * open311, on the Open311 channel alone), a citizen on their channel.
 */
function assertMayRegister(actor: Actor, channel: string): void {
  const allowed = actor.kind === 'api_key'
    ? actor.scopes.includes('orders:create') || (channel === 'open311' && actor.scopes.includes('open311'))
    : hasRole(actor, 'agent', 'lead');
  if (!allowed && actor.kind !== 'system' && actor.kind !== 'citizen') throw new DomainError('AUTH_FORBIDDEN');
}

/** Numbers taken from the tracking sequence at once, so that most registrations need no round trip for theirs. */
const TRACKING_BLOCK = 32;
const trackingNumbers = new WeakMap<pg.Pool, { free: number[]; refill: Promise<void> | null }>();

/**
 * `YYYYMMDD-NNNNNNNN`: the registration's date in Beijing and a number of a database sequence, taken
 * TRACKING_BLOCK at a time: unique, increasing within a process, not gap-free (docs/decisions.md).
 */
async function nextTrackingNo(pool: pg.Pool, now: Date): Promise<string> {
  let held = trackingNumbers.get(pool);
  if (!held) trackingNumbers.set(pool, (held = { free: [], refill: null }));
  while (held.free.length === 0) {
    held.refill ??= pool.query(prepared(`SELECT nextval('order_tracking_seq') AS n FROM generate_series(1, $1)`, [TRACKING_BLOCK]))
      .then((r) => { held!.free.push(...r.rows.map((row) => Number(row.n))); })
      .finally(() => { held!.refill = null; });
    await held.refill;
  }
  const day = beijingDate(now).replace(/-/g, '');
  return `${day}-${String(held.free.shift()).padStart(8, '0')}`;
}

/** A suggestion for the order's text; a failure leaves the order without one, never unregistered. */
async function suggestFor(pool: pg.Pool, actor: Actor, order: { id: string; title: string; body: string; areaCode: string | null },
  now: Date): Promise<classify.Computed | null> {
  try {
    return await classify.suggest(pool, actor, { title: order.title, text: order.body, areaCode: order.areaCode },
      { excludeOrderId: order.id, now, similar: false });
  } catch (error) {
    console.error(`classification failed for order ${order.id}; it is kept without a suggestion:`, error);
    return null;
  }
}

/** Who an intake came from, for telling a retry from another caller's use of the same reference. */
const callerOf = (actor: Actor) => `${actor.kind}:${actor.id ?? actor.name}`;

/** JSON with object keys in order, so that one request always has one fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const fingerprintOf = (input: RegisterOrderInput) => createHash('sha256').update(canonical(input)).digest('hex');

/**
 * Registers a work order (受理) and its first event, with the classifier's suggestion and the text's
 * keywords, in one statement. A message already registered under the same channel reference is
 * a retry: the same caller with the same content gets that order with `created: false`, and no
 * second order is made; another caller, or other content, gets IDEMPOTENCY_CONFLICT and nothing of
 * the order (as well-kept APIs treat a reused idempotency key).
 */
export async function registerOrder(pool: pg.Pool, actor: Actor, input: RegisterOrderInput, now = new Date()):
  Promise<{ order: OrderView; created: boolean }> {
  assertMayRegister(actor, input.channel);
  const category = input.categoryCode ? await currentCategory(pool, actor.cityCode, input.categoryCode) : null;
  const areaCode = input.location?.areaCode ?? null;
  if (areaCode && !(await areaIndex(pool, actor.cityCode, [areaCode])).get(areaCode)) {
    throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: areaCode });
  }
  const id = randomUUID();
  const computed = await suggestFor(pool, actor, { id, title: input.title, body: input.body, areaCode }, now);
  const row = {
    id, city_code: actor.cityCode, tracking_no: await nextTrackingNo(pool, now), channel: input.channel, channel_ref: input.channelRef ?? null,
    request_type: input.requestType, category_id: category?.id ?? null, title: input.title, body: input.body,
    citizen_name: input.citizen?.name ?? null, citizen_phone: input.citizen?.phone ? normalizePhone(input.citizen.phone) : null,
    citizen_address: input.citizen?.address ?? null, citizen_identity: input.citizen?.identity ?? null, confidential: input.confidential ?? false,
    location_address: input.location?.address ?? null, area_code: areaCode, lat: input.location?.lat ?? null, lng: input.location?.lng ?? null,
    urgency: input.urgency ?? 'normal', attachments: JSON.stringify(input.attachments ?? []), state: 'registered',
    search_text: searchTokens(`${input.title} ${input.body}`).join(' '), created_by: actor.kind === 'staff' ? actor.id : null,
    created_at: now, updated_at: now, no_callback: input.citizen?.noCallback ?? false, version: 1, lead_unit_id: null,
    reopen_count: 0, urge_count: 0, extension_pending: false, clock_paused: false, escalated: false, merged_into: null, closed_at: null,
    intake_caller: input.channelRef ? callerOf(actor) : null, intake_fingerprint: input.channelRef ? fingerprintOf(input) : null,
  };
  const event: NewEvent<'order.registered'> = {
    type: 'order.registered', stream: 'order', streamId: id, seq: 1, at: now, actor, fromState: null, toState: 'registered',
    payload: { channel: input.channel, channelRef: input.channelRef ?? null, ...(input.callId ? { callId: input.callId } : {}) }, snapshot: await snapshotOf(pool, row, []),
  };
  const guard = sql`EXISTS (SELECT 1 FROM o)`;
  const stored = computed ? classify.storeSuggestionStatements(actor.cityCode, { id, createdAt: now }, 'registered', computed, now, guard) : null;
  const statement = sql`
    WITH o AS (
      INSERT INTO orders (id, city_code, tracking_no, channel, channel_ref, request_type, category_id, title, body, citizen_name,
                          citizen_phone, citizen_address, confidential, location_address, area_code, lat, lng, urgency, attachments,
                          state, search_text, created_by, created_at, updated_at, no_callback, intake_caller, intake_fingerprint, citizen_identity)
      VALUES (${id}::uuid, ${row.city_code}, ${row.tracking_no}, ${row.channel}, ${row.channel_ref}, ${row.request_type},
              ${row.category_id}::bigint, ${row.title}, ${row.body}, ${row.citizen_name}, ${row.citizen_phone}, ${row.citizen_address},
              ${row.confidential}, ${row.location_address}, ${row.area_code}, ${row.lat}::float8, ${row.lng}::float8, ${row.urgency},
              ${row.attachments}::jsonb, 'registered', ${row.search_text}, ${row.created_by}::uuid, ${now}::timestamptz,
              ${now}::timestamptz, ${row.no_callback}, ${row.intake_caller}, ${row.intake_fingerprint}, ${row.citizen_identity})
      ON CONFLICT (city_code, channel, channel_ref) WHERE channel_ref IS NOT NULL DO NOTHING
      RETURNING id),
    e AS (${appendStatement(actor.cityCode, [event], guard)})
    ${stored ? sql`, k AS (${stored.keys}), s AS (${stored.suggestion})` : empty}
    SELECT (SELECT id FROM o) AS id ${stored ? sql`, (SELECT id FROM s) AS suggestion_id` : empty}`;
  const result = await pool.query(prepared(statement.text, statement.values)).catch((error: unknown) => {
    // channels are data: the only check that a channel exists is the reference to its row
    if ((error as { code?: string }).code === '23503' && String((error as Error).message).includes('orders_channel_fkey')) {
      throw new DomainError('CHANNEL_UNKNOWN', { channel: input.channel });
    }
    throw error;
  });
  const inserted = result.rows[0];
  if (inserted.id) {
    const [order] = await presentRows(pool, actor, [{ ...row, attachments: input.attachments ?? [] }], false);
    const suggestions = computed ? { ...computed.suggestion, id: Number(inserted.suggestion_id) } : undefined;
    return { order: { ...order!, ...(suggestions ? { suggestions } : {}) }, created: true };
  }
  const existing = await pool.query(prepared(
    'SELECT id, intake_caller, intake_fingerprint, created_by FROM orders WHERE city_code = $1 AND channel = $2 AND channel_ref = $3',
    [actor.cityCode, input.channel, input.channelRef]));
  const first = existing.rows[0];
  // orders registered before callers were recorded: the staff member who registered it
  const sameCaller = first.intake_caller ? first.intake_caller === row.intake_caller : actor.kind === 'staff' && first.created_by === actor.id;
  const sameContent = first.intake_fingerprint === null || first.intake_fingerprint === row.intake_fingerprint;
  if (!sameCaller || !sameContent) {
    throw new DomainError('IDEMPOTENCY_CONFLICT', { channel: input.channel, ref: input.channelRef! });
  }
  // a citizen retrying their own submission (same content, same reference) may read the order it made
  const reader = actor.kind === 'citizen' ? { ...actor, orderIds: [first.id] } : actor;
  return { order: await readOrder(pool, reader, first.id, false), created: false };
}

/** The fields an edit may change, by column, with their names in the event. */
const EDITABLE: Record<string, string> = {
  request_type: 'requestType', category_id: 'categoryCode', title: 'title', body: 'body', urgency: 'urgency',
  location_address: 'locationAddress', area_code: 'areaCode', lat: 'lat', lng: 'lng',
};

/**
 * Corrects an order's classification, text, urgency or place while it is at the hotline
 * (registered or returned). The change and the values it replaced are an `order.updated` event.
 * A changed text gets a new suggestion once the change is committed.
 */
export async function updateOrder(pool: pg.Pool, actor: Actor, orderId: string, input: UpdateOrderInput, now = new Date()): Promise<OrderView> {
  const edit = { zh: '修改', en: 'edit' };
  if (!hasRole(actor, 'agent', 'lead', 'dispatcher')) throw new DomainError('ORDER_ACTION_FORBIDDEN', { action: edit });
  const category = input.categoryCode ? await currentCategory(pool, actor.cityCode, input.categoryCode) : null;
  const areaCode = input.location?.areaCode;
  if (areaCode && !(await areaIndex(pool, actor.cityCode, [areaCode])).get(areaCode)) {
    throw new DomainError('DIRECTORY_AREA_NOT_FOUND', { code: areaCode });
  }
  const order = await change(pool, now, async (session) => {
    const held = await session.load(actor, orderId);
    const before = { ...held.order };
    assertVersion(before, input.expectedVersion);
    if (before.state !== 'registered' && before.state !== 'returned') throw notAllowed(before, edit);
    const columns: Record<string, unknown> = {};
    if (input.requestType) columns.request_type = input.requestType;
    if (category) columns.category_id = category.id;
    if (input.title) columns.title = input.title;
    if (input.body) columns.body = input.body;
    if (input.urgency) columns.urgency = input.urgency;
    if (input.location) {
      columns.location_address = input.location.address ?? before.location_address;
      columns.area_code = input.location.areaCode ?? before.area_code;
      columns.lat = input.location.lat ?? before.lat;
      columns.lng = input.location.lng ?? before.lng;
    }
    const changed = Object.keys(columns);
    if (changed.length === 0) throw new DomainError('VALIDATION_FAILED', { detail: { zh: '没有要修改的内容', en: 'nothing to change' } });
    const named = async (row: Record<string, unknown>) => Object.fromEntries(await Promise.all(changed.map(async (k) =>
      [EDITABLE[k], k === 'category_id' ? await categoryCodeOf(session.db, actor.cityCode, row[k]) : row[k]])));
    const payload = { before: await named(before), after: await named(columns) };
    if (input.title || input.body) columns.search_text = searchTokens(`${input.title ?? before.title} ${input.body ?? before.body}`).join(' ');
    await session.record(held, actor, { type: 'order.updated', payload, toState: before.state, columns });
    return held.order;
  });
  const [view] = await presentRows(pool, actor, [order], false);
  if (!input.title && !input.body) return view!;
  return { ...view!, ...(await resuggest(pool, actor, order, now)) };
}

async function categoryCodeOf(db: Queryable, cityCode: string, id: unknown): Promise<string | null> {
  if (id === null || id === undefined) return null;
  return (await categoryWithTree(db, cityCode, Number(id))).category.code;
}

/** A new suggestion for a changed text, stored; a failure leaves the order as it is. */
async function resuggest(pool: pg.Pool, actor: Actor, order: OrderRow, now: Date): Promise<{ suggestions?: classify.Suggestion }> {
  const computed = await suggestFor(pool, actor, { id: order.id, title: order.title, body: order.body, areaCode: order.area_code }, now);
  if (!computed) return {};
  const suggestions = await withTransaction(pool, (tx) => classify.storeSuggestion(tx, actor.cityCode, { id: order.id, createdAt: order.created_at },
    computed, now));
  return { suggestions };
}
