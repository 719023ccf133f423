// Reviews (质检): a team lead or quality inspector scores a sample on a sheet, with a comment; the
// month's scores per agent; each agent reads their own reviews once scored (never what is drawn
// and waiting, nor anyone else's). Nobody reviews their own work, and a team lead, whose work is
// sampled too, does not see their own samples before another lead scores them.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { countUpTo, pageOf } from '../../db/page.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { hasRole, type Actor } from '../auth/index.js';
import { staffDisplayNames } from '../directory/index.js';
import { addNotices } from '../sla/index.js';
import { getSheet, scoreOn, type Sheet } from './sheets.js';
import { monthSpan, type SampleReason } from './samples.js';

/** Who reads every review and the scores: team leads (and quality inspectors), supervisors, leaders, administrators. */
export const REVIEW_READERS = ['lead', 'supervisor', 'leader', 'admin'] as const;
/** Who draws samples and scores them: team leads and quality inspectors (班长/质检员). */
export const REVIEWERS = ['lead'] as const;

export interface Review {
  id: string;
  month: string;
  agentId: string;
  agentName: string | null;
  kind: 'order' | 'call';
  /** the order's id, or the telephony's id of the call */
  subjectId: string;
  trackingNo: string | null;
  workAt: string;
  reasons: SampleReason[];
  state: 'pending' | 'reviewed';
  sheet: Sheet | null;
  scores: number[] | null;
  score: number | null;
  maxScore: number | null;
  /** score / maxScore, in per cent, one decimal */
  percent: number | null;
  comment: string | null;
  reviewerName: string | null;
  reviewedAt: string | null;
}

export interface ReviewQuery {
  month: string;
  agentId?: string | undefined;
  state?: 'pending' | 'reviewed' | undefined;
  reason?: SampleReason | undefined;
  limit: number;
  offset: number;
}

interface ReviewRow {
  id: string; month: Date | string; agent_id: string; kind: 'order' | 'call'; subject_id: string; tracking_no: string | null; work_at: Date;
  reasons: SampleReason[]; sheet_id: string | null; scores: number[] | null; score: string | null; max_score: string | null;
  comment: string | null; reviewer_name: string | null; reviewed_at: Date | null;
}

const COLUMNS = `id, to_char(month, 'YYYY-MM') AS month, agent_id, kind, subject_id, tracking_no, work_at, reasons, sheet_id, scores,
  score, max_score, comment, reviewer_name, reviewed_at`;

/** Never one's own samples while they wait: `$3` is the reader's id. */
const NOT_OWN_PENDING = '(agent_id IS DISTINCT FROM $3::uuid OR reviewed_at IS NOT NULL)';

const percentOf = (score: number, max: number): number => Math.round((score / max) * 1000) / 10;

async function present(db: Queryable, cityCode: string, rows: ReviewRow[]): Promise<Review[]> {
  const names = await staffDisplayNames(db, cityCode, [...new Set(rows.map((r) => r.agent_id))]);
  const sheets = new Map<string, Sheet>();
  for (const id of new Set(rows.flatMap((r) => (r.sheet_id ? [r.sheet_id] : [])))) sheets.set(id, await getSheet(db, cityCode, id));
  return rows.map((r) => {
    const score = r.score === null ? null : Number(r.score);
    const maxScore = r.max_score === null ? null : Number(r.max_score);
    return {
      id: r.id, month: String(r.month), agentId: r.agent_id, agentName: names.get(r.agent_id) ?? null, kind: r.kind, subjectId: r.subject_id,
      trackingNo: r.tracking_no, workAt: r.work_at.toISOString(), reasons: r.reasons, state: r.reviewed_at ? 'reviewed' : 'pending',
      sheet: r.sheet_id ? sheets.get(r.sheet_id) ?? null : null, scores: r.scores, score, maxScore,
      percent: score !== null && maxScore ? percentOf(score, maxScore) : null, comment: r.comment, reviewerName: r.reviewer_name,
      reviewedAt: r.reviewed_at?.toISOString() ?? null,
    };
  });
}

