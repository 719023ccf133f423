// Knowledge articles and their versions: the owner unit (or the hotline for it) drafts or revises,
// submits, and the hotline reviews: publishes or sends back with a comment (GB/T 44191: 共建共享,
// the hotline answers for 权威准确、标准统一). The published version is copied onto the article
// with its words for search; every version stays, so what an agent read on a day can be shown.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { beijingDate } from '../../shared/beijing.js';
import { recordAudit } from '../audit/index.js';
import { hasRole, seesWholeCity, UNIT_ROLES, type Actor, type Role } from '../auth/index.js';
import { unitIndex, type UnitIndex } from '../directory/index.js';
import { bumpGeneration } from './ranking.js';
import { indexWords } from './search.js';

/** Who writes drafts: the units for themselves, and the hotline's agents and leads for any unit. */
export const EDITORS: readonly Role[] = ['agent', 'lead', 'admin', 'unit_handler', 'unit_manager'];
/** Who reviews and publishes, and withdraws: the hotline's team leads (知识管理员) and administrators. */
export const KNOWLEDGE_REVIEWERS: readonly Role[] = ['lead', 'admin'];

export const VERSION_STATUSES = ['draft', 'in_review', 'published', 'rejected', 'superseded'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** What a version says: the fields an editor writes. */
export interface ArticleContent {
  title: string;
  /** the ways citizens ask it (常见问法) */
  questions: string[];
  answer: string;
  categoryCodes: string[];
  /** where it applies; none: the whole city */
  areaCodes: string[];
  /** shown in the public FAQ on the portal */
  public: boolean;
  validFrom: string | null;
  validUntil: string | null;
}

export interface Version extends ArticleContent {
  articleId: string;
  version: number;
  status: VersionStatus;
  sourceOrderId: string | null;
  authorName: string | null;
  writtenAt: string;
  submittedAt: string | null;
  reviewerName: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

export interface Article {
  id: string;
  ownerUnit: { id: string; name: string | null };
  /** the published content; null before the first publication */
  published: (ArticleContent & { version: number; publishedAt: string; expired: boolean }) | null;
  withdrawnAt: string | null;
  /** the version being written or reviewed, if any */
  open: Version | null;
}

const CONTENT_COLUMNS = 'title, questions, answer, category_codes, area_codes, public, valid_from, valid_until';
/** dates as text: the drivers read a `date` as a Date at some midnight */
const CONTENT_OUT = 'title, questions, answer, category_codes, area_codes, public, valid_from::text AS valid_from, valid_until::text AS valid_until';
const VERSION_COLUMNS = `article_id, version, status, ${CONTENT_OUT}, source_order_id, author_name, written_at, submitted_at,
  reviewer_name, reviewed_at, review_comment`;

function contentOf(r: Record<string, any>): ArticleContent {
  return { title: r.title, questions: r.questions, answer: r.answer, categoryCodes: r.category_codes, areaCodes: r.area_codes,
    public: r.public, validFrom: r.valid_from, validUntil: r.valid_until };
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function versionOf(r: Record<string, any>): Version {
  return { articleId: r.article_id, version: r.version, status: r.status, ...contentOf(r), sourceOrderId: r.source_order_id,
    authorName: r.author_name, writtenAt: r.written_at.toISOString(), submittedAt: iso(r.submitted_at), reviewerName: r.reviewer_name,
    reviewedAt: iso(r.reviewed_at), reviewComment: r.review_comment };
}

/** True when an article's validity ended before `now`'s Beijing day. */
export const isExpired = (validUntil: string | null, now: Date): boolean => validUntil !== null && validUntil < beijingDate(now);

/** Trims and checks what an editor wrote; validity in order, the owner's categories and areas as given. */
export function cleanContent(input: ArticleContent): ArticleContent {
  const questions = [...new Set(input.questions.map((q) => q.trim()).filter(Boolean))];
  const content = { ...input, title: input.title.trim(), answer: input.answer.trim(), questions,
    categoryCodes: [...new Set(input.categoryCodes)], areaCodes: [...new Set(input.areaCodes)] };
  if (!content.title || !content.answer) throw new DomainError('KNOWLEDGE_INVALID', { detail: { zh: '标题和答复内容必填', en: 'a title and an answer are required' } });
  if (content.validFrom && content.validUntil && content.validUntil < content.validFrom) {
    throw new DomainError('KNOWLEDGE_INVALID', { detail: { zh: '有效期的结束日期早于开始日期', en: 'the validity ends before it starts' } });
  }
  return content;
}

/** A unit's staff write for their unit and the units below it; the hotline's editors for any unit. */
async function mayWriteFor(db: Queryable, actor: Actor, ownerUnitId: string): Promise<boolean> {
  if (!hasRole(actor, ...UNIT_ROLES) || hasRole(actor, 'agent', 'lead', 'admin')) return true;
  const units = await unitIndex(db, actor.cityCode, [ownerUnitId]);
  return actor.unitId !== null && units.lineage(ownerUnitId).includes(actor.unitId);
}

/** The owner units whose articles a reader's lists and reports show: null for the hotline (all), else the unit's subtree. */
export function unitsInSight(actor: Actor, units: UnitIndex): string[] | null {
  return seesWholeCity(actor) ? null : units.subtree(actor.unitId ?? '');
}

async function requireWriter(db: Queryable, actor: Actor, ownerUnitId: string): Promise<void> {
  if (!hasRole(actor, ...EDITORS) || !(await mayWriteFor(db, actor, ownerUnitId))) throw new DomainError('AUTH_FORBIDDEN');
}

async function requireUnit(db: Queryable, cityCode: string, unitId: string): Promise<void> {
  const unit = (await unitIndex(db, cityCode, [unitId])).get(unitId);
  if (!unit || !unit.active) throw new DomainError('KNOWLEDGE_INVALID', { detail: { zh: '所属单位不存在或已停用', en: 'the owner unit does not exist or is inactive' } });
}

async function insertVersion(db: Queryable, actor: Actor, articleId: string, version: number, c: ArticleContent, sourceOrderId: string | null): Promise<void> {
  await db.query(prepared(
    `INSERT INTO knowledge_versions (city_code, article_id, version, status, ${CONTENT_COLUMNS}, source_order_id, author_id, author_name)
     VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [actor.cityCode, articleId, version, c.title, c.questions, c.answer, c.categoryCodes, c.areaCodes, c.public, c.validFrom, c.validUntil,
      sourceOrderId, actor.kind === 'staff' ? actor.id : null, actor.name]));
}

/** A new article, its first version a draft. */
export async function createArticle(pool: pg.Pool, actor: Actor, ownerUnitId: string, input: ArticleContent,
  sourceOrderId: string | null = null): Promise<Article> {
  const content = cleanContent(input);
  await requireUnit(pool, actor.cityCode, ownerUnitId);
  await requireWriter(pool, actor, ownerUnitId);
  const id = await withTransaction(pool, async (tx) => {
    const r = await tx.query<{ id: string }>(prepared(
      'INSERT INTO knowledge_articles (city_code, owner_unit_id, created_by) VALUES ($1, $2, $3) RETURNING id',
      [actor.cityCode, ownerUnitId, actor.kind === 'staff' ? actor.id : null]));
    await insertVersion(tx, actor, r.rows[0]!.id, 1, content, sourceOrderId);
    await recordAudit(tx, actor, { action: 'knowledge.draft', subjectType: 'knowledge_article', subjectId: r.rows[0]!.id, detail: { version: 1 } });
    return r.rows[0]!.id;
  });
  return getArticle(pool, actor, id);
}

interface ArticleRow { id: string; owner_unit_id: string; version: number | null; published_at: Date | null; withdrawn_at: Date | null; [column: string]: any }

async function articleRow(db: Queryable, cityCode: string, id: string, lock = false): Promise<ArticleRow> {
  const r = await db.query<ArticleRow>(prepared(
    `SELECT id, owner_unit_id, version, ${CONTENT_OUT}, published_at, withdrawn_at FROM knowledge_articles
      WHERE city_code = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [cityCode, id]));
  if (!r.rows[0]) throw new DomainError('KNOWLEDGE_ARTICLE_NOT_FOUND', { id });
  return r.rows[0];
}

async function openVersion(db: Queryable, cityCode: string, articleId: string): Promise<Version | null> {
  const r = await db.query(prepared(`SELECT ${VERSION_COLUMNS} FROM knowledge_versions
    WHERE city_code = $1 AND article_id = $2 AND status IN ('draft', 'in_review', 'rejected')`, [cityCode, articleId]));
  return r.rows[0] ? versionOf(r.rows[0]) : null;
}

/** Everyone on the staff reads published articles; drafts are the business of those who may write the article and of the reviewers. */
async function maySeeDrafts(db: Queryable, actor: Actor, ownerUnitId: string): Promise<boolean> {
  return hasRole(actor, ...EDITORS) && (hasRole(actor, ...KNOWLEDGE_REVIEWERS) || await mayWriteFor(db, actor, ownerUnitId));
}

export async function getArticle(db: Queryable, actor: Actor, id: string, now = new Date()): Promise<Article> {
  const row = await articleRow(db, actor.cityCode, id);
  const writer = await maySeeDrafts(db, actor, row.owner_unit_id);
  if (row.version === null && !writer) throw new DomainError('KNOWLEDGE_ARTICLE_NOT_FOUND', { id });
  const units = await unitIndex(db, actor.cityCode, [row.owner_unit_id]);
  return {
    id: row.id,
    ownerUnit: { id: row.owner_unit_id, name: units.get(row.owner_unit_id)?.name ?? null },
    published: row.version === null ? null : { ...contentOf(row), version: row.version, publishedAt: row.published_at!.toISOString(),
      expired: isExpired(row.valid_until, now) },
    withdrawnAt: iso(row.withdrawn_at),
    open: writer ? await openVersion(db, actor.cityCode, id) : null,
  };
}

/** Every version of an article, newest first (its writers and reviewers). */
export async function articleVersions(db: Queryable, actor: Actor, id: string): Promise<Version[]> {
  const row = await articleRow(db, actor.cityCode, id);
  // another unit's versions are as if they were not there
  if (!(await maySeeDrafts(db, actor, row.owner_unit_id))) throw new DomainError('KNOWLEDGE_ARTICLE_NOT_FOUND', { id });
  const r = await db.query(prepared(`SELECT ${VERSION_COLUMNS} FROM knowledge_versions WHERE city_code = $1 AND article_id = $2 ORDER BY version DESC`,
    [actor.cityCode, id]));
  return r.rows.map(versionOf);
}

/**
 * Writes the open version: edits a draft or a rejected one (it becomes a draft again), or starts a
 * revision of the published article when none is open.
 */
export async function writeVersion(pool: pg.Pool, actor: Actor, id: string, input: ArticleContent): Promise<Article> {
  const content = cleanContent(input);
  await withTransaction(pool, async (tx) => {
    const row = await articleRow(tx, actor.cityCode, id, true);
    await requireWriter(tx, actor, row.owner_unit_id);
    const open = await openVersion(tx, actor.cityCode, id);
    if (open?.status === 'in_review') throw new DomainError('KNOWLEDGE_STATE', { detail: { zh: '该版本正在审核，审核后才能修改', en: 'the version is being reviewed; edit it after the review' } });
    if (open) {
      await tx.query(prepared(
        `UPDATE knowledge_versions SET status = 'draft', title = $4, questions = $5, answer = $6, category_codes = $7, area_codes = $8, public = $9,
                valid_from = $10, valid_until = $11, author_id = $12, author_name = $13, written_at = now()
          WHERE city_code = $1 AND article_id = $2 AND version = $3`,
        [actor.cityCode, id, open.version, content.title, content.questions, content.answer, content.categoryCodes, content.areaCodes,
          content.public, content.validFrom, content.validUntil, actor.kind === 'staff' ? actor.id : null, actor.name]));
    } else {
      const last = await tx.query<{ v: number }>(prepared('SELECT max(version) AS v FROM knowledge_versions WHERE city_code = $1 AND article_id = $2',
        [actor.cityCode, id]));
      await insertVersion(tx, actor, id, last.rows[0]!.v + 1, content, null);
    }
    await recordAudit(tx, actor, { action: 'knowledge.draft', subjectType: 'knowledge_article', subjectId: id });
  });
  return getArticle(pool, actor, id);
}

/** Hands the draft to the hotline for review. */
export async function submitVersion(pool: pg.Pool, actor: Actor, id: string): Promise<Article> {
  await withTransaction(pool, async (tx) => {
    const row = await articleRow(tx, actor.cityCode, id, true);
    await requireWriter(tx, actor, row.owner_unit_id);
    const open = await openVersion(tx, actor.cityCode, id);
    if (!open || open.status === 'in_review') throw new DomainError('KNOWLEDGE_STATE', { detail: { zh: '没有待提交的草稿', en: 'there is no draft to submit' } });
    await tx.query(prepared(`UPDATE knowledge_versions SET status = 'in_review', submitted_at = now()
      WHERE city_code = $1 AND article_id = $2 AND version = $3`, [actor.cityCode, id, open.version]));
    await recordAudit(tx, actor, { action: 'knowledge.submit', subjectType: 'knowledge_article', subjectId: id, detail: { version: open.version } });
  });
  return getArticle(pool, actor, id);
}

/**
 * The hotline's review of the version in review: published (it replaces the article's content and
 * its words for search; the version before is superseded) or rejected with a comment.
 */
export async function reviewVersion(pool: pg.Pool, actor: Actor, id: string, decision: 'publish' | 'reject', comment: string | null,
  now = new Date()): Promise<Article> {
  if (!hasRole(actor, ...KNOWLEDGE_REVIEWERS)) throw new DomainError('AUTH_FORBIDDEN');
  if (decision === 'reject' && !comment?.trim()) throw new DomainError('KNOWLEDGE_INVALID', { detail: { zh: '退回须写明意见', en: 'a rejection needs a comment' } });
  await withTransaction(pool, async (tx) => {
    await articleRow(tx, actor.cityCode, id, true);
    const open = await openVersion(tx, actor.cityCode, id);
    if (open?.status !== 'in_review') throw new DomainError('KNOWLEDGE_STATE', { detail: { zh: '没有待审核的版本', en: 'no version is waiting for review' } });
    if (decision === 'publish') await publish(tx, actor.cityCode, open, now);
    await tx.query(prepared(`UPDATE knowledge_versions SET status = $4, reviewer_id = $5, reviewer_name = $6, reviewed_at = $7, review_comment = $8
      WHERE city_code = $1 AND article_id = $2 AND version = $3`,
    [actor.cityCode, id, open.version, decision === 'publish' ? 'published' : 'rejected', actor.kind === 'staff' ? actor.id : null, actor.name,
      now, comment?.trim() || null]));
    await recordAudit(tx, actor, { action: `knowledge.${decision}`, subjectType: 'knowledge_article', subjectId: id, detail: { version: open.version } });
  });
  return getArticle(pool, actor, id, now);
}

async function publish(tx: Queryable, cityCode: string, v: Version, now: Date): Promise<void> {
  const words = await indexWords(tx, cityCode, v);
  await bumpGeneration(tx, cityCode, v.articleId);
  await tx.query(prepared(`UPDATE knowledge_versions SET status = 'superseded' WHERE city_code = $1 AND article_id = $2 AND status = 'published'`,
    [cityCode, v.articleId]));
  await tx.query(prepared(
    `UPDATE knowledge_articles SET version = $3, title = $4, questions = $5, answer = $6, category_codes = $7, area_codes = $8, public = $9,
            valid_from = $10, valid_until = $11, published_at = $12, withdrawn_at = NULL, expiry_noticed_at = NULL,
            title_words = $13, question_words = $14, answer_words = $15
      WHERE city_code = $1 AND id = $2`,
    [cityCode, v.articleId, v.version, v.title, v.questions, v.answer, v.categoryCodes, v.areaCodes, v.public, v.validFrom, v.validUntil, now,
      words.title, words.questions, words.answer]));
}

/** 下架: the article leaves search and the FAQ (a new version published brings it back). */
export async function withdrawArticle(pool: pg.Pool, actor: Actor, id: string, reason: string, now = new Date()): Promise<Article> {
  if (!hasRole(actor, ...KNOWLEDGE_REVIEWERS)) throw new DomainError('AUTH_FORBIDDEN');
  await withTransaction(pool, async (tx) => {
    const row = await articleRow(tx, actor.cityCode, id, true);
    if (row.version === null || row.withdrawn_at) throw new DomainError('KNOWLEDGE_STATE', { detail: { zh: '文章未发布', en: 'the article is not published' } });
    await tx.query(prepared('UPDATE knowledge_articles SET withdrawn_at = $3 WHERE city_code = $1 AND id = $2', [actor.cityCode, id, now]));
    await bumpGeneration(tx, actor.cityCode, id);
    await recordAudit(tx, actor, { action: 'knowledge.withdraw', subjectType: 'knowledge_article', subjectId: id, detail: { reason } });
  });
  return getArticle(pool, actor, id, now);
}

export interface WorkItem {
  articleId: string;
  ownerUnit: { id: string; name: string | null };
  version: Version;
  /** the article is published (this version revises it) */
  revision: boolean;
}

/**
 * Versions being written or reviewed, the longest waiting first: for the hotline's editors every
 * one of the city (in review, or all open); for a unit's staff their units' only.
 */
export async function workList(db: Queryable, actor: Actor, status: 'in_review' | 'open'): Promise<WorkItem[]> {
  if (!hasRole(actor, ...EDITORS)) throw new DomainError('AUTH_FORBIDDEN');
  const units = await unitIndex(db, actor.cityCode);
  const ownUnits = unitsInSight(actor, units);
  const r = await db.query(prepared(
    `SELECT ${VERSION_COLUMNS}, a.owner_unit_id, a.published_version
       FROM knowledge_versions v, LATERAL (SELECT owner_unit_id, version AS published_version FROM knowledge_articles
                                             WHERE city_code = v.city_code AND id = v.article_id) a
      WHERE v.city_code = $1 AND v.status = ANY($2) AND ($3::uuid[] IS NULL OR a.owner_unit_id = ANY($3))
      ORDER BY v.submitted_at NULLS LAST, v.written_at LIMIT 500`,
    [actor.cityCode, status === 'in_review' ? ['in_review'] : ['draft', 'in_review', 'rejected'], ownUnits]));
  return r.rows.map((row) => ({ articleId: row.article_id, ownerUnit: { id: row.owner_unit_id, name: units.get(row.owner_unit_id)?.name ?? null },
    version: versionOf(row), revision: row.published_version !== null }));
}

/** A published article an agent answers with (直接办理): refused when withdrawn, unpublished or expired. */
export async function articleForAnswer(db: Queryable, cityCode: string, id: string, now: Date): Promise<{ id: string; version: number; title: string }> {
  const r = await db.query<{ version: number | null; title: string; withdrawn_at: Date | null; valid_from: string | null; valid_until: string | null }>(prepared(
    `SELECT version, title, withdrawn_at, valid_from::text AS valid_from, valid_until::text AS valid_until FROM knowledge_articles
      WHERE city_code = $1 AND id = $2`, [cityCode, id]));
  const a = r.rows[0];
  if (!a || a.version === null || a.withdrawn_at) throw new DomainError('KNOWLEDGE_ARTICLE_NOT_FOUND', { id });
  if (isExpired(a.valid_until, now)) throw new DomainError('KNOWLEDGE_ARTICLE_EXPIRED', { title: a.title, validUntil: a.valid_until! });
  if (a.valid_from !== null && a.valid_from > beijingDate(now)) {
    throw new DomainError('KNOWLEDGE_STATE', { detail: { zh: `《${a.title}》自 ${a.valid_from} 起生效`, en: `"${a.title}" is in force from ${a.valid_from}` } });
  }
  return { id, version: a.version, title: a.title };
}

/** What an order's handling offers as a new article: its title as the question, the lead unit's last reply as the answer. */
export interface OrderForProposal {
  title: string;
  body: string;
  categoryCode: string | null;
  areaCode: string | null;
  leadUnitId: string | null;
  replies: string[];
}

export function proposalFrom(order: OrderForProposal): { ownerUnitId: string | null; content: ArticleContent } {
  const answer = order.replies.at(-1) ?? '';
  return {
    ownerUnitId: order.leadUnitId,
    content: { title: order.title, questions: [order.title], answer, categoryCodes: order.categoryCode ? [order.categoryCode] : [],
      areaCodes: [], public: true, validFrom: null, validUntil: null },
  };
}

/**
 * Articles already reviewed elsewhere (a city bringing its existing knowledge base, the demo),
 * published at once as their first version, reviewed by the importer; one transaction per call.
 */
export async function importArticles(pool: pg.Pool, actor: Actor, items: { ownerUnitId: string; content: ArticleContent }[], now = new Date()): Promise<string[]> {
  if (!hasRole(actor, ...KNOWLEDGE_REVIEWERS) && actor.kind !== 'system') throw new DomainError('AUTH_FORBIDDEN');
  const clean = items.map((item) => ({ ...item, content: cleanContent(item.content) }));
  return withTransaction(pool, async (tx) => {
    const ids: string[] = [];
    for (const { ownerUnitId, content } of clean) {
      const r = await tx.query<{ id: string }>(prepared('INSERT INTO knowledge_articles (city_code, owner_unit_id, created_by) VALUES ($1, $2, $3) RETURNING id',
        [actor.cityCode, ownerUnitId, actor.kind === 'staff' ? actor.id : null]));
      const id = r.rows[0]!.id;
      await insertVersion(tx, actor, id, 1, content, null);
      const version = { articleId: id, version: 1, ...content } as Version;
      await publish(tx, actor.cityCode, version, now);
      await tx.query(prepared(`UPDATE knowledge_versions SET status = 'published', submitted_at = $3, reviewer_id = $4, reviewer_name = $5, reviewed_at = $3
        WHERE city_code = $1 AND article_id = $2`, [actor.cityCode, id, now, actor.kind === 'staff' ? actor.id : null, actor.name]));
      ids.push(id);
    }
    await recordAudit(tx, actor, { action: 'knowledge.import', subjectType: 'knowledge_article', subjectId: null, detail: { articles: ids.length } });
    return ids;
  });
}
