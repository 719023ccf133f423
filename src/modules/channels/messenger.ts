// What the outbox sends through: a messenger per channel (an SMS provider, WeChat's or Weibo's
// message API), one message to one citizen's address on it, and what became of it.

/** The messages the hotline sends citizens after their request: its number, the answer, the survey. */
export const MESSAGE_KINDS = ['intake', 'reply', 'survey'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/**
 * What a messenger sends: the outbox's messages, the app's sign-in code (sent at once, never kept),
 * and an opinion survey's invitation (its title and personal link, sent by the surveys' sender).
 */
export type SentKind = MessageKind | 'sign_in_code' | 'survey_invitation';

export interface OutboundMessage {
  /** where on the channel: a mobile number, a WeChat openid, a Weibo user id */
  address: string;
  kind: SentKind;
  /** what the message says: trackingNo, lookupCode, code (an SMS template's variables) */
  params: Record<string, string>;
  /** our id of the message, handed to the provider where it takes one */
  outId: string;
}

export type SendOutcome =
  /** the provider took it; its id of the message */
  | { status: 'sent'; providerRef: string | null }
  /** the provider refused it or could not be reached, so it was not sent: `retry` says whether a later try may succeed */
  | { status: 'refused'; retry: boolean; code: string; message: string }
  /** no answer came (a timeout, a broken connection after the request went out): it may have been sent */
  | { status: 'unknown'; code: string; message: string };

/** A send that did not go (or may not have). */
export type SendFailure = Exclude<SendOutcome, { status: 'sent' }>;

export interface Messenger {
  /** the channel whose messages it sends (the order's channel, or sms for phone and portal requests) */
  readonly channel: string;
  readonly name: string;
  send(message: OutboundMessage): Promise<SendOutcome>;
}

/** Connection errors raised before a request could be delivered: nothing was sent. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Calls a provider's HTTP API and reads its JSON answer. A failure to connect is a refusal worth
 * retrying (nothing went out); a timeout or a connection broken after the request is unknown; an
 * answer that is not JSON from a proxy's 5xx page is unknown too (the API may have taken it).
 */
export async function callProvider<T>(url: string, init: RequestInit, timeoutMs: number):
  Promise<{ ok: true; status: number; answer: T } | { ok: false; outcome: SendFailure }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    if (NOT_DELIVERED.has(code)) return { ok: false, outcome: { status: 'refused', retry: true, code, message: (error as Error).message } };
    return { ok: false, outcome: { status: 'unknown', code, message: (error as Error).message } };
  }
  const answer = await res.json().catch(() => null) as T | null;
  if (answer === null) {
    return { ok: false, outcome: res.status >= 500 ? { status: 'unknown', code: `HTTP_${res.status}`, message: res.statusText }
      : { status: 'refused', retry: false, code: `HTTP_${res.status}`, message: res.statusText } };
  }
  return { ok: true, status: res.status, answer };
}

/** The link to follow a request on the portal, as the receipt gives it. */
export const trackingLink = (publicUrl: string, trackingNo: string, code: string) =>
  `${publicUrl}/portal/track#no=${encodeURIComponent(trackingNo)}&code=${code}`;

/**
 * What a message says on a channel that takes free text (WeChat, Weibo), in the words of the SMS
 * templates (docs/sms.md): the answer with its link, the survey with its three digits.
 */
export function messageText(kind: SentKind, params: Record<string, string>, publicUrl: string): string {
  const link = params.lookupCode ? trackingLink(publicUrl, params.trackingNo!, params.lookupCode) : '';
  switch (kind) {
    case 'intake': return `您的诉求已受理。受理编号：${params.trackingNo}，查询码：${params.lookupCode}。办理进度和答复请查看：${link}`;
    case 'reply': return `您反映的诉求（受理编号 ${params.trackingNo}）已有答复，请查看：${link}`;
    case 'survey': return `请您对诉求（受理编号 ${params.trackingNo}）的办理进行评价，直接回复数字：1 满意，2 基本满意，3 不满意。`;
    case 'sign_in_code': return `您的登录验证码是 ${params.code}，5 分钟内有效。请勿告诉他人。`;
    case 'survey_invitation': return `12345热线邀请您参加“${params.title}”，点击链接作答（每人一次）：${params.link}`;
  }
}
