// Answering a survey, once per respondent: by the personal link of an SMS invitation (its token),
// on the portal (the number given makes the respondent; its hash only is kept), or on an agent's
// outbound call (the agent reads the questions and enters the answers). A second answer is refused.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, spendSignInCode, type Actor } from '../auth/index.js';
import { isMobile } from '../channels/index.js';
import { normalizePhone } from '../orders/index.js';
import { checkAnswers, type Answers } from './questions.js';
import { assertAnswerable, getSurvey, newToken, phoneKey, type Survey, type SurveyChannel } from './surveys.js';

/** Who calls respondents: the hotline's agents and leads. */
const CALLERS = ['agent', 'lead'] as const;

interface Respondent { id: string; survey_id: string; city_code: string; area_code: string | null; answered_at: Date | null }

async function record(tx: Queryable, survey: Survey, r: Respondent, channel: SurveyChannel, answers: Answers, askedBy: string | null, now: Date): Promise<void> {
  const sheet = checkAnswers(survey.questions, answers);
  const inserted = await tx.query(prepared(
    `INSERT INTO survey_answers (city_code, survey_id, respondent_id, channel, answers, area_code, asked_by, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [r.city_code, survey.id, r.id, channel, JSON.stringify(sheet), r.area_code, askedBy, now]));
  if (!inserted.rowCount) throw new DomainError('SURVEY_ALREADY_ANSWERED');
  await tx.query(prepared('UPDATE survey_respondents SET answered_at = $3 WHERE city_code = $1 AND id = $2', [r.city_code, r.id, now]));
}

const RESPONDENT = 'SELECT id, survey_id, city_code, area_code, answered_at FROM survey_respondents';

/** What the link shows: the survey's questions, and whether this respondent has answered (nothing personal). */
export async function surveyByToken(db: Queryable, cityCode: string, token: string): Promise<{ survey: Pick<Survey, 'id' | 'title' | 'intro' | 'questions' | 'status' | 'startsOn' | 'endsOn'>; answered: boolean }> {
  const r = await db.query<Respondent>(prepared(`${RESPONDENT} WHERE city_code = $1 AND token = $2`, [cityCode, token]));
  const respondent = r.rows[0];
  if (!respondent) throw new DomainError('SURVEY_NOT_FOUND', { id: token.slice(0, 6) });
  const { id, title, intro, questions, status, startsOn, endsOn } = await getSurvey(db, respondent.city_code, respondent.survey_id);
  return { survey: { id, title, intro, questions, status, startsOn, endsOn }, answered: respondent.answered_at !== null };
}

/** The answer of the link's respondent (the SMS invitation's). */
export async function answerByToken(pool: pg.Pool, cityCode: string, token: string, answers: Answers, now = new Date()): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const respondent = (await tx.query<Respondent>(prepared(`${RESPONDENT} WHERE city_code = $1 AND token = $2 FOR UPDATE`, [cityCode, token]))).rows[0];
    if (!respondent) throw new DomainError('SURVEY_NOT_FOUND', { id: token.slice(0, 6) });
    const survey = await getSurvey(tx, respondent.city_code, respondent.survey_id);
    assertAnswerable(survey, 'sms', now);
    await record(tx, survey, respondent, 'sms', answers, null, now);
  });
}

export interface PortalAnswer { phone: string; answers: Answers; areaCode: string | null; code: string | null }

/**
 * A portal visitor's answer: their number makes them a respondent (kept as a hash), once. When the
 * platform can send SMS codes (`proveNumber`), the number is proved by the code sent to it
 * (/app/sign-in/code), before anything about the number is told (whether it answered), and spent in
 * the answer's transaction: an answer not stored leaves the code unspent.
 */
export async function answerOnPortal(pool: pg.Pool, cityCode: string, surveyId: string, given: PortalAnswer, proveNumber: boolean,
  now = new Date()): Promise<void> {
  const phone = normalizePhone(given.phone);
  if (!isMobile(phone)) throw new DomainError('SURVEY_ANSWER_INVALID', { detail: { zh: '请填写正确的手机号码', en: 'a mobile number is needed' } });
  const survey = await getSurvey(pool, cityCode, surveyId);
  assertAnswerable(survey, 'portal', now);
  checkAnswers(survey.questions, given.answers);
  if (proveNumber && !given.code) throw new DomainError('SURVEY_CODE_REQUIRED');
  const key = await phoneKey(pool, cityCode, surveyId, phone, 'portal');
  const refused = await withTransaction(pool, async (tx) => {
    if (proveNumber) {
      // a wrong code is counted against it: the transaction commits that count alone, then refuses
      try {
        await spendSignInCode(tx, cityCode, phone, given.code!, now);
      } catch (error) {
        if (error instanceof DomainError && (error.code === 'APP_CODE_WRONG' || error.code === 'APP_CODE_EXPIRED')) return error;
        throw error;
      }
    }
    await tx.query(prepared(
      `INSERT INTO survey_respondents (city_code, survey_id, token, phone_key, area_code, source) VALUES ($1, $2, $3, $4, $5, 'portal')
       ON CONFLICT (city_code, survey_id, phone_key) DO NOTHING`, [cityCode, surveyId, newToken(), key, given.areaCode]));
    const respondent = (await tx.query<Respondent>(prepared(`${RESPONDENT} WHERE city_code = $1 AND survey_id = $2 AND phone_key = $3 FOR UPDATE`,
      [cityCode, surveyId, key]))).rows[0]!;
    await record(tx, survey, respondent, 'portal', given.answers, null, now);
    return null;
  });
  if (refused) throw refused;
}

export interface ToCall { respondentId: string; phone: string | null; areaCode: string | null; addedAt: string }

/** The respondents an agent may call for the survey: not answered yet, the longest waiting first. */
export async function respondentsToCall(db: Queryable, actor: Actor, surveyId: string, limit: number): Promise<ToCall[]> {
  if (!hasRole(actor, ...CALLERS)) throw new DomainError('AUTH_FORBIDDEN');
  const survey = await getSurvey(db, actor.cityCode, surveyId);
  // numbers are handed out only while there is a survey to ask them
  if (survey.status !== 'open') throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
  if (!survey.channels.includes('outbound')) throw new DomainError('SURVEY_CHANNEL_CLOSED');
  const r = await db.query(prepared(
    `SELECT id, phone, area_code, added_at FROM survey_respondents
      WHERE city_code = $1 AND survey_id = $2 AND answered_at IS NULL AND phone IS NOT NULL ORDER BY added_at, id LIMIT $3`,
    [actor.cityCode, surveyId, limit]));
  return r.rows.map((row) => ({ respondentId: row.id, phone: row.phone, areaCode: row.area_code, addedAt: row.added_at.toISOString() }));
}

/** An agent's entry of a respondent's answers on an outbound call. */
export async function answerOutbound(pool: pg.Pool, actor: Actor, surveyId: string, respondentId: string, answers: Answers, now = new Date()): Promise<void> {
  if (!hasRole(actor, ...CALLERS)) throw new DomainError('AUTH_FORBIDDEN');
  await withTransaction(pool, async (tx) => {
    const survey = await getSurvey(tx, actor.cityCode, surveyId);
    assertAnswerable(survey, 'outbound', now);
    const respondent = (await tx.query<Respondent>(prepared(`${RESPONDENT} WHERE city_code = $1 AND survey_id = $2 AND id = $3 FOR UPDATE`,
      [actor.cityCode, surveyId, respondentId]))).rows[0];
    if (!respondent) throw new DomainError('SURVEY_NOT_FOUND', { id: respondentId });
    await record(tx, survey, respondent, 'outbound', answers, actor.kind === 'staff' ? actor.id : null, now);
  });
}

