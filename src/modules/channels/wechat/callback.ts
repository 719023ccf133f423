// The official account's message callback (公众号 "消息推送"), in each of WeChat's three modes:
// plain (明文), compatible (兼容: the message both plain and encrypted) and safe (安全: encrypted);
// the query's `encrypt_type=aes` says a message is to be read from its ciphertext and answered
// encrypted. WeChat waits 5 s for the answer and posts the same message (same MsgId) up to three
// times: every delivery of one message gets the same answer, and one order.
//
// A follower's text (or a voice message WeChat recognised) is a request: the answer carries its
// tracking number and a link to follow it on the portal. A photo or a location they send next is
// added to that request (their conversation, 48 h as WeChat's own service window).
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { prepared } from '../../../db/tx.js';
import { DomainError } from '../../../shared/errors.js';
import { citizenActor } from '../../auth/index.js';
import { registerOrder, supplementOrder, type Supplement } from '../../orders/index.js';
import { countMessage } from '../counts.js';
import { titleOf } from '../message-title.js';
import { lookupCode } from '../portal.js';
import { decryptMessage, encryptMessage, signatureHolds, wechatSignature } from './crypto.js';
import { encryptedReplyXml, readXml, replyXml, type WechatFields } from './messages.js';

export const WECHAT_CHANNEL = 'wechat';
/** How far a callback's timestamp may be from the server's clock. */
export const WECHAT_WINDOW_MS = 5 * 60_000;
/** How long after a request a follower's photo or place is still added to it. */
const CONVERSATION_HOURS = 48;

export interface WechatAccount {
  /** the Token set in the account's server configuration */
  token: string;
  /** the account's AppID, checked inside every encrypted message */
  appId: string;
  /** the key EncodingAESKey stands for; null: plain mode only */
  aesKey: Buffer | null;
}

export interface CallbackQuery {
  signature?: string | undefined; timestamp?: string | undefined; nonce?: string | undefined; echostr?: string | undefined;
  openid?: string | undefined; encrypt_type?: string | undefined; msg_signature?: string | undefined;
}

/** Checks `signature` and the timestamp's freshness: WECHAT_SIGNATURE_INVALID or WECHAT_STALE otherwise. */
function verify(account: WechatAccount, q: CallbackQuery, now: Date): { timestamp: string; nonce: string } {
  const { timestamp, nonce } = q;
  if (!timestamp || !nonce || !/^\d{1,12}$/.test(timestamp) || !signatureHolds(q.signature, account.token, timestamp, nonce)) {
    throw new DomainError('WECHAT_SIGNATURE_INVALID');
  }
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > WECHAT_WINDOW_MS) throw new DomainError('WECHAT_STALE');
  return { timestamp, nonce };
}

/** The server's check when the URL is configured (GET): `echostr` back, if the signature holds. */
export function verifyUrl(account: WechatAccount, q: CallbackQuery, now = new Date()): string {
  verify(account, q, now);
  if (!q.echostr) throw new DomainError('WECHAT_SIGNATURE_INVALID');
  return q.echostr;
}

/**
 * One message posted by WeChat: checked, read (decrypted in safe mode), answered. Returns the body
 * to answer WeChat with: the reply's XML (encrypted in safe mode), or "success" for no reply.
 */
export async function receiveWechat(pool: pg.Pool, cityCode: string, account: WechatAccount, publicUrl: string,
  q: CallbackQuery, body: string, now = new Date()): Promise<string> {
  const { timestamp, nonce } = verify(account, q, now);
  const outer = readXml(body);
  const encrypted = q.encrypt_type === 'aes';
  let message = outer;
  if (encrypted) {
    if (!account.aesKey || !account.appId) throw new DomainError('WECHAT_NOT_CONFIGURED');
    const cipher = outer.Encrypt;
    if (!cipher || !signatureHolds(q.msg_signature, account.token, timestamp, nonce, cipher)) throw new DomainError('WECHAT_SIGNATURE_INVALID');
    message = readXml(decryptMessage(account.aesKey, cipher, account.appId));
  }
  const text = await answer(pool, cityCode, publicUrl, message, now);
  if (text === null) return 'success';
  const reply = replyXml(message, text, now);
  if (!encrypted) return reply;
  const sealed = encryptMessage(account.aesKey!, reply, account.appId);
  const replyTimestamp = String(Math.floor(now.getTime() / 1000));
  const replyNonce = String(randomInt(1e9, 1e10));
  return encryptedReplyXml(sealed, wechatSignature(account.token, replyTimestamp, replyNonce, sealed), replyTimestamp, replyNonce);
}

