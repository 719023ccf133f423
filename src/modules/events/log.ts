// Appending to the event log, and reading it: a subject's history, and the whole log in commit-safe
// order for consumers and the live stream.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import sql, { join, raw, type Sql } from 'sql-template-tag';
import { countUpTo, type Count } from '../../db/page.js';
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { EVENT_TYPES, SNAPSHOTS, streamOf, type EventPayload, type EventType, type CallSnapshot, type OrderSnapshot, type Stream, type WarningSnapshot } from './catalog.js';
import { isUuid } from '../../shared/uuid.js';

/** An event to append. `seq` numbers the subject's events (an order's: its version after the event). */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  stream: Stream;
  streamId: string;
  seq: number;
  at: Date;
  actor: Actor;
  fromState: string | null;
  toState: string | null;
  reason?: string | null | undefined;
  payload: EventPayload<T>;
  /** the subject after the event: an OrderSnapshot for an order's events, a WarningSnapshot for a warning's */
  snapshot: OrderSnapshot | WarningSnapshot | CallSnapshot;
}

/** An event as stored and read back: an order's, or an early warning's. */
export type StoredEvent = StoredEventFields & (
  | { stream: 'order'; /** null only for events written before snapshots were kept */ snapshot: OrderSnapshot | null }
  | { stream: 'warning'; snapshot: WarningSnapshot }
  | { stream: 'call'; snapshot: CallSnapshot });

/** The order after an order's event (null for another stream's event, or an event older than snapshots). */
export const orderSnapshotOf = (e: StoredEvent): OrderSnapshot | null => (e.stream === 'order' ? e.snapshot : null);

interface StoredEventFields {
  /** the event's place in the log (its id); SSE ids and consumer cursors are positions */
  position: number;
  /** the writing transaction (xid8, as text): the log's commit-safe order is (txId, position) */
  txId: string;
  cityCode: string;
  streamId: string;
  seq: number;
  type: EventType;
  at: string;
  actor: { kind: string; id: string | null; name: string | null; role: string | null; unitId: string | null };
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** A place in the log, in its commit-safe order. */
export interface Cursor {
  txId: string;
  position: number;
}
/** Before every event. */
export const LOG_START: Cursor = { txId: '0', position: 0 };

const ajv = addFormats.default(new Ajv.default({ allErrors: true }));
const validators = new Map(Object.entries(EVENT_TYPES).map(([type, { payload }]) => [type, ajv.compile(payload)]));
const snapshotValidators = { order: ajv.compile(SNAPSHOTS.order), warning: ajv.compile(SNAPSHOTS.warning), call: ajv.compile(SNAPSHOTS.call) };

/** Refuses an event whose type is unknown, of another stream, or whose payload or snapshot does not fit its schema. */
export function assertValidEvent(e: Pick<NewEvent, 'type' | 'payload' | 'snapshot'> & { stream?: Stream }): void {
  const validate = validators.get(e.type);
  if (!validate) throw new Error(`unknown event type ${e.type}`);
  const stream = streamOf(e.type);
  if (e.stream !== undefined && e.stream !== stream) throw new Error(`event ${e.type}: belongs to the ${stream} stream, not ${e.stream}`);
  if (!validate(e.payload)) throw new Error(`event ${e.type}: payload ${ajv.errorsText(validate.errors)}`);
  const validSnapshot = snapshotValidators[stream];
  if (!validSnapshot(e.snapshot)) throw new Error(`event ${e.type}: snapshot ${ajv.errorsText(validSnapshot.errors)}`);
}

const actorRole = (actor: Actor) => actor.roles[0] ?? (actor.kind === 'api_key' ? 'api_key' : null);

/**
 * The INSERT that appends `events` (validated here), for the caller to run or to embed as a CTE in
 * its own statement. `guard` is an SQL condition: nothing is appended unless it holds (a
 * registration that found the message already registered appends no event).
 */
export function appendStatement(cityCode: string, events: NewEvent[], guard: Sql = sql`true`): Sql {
  for (const e of events) assertValidEvent(e);
  const column = <T>(f: (e: NewEvent) => T) => events.map(f);
  return sql`INSERT INTO events (city_code, stream, stream_id, seq, type, actor_kind, actor_id, actor_name, actor_role, actor_unit_id,
                                 at, from_state, to_state, reason, payload, snapshot)
    SELECT ${cityCode}, e.* FROM unnest(${column((e) => e.stream)}::text[], ${column((e) => e.streamId)}::uuid[],
      ${column((e) => e.seq)}::int[], ${column((e) => e.type)}::text[], ${column((e) => e.actor.kind)}::text[],
      ${column((e) => e.actor.id)}::uuid[], ${column((e) => e.actor.name)}::text[], ${column(actorRoleOf)}::text[],
      ${column((e) => e.actor.unitId)}::uuid[], ${column((e) => e.at)}::timestamptz[], ${column((e) => e.fromState)}::text[],
      ${column((e) => e.toState)}::text[], ${column((e) => e.reason?.trim() || null)}::text[],
      ${column((e) => JSON.stringify(e.payload))}::jsonb[], ${column((e) => JSON.stringify(e.snapshot))}::jsonb[]) AS e
     WHERE ${guard}
    RETURNING id`;
}
const actorRoleOf = (e: NewEvent) => actorRole(e.actor);

/** Appends events in the caller's transaction; returns their positions. */
export async function appendEvents(db: Queryable, cityCode: string, events: NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const statement = appendStatement(cityCode, events);
  const result = await db.query(prepared(statement.text, statement.values));
  return result.rows.map((r) => Number(r.id));
}

// tx_id is sent as text (`tx`): named apart from the column, so that ORDER BY tx_id sorts the xid8, not its text
const COLUMNS = `id, tx_id::text AS tx, city_code, stream, stream_id, seq, type, at, actor_kind, actor_id, actor_name, actor_role,
  actor_unit_id, from_state, to_state, reason, payload, snapshot`;

function toEvent(r: Record<string, any>): StoredEvent {
  return <StoredEvent>{
    position: Number(r.id), txId: r.tx, cityCode: r.city_code, stream: r.stream, streamId: r.stream_id, seq: r.seq, type: r.type,
    at: r.at.toISOString(), actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name, role: r.actor_role, unitId: r.actor_unit_id },
    fromState: r.from_state, toState: r.to_state, reason: r.reason, payload: r.payload, snapshot: r.snapshot,
  };
}

