// Every route of the OpenAPI document fed a table of hostile values, in every path parameter,
// query parameter and body property, by a caller who holds every hotline role and by a unit's
// handler (the mobile app's routes by a signed-in citizen): nothing may answer 500, and every
// refusal has the documented error body.
// HOSTILE_TRACE=FILE writes each request to FILE before it is sent (to find one that hangs) and the
// problems found to FILE.problems.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { citizenToken, makeStaff, orderInput, startTestApp, startTestPlatform, unitId, type TestPlatform } from '../testing/harness.js';
import { startAliyunSmsStandIn, STAND_IN_TEMPLATES, type AliyunSmsStandIn } from '../testing/aliyun-sms-stand-in.js';

type Schema = { [keyword: string]: any };
interface Parameter { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: Schema }
interface Operation { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
interface OpenApi { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

/** Values that broke or could break a route: NUL, dates and numbers past the columns' range, prototype names, traversal. */
const HOSTILE_TEXT = ['\u0000', 'a\u0000b', '0000-01-01', '0000-01-01T00:00:00Z', '-infinity', '294277-01-01', '9999-12', '0000-00',
  '10000-01', '99999999999', '100000000000000000000', '-99999999999', '1e308', 'NaN', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', '../../../../etc/passwd', '%', '%_\\', "'; DROP TABLE orders; --", '\uD800', 'x'.repeat(3000)];
const HOSTILE_JSON: unknown[] = [...HOSTILE_TEXT, 99999999999, 1e20, -1e20, -1, 0, 1.5, null, true, [], {}, ['\u0000'],
  { __proto__: { admin: true } }, JSON.parse('{"__proto__": {"x": 1}}')];

/** Routes left out: the stream stays open when it accepts, and logging out would end the caller's session. */
const SKIPPED = new Set(['GET /api/v1/events/stream', 'POST /api/v1/auth/logout', 'POST /api/v1/app/sign-out']);

describe('hostile input to every route', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let doc: OpenApi;
  const callers: Record<string, string> = {};
  let citizen: string;
  let sms: AliyunSmsStandIn;
  let orderId: string;
  let waterUnit: string;

  before(async () => {
    p = await startTestPlatform();
    // the app's sign-in sends its codes by SMS
    sms = await startAliyunSmsStandIn();
    p.config.aliyunSms = { endpoint: sms.url, accessKeyId: sms.accessKeyId, accessKeySecret: sms.accessKeySecret, signName: '济南12345',
      templates: STAND_IN_TEMPLATES };
    const started = await startTestApp(p);
    citizen = await citizenToken(p, '13500000001');
    app = started.app;
    const hotline = await makeStaff(p, 'HOTLINE', ['admin', 'agent', 'lead', 'dispatcher', 'visitor', 'supervisor', 'leader']);
    const unit = await makeStaff(p, 'UTIL-WATER', ['unit_handler', 'unit_manager']);
    callers.hotline = await started.tokenFor(hotline.username);
    callers.unit = await started.tokenFor(unit.username);
    waterUnit = await unitId(p, 'UTIL-WATER');
    doc = (await app.inject('/openapi.json')).json();
    const order = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: { authorization: `Bearer ${callers.hotline}` },
      payload: orderInput() });
    orderId = order.json().id;
    await app.inject({ method: 'POST', url: `/api/v1/orders/${orderId}/actions/dispatch`, headers: { authorization: `Bearer ${callers.hotline}` },
      payload: { unitId: waterUnit } });
  });
  after(async () => {
    await app.close();
    await sms.close();
    await p.close();
  });

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (typeof schema.$ref === 'string') return resolve(doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')]);
    return schema;
  };