/** The month's samples, the ones waiting first, then by agent and time of the work. */
export async function listReviews(db: Queryable, actor: Actor, q: ReviewQuery) {
  const where = [`city_code = $1`, `month = $2::date`, NOT_OWN_PENDING];
  const values: unknown[] = [actor.cityCode, monthSpan(q.month).first, actor.id];
  if (q.agentId) where.push(`agent_id = $${values.push(q.agentId)}`);
  if (q.state) where.push(q.state === 'pending' ? 'reviewed_at IS NULL' : 'reviewed_at IS NOT NULL');
  if (q.reason) where.push(`$${values.push(q.reason)} = ANY(reasons)`);
  const fromWhere = `FROM quality_reviews WHERE ${where.join(' AND ')}`;
  const [rows, total] = await Promise.all([
    db.query<ReviewRow>({ text: `SELECT ${COLUMNS} ${fromWhere} ORDER BY reviewed_at IS NOT NULL, agent_id, work_at, id LIMIT ${q.limit} OFFSET ${q.offset}`, values }),
    countUpTo(db, { text: fromWhere, values }),
  ]);
  return pageOf(await present(db, actor.cityCode, rows.rows), total, q);
}

/** One review: every reader's, or the agent's own once scored. */
export async function getReview(db: Queryable, actor: Actor, id: string): Promise<Review> {
  const r = await db.query<ReviewRow>(prepared(`SELECT ${COLUMNS} FROM quality_reviews WHERE city_code = $1 AND id = $2`, [actor.cityCode, id]));
  const row = r.rows[0];
  const mine = row?.agent_id === actor.id;
  const visible = row && (mine ? row.reviewed_at !== null : hasRole(actor, ...REVIEW_READERS));
  if (!visible) throw new DomainError('QUALITY_REVIEW_NOT_FOUND', { id });
  return (await present(db, actor.cityCode, [row]))[0]!;
}

export interface ScoreInput { sheetId: string; scores: number[]; comment?: string | null | undefined }

/** Scores a sample (or scores it again) on an active sheet, or on the sheet it was scored on. */
export async function scoreReview(pool: pg.Pool, actor: Actor, id: string, input: ScoreInput, now = new Date()): Promise<Review> {
  await withTransaction(pool, async (tx) => {
    const r = await tx.query<{ agent_id: string; sheet_id: string | null; month: string }>(prepared(
      `SELECT agent_id, sheet_id, to_char(month, 'YYYY-MM') AS month FROM quality_reviews WHERE city_code = $1 AND id = $2 FOR UPDATE`, [actor.cityCode, id]));
    const row = r.rows[0];
    if (!row) throw new DomainError('QUALITY_REVIEW_NOT_FOUND', { id });
    if (row.agent_id === actor.id) throw new DomainError('QUALITY_OWN_WORK');
    const sheet = await getSheet(tx, actor.cityCode, input.sheetId);
    if (!sheet.active && sheet.id !== row.sheet_id) throw new DomainError('QUALITY_SHEET_RETIRED', { id: sheet.id });
    const score = scoreOn(sheet, input.scores);
    await tx.query(prepared(
      `UPDATE quality_reviews SET sheet_id = $3, scores = $4, score = $5, max_score = $6, comment = $7, reviewer_id = $8, reviewer_name = $9, reviewed_at = $10
        WHERE city_code = $1 AND id = $2`,
      [actor.cityCode, id, sheet.id, JSON.stringify(input.scores), score, sheet.total, input.comment?.trim() || null, actor.id, actor.name, now]));
    await recordAudit(tx, actor, { action: 'quality.reviewed', subjectType: 'quality_review', subjectId: id,
      detail: { agentId: row.agent_id, sheetId: sheet.id, scores: input.scores, score, rescored: row.sheet_id !== null } });
    // the agent is told: their review is theirs to read now
    await addNotices(tx, actor.cityCode, [row.agent_id], 'quality_reviewed',
      { reviewId: id, month: row.month, score, maxScore: sheet.total, rescored: row.sheet_id !== null }, now);
  });
  return getReview(pool, actor, id);
}