/** What the account says to the message; null for nothing (an unfollow, an event it does not answer). */
async function answer(pool: pg.Pool, cityCode: string, publicUrl: string, m: WechatFields, now: Date): Promise<string | null> {
  const openid = m.FromUserName;
  if (!openid || !m.MsgType) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  const count = (outcome: 'accepted' | 'duplicate' | 'refused', detail = '') => countMessage(pool, cityCode, WECHAT_CHANNEL, outcome, detail, now);
  switch (m.MsgType) {
    case 'text':
    case 'voice': {
      const content = (m.MsgType === 'text' ? m.Content : m.Recognition)?.trim();
      if (!content) {
        await count('refused', m.MsgType === 'voice' ? 'WECHAT_VOICE_UNRECOGNISED' : 'WECHAT_EMPTY');
        return '请用文字描述您的诉求（事项、地点、联系方式），我们收到后会立即受理。';
      }
      return request(pool, cityCode, publicUrl, openid, messageId(m), content, now, count);
    }
    case 'image':
      // the link staff open: WeChat's own https address, nothing else
      return supplement(pool, cityCode, openid, messageId(m), { kind: 'image', text: null, mediaId: m.MediaId ?? '',
        ...(m.PicUrl && /^https?:\/\//.test(m.PicUrl) ? { imageUrl: m.PicUrl } : {}) }, now, count);
    case 'location': {
      const [lat, lng] = [coordinate(m.Location_X, 90), coordinate(m.Location_Y, 180)];
      return supplement(pool, cityCode, openid, messageId(m), { kind: 'location', text: null, lat, lng, label: m.Label ?? '' }, now, count);
    }
    case 'event':
      return m.Event === 'subscribe'
        ? '欢迎关注 12345 市民服务热线。请直接发送文字描述您的诉求（事项、地点、联系方式），也可以随后发送现场图片和位置。'
        : null;
    default:
      await count('refused', `WECHAT_${m.MsgType.toUpperCase().slice(0, 20)}`);
      return '目前只受理文字、语音、图片和位置消息。请用文字描述您的诉求。';
  }
}

/** A latitude or longitude as WeChat writes it (decimal degrees); WECHAT_MESSAGE_UNREADABLE for anything else. */
function coordinate(text: string | undefined, limit: number): number {
  const value = Number(text);
  if (!text || !/^-?\d{1,3}(\.\d+)?$/.test(text) || Math.abs(value) > limit) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  return value;
}

/** A message's MsgId (64 bits, kept as text): its channel reference. */
function messageId(m: WechatFields): string {
  if (!m.MsgId || !/^\d{1,20}$/.test(m.MsgId)) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  return m.MsgId;
}

type Count = (outcome: 'accepted' | 'duplicate' | 'refused', detail?: string) => Promise<void>;

/**
 * A new request: registered once per message (its channel reference is the follower's openid and
 * the MsgId, so the order keeps who sent it); the follower's conversation moves to it.
 */
async function request(pool: pg.Pool, cityCode: string, publicUrl: string, openid: string, msgId: string, content: string,
  now: Date, count: Count): Promise<string> {
  const { order, created } = await registerOrder(pool, citizenActor(cityCode, []), {
    channel: WECHAT_CHANNEL, channelRef: `${openid}:${msgId}`, requestType: 'help', title: titleOf(content), body: content,
  }, now);
  // after the order (a crash in between leaves the follower's earlier conversation until their next
  // text or WeChat's next delivery); an older message delivered late does not take it back
  await pool.query(prepared(
    `INSERT INTO wechat_conversations (city_code, openid, order_id, msg_id, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (city_code, openid) DO UPDATE SET order_id = EXCLUDED.order_id, msg_id = EXCLUDED.msg_id, updated_at = EXCLUDED.updated_at
      WHERE wechat_conversations.updated_at <= EXCLUDED.updated_at`,
    [cityCode, openid, order.id, msgId, order.createdAt]));
  await count(created ? 'accepted' : 'duplicate');
  const code = await lookupCode(pool, cityCode, order.trackingNo);
  const link = `${publicUrl}/portal/track#no=${encodeURIComponent(order.trackingNo)}&code=${code}`;
  return `您的诉求已受理。受理编号：${order.trackingNo}，查询码：${code}。办理进度和答复请查看：${link}\n如有现场图片或位置，可以直接发送给我们。`;
}

/**
 * A photo or a place for the follower's latest request, if they sent one in the last 48 hours.
 * The order it goes to is kept by message: every delivery of it goes to the same order, even when
 * the follower has written a new request meanwhile; the order records it once.
 */
async function supplement(pool: pg.Pool, cityCode: string, openid: string, msgId: string, added: Supplement, now: Date,
  count: Count): Promise<string> {
  const noun = added.kind === 'image' ? '图片' : '位置';
  const r = await pool.query(prepared(
    `WITH latest AS (
       SELECT order_id FROM wechat_conversations
        WHERE city_code = $1 AND openid = $2 AND updated_at > $4::timestamptz - make_interval(hours => $5)),
     taken AS (
       INSERT INTO wechat_supplements (city_code, openid, msg_id, order_id, received_at)
       SELECT $1, $2, $3, order_id, $4 FROM latest
       ON CONFLICT (city_code, openid, msg_id) DO NOTHING RETURNING order_id)
     SELECT order_id FROM taken
      UNION ALL SELECT order_id FROM wechat_supplements WHERE city_code = $1 AND openid = $2 AND msg_id = $3
     LIMIT 1`,
    [cityCode, openid, msgId, now, CONVERSATION_HOURS]));
  // a delivery at the same moment as another of the same message waits for it, then reads what it took
  const orderId: string | undefined = r.rows[0]?.order_id ?? (await pool.query(prepared(
    'SELECT order_id FROM wechat_supplements WHERE city_code = $1 AND openid = $2 AND msg_id = $3', [cityCode, openid, msgId]))).rows[0]?.order_id;
  if (!orderId) {
    await count('refused', 'WECHAT_NO_CONVERSATION');
    return `已收到您的${noun}。请先用文字描述您的诉求（事项、地点、联系方式），再发送${noun}，我们会一并受理。`;
  }
  try {
    const recorded = await supplementOrder(pool, citizenActor(cityCode, [orderId]), orderId, { channel: WECHAT_CHANNEL, ref: `${openid}:${msgId}` }, added, now);
    await count(recorded ? 'accepted' : 'duplicate', added.kind);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'ORDER_SUPPLEMENT_CLOSED') throw error;
    await count('refused', error.code);
    return `您的上一件诉求已办结，这${added.kind === 'image' ? '张图片' : '个位置'}没有补充进去。如有新的问题，请用文字重新描述。`;
  }
  return `已收到您的${noun}，已补充到您刚才反映的诉求中。`;
}
