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
import { DomainError } from '../../../shared/errors.js';
import { CHANNEL_TEXTS, coordinate, textOnChannel, supplementOnChannel } from '../conversations.js';
import { checkSignedQuery, nonceHolds } from '../signature.js';
import { countMessage } from '../counts.js';
import { decryptMessage, encryptMessage, signatureHolds, wechatSignature } from './crypto.js';
import { encryptedReplyXml, readXml, replyXml, type WechatFields } from './messages.js';

export const WECHAT_CHANNEL = 'wechat';

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

/** Checks the callback's signed query: WECHAT_SIGNATURE_INVALID or WECHAT_STALE otherwise. */
const verify = (account: WechatAccount, q: CallbackQuery, now: Date) =>
  checkSignedQuery(account.token, { ...q }, { invalid: 'WECHAT_SIGNATURE_INVALID', stale: 'WECHAT_STALE' }, now);

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
  // the signature covers the query only: its nonce is good for the body it came with, and no other
  if (!(await nonceHolds(pool, WECHAT_CHANNEL, nonce, body, now))) throw new DomainError('WECHAT_SIGNATURE_INVALID');
  const outer = readXml(body);
  const encrypted = q.encrypt_type === 'aes';
  let message = outer;
  if (encrypted) {
    if (!account.aesKey || !account.appId) throw new DomainError('WECHAT_NOT_CONFIGURED');
    const cipher = outer.Encrypt;
    if (!cipher || !signatureHolds(q.msg_signature, account.token, timestamp, nonce, cipher)) throw new DomainError('WECHAT_SIGNATURE_INVALID');
    message = readXml(decryptMessage(account.aesKey, cipher, account.appId));
  }
  // WeChat names the sender in the query too: a query made for another follower's message is not this one's
  if (q.openid && message.FromUserName && q.openid !== message.FromUserName) throw new DomainError('WECHAT_SIGNATURE_INVALID');
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
  const on = () => ({ cityCode, channel: WECHAT_CHANNEL, identity: openid, msgId: messageId(m) });
  switch (m.MsgType) {
    case 'text':
    case 'voice': {
      const content = (m.MsgType === 'text' ? m.Content : m.Recognition)?.trim();
      if (!content) {
        await countMessage(pool, cityCode, WECHAT_CHANNEL, 'refused', m.MsgType === 'voice' ? 'WECHAT_VOICE_UNRECOGNISED' : 'WECHAT_EMPTY', now);
        return CHANNEL_TEXTS.writeInstead;
      }
      return textOnChannel(pool, on(), publicUrl, content, now);
    }
    case 'image':
      // the link staff open: WeChat's own https address, nothing else
      return supplementOnChannel(pool, on(), { kind: 'image', text: null, mediaId: m.MediaId ?? '',
        ...(m.PicUrl && /^https?:\/\//.test(m.PicUrl) ? { imageUrl: m.PicUrl } : {}) }, now);
    case 'location': {
      const [lat, lng] = [coordinate(m.Location_X, 90, 'WECHAT_MESSAGE_UNREADABLE'), coordinate(m.Location_Y, 180, 'WECHAT_MESSAGE_UNREADABLE')];
      return supplementOnChannel(pool, on(), { kind: 'location', text: null, lat, lng, label: m.Label ?? '' }, now);
    }
    case 'event':
      return m.Event === 'subscribe' ? CHANNEL_TEXTS.welcome : null;
    default:
      await countMessage(pool, cityCode, WECHAT_CHANNEL, 'refused', `WECHAT_${m.MsgType.toUpperCase().slice(0, 20)}`, now);
      return CHANNEL_TEXTS.otherKinds;
  }
}

/** A message's MsgId (64 bits, kept as text): its channel reference. */
function messageId(m: WechatFields): string {
  if (!m.MsgId || !/^\d{1,20}$/.test(m.MsgId)) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  return m.MsgId;
}

