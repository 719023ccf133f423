// The SMS invitations of a survey: each respondent with a number, not answered, gets the survey's
// title and their personal link once, through the city's SMS messenger. A refusal worth retrying
// waits and is tried again (three tries); a send with no answer is not sent again (the citizen may
// have it): one invitation per person, never two.
import type pg from 'pg';
import { prepared, withTransaction } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { startPolling } from '../../shared/polling.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import type { Messenger, SendOutcome } from '../channels/index.js';
import { getSurvey } from './surveys.js';

const MAX_ATTEMPTS = 3;
/** A send claimed this long ago and not recorded was cut by a crash: it may have gone. */
const SENDING_LIMIT_MS = 5 * 60_000;
const TITLE_CHARS = 20;

/** Queues the invitations of an open survey answered by SMS link: the respondents with a number not yet invited or answering. */
export async function inviteRespondents(pool: pg.Pool, actor: Actor, surveyId: string, canSend: boolean, now = new Date()): Promise<{ queued: number }> {
  // queued with nothing to send them, they would fail for good: refused until the template is set
  if (!canSend) throw new DomainError('SURVEY_SMS_NOT_CONFIGURED');
  return withTransaction(pool, async (tx) => {
    const survey = await getSurvey(tx, actor.cityCode, surveyId, true);
    if (survey.status !== 'open') throw new DomainError('SURVEY_NOT_OPEN', { status: survey.status });
    if (!survey.channels.includes('sms')) throw new DomainError('SURVEY_CHANNEL_CLOSED');
    const r = await tx.query(prepared(
      `UPDATE survey_respondents SET invite_status = 'pending', invite_next_at = $3
        WHERE city_code = $1 AND survey_id = $2 AND phone IS NOT NULL AND answered_at IS NULL AND invite_status IS NULL`, [actor.cityCode, surveyId, now]));
    await recordAudit(tx, actor, { action: 'survey.invite', subjectType: 'survey', subjectId: surveyId, detail: { queued: r.rowCount } });
    return { queued: r.rowCount ?? 0 };
  });
}

interface Claimed { city_code: string; id: string; phone: string; token: string; attempts: number; title: string }

/** Sends the invitations due (up to `limit`); returns how many were tried. */
export async function sendDueInvitations(pool: pg.Pool, sms: Messenger, publicUrl: string, now = new Date(), limit = 50): Promise<number> {
  await pool.query(prepared(`UPDATE survey_respondents SET invite_status = 'unknown', invite_error = 'INTERRUPTED'
    WHERE invite_status = 'sending' AND invite_next_at < $1`, [new Date(now.getTime() - SENDING_LIMIT_MS)]));
  const claimed = await pool.query<Claimed>(prepared(
    `UPDATE survey_respondents r SET invite_status = 'sending', invite_attempts = r.invite_attempts + 1, invite_next_at = $1
       FROM surveys s
      WHERE s.city_code = r.city_code AND s.id = r.survey_id AND (r.city_code, r.survey_id, r.id) IN (
        SELECT p.city_code, p.survey_id, p.id FROM survey_respondents p JOIN surveys o ON o.city_code = p.city_code AND o.id = p.survey_id
         WHERE p.invite_status = 'pending' AND p.invite_next_at <= $1 AND o.status = 'open' AND o.ends_on >= $3::date AND p.answered_at IS NULL
         ORDER BY p.invite_next_at LIMIT $2 FOR UPDATE OF p SKIP LOCKED)
      RETURNING r.city_code, r.id, r.phone, r.token, r.invite_attempts AS attempts, s.title`, [now, limit, beijingDate(now)]));
  for (const c of claimed.rows) {
    const title = c.title.length > TITLE_CHARS ? `${c.title.slice(0, TITLE_CHARS - 1)}…` : c.title;
    const outcome = await sms.send({ address: c.phone, kind: 'survey_invitation', params: { title, link: `${publicUrl}/portal/survey/${c.token}` }, outId: c.id })
      .catch((error: unknown): SendOutcome => ({ status: 'unknown', code: 'PROVIDER_ERROR', message: String(error) }));
    await recordOutcome(pool, c, outcome, now);
  }
  return claimed.rows.length;
}

async function recordOutcome(pool: pg.Pool, c: Claimed, outcome: SendOutcome, now: Date): Promise<void> {
  const retry = outcome.status === 'refused' && outcome.retry && c.attempts < MAX_ATTEMPTS;
  const status = outcome.status === 'sent' ? 'sent' : retry ? 'pending' : outcome.status === 'refused' ? 'failed' : 'unknown';
  await pool.query(prepared(
    `UPDATE survey_respondents SET invite_status = $3, invite_sent_at = $4, invite_next_at = $5, invite_error = $6
      WHERE city_code = $1 AND id = $2 AND invite_status = 'sending'`,
    [c.city_code, c.id, status, outcome.status === 'sent' ? now : null, retry ? new Date(now.getTime() + 60_000 * 2 ** c.attempts) : now,
      outcome.status === 'sent' ? null : outcome.code]));
}

/** Runs the invitations' sender in this process (any number may: a claim is one process's). */
export function startInvitationSender(pool: pg.Pool, sms: Messenger, publicUrl: string, options: { pollMs: number; log: (error: unknown) => void }):
  () => Promise<void> {
  return startPolling(async (stopped) => {
    while (!stopped() && (await sendDueInvitations(pool, sms, publicUrl)) > 0) { /* more may be due */ }
  }, options);
}
