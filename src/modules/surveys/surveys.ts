// A survey's life: written as a draft (its questions, channels and dates), its respondents added
// (the callers of a period, about a category or in a place, a random sample of them, or a list of
// numbers), opened (its questions frozen), closed. Each respondent gets a token: the personal link
// of an SMS invitation; the portal's respondents are added as they answer, one per number.
import { createHmac, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { addDays, beijingDate, beijingMidnight } from '../../shared/beijing.js';
import { memo } from '../../shared/memo.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { Actor, Role } from '../auth/index.js';
import { callersOf, normalizePhone } from '../orders/index.js';
import { readRows, type ListRead } from './respondent-list.js';
import { checkQuestions, type Question } from './questions.js';

/** Who runs surveys: the hotline's leads and supervisors, and administrators. */
export const SURVEY_MANAGERS: readonly Role[] = ['lead', 'supervisor', 'admin'];
/** Who reads results: those, and the city's leaders. */
export const SURVEY_READERS: readonly Role[] = ['lead', 'supervisor', 'admin', 'leader'];
export const SURVEY_CHANNELS = ['sms', 'portal', 'outbound'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];
export type SurveyStatus = 'draft' | 'open' | 'closed';

export interface SurveyInput {
  title: string;
  intro: string;
  questions: Question[];
  channels: SurveyChannel[];
  startsOn: string;
  endsOn: string;
}

export interface Survey extends SurveyInput {
  id: string;
  status: SurveyStatus;
  createdAt: string;
  openedAt: string | null;
  closedAt: string | null;
  respondents: number;
  answered: number;
  /** SMS invitations sent, and refused for good */
  invited: number;
  inviteFailed: number;
}

const COLUMNS = `s.id, s.title, s.intro, s.questions, s.channels, s.status, s.starts_on::text AS starts_on, s.ends_on::text AS ends_on, s.created_at,
  s.opened_at, s.closed_at,
  (SELECT count(*) FROM survey_respondents r WHERE r.city_code = s.city_code AND r.survey_id = s.id)::int AS respondents,
  (SELECT count(*) FROM survey_answers a WHERE a.city_code = s.city_code AND a.survey_id = s.id)::int AS answered,
  (SELECT count(*) FROM survey_respondents r WHERE r.city_code = s.city_code AND r.survey_id = s.id AND r.invite_status = 'sent')::int AS invited,
  (SELECT count(*) FROM survey_respondents r WHERE r.city_code = s.city_code AND r.survey_id = s.id AND r.invite_status = 'failed')::int AS invite_failed`;

const surveyOf = (r: Record<string, any>): Survey => ({
  id: r.id, title: r.title, intro: r.intro, questions: r.questions, channels: r.channels, startsOn: r.starts_on, endsOn: r.ends_on,
  status: r.status, createdAt: r.created_at.toISOString(), openedAt: r.opened_at?.toISOString() ?? null, closedAt: r.closed_at?.toISOString() ?? null,
  respondents: r.respondents, answered: r.answered, invited: r.invited, inviteFailed: r.invite_failed,
});

function checkInput(input: SurveyInput): SurveyInput {
  checkQuestions(input.questions);
  if (!input.title.trim()) throw new DomainError('SURVEY_INVALID', { detail: { zh: '标题必填', en: 'a title is required' } });
  if (input.endsOn < input.startsOn) throw new DomainError('SURVEY_INVALID', { detail: { zh: '结束日期早于开始日期', en: 'it ends before it starts' } });
  if (input.channels.length === 0) throw new DomainError('SURVEY_INVALID', { detail: { zh: '至少选择一个渠道', en: 'choose a channel at least' } });
  return { ...input, title: input.title.trim(), intro: input.intro.trim(), channels: [...new Set(input.channels)] };
}

export async function listSurveys(db: Queryable, cityCode: string): Promise<Survey[]> {
  const r = await db.query(prepared(`SELECT ${COLUMNS} FROM surveys s WHERE s.city_code = $1 ORDER BY s.created_at DESC LIMIT 200`, [cityCode]));
  return r.rows.map(surveyOf);
}

/** The surveys a portal visitor may answer today: open, answered on the portal, within their dates. */
export async function portalSurveys(db: Queryable, cityCode: string, now = new Date()): Promise<Pick<Survey, 'id' | 'title' | 'intro' | 'questions' | 'endsOn'>[]> {
  const r = await db.query(prepared(
    `SELECT id, title, intro, questions, ends_on::text AS ends_on FROM surveys
      WHERE city_code = $1 AND status = 'open' AND 'portal' = ANY(channels) AND $2::date BETWEEN starts_on AND ends_on ORDER BY ends_on, id LIMIT 50`,
    [cityCode, beijingDate(now)]));
  return r.rows.map((row) => ({ id: row.id, title: row.title, intro: row.intro, questions: row.questions, endsOn: row.ends_on }));
}

export async function getSurvey(db: Queryable, cityCode: string, id: string, lock = false): Promise<Survey> {
  const r = await db.query(prepared(`SELECT ${COLUMNS} FROM surveys s WHERE s.city_code = $1 AND s.id = $2${lock ? ' FOR UPDATE' : ''}`, [cityCode, id]));
  if (!r.rows[0]) throw new DomainError('SURVEY_NOT_FOUND', { id });
  return surveyOf(r.rows[0]);
}

export async function createSurvey(pool: pg.Pool, actor: Actor, input: SurveyInput): Promise<Survey> {
  const s = checkInput(input);
  const id = await withTransaction(pool, async (tx) => {
    const r = await tx.query<{ id: string }>(prepared(
      `INSERT INTO surveys (city_code, title, intro, questions, channels, starts_on, ends_on, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [actor.cityCode, s.title, s.intro, JSON.stringify(s.questions), s.channels, s.startsOn, s.endsOn, actor.kind === 'staff' ? actor.id : null]));
    await recordAudit(tx, actor, { action: 'survey.create', subjectType: 'survey', subjectId: r.rows[0]!.id });
    return r.rows[0]!.id;
  });
  return getSurvey(pool, actor.cityCode, id);
}

/** Changes a draft: once open, the questions are what respondents answered, and stay. */
export async function updateSurvey(pool: pg.Pool, actor: Actor, id: string, input: SurveyInput): Promise<Survey> {
  const s = checkInput(input);
  await withTransaction(pool, async (tx) => {
    const survey = await getSurvey(tx, actor.cityCode, id, true);
    if (survey.status !== 'draft') throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
    await tx.query(prepared(`UPDATE surveys SET title = $3, intro = $4, questions = $5, channels = $6, starts_on = $7, ends_on = $8 WHERE city_code = $1 AND id = $2`,
      [actor.cityCode, id, s.title, s.intro, JSON.stringify(s.questions), s.channels, s.startsOn, s.endsOn]));
    await recordAudit(tx, actor, { action: 'survey.update', subjectType: 'survey', subjectId: id });
  });
  return getSurvey(pool, actor.cityCode, id);
}

/** draft → open → closed. */
export async function moveSurvey(pool: pg.Pool, actor: Actor, id: string, to: 'open' | 'closed', now = new Date()): Promise<Survey> {
  await withTransaction(pool, async (tx) => {
    const survey = await getSurvey(tx, actor.cityCode, id, true);
    if ((to === 'open' && survey.status !== 'draft') || (to === 'closed' && survey.status !== 'open')) {
      throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
    }
    await tx.query(prepared(`UPDATE surveys SET status = $3, ${to === 'open' ? 'opened_at' : 'closed_at'} = $4 WHERE city_code = $1 AND id = $2`,
      [actor.cityCode, id, to, now]));
    await recordAudit(tx, actor, { action: `survey.${to === 'open' ? 'open' : 'close'}`, subjectType: 'survey', subjectId: id });
  });
  return getSurvey(pool, actor.cityCode, id);
}

/** Whether the survey takes answers now, on a channel. */
export function assertAnswerable(survey: Survey, channel: SurveyChannel, now: Date): void {
  const today = beijingDate(now);
  if (survey.status !== 'open' || today < survey.startsOn || today > survey.endsOn) throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
  if (!survey.channels.includes(channel)) throw new DomainError('SURVEY_CHANNEL_CLOSED');
}

/**
 * One respondent per number and survey, found again by the number's hash, keyed by the city's
 * secret and the survey: the number itself is not needed to tell that it answered (the portal's
 * respondents keep none), and the hash does not give it back. `scope` keeps the portal's answers
 * apart from the invited: a number typed on the portal cannot use up an invited person's answer.
 */
export async function phoneKey(db: Queryable, cityCode: string, surveyId: string, phone: string, scope: 'invited' | 'portal' = 'invited'): Promise<string> {
  return createHmac('sha256', await citySecret(db, cityCode)).update(`${surveyId}:${scope}:${normalizePhone(phone)}`).digest('hex');
}

const secrets = memo<string>(Number.POSITIVE_INFINITY, 100);

/** The city's secret, made the first time it is needed (two processes at once keep the first written). */
function citySecret(db: Queryable, cityCode: string): Promise<string> {
  return secrets.get(cityCode, async () => {
    await db.query(prepared('INSERT INTO survey_secrets (city_code, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING', [cityCode, randomBytes(32).toString('hex')]));
    return (await db.query(prepared('SELECT secret FROM survey_secrets WHERE city_code = $1', [cityCode]))).rows[0].secret as string;
  });
}

export const newToken = (): string => randomBytes(16).toString('base64url');

export type RespondentSource =
  | { kind: 'callers'; from: string; to: string; categoryCode?: string | undefined; areaCode?: string | undefined; sample?: number | undefined }
  | { kind: 'list'; phones: string[] }
  | { kind: 'file'; rows: string[][] };

/** What adding respondents did: a list's rows read too (how many, repeated, refused). */
export type RespondentsAdded = { added: number; matched: number } & Partial<Omit<ListRead, 'phones'>>;

/**
 * Adds respondents (a draft or an open survey): the callers of a period (Beijing days, both ends),
 * about a category or in a place, all or a random sample of `sample`; or a list of numbers, pasted
 * or the rows of a file (see respondent-list.ts). A number already a respondent is not added again.
 * Returns how many were added, and for a list what its rows gave.
 */
export async function addRespondents(pool: pg.Pool, actor: Actor, id: string, source: RespondentSource): Promise<RespondentsAdded> {
  const survey = await getSurvey(pool, actor.cityCode, id);
  if (survey.status === 'closed') throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
  let list: ListRead | undefined;
  let chosen: { phone: string; areaCode: string | null; categoryCode: string | null }[];
  let matched: number;
  if (source.kind === 'callers') {
    const people = await callersOf(pool, actor.cityCode, { from: beijingMidnight(source.from), to: beijingMidnight(addDays(source.to, 1)),
      categoryCode: source.categoryCode, areaCode: source.areaCode });
    chosen = source.sample !== undefined ? sampleOf(people, source.sample, id) : people;
    matched = people.length;
  } else {
    list = readRows(source.kind === 'list' ? source.phones.map((p) => [p]) : source.rows);
    chosen = list.phones.map((phone) => ({ phone, areaCode: null, categoryCode: null }));
    matched = chosen.length;
  }
  const added = await withTransaction(pool, async (tx) => {
    let count = 0;
    for (const p of chosen) {
      const r = await tx.query(prepared(
        `INSERT INTO survey_respondents (city_code, survey_id, token, phone_key, phone, area_code, category_code, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (city_code, survey_id, phone_key) DO NOTHING`,
        [actor.cityCode, id, newToken(), await phoneKey(tx, actor.cityCode, id, p.phone), p.phone, p.areaCode, p.categoryCode, list ? 'list' : 'orders']));
      count += r.rowCount ?? 0;
    }
    await recordAudit(tx, actor, { action: 'survey.respondents', subjectType: 'survey', subjectId: id, detail: { source: source.kind, added: count } });
    return count;
  });
  if (!list) return { added, matched };
  const { phones: _phones, ...read } = list;
  return { added, matched, ...read };
}

/** `n` of `people`, drawn by a hash seeded with the survey: the same survey draws the same sample. */
function sampleOf<T extends { phone: string }>(people: T[], n: number, seed: string): T[] {
  const keyed = people.map((p) => ({ p, key: createHmac('sha256', seed).update(p.phone).digest('hex') }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, n).map((k) => k.p);
}