/** A subject's events, first to last. */
export async function readStream(db: Queryable, cityCode: string, streamId: string): Promise<StoredEvent[]> {
  const result = await db.query(prepared(`SELECT ${COLUMNS} FROM events WHERE city_code = $1 AND stream_id = $2 ORDER BY seq`,
    [cityCode, streamId]));
  return result.rows.map(toEvent);
}

/** Whether a stream holds an event of `type` whose payload includes `fields` (a channel message recorded already, say). */
export async function streamHasEvent(db: Queryable, cityCode: string, streamId: string, type: EventType, fields: Record<string, unknown>): Promise<boolean> {
  const result = await db.query(prepared(
    'SELECT 1 FROM events WHERE city_code = $1 AND stream_id = $2 AND type = $3 AND payload @> $4::jsonb LIMIT 1',
    [cityCode, streamId, type, JSON.stringify(fields)]));
  return (result.rowCount ?? 0) > 0;
}

/**
 * Up to `limit` events after `cursor`, in commit-safe order: only events whose transaction is older
 * than every transaction still running, so that none can commit later with a place before them.
 */
export async function readAfter(db: Queryable, cursor: Cursor, limit: number): Promise<StoredEvent[]> {
  const result = await db.query(prepared(
    `SELECT ${COLUMNS} FROM events
      WHERE (tx_id, id) > ($1::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id, id LIMIT $3`, [cursor.txId, cursor.position, limit]));
  return result.rows.map(toEvent);
}

/** The last event every reader may pass now (the head of the log below running transactions). */
export async function headCursor(db: Queryable): Promise<Cursor> {
  const result = await db.query(prepared(
    `SELECT tx_id::text AS tx, id FROM events WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY tx_id DESC, id DESC LIMIT 1`, []));
  const row = result.rows[0];
  return row ? { txId: row.tx, position: Number(row.id) } : LOG_START;
}

/** How soon a reader held back reads again (doubled each time it still is, up to its poll). */
export const HELD_RETRY_MS = 100;

/**
 * Whether the log holds events after `cursor` (asked by a reader after a read, in a snapshot of its
 * own): events committed behind a transaction still running anywhere on the server, or since the
 * read. Not "is anything held now": a transaction that held events back during the read and ended
 * before this question, with no NOTIFY of its own, would leave them unread until the next poll.
 */
