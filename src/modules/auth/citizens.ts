// Citizens who sign in to the mobile app with their phone: a one-time code sent by SMS, then a
// session. A code is six digits, good for CODE_MINUTES, once, and for MAX_FAILED_TRIES wrong
// guesses (after which a new one must be asked for); a phone gets one code a minute and CODES_PER_HOUR
// an hour, counted in the database so that every process and every restart agrees. The sending
// is the caller's (the channels' SMS provider): this module keeps the codes and the sessions.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from './actor.js';

export const CODE_MINUTES = 5;
export const MAX_FAILED_TRIES = 5;
export const RESEND_SECONDS = 60;
export const CODES_PER_HOUR = 5;
/** Citizen session tokens start with this, so that a bearer token says whose session it is. */
export const CITIZEN_TOKEN_PREFIX = 'msa_';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/**
 * A code's hash, bound to its city and phone: the same digits for another phone do not match. Not
 * keyed: one who reads the table could try the million codes of a row, in the 5 minutes it lives.
 */
const codeHash = (cityCode: string, phone: string, code: string) => sha256(`${cityCode}:${phone}:${code}`);

export interface CitizenAccount { id: string; phone: string; createdAt: string }

/** What a sign-in needs of the platform. */
export interface CitizenSignInPolicy { sessionDays: number }

export type CodeRequest =
  | { sent: true; expiresAt: string; resendAfterSeconds: number }
  /** too soon after the last code, or too many this hour: the seconds until the next may be asked for */
  | { sent: false; retryAfterSeconds: number };

/**
 * Makes a new code for the phone (the earlier one stops working) and hands it to `send`, unless
 * the phone had one less than a minute ago or CODES_PER_HOUR this hour. A send that fails still
 * counts: a phone a provider refuses is not asked again and again.
 */
export async function requestSignInCode(pool: pg.Pool, cityCode: string, phone: string, send: (code: string) => Promise<void>,
  now = new Date()): Promise<CodeRequest> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(now.getTime() + CODE_MINUTES * 60_000);
  const r = await pool.query(prepared(
    `INSERT INTO citizen_sign_in_codes AS c (city_code, phone, code_hash, sent_at, expires_at, window_started_at, sent_in_window)
     VALUES ($1, $2, $3, $4, $5, $4, 1)
     ON CONFLICT (city_code, phone) DO UPDATE SET code_hash = EXCLUDED.code_hash, sent_at = EXCLUDED.sent_at,
            expires_at = EXCLUDED.expires_at, failed_attempts = 0, used_at = NULL,
            window_started_at = CASE WHEN c.window_started_at <= $4::timestamptz - interval '1 hour' THEN $4 ELSE c.window_started_at END,
            sent_in_window = CASE WHEN c.window_started_at <= $4::timestamptz - interval '1 hour' THEN 1 ELSE c.sent_in_window + 1 END
      WHERE c.sent_at <= $4::timestamptz - make_interval(secs => $6)
        AND (c.window_started_at <= $4::timestamptz - interval '1 hour' OR c.sent_in_window < $7)
     RETURNING 1`,
    [cityCode, phone, codeHash(cityCode, phone, code), now, expiresAt, RESEND_SECONDS, CODES_PER_HOUR]));
  if (!r.rowCount) return { sent: false, retryAfterSeconds: await secondsUntilNextCode(pool, cityCode, phone, now) };
  await send(code);
  return { sent: true, expiresAt: expiresAt.toISOString(), resendAfterSeconds: RESEND_SECONDS };
}

async function secondsUntilNextCode(db: Queryable, cityCode: string, phone: string, now: Date): Promise<number> {
  const r = await db.query(prepared('SELECT sent_at, window_started_at, sent_in_window FROM citizen_sign_in_codes WHERE city_code = $1 AND phone = $2',
    [cityCode, phone]));
  const row = r.rows[0];
  if (!row) return 1; // removed in between: asking again will do
  const resend = row.sent_at.getTime() + RESEND_SECONDS * 1000;
  const window = row.sent_in_window >= CODES_PER_HOUR ? row.window_started_at.getTime() + 3_600_000 : 0;
  return Math.max(1, Math.ceil((Math.max(resend, window) - now.getTime()) / 1000));
}

