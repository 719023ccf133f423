// The XML WeChat posts and expects back (公众号 "接收普通消息", "接收事件推送", "被动回复用户消息"):
// read with fast-xml-parser as strings (parseTagValue off: a MsgId is 64 bits and must stay text),
// written with its builder, every string in CDATA as WeChat's own samples do.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { DomainError } from '../../../shared/errors.js';

/** A message as WeChat's XML gives it: each element's text by its name (nested ones are ignored). */
export type WechatFields = Record<string, string>;

const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: true,
  processEntities: true, htmlEntities: false });
const builder = new XMLBuilder({ cdataPropName: '#cdata', format: false, suppressEmptyNode: false });

/** The fields of `<xml>…</xml>`; WECHAT_MESSAGE_UNREADABLE for anything else (and for a DTD: WeChat sends none). */
export function readXml(text: string): WechatFields {
  // a citizen may well write "<!DOCTYPE" inside a CDATA text; only markup outside one is a DTD
  if (/<!DOCTYPE|<!ENTITY/i.test(text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''))) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  let parsed: unknown;
  try {
    parsed = parser.parse(text, true);
  } catch {
    throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  }
  const root = (parsed as { xml?: unknown }).xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new DomainError('WECHAT_MESSAGE_UNREADABLE');
  const fields: WechatFields = {};
  for (const [name, value] of Object.entries(root)) if (typeof value === 'string') fields[name] = value;
  return fields;
}

/** The reply message, from the account (`to.ToUserName`) to the citizen (`to.FromUserName`). */
export function replyXml(to: WechatFields, text: string, now: Date): string {
  return builder.build({ xml: {
    ToUserName: { '#cdata': to.FromUserName ?? '' }, FromUserName: { '#cdata': to.ToUserName ?? '' },
    CreateTime: Math.floor(now.getTime() / 1000), MsgType: { '#cdata': 'text' }, Content: { '#cdata': text },
  } }) as string;
}

/** The envelope of an encrypted reply (safe mode): the ciphertext, its signature, the timestamp and nonce it was signed with. */
export function encryptedReplyXml(encrypt: string, signature: string, timestamp: string, nonce: string): string {
  return builder.build({ xml: {
    Encrypt: { '#cdata': encrypt }, MsgSignature: { '#cdata': signature }, TimeStamp: timestamp, Nonce: { '#cdata': nonce },
  } }) as string;
}
