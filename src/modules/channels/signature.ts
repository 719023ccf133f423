// The signature WeChat and Weibo put on each callback: SHA-1 (hex) of the shared secret (WeChat's
// token, Weibo's app secret), the timestamp, the nonce (and, for WeChat's safe mode, the ciphertext),
// sorted as strings and joined.
import { createHash, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { prepared } from '../../db/tx.js';
import { DomainError, type ErrorCode } from '../../shared/errors.js';

export function sha1Signature(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Whether `given` is the signature of the parts (compared in constant time). */
export function signatureHolds(given: string | undefined, ...parts: string[]): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(sha1Signature(...parts));
  const actual = Buffer.from(given.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** How far a signed query's timestamp may be from the server's clock. */
export const SIGNED_QUERY_WINDOW_MS = 5 * 60_000;
/** How long a nonce is kept: the window a timestamp may be early or late in, either way. */
const NONCE_MS = 2 * SIGNED_QUERY_WINDOW_MS;

/**
 * Checks a query signed as WeChat and Weibo sign theirs: `signature` over the secret, `timestamp`
 * and `nonce`, the timestamp within the window of the clock (in seconds; with `milliseconds`, more
 * than 11 digits are read as milliseconds, as in Weibo's examples: in seconds that is past the year
 * 5000). Takes the query as sent, before validation: a parameter given twice (an array) is no
 * signature. Refuses with the channel's own codes; gives the timestamp and nonce it checked.
 */
export function checkSignedQuery(secret: string, q: Record<string, unknown>, refusals: { invalid: ErrorCode; stale: ErrorCode },
  now: Date, options: { milliseconds?: boolean } = {}): { timestamp: string; nonce: string } {
  const { timestamp, nonce, signature } = q;
  const digits = options.milliseconds ? /^\d{1,13}$/ : /^\d{1,12}$/;
  if (typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof signature !== 'string' || !digits.test(timestamp)
    || !nonce || nonce.length > 64 || !signatureHolds(signature, secret, timestamp, nonce)) {
    throw new DomainError(refusals.invalid);
  }
  const at = options.milliseconds && timestamp.length > 11 ? Number(timestamp) : Number(timestamp) * 1000;
  if (Math.abs(now.getTime() - at) > SIGNED_QUERY_WINDOW_MS) throw new DomainError(refusals.stale);
  return { timestamp, nonce };
}

/**
 * The signature of WeChat's plain mode and of Weibo covers the query, not the body: binds the
 * query's nonce to the body it first came with. A delivery again with the same nonce and body is
 * taken; another body with that nonce is refused (false), so a signed query seen once (in a log,
 * say) cannot carry a body of someone else's making.
 */
export async function nonceHolds(pool: pg.Pool, channel: string, nonce: string, body: string | Buffer, now: Date): Promise<boolean> {
  const digest = createHash('sha256').update(body).digest('hex');
  const r = await pool.query(prepared(
    // this nonce's own expired row is renewed, not deleted: one statement must not both delete and update a row
    `WITH gone AS (DELETE FROM channel_nonces WHERE expires_at < $4 AND NOT (channel = $1 AND nonce = $2))
     INSERT INTO channel_nonces (channel, nonce, digest, expires_at) VALUES ($1, $2, $3, $5)
     ON CONFLICT (channel, nonce) DO UPDATE
       SET digest = CASE WHEN channel_nonces.expires_at < $4 THEN EXCLUDED.digest ELSE channel_nonces.digest END,
           expires_at = CASE WHEN channel_nonces.expires_at < $4 THEN EXCLUDED.expires_at ELSE channel_nonces.expires_at END
     RETURNING digest`,
    [channel, nonce, digest, now, new Date(now.getTime() + NONCE_MS)]));
  return r.rows[0].digest === digest;
}
