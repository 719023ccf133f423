// The signature WeChat and Weibo put on each callback: SHA-1 (hex) of the shared secret (WeChat's
// token, Weibo's app secret), the timestamp, the nonce (and, for WeChat's safe mode, the ciphertext),
// sorted as strings and joined.
import { createHash, timingSafeEqual } from 'node:crypto';

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
