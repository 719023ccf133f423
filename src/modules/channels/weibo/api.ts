// The account's answer and survey to a Weibo follower, through the fan service's customer-service
// message API (粉丝服务平台 "回复私信", POST https://m.api.weibo.com/2/messages/reply.json): form
// fields receiver_id, type=text and data, the JSON {"text": …} (under 300 characters) URL-encoded,
// with the account's access token from the fan service's developer page. Weibo allows it within 48
// hours of the follower's last message; after that, or if they unfollowed, it refuses, and the
// portal's page, which the receipt linked to, is where they read the answer and rate it.
import { callProvider, messageText, type Messenger, type OutboundMessage, type SendOutcome } from '../messenger.js';
import { WEIBO_CHANNEL } from './callback.js';

export interface WeiboApiOptions {
  /** https://m.api.weibo.com, or a local stand-in in the tests */
  baseUrl: string;
  accessToken: string;
  /** the portal's public address, for the link to the request */
  publicUrl: string;
  timeoutMs?: number;
}

/** Weibo's answer: the message sent (its id), or an error with its code. */
interface WeiboAnswer { id?: number | string; idstr?: string; error?: string; error_code?: number }

/**
 * Error codes a later try may get past: the system's own trouble (10001 system error, 10002 service
 * unavailable, 10009 too many pending tasks) and the rate limits (10022–10024). The others (a bad
 * token, a closed window, an unfollowed account) fail for good.
 */
const RETRYABLE = new Set([10001, 10002, 10009, 10022, 10023, 10024]);

export class WeiboApi implements Messenger {
  readonly channel = WEIBO_CHANNEL;
  readonly name = 'weibo';

  constructor(private readonly options: WeiboApiOptions) {}

  async send(message: OutboundMessage): Promise<SendOutcome> {
    const text = messageText(message.kind, message.params, this.options.publicUrl);
    const body = new URLSearchParams({ receiver_id: message.address, type: 'text', data: JSON.stringify({ text }), save_sender_box: '1' });
    const called = await callProvider<WeiboAnswer>(`${this.options.baseUrl}/2/messages/reply.json?access_token=${encodeURIComponent(this.options.accessToken)}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: body.toString(),
    }, this.options.timeoutMs ?? 10_000);
    if (!called.ok) return called.outcome;
    const answer = called.answer;
    if (answer.error_code === undefined && called.status < 300) return { status: 'sent', providerRef: answer.idstr ?? (answer.id === undefined ? null : String(answer.id)) };
    // an error page of Weibo's front without its error code says nothing of whether the message went
    if (answer.error_code === undefined) return called.status >= 500 ? { status: 'unknown', code: `HTTP_${called.status}`, message: '' }
      : { status: 'refused', retry: false, code: `HTTP_${called.status}`, message: '' };
    return { status: 'refused', retry: RETRYABLE.has(answer.error_code), code: `WEIBO_${answer.error_code}`, message: answer.error ?? '' };
  }
}
