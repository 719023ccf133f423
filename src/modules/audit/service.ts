// The append-only audit log: every change outside the order lifecycle (staff, units, keys, the
// tree, settings), logins, and every read of unmasked personal data. The order lifecycle's changes
// are its events (src/modules/events), just as append-only and carrying who made each: the audit
// listing reads both. The table refuses UPDATE and DELETE by trigger (see migrations).
import type { Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/actor.js';
import { WhereBuilder } from '../../db/where.js';
import { countEvents, listEvents } from '../events/index.js';
import { addCounts, countUpTo, pageOf, type Count, type Page } from '../../db/page.js';

export interface AuditEntry {
  /** dotted verb, e.g. 'staff.created', 'order.dispatched', 'personal_data.read' */
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail?: object;
  ip?: string | null;
}

export interface AuditRecord extends AuditEntry {
  /** where the record is kept: the audit log, or the event log (a change of an order) */
  source: 'audit' | 'event';
  /** its id there (an event's position) */
  id: number;
  at: string;
  actorKind: Actor['kind'];
  actorId: string | null;
  actorName: string | null;
}

/** Appends one audit row, inside the caller's transaction when given its client. */
export async function recordAudit(db: Queryable, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (city_code, actor_kind, actor_id, actor_name, action, subject_type, subject_id, detail, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [actor.cityCode, actor.kind, actor.id, actor.name, entry.action, entry.subjectType, entry.subjectId,
      JSON.stringify(entry.detail ?? {}), entry.ip ?? null],
  );
}

export interface AuditQuery {
  cityCode: string;
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  actorId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** The audit log's rows and the events matching (orders' and early warnings'), newest first. */
export async function listAudit(db: Queryable, q: AuditQuery): Promise<Page<AuditRecord>> {
  // the page of two sources merged: each source's first offset + limit rows hold it
  const wanted = q.offset + q.limit;
  const withEvents = !q.subjectType || q.subjectType === 'order' || q.subjectType === 'warning';
  const eventQuery = { cityCode: q.cityCode, type: q.action, stream: q.subjectType, streamId: q.subjectId, actorId: q.actorId, from: q.from, to: q.to };
  const [audit, events, eventCount] = await Promise.all([
    auditRows(db, { ...q, limit: wanted, offset: 0 }),
    withEvents ? listEvents(db, { ...eventQuery, limit: wanted }) : [],
    withEvents ? countEvents(db, eventQuery) : { total: 0, exact: true },
  ]);
  const changes: AuditRecord[] = events.map((e) => ({
    source: 'event', id: e.position, at: e.at, actorKind: e.actor.kind as AuditRecord['actorKind'], actorId: e.actor.id,
    actorName: e.actor.name, action: e.type, subjectType: e.stream, subjectId: e.streamId,
    detail: { seq: e.seq, from: e.fromState, to: e.toState, ...(e.reason ? { reason: e.reason } : {}) }, ip: null,
  }));
  const items = [...audit.rows, ...changes].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id).slice(q.offset, q.offset + q.limit);
  return pageOf(items, addCounts(audit.count, eventCount), q);
}

async function auditRows(db: Queryable, q: AuditQuery): Promise<{ rows: AuditRecord[]; count: Count }> {
  const where = new WhereBuilder().add('city_code = ?', q.cityCode);
  if (q.action) where.add('action = ?', q.action);
  if (q.subjectType) where.add('subject_type = ?', q.subjectType);
  if (q.subjectId) where.add('subject_id = ?', q.subjectId);
  if (q.actorId) where.add('actor_id = ?', q.actorId);
  if (q.from) where.add('at >= ?', q.from);
  if (q.to) where.add('at < ?', q.to);
  const matching = { text: `FROM audit_log ${where.sql}`, values: [...where.params] };
  const [result, count] = await Promise.all([db.query(
    `SELECT id, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, detail, ip
       FROM audit_log ${where.sql}
      ORDER BY at DESC, id DESC LIMIT ${where.param(q.limit)} OFFSET ${where.param(q.offset)}`,
    where.params,
  ), countUpTo(db, matching)]);
  return { count, rows: result.rows.map((r) => ({
    source: 'audit', id: Number(r.id), at: r.at.toISOString(), actorKind: r.actor_kind, actorId: r.actor_id, actorName: r.actor_name,
    action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, detail: r.detail, ip: r.ip,
  })) };
}
