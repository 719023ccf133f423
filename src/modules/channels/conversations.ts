// Requests from channels that know a citizen by an identity of their own (a WeChat openid, a Weibo
// user id), and what such a citizen sends next. A text is the answer to the survey the outbox sent
// the identity (a digit alone, surveys.ts), or else a request, registered once per message
// (its channel reference is the identity and the message's id, so the order keeps who sent it),
// answered with its tracking number and a link to follow it on the portal; the identity's
// conversation moves to it. A photo or a place joins the identity's latest request of the last 48
// hours: every delivery of it goes to the order its first delivery chose, recorded there once.
import type pg from 'pg';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { citizenActor } from '../auth/index.js';
import { mergedInto, registerOrder, supplementOrder, type Supplement } from '../orders/index.js';
import { countMessage } from './counts.js';
import { titleOf } from './message-title.js';
import { trackingLink } from './messenger.js';
import { lookupCode } from './portal.js';
import { answerSurvey, countRating, surveyAnswer } from './surveys.js';

/** How long after a request a citizen's photo or place is still added to it (WeChat's own service window). */
const CONVERSATION_HOURS = 48;

/** What the account writes back: a welcome, and what to send instead of a message it does not take. */
export const CHANNEL_TEXTS = {
  welcome: '欢迎关注 12345 市民服务热线。请直接发送文字描述您的诉求（事项、地点、联系方式），也可以随后发送现场图片和位置。',
  writeInstead: '请用文字描述您的诉求（事项、地点、联系方式），我们收到后会立即受理。',
  otherKinds: '目前只受理文字、语音、图片和位置消息。请用文字描述您的诉求。',
  textsPlacesPhotos: '目前只受理文字、图片和位置消息。请用文字描述您的诉求。',
  noOpenSurvey: '目前没有需要您评价的诉求。如需反映问题，请用文字描述事项、地点和联系方式。',
} as const;

/** A latitude or longitude as the channels write it (decimal degrees); `refusal` for anything else. */
export function coordinate(text: string | undefined, limit: number, refusal: 'WECHAT_MESSAGE_UNREADABLE' | 'WEIBO_MESSAGE_UNREADABLE'): number {
  const value = Number(text);
  if (!text || !/^-?\d{1,3}(\.\d+)?$/.test(text) || Math.abs(value) > limit) throw new DomainError(refusal);
  return value;
}

/**
 * The sender's own mobile number, when the message gives it as theirs ("联系电话 139…", "我的手机
 * 139 0531 2345", "本人电话：+86 139…"), as the welcome asks ("事项、地点、联系方式"): the citizen is
 * then known by it on every channel, and called back on it. A number without those words (a shop's,
 * a landlord's, the number a report is about) is left for the agent to read.
 */
