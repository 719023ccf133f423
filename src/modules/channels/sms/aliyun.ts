// Alibaba Cloud SMS (短信服务, dysmsapi, API version 2017-05-25): SendSms, signed as Alibaba Cloud
// documents its RPC requests (signature version 1.0): the parameters sorted by name, each name and
// value percent-encoded per RFC 3986 (only A-Z a-z 0-9 - _ . ~ left as they are), joined with & and
// =, the whole encoded once more after "POST&%2F&", and signed with HMAC-SHA1 under the AccessKey
// secret followed by "&". The endpoint is configurable: tests point it at a local stand-in of the API.
import { createHmac, randomUUID } from 'node:crypto';
import type { SendOutcome, SmsKind, SmsMessage, SmsProvider } from './provider.js';

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
  templates: Record<SmsKind, string>;
  /** how long to wait for the API's answer */
  timeoutMs?: number;
}

/**
 * Alibaba's error codes that a later try may get past: flow control and the service's own trouble.
 * Any other refusal (a bad number, a missing template variable, a wrong key) fails for good.
 */
const RETRYABLE = /^(isv\.BUSINESS_LIMIT_CONTROL|isv\.DAY_LIMIT_CONTROL|Throttling.*|ServiceUnavailable|InternalError|isp\.SYSTEM_ERROR)$/;

/** Connection errors raised before a request could be delivered: nothing was sent. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class AliyunSms implements SmsProvider {
  readonly name = 'aliyun';
  constructor(private readonly options: AliyunSmsOptions) {}

  /** The signed parameters of one SendSms request. */
  signedParams(message: SmsMessage, at = new Date(), nonce: string = randomUUID()): Record<string, string> {
    const params: Record<string, string> = {
      AccessKeyId: this.options.accessKeyId, Action: 'SendSms', Format: 'JSON', OutId: message.outId, PhoneNumbers: message.phone,
      RegionId: 'cn-hangzhou', SignName: this.options.signName, SignatureMethod: 'HMAC-SHA1', SignatureNonce: nonce,
      SignatureVersion: '1.0', TemplateCode: this.options.templates[message.kind], TemplateParam: JSON.stringify(message.params),
      Timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), Version: '2017-05-25',
    };
    return { ...params, Signature: rpcSignature('POST', params, this.options.accessKeySecret) };
  }

  async send(message: SmsMessage): Promise<SendOutcome> {
    const body = new URLSearchParams(this.signedParams(message)).toString();
    let res: Response;
    try {
      res = await fetch(this.options.endpoint, { method: 'POST', body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' } });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      if (NOT_DELIVERED.has(code)) return { status: 'refused', retry: true, code, message: (error as Error).message };
      return { status: 'unknown', code, message: (error as Error).message };
    }
    const answer = await res.json().catch(() => null) as { Code?: string; Message?: string; BizId?: string } | null;
    if (res.ok && answer?.Code === 'OK') return { status: 'sent', providerRef: answer.BizId ?? null };
    // an error page from a proxy before the API (a 502, a 504) says nothing of whether the message went
    if (!answer?.Code) return res.status >= 500 ? { status: 'unknown', code: `HTTP_${res.status}`, message: res.statusText }
      : { status: 'refused', retry: false, code: `HTTP_${res.status}`, message: res.statusText };
    return { status: 'refused', retry: RETRYABLE.test(answer.Code), code: answer.Code, message: answer.Message ?? res.statusText };
  }
}
