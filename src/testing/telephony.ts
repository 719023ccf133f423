// Call events posted as the telephony posts them (docs/telephony.md): the body's bytes signed with
// the test platforms' telephony secret, for the tests that play the PBX.
import { signatureHeaders } from '../modules/calls/ami/connector.js';
import { TELEPHONY_TEST_SECRET } from './harness.js';

/** The body and headers of a signed post of `events` (`raw`: a body sent as it is; `at`: the signing time). */
export function signedCallEvents(events: readonly unknown[], sign: { secret?: string; at?: number; raw?: string } = {}):
  { url: string; payload: string; headers: Record<string, string> } {
  const payload = sign.raw ?? JSON.stringify({ events });
  return { url: '/api/v1/telephony/events', payload, headers: { 'content-type': 'application/json',
    ...signatureHeaders(sign.secret ?? TELEPHONY_TEST_SECRET, payload, new Date(sign.at ?? Date.now())) } };
}

/** The body and headers of a signed post of seat states (`POST /api/v1/telephony/seats`). */
export function signedSeatEvents(events: readonly unknown[], sign: { secret?: string; at?: number } = {}) {
  return { ...signedCallEvents(events, sign), url: '/api/v1/telephony/seats' };
}