/**
 * Signs the citizen in with the code sent to their phone: a session token (returned once, stored as
 * a hash) and the account, made at the first sign-in. A wrong code counts against the code
 * (APP_CODE_WRONG, with the tries left); a code used, expired, replaced or tried too often is gone
 * (APP_CODE_EXPIRED). Two sign-ins with one code at the same moment: one gets the session.
 */
export async function signInCitizen(pool: pg.Pool, cityCode: string, phone: string, code: string, policy: CitizenSignInPolicy,
  now = new Date()): Promise<{ token: string; expiresAt: string; citizen: CitizenAccount }> {
  await spendSignInCode(pool, cityCode, phone, code, now);
  const token = `${CITIZEN_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + policy.sessionDays * 86_400_000);
  const citizen = await withTransaction(pool, async (client) => {
    const r = await client.query(
      `INSERT INTO citizens (city_code, phone, created_at, last_signed_in_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (city_code, phone) DO UPDATE SET last_signed_in_at = EXCLUDED.last_signed_in_at RETURNING id, phone, created_at`,
      [cityCode, phone, now]);
    await client.query('INSERT INTO citizen_sessions (token_hash, citizen_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [sha256(token), r.rows[0].id, now, expiresAt]);
    return { id: r.rows[0].id as string, phone: r.rows[0].phone as string, createdAt: r.rows[0].created_at.toISOString() as string };
  });
  return { token, expiresAt: expiresAt.toISOString(), citizen };
}

/**
 * Uses up the code sent to the phone, proving the phone is the caller's: a wrong code counts against
 * the code (APP_CODE_WRONG, with the tries left); a code used, expired, replaced or tried too often is
 * gone (APP_CODE_EXPIRED). Two uses of one code at the same moment: one succeeds.
 */
export async function spendSignInCode(db: Queryable, cityCode: string, phone: string, code: string, now = new Date()): Promise<void> {
  // one statement checks the code and counts a miss, under the row's lock: tries sent at once are
  // taken one after another, and none is checked once the fifth miss has ended the code
  const tried = await db.query(prepared(
    `UPDATE citizen_sign_in_codes
        SET used_at = CASE WHEN code_hash = $5 THEN $3::timestamptz END,
            failed_attempts = failed_attempts + CASE WHEN code_hash = $5 THEN 0 ELSE 1 END
      WHERE city_code = $1 AND phone = $2 AND used_at IS NULL AND expires_at > $3 AND failed_attempts < $4
      RETURNING used_at IS NOT NULL AS right, failed_attempts`,
    [cityCode, phone, now, MAX_FAILED_TRIES, codeHash(cityCode, phone, code)]));
  const attempt = tried.rows[0] as { right: boolean; failed_attempts: number } | undefined;
  if (!attempt || (!attempt.right && attempt.failed_attempts >= MAX_FAILED_TRIES)) throw new DomainError('APP_CODE_EXPIRED');
  if (!attempt.right) throw new DomainError('APP_CODE_WRONG', { left: MAX_FAILED_TRIES - attempt.failed_attempts });
}

export async function signOutCitizen(db: Queryable, token: string): Promise<void> {
  await db.query('UPDATE citizen_sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [sha256(token)]);
}

/**
 * The citizen behind an app session token, or null when it is unknown, expired or signed out; asked
 * of the database on every request, like a staff session. The actor reaches no order by itself: the
 * app's routes give it the one it proved its own.
 */
export async function actorFromCitizenSession(db: Queryable, token: string, now = new Date()): Promise<Actor | null> {
  const r = await db.query(prepared(
    `SELECT c.id, c.city_code, c.phone FROM citizen_sessions s JOIN citizens c ON c.id = s.citizen_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`, [sha256(token), now]));
  const c = r.rows[0];
  return c ? { kind: 'citizen', id: c.id, name: '市民', cityCode: c.city_code, roles: [], unitId: null, unitPath: null, scopes: [],
    orderIds: [], phone: c.phone } : null;
}
