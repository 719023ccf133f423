// The append-only audit log: every change, and every read of unmasked personal data.
// The table refuses UPDATE and DELETE by trigger (see migrations), so these are the only writes.
import type { Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/actor.js';
import { WhereBuilder } from '../../db/where.js';

export interface AuditEntry {
  /** dotted verb, e.g. 'staff.created', 'order.dispatched', 'personal_data.read' */
  action: string;
  subjectType: string;
  subjectId: string | null;
  detail?: object;
  ip?: string | null;
}

export interface AuditRecord extends AuditEntry {
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

/** Audit rows, newest first, filtered. */
export async function listAudit(db: Queryable, q: AuditQuery): Promise<AuditRecord[]> {
  const where = new WhereBuilder().add('city_code = ?', q.cityCode);
  if (q.action) where.add('action = ?', q.action);
  if (q.subjectType) where.add('subject_type = ?', q.subjectType);
  if (q.subjectId) where.add('subject_id = ?', q.subjectId);
  if (q.actorId) where.add('actor_id = ?', q.actorId);
  if (q.from) where.add('at >= ?', q.from);
  if (q.to) where.add('at < ?', q.to);
  const result = await db.query(
    `SELECT id, at, actor_kind, actor_id, actor_name, action, subject_type, subject_id, detail, ip
       FROM audit_log ${where.sql}
      ORDER BY at DESC, id DESC LIMIT ${where.param(q.limit)} OFFSET ${where.param(q.offset)}`,
    where.params,
  );
  return result.rows.map((r) => ({
    id: r.id, at: r.at.toISOString(), actorKind: r.actor_kind, actorId: r.actor_id, actorName: r.actor_name,
    action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, detail: r.detail, ip: r.ip,
  }));
}
