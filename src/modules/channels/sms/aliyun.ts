// Alibaba Cloud SMS (短信服务, dysmsapi, API version 2017-05-25): SendSms, signed as Alibaba Cloud
// documents its RPC requests (signature version 1.0): the parameters sorted by name, each name and
// value percent-encoded per RFC 3986 (only A-Z a-z 0-9 - _ . ~ left as they are), joined with & and
// =, the whole encoded once more after "POST&%2F&", and signed with HMAC-SHA1 under the AccessKey
// secret followed by "&". The endpoint is configurable: tests point it at a local stand-in of the API.
import { createHmac, randomUUID } from 'node:crypto';
import { callProvider, type Messenger, type OutboundMessage, type SendOutcome, type SentKind } from '../messenger.js';
import { SMS_CHANNEL } from '../outbox.js';

/** RFC 3986 encoding as Alibaba Cloud's signing uses it: encodeURIComponent leaves !'()* as they are, Alibaba does not. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The string an RPC request signs: its method, the path "/", and its sorted, encoded parameters. */
export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  const canonical = Object.keys(params).sort().map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`).join('&');
  return `${method}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** The request's Signature parameter (before it is itself encoded into the request). */
export function rpcSignature(method: 'GET' | 'POST', params: Record<string, string>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params)).digest('base64');
}

export interface AliyunSmsOptions {
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** the approved signature (签名) the messages carry, e.g. 济南12345 */
  signName: string;
  /** the approved template code for each kind of message */
  templates: Record<SentKind, string>;
  /** how long to wait for the API's answer */
  timeoutMs?: number;
}

/**
 * Alibaba's error codes that a later try may get past: flow control and the service's own trouble.
 * Any other refusal (a bad number, a missing template variable, a wrong key) fails for good.
 */
const RETRYABLE = /^(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|Throttling.*|ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR)$/;

export class AliyunSms implements Messenger {
  readonly channel = SMS_CHANNEL;
  readonly name = 'aliyun';
  constructor(private readonly options: AliyunSmsOptions) {}

  /** The signed parameters of one SendSms request. */
  signedParams(message: OutboundMessage, at = new Date(), nonce: string = randomUUID()): Record<string, string> {
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId, Action: 'SendSms', Format: 'JSON', OutId: message.outId, PhoneNumbers: message.address,
      RegionId: 'cn-hangzhou', SignName: this.options.signName, SignatureMethod: 'HMAC-SHA1', SignatureNonce: nonce,
      SignatureVersion: '1.0', TemplateCode: this.options.templates[message.kind], TemplateParam: JSON.stringify(message.params),
      Timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), Version: '2017-05-25',
    };
    return { ...params, Signature: rpcSignature('POST', params, this.options.accessKeySecret) };
  }

  async send(message: OutboundMessage): Promise<SendOutcome> {
    // a kind whose template is not configured (an optional one) is not sent, and says why
    if (!this.options.templates[message.kind]) {
      return { status: 'refused', retry: false, code: 'TEMPLATE_NOT_CONFIGURED', message: `no SMS template for ${message.kind}` };
    }
    const called = await callProvider<{ Code?: string; Message?: string; BizId?: string }>(this.options.endpoint, {
      method: 'POST', body: new URLSearchParams(this.signedParams(message)).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
    }, this.options.timeoutMs ?? 10_000);
    if (!called.ok) return called.outcome;
    const answer = called.answer;
    if (called.status < 300 && answer.Code === 'OK') return { status: 'sent', providerRef: answer.BizId ?? null };
    // JSON without the API's code, from something in front of it, says nothing of whether the message went
    if (!answer.Code) return called.status >= 500 ? { status: 'unknown', code: `HTTP_${called.status}`, message: '' }
      : { status: 'refused', retry: false, code: `HTTP_${called.status}`, message: '' };
    return { status: 'refused', retry: RETRYABLE.test(answer.Code), code: answer.Code, message: answer.Message ?? '' };
  }
}
