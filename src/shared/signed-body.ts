// The signature an outside system puts on what it posts to Minsheng (the SMS gateway's callback,
// the telephony's call events): headers x-minsheng-timestamp (unix seconds), x-minsheng-nonce and
// x-minsheng-signature, the hex HMAC-SHA256 of "timestamp\nnonce\nbody" under a shared secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, type ErrorCode } from './errors.js';

/** How far a signed post's timestamp may be from the server's clock. */
export const SIGNED_BODY_WINDOW_MS = 5 * 60_000;

export interface BodySignature { timestamp: string | undefined; nonce: string | undefined; signature: string | undefined }

export function signBody(secret: string, timestamp: string, nonce: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n`).update(body).digest('hex');
}

/** The signature headers of a request (the first value of each). */
export function bodySignatureOf(headers: Record<string, string | string[] | undefined>): BodySignature {
  const header = (name: string) => { const v = headers[name]; return Array.isArray(v) ? v[0] : v; };
  return { timestamp: header('x-minsheng-timestamp'), nonce: header('x-minsheng-nonce'), signature: header('x-minsheng-signature') };
}

/**
 * Checks the signature (in constant time) and the timestamp's freshness, refusing with the caller's
 * codes; gives the timestamp in milliseconds. Spending the nonce is the caller's choice.
 */
export function checkSignedBody(secret: string, given: BodySignature, body: string | Buffer, refusals: { unsigned: ErrorCode; stale: ErrorCode },
  now = new Date()): number {
  const { timestamp, nonce, signature } = given;
  if (!timestamp || !nonce || !signature || !/^\d{1,12}$/.test(timestamp) || nonce.length > 128) throw new DomainError(refusals.unsigned);
  const expected = Buffer.from(signBody(secret, timestamp, nonce, body));
  const actual = Buffer.from(signature.toLowerCase());
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new DomainError(refusals.unsigned);
  const at = Number(timestamp) * 1000;
  if (Math.abs(now.getTime() - at) > SIGNED_BODY_WINDOW_MS) throw new DomainError(refusals.stale);
  return at;
}
