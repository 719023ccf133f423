// Weibo's fan service (粉丝服务平台) message push for the hotline's Weibo account: private messages
// and @-mentions, posted as JSON to the callback address with the query signed as Weibo signs it
// (SHA-1 of the app secret, the timestamp and the nonce, sorted as strings and joined), and the
// passive reply in the response ({result, receiver_id, sender_id, type, data}, the data being the
// reply's JSON, URL-encoded). A push carries no message id: a message is known by its sender, its
// second and a hash of what it says, so a delivery again finds the same order.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { DomainError } from '../../../shared/errors.js';
import { CHANNEL_TEXTS, requestOnChannel, supplementOnChannel, type ChannelMessage } from '../conversations.js';
import { countMessage } from '../counts.js';
import { signatureHolds } from '../wechat/crypto.js';

export const WEIBO_CHANNEL = 'weibo';
/** How far a push's timestamp may be from the server's clock. */
export const WEIBO_WINDOW_MS = 5 * 60_000;

export interface WeiboQuery { signature?: string | undefined; timestamp?: string | undefined; nonce?: string | undefined; echostr?: string | undefined }

/** A push as Weibo posts it. */
export interface WeiboPush {
  type: string;
  receiver_id: string | number;
  sender_id: string | number;
  created_at: string;
  text?: string | undefined;
  data?: object | undefined;
}

/** Checks the signature and the timestamp (seconds or, as Weibo's own examples have it, milliseconds). */
export function verifyWeibo(appSecret: string, q: WeiboQuery, now = new Date()): void {
  const { timestamp, nonce } = q;
  if (!timestamp || !nonce || !/^\d{1,13}$/.test(timestamp) || !signatureHolds(q.signature, appSecret, timestamp, nonce)) {
    throw new DomainError('WEIBO_SIGNATURE_INVALID');
  }
  const at = timestamp.length > 11 ? Number(timestamp) : Number(timestamp) * 1000;
  if (Math.abs(now.getTime() - at) > WEIBO_WINDOW_MS) throw new DomainError('WEIBO_STALE');
}

/** The reply Weibo shows the citizen, from the account to them; '' for none. */
function replyJson(push: WeiboPush, text: string | null): string {
  if (text === null) return '';
  return JSON.stringify({ result: true, receiver_id: push.sender_id, sender_id: push.receiver_id, type: 'text',
    data: encodeURIComponent(JSON.stringify({ text })) });
}

/** One push: a request, a place or a photo for the latest one, a follow; the response's body. */
export async function receiveWeibo(pool: pg.Pool, cityCode: string, publicUrl: string, push: WeiboPush, now = new Date()): Promise<string> {
  const sentAt = Date.parse(push.created_at);
  if (!Number.isFinite(sentAt)) throw new DomainError('WEIBO_MESSAGE_UNREADABLE');
  const digest = createHash('sha256').update(`${push.type}\n${push.text ?? ''}\n${JSON.stringify(push.data ?? {})}`).digest('hex').slice(0, 16);
  const m: ChannelMessage = { cityCode, channel: WEIBO_CHANNEL, identity: String(push.sender_id), msgId: `${Math.floor(sentAt / 1000)}-${digest}` };
  const data = (push.data ?? {}) as Record<string, unknown>;
  switch (push.type) {
    case 'text':
    case 'mention': {
      const content = push.text?.trim();
      if (!content) return replyJson(push, CHANNEL_TEXTS.writeInstead);
      return replyJson(push, await requestOnChannel(pool, m, publicUrl, content, now));
    }
    case 'position': {
      const [lat, lng] = [Number(data.latitude), Number(data.longitude)];
      if (!Number.isFinite(lat) || !Number.isFinite(lng) || data.latitude === '' || data.longitude === '' || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
        throw new DomainError('WEIBO_MESSAGE_UNREADABLE');
      }
      return replyJson(push, await supplementOnChannel(pool, m, { kind: 'location', text: null, lat, lng, label: '' }, now));
    }
    case 'image':
      return replyJson(push, await supplementOnChannel(pool, m, { kind: 'image', text: null, mediaId: String(data.vfid ?? '').slice(0, 200) }, now));
    case 'event':
      return replyJson(push, data.subtype === 'follow' || data.subtype === 'subscribe' ? CHANNEL_TEXTS.welcome : null);
    default:
      await countMessage(pool, cityCode, WEIBO_CHANNEL, 'refused', `WEIBO_${push.type.toUpperCase().slice(0, 20)}`, now);
      return replyJson(push, CHANNEL_TEXTS.otherKinds);
  }
}
