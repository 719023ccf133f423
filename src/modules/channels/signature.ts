// The signature WeChat and Weibo put on each callback: SHA-1 (hex) of the shared secret (WeChat's
// token, Weibo's app secret), the timestamp, the nonce (and, for WeChat's safe mode, the ciphertext),
// sorted as strings and joined.
import { createHash, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { prepared } from '../../db/tx.js';

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

/** How long a nonce is kept: the 5 minutes a timestamp may be early or late, either way. */
const NONCE_MS = 10 * 60_000;

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
