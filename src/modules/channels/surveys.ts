// A citizen's answer to the satisfaction survey the outbox sent them (outbox.ts): the digit alone,
// sent back on the same channel from the same address (a mobile number, an openid, a Weibo user id).
// It answers the newest survey sent there in the last 7 days that no message answered yet, and is
// recorded as the order's return visit, like a rating on the portal. The same message delivered
// again finds the survey it answered the first time.
import type pg from 'pg';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { citizenActor } from '../auth/index.js';
import { rateAnswer } from '../orders/index.js';
import { countMessage } from './counts.js';

const SURVEY_ANSWERS = { 1: { solved: true, satisfaction: 'satisfied' }, 2: { solved: true, satisfaction: 'basically_satisfied' },
  3: { solved: false, satisfaction: 'unsatisfied' } } as const;
export type SurveyAnswer = (typeof SURVEY_ANSWERS)[keyof typeof SURVEY_ANSWERS];

/** A survey's answer: the digit alone, half- or full-width, with nothing else but spaces. */
export function surveyAnswer(content: string): SurveyAnswer | null {
  const digit = content.trim().replace(/[１２３]/, (c) => String(c.charCodeAt(0) - 0xff10));
  return /^[123]$/.test(digit) ? SURVEY_ANSWERS[Number(digit) as 1 | 2 | 3] : null;
}

/** How long after it was sent a survey may still be answered. */
const SURVEY_OPEN_DAYS = 7;

interface Survey { id: string; order_id: string; tracking_no: string }

/** Where a message came from and which it is: its id on the channel. */
export interface Respondent { cityCode: string; channel: string; address: string; ref: string }

/** The survey this very message answered before (a delivery again, or one a crash interrupted before its rating). */
async function surveyAnsweredBy(pool: pg.Pool, r: Respondent): Promise<Survey | undefined> {
  const found = await pool.query(prepared(
    `SELECT id, order_id, params->>'trackingNo' AS tracking_no FROM outbox
      WHERE city_code = $1 AND channel = $2 AND address = $3 AND kind = 'survey' AND answer_ref = $4 LIMIT 1`,
    [r.cityCode, r.channel, r.address, r.ref]));
  return found.rows[0];
}

/**
 * Takes the newest unanswered survey sent to the address in the last days for this message. One
 * message answers one survey (a unique index): a delivery of the same message at the same moment,
 * which would take the next survey once the first's is taken, is refused by it and reads what the
 * first took.
 */
async function claimSurvey(pool: pg.Pool, r: Respondent, now: Date): Promise<Survey | undefined> {
  const claimed = await pool.query(prepared(
    // the survey is chosen by a subquery run once (an InitPlan), never again for each row it joins
    `UPDATE outbox o SET answered_at = $5, answer_ref = $4
      WHERE o.city_code = $1 AND o.answered_at IS NULL AND o.id = (
        SELECT id FROM outbox
         WHERE city_code = $1 AND channel = $2 AND address = $3 AND kind = 'survey' AND answered_at IS NULL AND status = 'sent'
           AND sent_at > $5::timestamptz - make_interval(days => $6)
         ORDER BY sent_at DESC, id DESC LIMIT 1 FOR UPDATE)
      RETURNING o.id, o.order_id, o.params->>'trackingNo' AS tracking_no`,
    [r.cityCode, r.channel, r.address, r.ref, now, SURVEY_OPEN_DAYS])).catch((error: unknown) => {
    if ((error as { code?: string }).code === '23505') return { rows: [] }; // this message answered one meanwhile
    throw error;
  });
  return claimed.rows[0];
}

export type SurveyOutcome =
  /** no survey waits for an answer from there */
  | { kind: 'no_open_survey' }
  /** `recorded`: the rating counts; false when the order was rated already (by a visit made meanwhile, or this message before) */
  | { kind: 'rating'; trackingNo: string; recorded: boolean; again: boolean };

/** Records a survey's answer as the return visit of the order it was sent about. */
export async function answerSurvey(pool: pg.Pool, r: Respondent, answer: SurveyAnswer, now = new Date()): Promise<SurveyOutcome> {
  const earlier = await surveyAnsweredBy(pool, r);
  const claimed = earlier ? undefined : await claimSurvey(pool, r, now);
  const survey = earlier ?? claimed ?? await surveyAnsweredBy(pool, r);
  if (!survey) return { kind: 'no_open_survey' };
  const recorded = await rateAnswer(pool, citizenActor(r.cityCode, [survey.order_id]), survey.order_id, answer, now)
    .then(() => true, (error: unknown) => { if (error instanceof DomainError && error.code === 'RATING_NOT_OPEN') return false; throw error; });
  return { kind: 'rating', trackingNo: survey.tracking_no, recorded, again: !claimed };
}

/** Counts a rating on its channel: a delivery again that changed nothing is a duplicate; a rating after a visit, too late. */
export function countRating(pool: pg.Pool, cityCode: string, channel: string, outcome: Extract<SurveyOutcome, { kind: 'rating' }>, now: Date) {
  return outcome.again && !outcome.recorded ? countMessage(pool, cityCode, channel, 'duplicate', '', now)
    : countMessage(pool, cityCode, channel, 'accepted', outcome.recorded ? 'rating' : 'rating_too_late', now);
}
