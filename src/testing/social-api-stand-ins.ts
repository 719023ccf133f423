// Local stand-ins of WeChat's and Weibo's message APIs, for the tests: each checks a request as the
// provider documents it (WeChat: the access token from /cgi-bin/stable_token, the JSON of a
// customer-service or template message; Weibo: the form of messages/reply.json with its URL-encoded
// JSON data) and answers in the provider's JSON. They record what they accepted, and can be told to
// refuse (an error code), to close a follower's 48-hour window, to expire the token, or to hang up.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Answer { status?: number; json: unknown }

/** A local HTTP server answering JSON; `null` from the handler hangs up without an answer. */
async function serve(handler: (req: IncomingMessage, url: URL, body: string) => Answer | null): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = handler(req, new URL(req.url ?? '/', 'http://stand-in'), Buffer.concat(chunks).toString('utf8'));
      if (!answer) return void req.socket.destroy();
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The test's refusals: the next `times` requests answered with `code`, or hung up on (`code` null). */
class Refusals {
  private times = 0;
  private code: number | null = 0;
  next(times: number, code: number | null) { this.times = times; this.code = code; }
  /** undefined: no refusal due; null: hang up; a number: refuse with it */
  take(): number | null | undefined {
    if (this.times === 0) return undefined;
    this.times--;
    return this.code;
  }
}

const parse = (text: string): Record<string, any> | null => { try { return JSON.parse(text); } catch { return null; } };

export interface WechatSent { type: 'custom' | 'template'; touser: string; content?: string; templateId?: string; url?: string; data?: Record<string, { value: string }>; msgid: number }

export interface WechatApiStandIn {
  url: string; appId: string; appSecret: string; templateId: string;
  sent: WechatSent[];
  /** how many tokens it handed out */
  tokenCalls: number;
  /** the token handed out so far stops working (42001); the next stable_token call gives a new one */
  expireToken(): void;
  /** the follower's 48 hours are over: customer-service messages to them are refused (45015) */
  closeWindow(openid: string): void;
  refuseNext(times: number, errcode: number | null): void;
  close(): Promise<void>;
}

export async function startWechatApiStandIn(appId: string): Promise<WechatApiStandIn> {
  const appSecret = randomBytes(16).toString('hex');
  const templateId = `tpl_${randomBytes(8).toString('hex')}`;
  const closed = new Set<string>();
  const refusals = new Refusals();
  let token = '';
  const expired = new Set<string>();
  const wx = (errcode: number, errmsg: string, extra: object = {}): Answer => ({ json: { errcode, errmsg, ...extra } });
  const state = {
    sent: [] as WechatSent[], tokenCalls: 0,
  };
  const server = await serve((req, url, text) => {
    if (req.method !== 'POST') return wx(43002, 'require POST method');
    const body = parse(text);
    if (!body) return wx(47001, 'data format error');
    if (url.pathname === '/cgi-bin/stable_token') {
      if (body.grant_type !== 'client_credential') return wx(40002, 'invalid grant_type');
      if (body.appid !== appId) return wx(40013, 'invalid appid');
      if (body.secret !== appSecret) return wx(40125, 'invalid appsecret');
      if (!token || body.force_refresh === true) token = randomBytes(32).toString('base64url');
      state.tokenCalls++;
      return { json: { access_token: token, expires_in: 7200 } };
    }
    const given = url.searchParams.get('access_token') ?? '';
    if (expired.has(given)) return wx(42001, 'access_token expired');
    if (!given || given !== token) return wx(40001, 'invalid credential, access_token is invalid or not latest');
    const refusal = refusals.take();
    if (refusal === null) return null;
    if (refusal !== undefined) return wx(refusal, 'refused as the test asked');
    if (typeof body.touser !== 'string' || !/^[\w-]{6,64}$/.test(body.touser)) return wx(40003, 'invalid openid');
    const msgid = state.sent.length + 1000;
    if (url.pathname === '/cgi-bin/message/custom/send') {
      if (body.msgtype !== 'text' || typeof body.text?.content !== 'string' || !body.text.content) return wx(44002, 'empty post data');
      if (Buffer.byteLength(body.text.content) > 2048) return wx(45002, 'content size out of limit');
      if (closed.has(body.touser)) return wx(45015, 'response out of time limit or subscription is canceled');
      state.sent.push({ type: 'custom', touser: body.touser, content: body.text.content, msgid });
      return wx(0, 'ok');
    }
    if (url.pathname === '/cgi-bin/message/template/send') {
      if (body.template_id !== templateId) return wx(40037, 'invalid template_id');
      if (typeof body.data !== 'object' || !body.data) return wx(47001, 'data format error');
      state.sent.push({ type: 'template', touser: body.touser, templateId: body.template_id, url: body.url, data: body.data, msgid });
      return wx(0, 'ok', { msgid });
    }
    return { status: 404, json: { errcode: 40066, errmsg: 'invalid url' } };
  });
  return {
    url: server.url, appId, appSecret, templateId,
    get sent() { return state.sent; },
    get tokenCalls() { return state.tokenCalls; },
    expireToken() { expired.add(token); token = ''; },
    closeWindow(openid) { closed.add(openid); },
    refuseNext(times, errcode) { refusals.next(times, errcode); },
    close: server.close,
  };
}

export interface WeiboSent { receiverId: string; text: string; id: number }

export interface WeiboApiStandIn {
  url: string; accessToken: string;
  sent: WeiboSent[];
  refuseNext(times: number, errorCode: number | null): void;
  close(): Promise<void>;
}

export async function startWeiboApiStandIn(): Promise<WeiboApiStandIn> {
  const accessToken = `2.00${randomBytes(12).toString('hex')}`;
  const refusals = new Refusals();
  const sent: WeiboSent[] = [];
  const error = (error_code: number, message: string, status = 400): Answer =>
    ({ status, json: { error: message, error_code, request: '/2/messages/reply.json' } });
  const server = await serve((req, url, text) => {
    if (url.pathname !== '/2/messages/reply.json') return error(10014, 'Request api not found!', 404);
    if (req.method !== 'POST') return error(10021, 'HTTP method is not suported for this request!', 405);
    if (url.searchParams.get('access_token') !== accessToken) return error(21332, 'invalid_access_token', 401);
    const refusal = refusals.take();
    if (refusal === null) return null;
    if (refusal !== undefined) return error(refusal, 'refused as the test asked');
    if (!/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) return error(10008, 'param error, see doc for more info');
    const form = new URLSearchParams(text);
    const data = parse(form.get('data') ?? '');
    if (!/^\d{1,20}$/.test(form.get('receiver_id') ?? '') || form.get('type') !== 'text' || typeof data?.text !== 'string' || !data.text) {
      return error(10008, 'param error, see doc for more info');
    }
    if ([...data.text].length >= 300) return error(10008, 'text too long');
    const id = 4000000000000000 + sent.length;
    sent.push({ receiverId: form.get('receiver_id')!, text: data.text, id });
    return { json: { id, idstr: String(id), created_at: new Date().toUTCString(), text: data.text, recipient_id: Number(form.get('receiver_id')) } };
  });
  return { url: server.url, accessToken, sent, refuseNext: (times, code) => refusals.next(times, code), close: server.close };
}
