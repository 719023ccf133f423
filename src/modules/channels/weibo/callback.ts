// Weibo's fan service (粉丝服务平台) message push for the hotline's Weibo account: private messages
// and @-mentions, posted as JSON to the callback address with the query signed as Weibo signs it
// (SHA-1 of the app secret, the timestamp and the nonce, sorted as strings and joined), and the
// passive reply in the response ({result, receiver_id, sender_id, type, data}, the data being the
// reply's JSON, URL-encoded). A push carries no message id: a message is known by its sender, its
// second and a hash of what it says, so a delivery again finds the same order.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DomainError } from '../../../shared/errors.js';
import { CHANNEL_TEXTS, coordinate, textOnChannel, supplementOnChannel, type ChannelMessage } from '../conversations.js';
import { countMessage } from '../counts.js';
import { checkSignedQuery } from '../signature.js';

export const WEIBO_CHANNEL = 'weibo';

/** A push as Weibo posts it. */
export interface WeiboPush {
  type: string;
  receiver_id: string | number;
  sender_id: string | number;
  created_at: string;
  text?: string | undefined;
  data?: object | undefined;
}

/** Checks the push's signed query (seconds or milliseconds): WEIBO_SIGNATURE_INVALID or WEIBO_STALE otherwise. */
export function verifyWeibo(appSecret: string, q: Record<string, unknown>, now = new Date()): { timestamp: string; nonce: string } {
  return checkSignedQuery(appSecret, q, { invalid: 'WEIBO_SIGNATURE_INVALID', stale: 'WEIBO_STALE' }, now, { milliseconds: true });
}

/** The reply Weibo shows the citizen, from the account to them; '' for none. */
function replyJson(push: WeiboPush, text: string | null): string {
  if (text === null) return '';
  return JSON.stringify({ result: true, receiver_id: push.sender_id, sender_id: push.receiver_id, type: 'text',
    data: encodeURIComponent(JSON.stringify({ text })) });
}

/** A value of the push's data as text, if it is text or a number (anything else is no value). */
const scalar = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

/**
 * The push's message id, which Weibo does not give: the sender, the second it was sent and a hash
 * of what the code reads of it, in a fixed order (so that a push again with its data's keys in
 * another order, or with fields added, is the same message).
 */
function messageOf(cityCode: string, push: WeiboPush, data: Record<string, unknown>): ChannelMessage {
  // an offset is required: read in a server's own time zone, one push would have two ids
  const sentAt = /[+-]\d{4}\b|Z$|GMT|UTC/.test(push.created_at) ? Date.parse(push.created_at) : NaN;
  if (!Number.isFinite(sentAt)) throw new DomainError('WEIBO_MESSAGE_UNREADABLE');
  const read = [push.type, push.text ?? '', scalar(data.vfid) ?? '', scalar(data.latitude) ?? '', scalar(data.longitude) ?? '', scalar(data.subtype) ?? ''];
  const digest = createHash('sha256').update(JSON.stringify(read)).digest('hex').slice(0, 16);
  return { cityCode, channel: WEIBO_CHANNEL, identity: String(push.sender_id), msgId: `${Math.floor(sentAt / 1000)}-${digest}` };
}

/** Refuses a push to another account than the hotline's (`WEIBO_UID`; empty: any account the app secret signs for). */
export function checkReceiver(accountUid: string, push: WeiboPush): void {
  if (accountUid && String(push.receiver_id) !== accountUid) throw new DomainError('WEIBO_WRONG_ACCOUNT');
}

/** One push: a request, a place or a photo for the latest one, a follow; the response's body. */
export async function receiveWeibo(pool: pg.Pool, cityCode: string, publicUrl: string, push: WeiboPush, now = new Date()): Promise<string> {
  const data = (push.data ?? {}) as Record<string, unknown>;
  const m = messageOf(cityCode, push, data);
  switch (push.type) {
    case 'text':
    case 'mention': {
      const content = push.text?.trim();
      if (!content) {
        await countMessage(pool, cityCode, WEIBO_CHANNEL, 'refused', 'WEIBO_EMPTY', now);
        return replyJson(push, CHANNEL_TEXTS.writeInstead);
      }
      return replyJson(push, await textOnChannel(pool, m, publicUrl, content, now));
    }
    case 'position': {
      const [lat, lng] = [coordinate(scalar(data.latitude), 90, 'WEIBO_MESSAGE_UNREADABLE'), coordinate(scalar(data.longitude), 180, 'WEIBO_MESSAGE_UNREADABLE')];
      return replyJson(push, await supplementOnChannel(pool, m, { kind: 'location', text: null, lat, lng, label: '' }, now));
    }
    case 'image':
      return replyJson(push, await supplementOnChannel(pool, m, { kind: 'image', text: null, mediaId: (scalar(data.vfid) ?? '').slice(0, 200) }, now));
    case 'event':
      // Weibo has named the follow event both ways
      return replyJson(push, data.subtype === 'follow' || data.subtype === 'subscribe' ? CHANNEL_TEXTS.welcome : null);
    default:
      await countMessage(pool, cityCode, WEIBO_CHANNEL, 'refused', 'WEIBO_OTHER_KIND', now);
      return replyJson(push, CHANNEL_TEXTS.textsPlacesPhotos);
  }
}