/** The actor's own reviews of a month, once scored, with the month's average. */
export async function myReviews(db: Queryable, actor: Actor, month: string) {
  const r = await db.query<ReviewRow>(prepared(
    `SELECT ${COLUMNS} FROM quality_reviews WHERE city_code = $1 AND month = $2::date AND agent_id = $3 AND reviewed_at IS NOT NULL ORDER BY work_at, id`,
    [actor.cityCode, monthSpan(month).first, actor.id]));
  const items = await present(db, actor.cityCode, r.rows);
  return { month, reviewed: items.length, averagePercent: averagePercent(items), items };
}

function averagePercent(reviews: readonly Review[]): number | null {
  const scored = reviews.filter((r) => r.percent !== null);
  if (scored.length === 0) return null;
  return Math.round((scored.reduce((sum, r) => sum + r.score! / r.maxScore!, 0) / scored.length) * 1000) / 10;
}

export interface AgentScore {
  agentId: string;
  agentName: string | null;
  drawn: number;
  reviewed: number;
  /** by why they were drawn (a sample may count under two) */
  misrouted: number;
  reopened: number;
  /** the mean of the reviews' per cent scores */
  averagePercent: number | null;
  lowestPercent: number | null;
  /** each item's mean score as a share of its most, in per cent, by the item's label (over the month's sheets) */
  items: { label: string; percent: number; reviews: number }[];
}

/** Every sample of the month the reader may see, by agent, then by the time of the work. */
export async function monthReviews(db: Queryable, actor: Actor, month: string): Promise<Review[]> {
  const r = await db.query<ReviewRow>(prepared(
    `SELECT ${COLUMNS} FROM quality_reviews WHERE city_code = $1 AND month = $2::date AND ${NOT_OWN_PENDING} ORDER BY agent_id, work_at, id`,
    [actor.cityCode, monthSpan(month).first, actor.id]));
  return present(db, actor.cityCode, r.rows);
}

/** Each agent's month: samples drawn and reviewed, the average and lowest score, each item's average. */
export async function agentScores(db: Queryable, actor: Actor, month: string, reviews?: readonly Review[]): Promise<{ month: string; agents: AgentScore[] }> {
  reviews ??= await monthReviews(db, actor, month);
  const byAgent = new Map<string, Review[]>();
  for (const review of reviews) {
    const mine = byAgent.get(review.agentId);
    if (mine) mine.push(review);
    else byAgent.set(review.agentId, [review]);
  }
  const agents = [...byAgent.values()].map((mine): AgentScore => {
    const scored = mine.filter((review) => review.state === 'reviewed');
    const percents = scored.map((review) => review.percent!);
    return {
      agentId: mine[0]!.agentId, agentName: mine[0]!.agentName, drawn: mine.length, reviewed: scored.length,
      misrouted: mine.filter((review) => review.reasons.includes('misrouted')).length,
      reopened: mine.filter((review) => review.reasons.includes('reopened')).length,
      averagePercent: averagePercent(scored), lowestPercent: percents.length ? Math.min(...percents) : null, items: itemAverages(scored),
    };
  });
  agents.sort((a, b) => (b.averagePercent ?? -1) - (a.averagePercent ?? -1) || (a.agentName ?? '').localeCompare(b.agentName ?? '', 'zh'));
  return { month, agents };
}

function itemAverages(reviews: readonly Review[]): AgentScore['items'] {
  const sums = new Map<string, { share: number; reviews: number }>();
  for (const review of reviews) {
    review.sheet!.items.forEach((item, i) => {
      const sum = sums.get(item.label) ?? { share: 0, reviews: 0 };
      sum.share += review.scores![i]! / item.max;
      sum.reviews += 1;
      sums.set(item.label, sum);
    });
  }
  return [...sums].map(([label, sum]) => ({ label, percent: Math.round((sum.share / sum.reviews) * 1000) / 10, reviews: sum.reviews }));
}
