// Call events posted as the telephony posts them (docs/telephony.md): the body's bytes signed with
// the test platforms' telephony secret, for the tests that play the PBX.
import { randomUUID } from 'node:crypto';
import { signBody } from '../shared/signed-body.js';
import { TELEPHONY_TEST_SECRET } from './harness.js';

/** The body and headers of a signed post of `events` (`raw`: a body sent as it is; `at`: the signing time). */
export function signedCallEvents(events: readonly unknown[], sign: { secret?: string; at?: number; raw?: string } = {}):
  { url: string; payload: string; headers: Record<string, string> } {
  const payload = sign.raw ?? JSON.stringify({ events });
  const timestamp = String(Math.floor((sign.at ?? Date.now()) / 1000));
  const nonce = randomUUID();
  return { url: '/api/v1/telephony/events', payload, headers: { 'content-type': 'application/json', 'x-minsheng-timestamp': timestamp,
    'x-minsheng-nonce': nonce, 'x-minsheng-signature': signBody(sign.secret ?? TELEPHONY_TEST_SECRET, timestamp, nonce, payload) } };
}
