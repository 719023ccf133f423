// The official account's side of the conversation after the receipt: the answer and the survey,
// sent through WeChat's server API (api.weixin.qq.com) as its documentation defines it.
// - The access token: POST /cgi-bin/stable_token (client_credential, AppID and AppSecret) in its
//   normal mode, so that every process asking gets the same token (WeChat renews it 5 minutes
//   before its end, and the old one works 5 minutes more); kept until a minute before it ends, and
//   fetched again once when WeChat says it is no longer good (40001, 40014, 42001); refused again,
//   the message waits for a later try.
// - A customer-service message (客服消息, POST /cgi-bin/message/custom/send): free text, allowed
//   within 48 hours of the follower's last message to the account.
// - Past those hours (45015), or after the 20 messages WeChat allows in them (45047), the answer goes
//   as a template message (模板消息, POST /cgi-bin/message/template/send) if the account has one
//   configured: its fields character_string1 (the tracking number) and thing2 (what happened), and
//   the link to the request on the portal. A survey past its hours is not sent: the portal's page,
//   where the answer is read, takes the rating.
import { callProvider, messageText, trackingLink, type Messenger, type OutboundMessage, type SendOutcome } from '../messenger.js';
import { WECHAT_CHANNEL } from './callback.js';

export interface WechatApiOptions {
  /** https://api.weixin.qq.com, or a local stand-in in the tests */
  baseUrl: string;
  appId: string;
  appSecret: string;
  /** the template of the answer's notice past the 48 hours ('' : none, such answers fail) */
  replyTemplateId: string;
  /** the portal's public address, for the link to the request */
  publicUrl: string;
  timeoutMs?: number;
}

/** WeChat's answer to an API call: errcode 0 (or none) is success. */
interface WechatAnswer { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number; msgid?: number | string }

/** The token is no longer good: fetch it again and repeat the call once. */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);
/** A later try may get past this: WeChat busy (-1). (45009 is the day's quota: past the back-off's reach.) */
const RETRYABLE = new Set([-1]);
/** The customer-service window is closed: past 48 hours (45015), or its 20 messages used (45047). */
const WINDOW_CLOSED = new Set(['WECHAT_45015', 'WECHAT_45047']);

/** The refusal of an error code WeChat answered. */
const refusal = (answer: WechatAnswer): Extract<SendOutcome, { status: 'refused' }> => ({
  status: 'refused', retry: RETRYABLE.has(answer.errcode!), code: `WECHAT_${answer.errcode}`, message: answer.errmsg ?? '',
});

export class WechatApi implements Messenger {
  readonly channel = WECHAT_CHANNEL;
  readonly name = 'wechat';
  private token: { value: string; until: number } | null = null;

  constructor(private readonly options: WechatApiOptions) {}

  /** The access token, from the cache while it has a minute left, else from WeChat. */
  private async accessToken(now = Date.now()): Promise<string | SendOutcome> {
    if (this.token && this.token.until > now) return this.token.value;
    const called = await callProvider<WechatAnswer>(`${this.options.baseUrl}/cgi-bin/stable_token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.options.appId, secret: this.options.appSecret, force_refresh: false }),
    }, this.options.timeoutMs ?? 10_000);
    // a token call sends nothing: whatever went wrong, the message is still to send
    if (!called.ok) return { status: 'refused', retry: true, code: called.outcome.code, message: called.outcome.message };
    const answer = called.answer;
    if (!answer.access_token) return { ...refusal(answer), retry: true };
    this.token = { value: answer.access_token, until: now + Math.max((answer.expires_in ?? 300) - 60, 60) * 1000 };
    return this.token.value;
  }

  /** One API call with the token; fetched again and repeated once if WeChat refuses the token. */
  private async call(path: string, body: unknown): Promise<SendOutcome> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      if (typeof token !== 'string') return token;
      const called = await callProvider<WechatAnswer>(`${this.options.baseUrl}${path}?access_token=${encodeURIComponent(token)}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      }, this.options.timeoutMs ?? 10_000);
      if (!called.ok) return called.outcome;
      const answer = called.answer;
      if (!answer.errcode) return { status: 'sent', providerRef: answer.msgid === undefined ? null : String(answer.msgid) };
      if (TOKEN_REFUSED.has(answer.errcode)) {
        this.token = null;
        if (attempt === 0) continue;
        return { ...refusal(answer), retry: true }; // refused twice: nothing went, a later try fetches it anew
      }
      return refusal(answer);
    }
  }

  async send(message: OutboundMessage): Promise<SendOutcome> {
    const content = messageText(message.kind, message.params, this.options.publicUrl);
    const sent = await this.call('/cgi-bin/message/custom/send', { touser: message.address, msgtype: 'text', text: { content } });
    const closed = sent.status === 'refused' && WINDOW_CLOSED.has(sent.code);
    if (!closed || message.kind !== 'reply' || !this.options.replyTemplateId) return sent;
    const { trackingNo, lookupCode } = message.params;
    return this.call('/cgi-bin/message/template/send', {
      touser: message.address, template_id: this.options.replyTemplateId, url: trackingLink(this.options.publicUrl, trackingNo!, lookupCode!),
      data: { character_string1: { value: trackingNo }, thing2: { value: '您反映的诉求已有答复，请点击查看' } },
    });
  }
}