export function mobileIn(content: string): string | undefined {
  const given = /(?:联系(?:人)?(?:电话|方式|手机|号码)|(?:我的|本人)(?:联系)?(?:电话|手机|号码|手机号))(?:是|为)?[：:\s]*(?:\+?86[\s-]?|0086[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/
    .exec(content);
  return given ? `${given[1]}${given[2]}${given[3]}` : undefined;
}

/** A message on a channel from one of its identities. */
export interface ChannelMessage { cityCode: string; channel: string; identity: string; msgId: string }

const count = (pool: pg.Pool, m: ChannelMessage, now: Date) => (outcome: 'accepted' | 'duplicate' | 'refused', detail = '') =>
  countMessage(pool, m.cityCode, m.channel, outcome, detail, now);

/** A new request, once per message; the answer names its tracking number and the link to follow it. */
async function requestOnChannel(pool: pg.Pool, m: ChannelMessage, publicUrl: string, content: string, now: Date): Promise<string> {
  const { order, created } = await registerOrder(pool, citizenActor(m.cityCode, []), {
    channel: m.channel, channelRef: `${m.identity}:${m.msgId}`, requestType: 'help', title: titleOf(content), body: content,
    citizen: { identity: `${m.channel}:${m.identity}`, phone: mobileIn(content) },
  }, now);
  // after the order (a crash in between leaves the earlier conversation until the citizen's next
  // text or the channel's next delivery); an older message delivered late does not take it back
  await pool.query(prepared(
    `INSERT INTO channel_conversations (city_code, channel, identity, order_id, msg_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (city_code, channel, identity) DO UPDATE SET order_id = EXCLUDED.order_id, msg_id = EXCLUDED.msg_id, updated_at = EXCLUDED.updated_at
      WHERE channel_conversations.updated_at <= EXCLUDED.updated_at`,
    [m.cityCode, m.channel, m.identity, order.id, m.msgId, order.createdAt]));
  await count(pool, m, now)(created ? 'accepted' : 'duplicate');
  const code = await lookupCode(pool, m.cityCode, order.trackingNo);
  return `您的诉求已受理。受理编号：${order.trackingNo}，查询码：${code}。办理进度和答复请查看：${trackingLink(publicUrl, order.trackingNo, code)}\n`
    + '如有现场图片或位置，可以直接发送给我们。';
}

/** A text: the answer to the survey the identity was sent, or else a new request; the answer to it. */
export async function textOnChannel(pool: pg.Pool, m: ChannelMessage, publicUrl: string, content: string, now: Date): Promise<string> {
  const answer = surveyAnswer(content);
  if (!answer) return requestOnChannel(pool, m, publicUrl, content, now);
  const outcome = await answerSurvey(pool, { cityCode: m.cityCode, channel: m.channel, address: m.identity, ref: m.msgId }, answer, now);
  if (outcome.kind === 'no_open_survey') { // a digit alone is not a request either
    await count(pool, m, now)('refused', `${m.channel.toUpperCase()}_NO_OPEN_SURVEY`);
    return CHANNEL_TEXTS.noOpenSurvey;
  }
  await countRating(pool, m.cityCode, m.channel, outcome, now);
  // the same words whichever delivery of the message rated it first (two may race), or if a visit
  // by phone came first: the counters tell these apart
  return `感谢您的评价！受理编号 ${outcome.trackingNo} 的评价已收到。`;
}

/** A photo or a place for the citizen's latest request; the answer says what became of it. */
export async function supplementOnChannel(pool: pg.Pool, m: ChannelMessage, added: Supplement, now: Date): Promise<string> {
  const noun = added.kind === 'image' ? '图片' : '位置';
  const counted = count(pool, m, now);
  const key = [m.cityCode, m.channel, m.identity, m.msgId];
  const r = await pool.query(prepared(
    `WITH latest AS (
       SELECT order_id FROM channel_conversations
        WHERE city_code = $1 AND channel = $2 AND identity = $3 AND updated_at > $5::timestamptz - make_interval(hours => $6)),
     taken AS (
       INSERT INTO channel_supplements (city_code, channel, identity, msg_id, order_id, received_at)
       SELECT $1, $2, $3, $4, order_id, $5 FROM latest
       ON CONFLICT (city_code, channel, identity, msg_id) DO NOTHING RETURNING order_id)
     SELECT order_id FROM taken
      UNION ALL SELECT order_id FROM channel_supplements WHERE city_code = $1 AND channel = $2 AND identity = $3 AND msg_id = $4
     LIMIT 1`,
    [...key, now, CONVERSATION_HOURS]));
  // a delivery at the same moment as another of the same message waits for it, then reads what it took
  const orderId: string | undefined = r.rows[0]?.order_id ?? (await pool.query(prepared(
    'SELECT order_id FROM channel_supplements WHERE city_code = $1 AND channel = $2 AND identity = $3 AND msg_id = $4', key))).rows[0]?.order_id;
  if (!orderId) {
    await counted('refused', `${m.channel.toUpperCase()}_NO_CONVERSATION`);
    return `已收到您的${noun}。请先用文字描述您的诉求（事项、地点、联系方式），再发送${noun}，我们会一并受理。`;
  }
  // a request merged into another: the photo or place goes where the matter is handled
  const target = await mergedInto(pool, m.cityCode, orderId) ?? orderId;
  try {
    const recorded = await supplementOrder(pool, citizenActor(m.cityCode, [target]), target, { channel: m.channel, ref: `${m.identity}:${m.msgId}` }, added, now);
    await counted(recorded ? 'accepted' : 'duplicate', added.kind);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'ORDER_SUPPLEMENT_CLOSED') throw error;
    await counted('refused', error.code);
    return `您的上一件诉求已办结，这${added.kind === 'image' ? '张图片' : '个位置'}没有补充进去。如有新的问题，请用文字重新描述。`;
  }
  return `已收到您的${noun}，已补充到您刚才反映的诉求中。`;
}

