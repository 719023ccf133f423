// Notices to a unit's handlers and managers: a deadline near or passed, an urge, an escalation.
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { DomainError, type Language } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';

export const NOTICE_KINDS = ['deadline_warning', 'overdue', 'urged', 'escalated'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const DEADLINE_NAMES = { sign: { zh: '签收', en: 'sign-for' }, reply: { zh: '答复', en: 'reply' }, close: { zh: '办结', en: 'closure' } };

const MESSAGES: Record<NoticeKind, (d: Record<string, any>, lang: Language, no: string) => string> = {
  deadline_warning: (d, lang, no) => lang === 'zh'
    ? `工单 ${no} 的${DEADLINE_NAMES[d.deadline as 'sign'].zh}时限将于 ${shanghaiTime(d.dueAt)} 到期`
    : `Order ${no}: the ${DEADLINE_NAMES[d.deadline as 'sign'].en} deadline is ${shanghaiTime(d.dueAt)}`,
  overdue: (d, lang, no) => lang === 'zh'
    ? `工单 ${no} 已超过${DEADLINE_NAMES[d.deadline as 'sign'].zh}时限（${shanghaiTime(d.dueAt)}）`
    : `Order ${no} is overdue: the ${DEADLINE_NAMES[d.deadline as 'sign'].en} deadline was ${shanghaiTime(d.dueAt)}`,
  urged: (d, lang, no) => (lang === 'zh' ? `热线催办工单 ${no}` : `The hotline urges order ${no}`) + (d.text ? `：${d.text}` : ''),
  escalated: (d, lang, no) => (lang === 'zh' ? `工单 ${no} 已被督办` : `Order ${no} is escalated`) + (d.reason ? `：${d.reason}` : ''),
};

function shanghaiTime(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A notice for each active handler and manager of the given units (duplicates and nulls ignored). */
export async function notifyUnitStaff(db: Queryable, order: { id: string; city_code: string }, unitIds: (string | null | undefined)[],
  kind: NoticeKind, detail: Record<string, unknown>, now: Date): Promise<void> {
  const units = [...new Set(unitIds.filter((u): u is string => !!u))];
  if (units.length === 0) return;
  await db.query(prepared(
    `INSERT INTO notices (city_code, staff_id, order_id, kind, detail, created_at)
     SELECT $1, s.id, $2, $3, $4, $5 FROM staff s
      WHERE s.unit_id = ANY($6::uuid[]) AND s.active AND s.roles && ARRAY['unit_handler', 'unit_manager']`,
    [order.city_code, order.id, kind, JSON.stringify(detail), now, units]));
}

export interface Notice {
  id: number;
  orderId: string;
  trackingNo: string;
  kind: NoticeKind;
  message: string;
  detail: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** The actor's notices, newest first. */
export async function listNotices(db: Queryable, actor: Actor, q: { unreadOnly: boolean; limit: number; offset: number },
  lang: Language): Promise<Notice[]> {
  if (actor.kind !== 'staff') return [];
  const r = await db.query(
    `SELECT n.*, o.tracking_no FROM notices n JOIN orders o ON o.id = n.order_id
      WHERE n.staff_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL)
      ORDER BY n.created_at DESC, n.id DESC LIMIT $3 OFFSET $4`, [actor.id, q.unreadOnly, q.limit, q.offset]);
  return r.rows.map((n) => ({ id: n.id, orderId: n.order_id, trackingNo: n.tracking_no, kind: n.kind,
    message: MESSAGES[n.kind as NoticeKind](n.detail, lang, n.tracking_no), detail: n.detail,
    createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null }));
}

export async function markNoticeRead(db: Queryable, actor: Actor, id: number, now = new Date()): Promise<void> {
  const r = await db.query('UPDATE notices SET read_at = coalesce(read_at, $3) WHERE id = $1 AND staff_id = $2', [id, actor.id, now]);
  if (!r.rowCount) throw new DomainError('NOTICE_NOT_FOUND', { id });
}
