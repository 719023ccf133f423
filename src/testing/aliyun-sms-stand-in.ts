// A local stand-in of Alibaba Cloud SMS's HTTP API (dysmsapi, version 2017-05-25, SendSms), for the
// tests: it checks each request as the real service documents it (the RPC signature recomputed
// here from the documented rule, byte by byte, not with the adapter's code; the timestamp's
// freshness; the nonce used once; the number; the template and its variables) and answers in the
// service's JSON. It records what it accepted, and can be told to refuse (flow control, an error)
// or to hang up without answering.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInMessage { phone: string; signName: string; templateCode: string; params: Record<string, string>; outId: string; bizId: string }

/** Alibaba's encoding, from its documentation: UTF-8 bytes, only A-Z a-z 0-9 - _ . ~ left literal, others as %XY (upper case). */
function documentedEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function expectedSignature(method: string, params: Map<string, string>, secret: string): string {
  const names = [...params.keys()].filter((k) => k !== 'Signature').sort();
  const canonical = names.map((k) => `${documentedEncode(k)}=${documentedEncode(params.get(k)!)}`).join('&');
  const toSign = `${method}&${documentedEncode('/')}&${documentedEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(toSign, 'utf8').digest('base64');
}

export interface AliyunSmsStandIn {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** what it accepted, in order */
  sent: StandInMessage[];
  /** every request's answer code, in order (OK or the error) */
  answers: string[];
  /** the next `times` requests are refused with `code` (HTTP `status`); an empty code: an HTML error page, as a proxy gives */
  refuseNext(times: number, code: string, status?: number): void;
  /** the next request is read, then the connection is closed without an answer */
  hangUpNext(): void;
  close(): Promise<void>;
}

/** The templates it knows, with the variables each needs. */
export const STAND_IN_TEMPLATES = { intake: 'SMS_90000001', reply: 'SMS_90000002', survey: 'SMS_90000003', sign_in_code: 'SMS_90000004',
  survey_invitation: 'SMS_90000005' };
const NEEDS: Record<string, string[]> = {
  [STAND_IN_TEMPLATES.intake]: ['trackingNo', 'lookupCode'], [STAND_IN_TEMPLATES.reply]: ['trackingNo', 'lookupCode'],
  [STAND_IN_TEMPLATES.survey]: ['trackingNo'], [STAND_IN_TEMPLATES.sign_in_code]: ['code'], [STAND_IN_TEMPLATES.survey_invitation]: ['title', 'link'],
};

export async function startAliyunSmsStandIn(): Promise<AliyunSmsStandIn> {
  const accessKeyId = 'LTAI-stand-in';
  const accessKeySecret = randomUUID();
  const usedNonces = new Set<string>();
  const sent: StandInMessage[] = [];
  const answers: string[] = [];
  let refusals: { times: number; code: string; status: number } = { times: 0, code: '', status: 200 };
  let hangUp = false;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (hangUp) {
        hangUp = false;
        answers.push('(hung up)');
        req.socket.destroy();
        return;
      }
      const answer = (status: number, code: string, message: string, extra: Record<string, string> = {}) => {
        answers.push(code);
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
        res.end(JSON.stringify({ RequestId: randomUUID().toUpperCase(), Code: code, Message: message, ...extra }));
      };
      const query = new URL(req.url ?? '/', 'http://stand-in').searchParams;
      const form = new URLSearchParams(req.method === 'POST' ? Buffer.concat(chunks).toString('utf8') : '');
      const params = new Map<string, string>([...query, ...form]);
      const get = (k: string) => params.get(k) ?? '';
      if (get('Action') !== 'SendSms' || get('Version') !== '2017-05-25') return answer(404, 'InvalidAction.NotFound', 'Specified api is not found');
      if (get('AccessKeyId') !== accessKeyId) return answer(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
      if (get('SignatureMethod') !== 'HMAC-SHA1' || get('SignatureVersion') !== '1.0') return answer(400, 'InvalidParameter', 'SignatureMethod');
      if (get('Signature') !== expectedSignature(req.method ?? 'GET', params, accessKeySecret)) {
        return answer(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      }
      const at = Date.parse(get('Timestamp'));
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(get('Timestamp')) || Math.abs(Date.now() - at) > 15 * 60_000) {
        return answer(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
      }
      if (!get('SignatureNonce') || usedNonces.has(get('SignatureNonce'))) return answer(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
      usedNonces.add(get('SignatureNonce'));
      if (refusals.times > 0) {
        refusals.times--;
        if (!refusals.code) { // a proxy's error page before the API: no JSON, no code
          answers.push(`(HTTP ${refusals.status})`);
          res.writeHead(refusals.status, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
          return;
        }
        return answer(refusals.status, refusals.code, 'refused as the test asked');
      }
      if (!/^1[3-9]\d{9}$/.test(get('PhoneNumbers'))) return answer(200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
      const needs = NEEDS[get('TemplateCode')];
      if (!needs) return answer(200, 'isv.SMS_TEMPLATE_ILLEGAL', '模板不合法');
      if (!get('SignName')) return answer(200, 'isv.SMS_SIGNATURE_ILLEGAL', '签名不合法');
      let variables: Record<string, string>;
      try {
        variables = JSON.parse(get('TemplateParam')) as Record<string, string>;
      } catch {
        return answer(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法');
      }
      if (needs.some((k) => typeof variables[k] !== 'string' || variables[k] === '')) return answer(200, 'isv.TEMPLATE_MISSING_PARAMETERS', '模板缺少变量');
      const bizId = `${Date.now()}^${sent.length + 1}`;
      sent.push({ phone: get('PhoneNumbers'), signName: get('SignName'), templateCode: get('TemplateCode'), params: variables, outId: get('OutId'), bizId });
      answer(200, 'OK', 'OK', { BizId: bizId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`, accessKeyId, accessKeySecret, sent, answers,
    refuseNext(times, code, status = 200) { refusals = { times, code, status }; },
    hangUpNext() { hangUp = true; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