export async function eventsAfter(db: Queryable, cursor: Cursor): Promise<boolean> {
  // the last event against the place, not EXISTS (… > place): that one's generic plan scans the
  // whole log when nothing is after the place (0.9 s at two million events, every second)
  return isAfter(await lastCommitted(db), cursor);
}

/** The last event committed, whether or not readers may pass it yet (see headCursor). */
export async function lastCommitted(db: Queryable): Promise<Cursor> {
  const result = await db.query(prepared('SELECT tx_id::text AS tx, id FROM events ORDER BY tx_id DESC, id DESC LIMIT 1', []));
  const row = result.rows[0];
  return row ? { txId: row.tx, position: Number(row.id) } : LOG_START;
}

/**
 * Waits until readers may pass every event committed before the call, and returns the head then
 * (tests, before they read the log). A write transaction still running anywhere on the server holds
 * the readable head back, another database's too: PostgreSQL's transaction ids are the server's.
 */
export async function readableHead(db: Queryable, timeoutMs = 60_000): Promise<Cursor> {
  const deadline = Date.now() + timeoutMs;
  const last = await lastCommitted(db);
  for (;;) {
    const head = await headCursor(db);
    if (!isAfter(last, head)) return head;
    if (Date.now() > deadline) throw new Error(`the log's readable head did not reach its last event within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The cursor just before the first event at or after `at` (a replay from a point in time). The log
 * is read in commit order (tx_id, id), which event times follow within seconds: the first in commit
 * order among the hour from `at`, else the first event after it; the head when there is none.
 */
export async function cursorBefore(db: Queryable, at: Date): Promise<Cursor> {
  const first = async (where: string) => (await db.query(prepared(
    `SELECT tx_id::text AS tx, id FROM events WHERE ${where} ORDER BY tx_id, id LIMIT 1`, [at]))).rows[0];
  const row = (await first(`at >= $1 AND at < $1::timestamptz + interval '1 hour'`))
    ?? (await first(`id = (SELECT id FROM events WHERE at >= $1 ORDER BY at, id LIMIT 1)`));
  return row ? { txId: row.tx, position: Number(row.id) - 1 } : headCursor(db);
}

/** The cursor just past the event at `position` (a client's Last-Event-ID); null if there is none. */
export async function cursorAt(db: Queryable, position: number): Promise<Cursor | null> {
  const result = await db.query(prepared('SELECT tx_id::text AS tx, id FROM events WHERE id = $1', [position]));
  const row = result.rows[0];
  return row ? { txId: row.tx, position: Number(row.id) } : null;
}

/** Whether cursor `a` is past cursor `b`. */
export function isAfter(a: Cursor, b: Cursor): boolean {
  const ta = BigInt(a.txId);
  const tb = BigInt(b.txId);
  return ta > tb || (ta === tb && a.position > b.position);
}

export interface EventQuery {
  cityCode: string;
  type?: string | undefined;
  /** the subjects' kind: 'order', 'warning' */
  stream?: string | undefined;
  streamId?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

/** `FROM events WHERE …` for the query; null when nothing can match (a stream id that is no uuid). */
function eventsMatching(q: Omit<EventQuery, 'limit'>): Sql | null {
  const where = [sql`city_code = ${q.cityCode}`];
  if (q.type) where.push(sql`type = ${q.type}`);
  if (q.stream) where.push(sql`stream = ${q.stream}`);
  if (q.streamId) {
    if (!isUuid(q.streamId)) return null;
    where.push(sql`stream_id = ${q.streamId}::uuid`);
  }
  if (q.actorId) where.push(sql`actor_id = ${q.actorId}::uuid`);
  if (q.from) where.push(sql`at >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`at < ${q.to}::timestamptz`);
  return sql`FROM events WHERE ${join(where, ' AND ')}`;
}

/** The newest events matching, newest first (the audit trail of changes). */
export async function listEvents(db: Queryable, q: EventQuery): Promise<StoredEvent[]> {
  const matching = eventsMatching(q);
  if (!matching) return [];
  const query = sql`SELECT ${raw(COLUMNS)} ${matching} ORDER BY at DESC, id DESC LIMIT ${q.limit}`;
  const result = await db.query(query.text, query.values);
  return result.rows.map(toEvent);
}

/** How many events match, up to COUNT_CAP. */
export async function countEvents(db: Queryable, q: Omit<EventQuery, 'limit'>): Promise<Count> {
  const matching = eventsMatching(q);
  return matching ? countUpTo(db, matching) : { total: 0, exact: true };
}
