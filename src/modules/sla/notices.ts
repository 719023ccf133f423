// Notices to a unit's handlers and managers: a deadline near or passed, an urge, an escalation.
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { countUpTo, pageOf, type Page } from '../../db/page.js';
import { beijingMinute } from '../../shared/beijing.js';
import { DomainError, type Language } from '../../shared/errors.js';
import type { Actor, Role } from '../auth/index.js';
import { staffOfUnits } from '../directory/index.js';
import { orderSnapshotOf, type Consumer, type StoredEvent } from '../events/index.js';

export const NOTICE_KINDS = ['deadline_warning', 'overdue', 'urged', 'escalated', 'report_ready', 'knowledge_expired', 'quality_reviewed'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const DEADLINE_NAMES = { sign: { zh: '签收', en: 'sign-for' }, reply: { zh: '答复', en: 'reply' }, close: { zh: '办结', en: 'closure' } };

const MESSAGES: Record<NoticeKind, (d: Record<string, any>, lang: Language, no: string | null) => string> = {
  deadline_warning: (d, lang, no) => lang === 'zh'
    ? `工单 ${no} 的${DEADLINE_NAMES[d.deadline as 'sign'].zh}时限将于 ${beijingMinute(d.dueAt)} 到期`
    : `Order ${no}: the ${DEADLINE_NAMES[d.deadline as 'sign'].en} deadline is ${beijingMinute(d.dueAt)}`,
  overdue: (d, lang, no) => lang === 'zh'
    ? `工单 ${no} 已超过${DEADLINE_NAMES[d.deadline as 'sign'].zh}时限（${beijingMinute(d.dueAt)}）`
    : `Order ${no} is overdue: the ${DEADLINE_NAMES[d.deadline as 'sign'].en} deadline was ${beijingMinute(d.dueAt)}`,
  urged: (d, lang, no) => (lang === 'zh' ? `热线催办工单 ${no}` : `The hotline urges order ${no}`) + said(d, lang),
  escalated: (d, lang, no) => (lang === 'zh' ? `工单 ${no} 已被督办` : `Order ${no} is escalated`) + said(d, lang),
  report_ready: (d, lang) => (lang === 'zh' ? `${d.title?.zh ?? d.period}分析报告已生成，可查看和下载`
    : `The analysis report for ${d.title?.en ?? d.period} is ready to read and download`),
  knowledge_expired: (d, lang) => (lang === 'zh' ? `知识《${d.title}》已于 ${d.validUntil} 过期，请更新或申请下架`
    : `The knowledge article "${d.title}" expired on ${d.validUntil}: please update it or ask for it to be withdrawn`),
  quality_reviewed: (d, lang) => (lang === 'zh'
    ? `您 ${d.month} 的一项工作${d.rescored ? '已重新评分' : '已完成质检评分'}：${d.score} / ${d.maxScore} 分`
    : `One of your pieces of work in ${d.month} was ${d.rescored ? 'scored again' : 'scored'} in quality review: ${d.score} of ${d.maxScore}`),
};

/** What the supervisor wrote, as a reason or as a note (the unit is told both). */
function said(d: Record<string, any>, lang: 'zh' | 'en'): string {
  const words = [d.reason, d.text].filter((w): w is string => typeof w === 'string' && w.trim() !== '');
  return words.length ? (lang === 'zh' ? `：${words.join('；')}` : `: ${words.join('; ')}`) : '';
}

/** Who is told: the handlers and managers of the lead unit and of the unit answerable for the round. */
const TOLD: readonly Role[] = ['unit_handler', 'unit_manager'];

/** What each event type becomes as a notice (deadline marks of the close deadline are the hotline's own business). */
function noticeOf(e: StoredEvent): { kind: NoticeKind; detail: Record<string, unknown>; units: (string | null | undefined)[] } | null {
  const lead = orderSnapshotOf(e)?.leadUnitId;
  const p = e.payload as Record<string, any>;
  switch (e.type) {
    case 'order.urged': return { kind: 'urged', detail: { text: p.text, reason: e.reason }, units: [lead, p.unitId] };
    case 'order.escalated': return { kind: 'escalated', detail: { text: p.text, reason: e.reason }, units: [lead, p.unitId] };
    case 'order.deadline_warning':
    case 'order.overdue':
      if (p.deadline === 'close') return null;
      return { kind: e.type === 'order.overdue' ? 'overdue' : 'deadline_warning', detail: p, units: [lead, p.unitId] };
    default: return null;
  }
}

/**
 * The notices consumer: a notice for each active handler and manager of the units concerned, for
 * every urge, escalation, deadline warning and overdue mark. It runs after the change commits; its
 * notices commit with its place in the log, so each event gives its notices once.
 */
export const noticesConsumer: Consumer = {
  name: 'notices',
  types: ['order.urged', 'order.escalated', 'order.deadline_warning', 'order.overdue'],
  async handle(tx, events) {
    for (const e of events) {
      const notice = noticeOf(e);
      const order = orderSnapshotOf(e);
      if (!notice || !order) continue;
      const units = [...new Set(notice.units.filter((u): u is string => !!u))];
      const staff = await staffOfUnits(tx, units, TOLD);
      if (staff.length === 0) continue;
      await tx.query(prepared(
        `INSERT INTO notices (city_code, staff_id, order_id, tracking_no, kind, detail, created_at)
         SELECT $1, unnest($2::uuid[]), $3, $4, $5, $6, $7`,
        [e.cityCode, staff, e.streamId, order.trackingNo, notice.kind, JSON.stringify(notice.detail), e.at]));
    }
  },
};

export interface Notice {
  id: number;
  /** null: a notice about no order (a report ready) */
  orderId: string | null;
  trackingNo: string | null;
  kind: NoticeKind;
  message: string;
  detail: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/** The actor's notices, newest first. */
export async function listNotices(db: Queryable, actor: Actor, q: { unreadOnly: boolean; limit: number; offset: number },
  lang: Language): Promise<Page<Notice>> {
  if (actor.kind !== 'staff') return pageOf([], { total: 0, exact: true }, q);
  const mine = 'FROM notices n WHERE n.staff_id = $1 AND ($2::boolean IS FALSE OR n.read_at IS NULL)';
  const [r, count] = await Promise.all([
    db.query(`SELECT n.* ${mine} ORDER BY n.created_at DESC, n.id DESC LIMIT $3 OFFSET $4`, [actor.id, q.unreadOnly, q.limit, q.offset]),
    countUpTo(db, { text: mine, values: [actor.id, q.unreadOnly] })]);
  return pageOf(r.rows.map((n) => ({ id: n.id, orderId: n.order_id, trackingNo: n.tracking_no, kind: n.kind,
    message: MESSAGES[n.kind as NoticeKind](n.detail, lang, n.tracking_no), detail: n.detail,
    createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null })), count, q);
}

/** Notices about no order (a report ready), one to each of `staff`; `detail` is what the kind's message reads. */
export async function addNotices(db: Queryable, cityCode: string, staff: readonly string[], kind: Exclude<NoticeKind, 'deadline_warning' | 'overdue' | 'urged' | 'escalated'>,
  detail: Record<string, unknown>, at: Date): Promise<void> {
  if (staff.length === 0) return;
  await db.query(prepared(`INSERT INTO notices (city_code, staff_id, kind, detail, created_at) SELECT $1, unnest($2::uuid[]), $3, $4, $5`,
    [cityCode, staff, kind, JSON.stringify(detail), at]));
}

export async function markNoticeRead(db: Queryable, actor: Actor, id: number, now = new Date()): Promise<void> {
  const r = await db.query('UPDATE notices SET read_at = coalesce(read_at, $3) WHERE id = $1 AND staff_id = $2', [id, actor.id, now]);
  if (!r.rowCount) throw new DomainError('NOTICE_NOT_FOUND', { id });
}
