// Messages citizens send to the hotline's SMS number, as the SMS gateway posts them: Alibaba Cloud
// SMS's uplink push (SmsUp: a JSON array of {phone_number, content, send_time, dest_code,
// sequence_id}), wrapped in a signature the platform checks (Alibaba's push carries none: the
// gateway or relay that forwards it signs, docs/sms.md). A message is one of:
// - the answer to a survey the citizen was sent (1 满意, 2 基本满意, 3 不满意): recorded as the
//   return visit of the order, like a rating on the portal;
// - anything else: a new request, registered once however often the gateway delivers it (the
//   message's sequence id is the order's channel reference).
import type pg from 'pg';
import { prepared, withTransaction } from '../../../db/tx.js';
import { DomainError } from '../../../shared/errors.js';
import { checkSignedBody, signBody, SIGNED_BODY_WINDOW_MS, type BodySignature } from '../../../shared/signed-body.js';
import { citizenActor } from '../../auth/index.js';
import { normalizePhone, registerOrder } from '../../orders/index.js';
import { countMessage } from '../counts.js';
import { titleOf } from '../message-title.js';
import { SMS_CHANNEL } from '../outbox.js';
import { answerSurvey, countRating, surveyAnswer } from '../surveys.js';

/** How far a callback's timestamp may be from the server's clock. */
export const CALLBACK_WINDOW_MS = SIGNED_BODY_WINDOW_MS;

export type CallbackSignature = BodySignature;

/** The signature a callback carries: hex HMAC-SHA256 of "timestamp\nnonce\nbody" under the shared secret. */
export const signCallback = signBody;

/**
 * Checks a callback's signature, its freshness and that its nonce is new (then spends it):
 * SMS_CALLBACK_UNSIGNED, SMS_CALLBACK_STALE or SMS_CALLBACK_REPLAYED otherwise.
 */
export async function verifyCallback(pool: pg.Pool, secret: string, given: CallbackSignature, body: string | Buffer, now = new Date()): Promise<void> {
  const at = checkSignedBody(secret, given, body, { unsigned: 'SMS_CALLBACK_UNSIGNED', stale: 'SMS_CALLBACK_STALE' }, now);
  const spent = await withTransaction(pool, async (tx) => {
    await tx.query(prepared('DELETE FROM sms_callback_nonces WHERE expires_at < $1', [now]));
    return tx.query(prepared('INSERT INTO sms_callback_nonces (nonce, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [given.nonce, new Date(at + CALLBACK_WINDOW_MS)]));
  });
  if (!spent.rowCount) throw new DomainError('SMS_CALLBACK_REPLAYED');
}

/** One message from a citizen, as Alibaba Cloud's SmsUp push gives it. */
export interface InboundSms {
  phone_number: string;
  content: string;
  send_time?: string | undefined;
  dest_code?: string | undefined;
  sequence_id: string | number;
  sign_name?: string | undefined;
}

export type InboundOutcome =
  | { kind: 'order'; trackingNo: string; created: boolean }
  | { kind: 'rating'; trackingNo: string; recorded: boolean }
  | { kind: 'ignored'; reason: 'empty' | 'no_open_survey' | 'refused'; code?: string };

/** Receives one message: a survey's answer, or a new request. Counted on the SMS channel. */
export async function receiveSms(pool: pg.Pool, cityCode: string, message: InboundSms, now = new Date()): Promise<InboundOutcome> {
  const phone = normalizePhone(message.phone_number);
  const content = message.content.trim();
  const ref = String(message.sequence_id);
  const count = (outcome: 'accepted' | 'duplicate' | 'refused', detail = '') => countMessage(pool, cityCode, SMS_CHANNEL, outcome, detail, now);
  if (!content) {
    await count('refused', 'SMS_EMPTY');
    return { kind: 'ignored', reason: 'empty' };
  }
  const answer = surveyAnswer(content);
  if (answer) {
    const outcome = await answerSurvey(pool, { cityCode, channel: SMS_CHANNEL, address: phone, ref }, answer, now);
    if (outcome.kind === 'no_open_survey') {
      await count('refused', 'SMS_NO_OPEN_SURVEY');
      return { kind: 'ignored', reason: 'no_open_survey' };
    }
    await countRating(pool, cityCode, SMS_CHANNEL, outcome, now);
    return { kind: 'rating', trackingNo: outcome.trackingNo, recorded: outcome.recorded };
  }
  const { order, created } = await registerOrder(pool, citizenActor(cityCode, []), {
    channel: SMS_CHANNEL, channelRef: ref, requestType: 'help', title: titleOf(content), body: content, citizen: { phone },
  }, now);
  await count(created ? 'accepted' : 'duplicate');
  return { kind: 'order', trackingNo: order.trackingNo, created };
}