  /** A value the schema accepts, as plain as can be: enough to carry a request past validation to the route. */
  const sample = (raw: Schema | undefined, name = ''): unknown => {
    const schema = resolve(raw);
    if (schema.default !== undefined) return schema.default;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.const !== undefined) return schema.const;
    for (const keyword of ['anyOf', 'oneOf']) {
      if (Array.isArray(schema[keyword])) return sample((schema[keyword] as Schema[]).find((s) => resolve(s).type !== 'null') ?? schema[keyword][0], name);
    }
    if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s: Schema) => sample(s, name)));
    switch (schema.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key);
        return out;
      }
      case 'array': return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () => sample(schema.items, name));
      case 'integer': case 'number': return schema.minimum ?? 1;
      case 'boolean': return false;
      case 'null': return null;
      default:
        if (schema.format === 'uuid') return /unit/i.test(name) ? waterUnit : orderId;
        if (schema.format === 'date') return '2026-11-30';
        if (schema.format === 'date-time') return '2026-11-30T08:00:00.000Z';
        if (schema.pattern === '^\\d{4}-\\d{2}$' || /month/i.test(name)) return '2026-11';
        return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    }
  };

  /** The path of every value in `value`, containers included: [['edits'], ['edits', 0], ['edits', 0, 'name'], …]. */
  const placesIn = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    const inner = Array.isArray(value) ? value.flatMap((item, i) => placesIn(item, [...at, i]))
      : value && typeof value === 'object' ? Object.entries(value).flatMap(([key, item]) => placesIn(item, [...at, key])) : [];
    return at.length ? [at, ...inner] : inner;
  };
  /** A deep copy of `value` with `replacement` at `at`. */
  const replaced = (value: unknown, at: (string | number)[], replacement: unknown): unknown => {
    if (at.length === 0) return replacement;
    const [head, ...rest] = at;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    copy[head!] = replaced(copy[head!], rest, replacement);
    return copy;
  };

  /** Percent-encoded; a lone surrogate, which has no UTF-8, goes as the bytes a careless client would send. */
  const encode = (value: string) => {
    try {
      return encodeURIComponent(value);
    } catch {
      return '%ED%A0%80';
    }
  };

  const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })))
    .filter(({ method, path }) => !SKIPPED.has(`${method} ${path}`));

  const problemsOf = (res: LightMyRequestResponse, what: string): string[] => {
    if (res.statusCode >= 500) return [`${what} → ${res.statusCode} ${res.body.slice(0, 200)}`];
    if (res.statusCode >= 400) {
      const body = (() => { try { return res.json(); } catch { return null; } })();
      if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') return [`${what} → ${res.statusCode} not the error shape: ${res.body.slice(0, 200)}`];
      // the database's refusal is the net under the schemas; a value caught there is a schema to tighten
      if (body.error.code === 'VALUE_OUT_OF_RANGE') return [`${what} → passed the schema, refused by the database`];
    }
    return [];
  };

  it('answers no hostile value in a path, a query or a body with a 500', async () => {
    const problems: string[] = [];
    let requests = 0;
    for (const { method, path, operation } of operations()) {
      const params = (operation.parameters ?? []).filter((param) => param.in === 'path' || param.in === 'query');
      const base = Object.fromEntries(params.filter((param) => param.in === 'path' || param.required)
        .map((param) => [param.name, String(sample(param.schema, param.name))]));
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const baseBody = bodySchema ? sample(bodySchema) as Record<string, unknown> : undefined;
      const url = (values: Record<string, string>) => {
        const query = params.filter((param) => param.in === 'query' && values[param.name] !== undefined)
          .map((param) => `${param.name}=${encode(values[param.name]!)}`).join('&');
        return path.replace(/\{(\w+)\}/g, (_, name: string) => encode(values[name]!)) + (query ? `?${query}` : '');
      };
      const attempts: { what: string; url: string; payload?: unknown }[] = [];
      for (const param of params) {
        for (const value of HOSTILE_TEXT) attempts.push({ what: `${param.in} ${param.name}=${JSON.stringify(value).slice(0, 40)}`, url: url({ ...base, [param.name]: value }), payload: baseBody });
      }
      if (baseBody && typeof baseBody === 'object' && !Array.isArray(baseBody)) {
        // every optional property of the body, and every value nested in the sample (an array's item, its properties)
        const full = { ...Object.fromEntries(Object.keys(resolve(bodySchema).properties ?? {}).map((key) => [key, undefined])), ...baseBody };
        for (const at of placesIn(full)) {
          for (const value of HOSTILE_JSON) {
            attempts.push({ what: `body.${at.join('.')}=${JSON.stringify(value)?.slice(0, 40)}`, url: url(base), payload: replaced(baseBody, at, value) });
          }
        }
      }
      for (const attempt of attempts) {
        for (const [who, token] of Object.entries(path.startsWith('/api/v1/app/') ? { citizen } : callers)) {
          if (process.env.HOSTILE_TRACE) appendFileSync(process.env.HOSTILE_TRACE, `${method} ${attempt.url.slice(0, 200)} ${who} ${attempt.what}\n`);
          const res = await app.inject({ method: method as 'GET', url: `${attempt.url}`, headers: { authorization: `Bearer ${token}` },
            ...(attempt.payload !== undefined && method !== 'GET' ? { payload: attempt.payload as object } : {}) });
          requests++;
          problems.push(...problemsOf(res, `${method} ${path} as ${who}: ${attempt.what}`));
        }
      }
    }
    console.log(`# ${requests} hostile requests to ${operations().length} operations`);
    if (process.env.HOSTILE_TRACE) writeFileSync(`${process.env.HOSTILE_TRACE}.problems`, problems.join('\n'));
    assert.deepEqual(problems.slice(0, 40), [], `${problems.length} problems`);
  });

  it('refuses JSON nested past any request of the API before walking it', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000); // 200 KB, under the body limit
    for (const url of ['/api/v1/auth/login', '/api/v1/orders']) {
      const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${callers.hotline}`, 'content-type': 'application/json' },
        payload: `{"title":${deep}}` });
      assert.deepEqual([res.statusCode, res.json().error.code], [400, 'VALIDATION_FAILED'], url);
    }
  });

  it('answers malformed URLs and traversal attempts in the documented shape', async () => {
    const token = callers.hotline!;
    for (const url of ['/api/v1/orders?q=%E0%A4%A', '/api/v1/orders/%E0%A4%A', '/api/v1/orders?q=%', '/api/v1/%zz',
      '/docs/static/../../package.json', '/docs/static/..%2f..%2fpackage.json', '/docs/static/%2e%2e/%2e%2e/package.json',
      '/docs/static/%00', '/docs/static/\u0000', `/api/v1/orders/${'1'.repeat(30)}`, '/api/v1/units/100000000000000000000']) {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
      assert.ok(res.statusCode < 500, `${url} → ${res.statusCode}`);
      assert.deepEqual(problemsOf(res, url), []);
      assert.ok(!res.body.includes('"minsheng"'), `${url} must not serve a file outside the docs`);
    }
  });
});
