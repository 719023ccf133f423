// Open311 GeoReport v2 at /open311/v2/ (docs/open311.md), each answer in JSON or XML as the path's
// extension asks, errors in the spec's own format ([{code, description}] / <errors>), not the API's:
// Open311 clients read those. Outside /api/v1 and the OpenAPI document: the spec is its document.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import type { AppContext } from '../../../http/context.js';
import { clientAddressKey, limitedBy } from '../../../http/client-address.js';
import { describeError } from '../../../http/errors.js';
import { DomainError, ERRORS, formatMessage } from '../../../shared/errors.js';
import { pickLanguage } from '../../../shared/i18n.js';
import { actorFromApiKey } from '../../auth/index.js';
import { countedAs, noteRefusal } from '../counted.js';
import { findRequests, listServices, OPEN311_CHANNEL, postRequest, requestOfToken, serviceDefinition, servicesChangedAt, type PostedRequest } from './georeport.js';

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS = ['text/xml', 'application/json'];
const xml = new XMLBuilder({ format: false, suppressEmptyNode: false });

type Format = 'json' | 'xml';

/** `items` under `root`, each as an `item` element (XML) or the array itself (JSON). */
function render(reply: FastifyReply, format: Format, root: string, item: string, items: object[] | object, status = 200) {
  if (format === 'json') return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(items));
  const body = xml.build({ [root]: Array.isArray(items) ? { [item]: items.map(forXml) } : forXml(items) });
  return reply.status(status).type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="utf-8"?>${body}`);
}

/** XML has no null: an absent value is an empty element; true and false are words. */
function forXml(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(forXml);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forXml(v)]));
  return String(value);
}

/** The spec's error answer: one or more {code, description}. */
function refuse(reply: FastifyReply, format: Format, status: number, description: string) {
  const errors = [{ code: status, description }];
  if (format === 'json') return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(errors));
  return reply.status(status).type('text/xml; charset=utf-8')
    .send(`<?xml version="1.0" encoding="utf-8"?>${xml.build({ errors: { error: errors.map(forXml) } })}`);
}

type Handler = (request: FastifyRequest, format: Format) => Promise<{ root: string; item: string; items: object[] | object; status?: number }>;

/** Whether the request is Open311's: its refusals, the router's included, are in the spec's format. */
export const isOpen311 = (request: FastifyRequest) => request.url.startsWith('/open311/');

/** The format a request's path asks for (.json or .xml), whether or not its route matched. */
const formatOf = (request: FastifyRequest): Format => (/\.xml(\?|$)/.test(request.url) ? 'xml' : 'json');

/** A route answering in the format its extension names; failures go to the scope's error handler. */
function georeport(handler: Handler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const asked = (request.params as { format?: string }).format;
    if (asked !== 'json' && asked !== 'xml') throw new DomainError('OPEN311_NOT_FOUND', { what: 'format', id: String(asked).slice(0, 64) });
    const { root, item, items, status } = await handler(request, asked);
    return render(reply, asked, root, item, items, status);
  };
}

/**
 * Every failure in the spec's format, described as the API describes it (describeError: the same
 * codes, the framework's and the database's refusals included) in the caller's language (Chinese
 * unless Accept-Language prefers English), its status folded into the spec's 400, 403 and 404
 * (429 and 5xx stay what they are). The code is noted for the channel's counters.
 */
export function open311Error(error: Error, request: FastifyRequest, reply: FastifyReply) {
  const { code, params } = describeError(error, request);
  noteRefusal(request, code);
  const status = ERRORS[code].status;
  const folded = status === 404 ? 404 : status === 401 || status === 403 ? 403 : status === 429 || status >= 500 ? status : 400;
  const description = formatMessage(code, params, pickLanguage(request.headers['accept-language']));
  return refuse(reply, formatOf(request), folded, description.length > 300 ? `${description.slice(0, 300)}…` : description);
}

/** A field's text; a field sent twice counts as its last value, and anything but text is refused. */
function textOf(value: unknown, name: string): string | undefined {
  const last = Array.isArray(value) ? value.at(-1) : value;
  if (last === undefined) return undefined;
  if (typeof last !== 'string') throw new DomainError('OPEN311_FIELD_INVALID', { field: name.slice(0, 64), rule: { zh: '须为文字', en: 'text' } });
  return last;
}

function checkJurisdiction(cityCode: string, fields: Record<string, unknown>): void {
  const given = textOf(fields.jurisdiction_id, 'jurisdiction_id');
  if (given && given !== cityCode) throw new DomainError('OPEN311_JURISDICTION_UNKNOWN', { given: given.slice(0, 64), city: cityCode });
}

export const open311Routes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  fastify.setErrorHandler(open311Error);
  // the spec's requests are form-encoded: parsed as the standard parser reads them, into text fields
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    const fields: Record<string, string> = Object.create(null);
    for (const [key, value] of new URLSearchParams(body as string)) if (key.length <= 64) fields[key] = value;
    done(null, fields);
  });
  const hidden = { schema: { hide: true } };
  const base = '/open311/v2';
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
  const endpoint = `${config.publicUrl}${base}`;
  // anyone may list the city's requests: an address may ask as often as it looks requests up on the portal
  const reads = limitedBy([fastify.createRateLimit({ max: config.portalLookupsPerMinute * 4, timeWindow: 60_000,
    keyGenerator: (req) => `open311:${clientAddressKey(req.ip)}` })], 'PORTAL_TOO_MANY');
  const read = { ...hidden, preHandler: reads };

  fastify.get(`${base}/discovery.:format`, read, georeport(async (_request, format) => {
    const changeset = await servicesChangedAt(db.pool, config.cityCode);
    const about = { changeset, contact: `12345 热线 (${config.cityCode})`,
      key_service: '由热线管理员签发带 open311 权限的 API 密钥 (API keys with the open311 scope, issued by the hotline\'s administrator)' };
    const each = { specification: SPECIFICATION, url: endpoint, changeset, type: 'production' };
    // JSON lists plainly; XML wraps each list in an element per item
    return { root: 'discovery', item: 'discovery', items: format === 'json'
      ? { ...about, endpoints: [{ ...each, formats: FORMATS }] }
      : { ...about, endpoints: { endpoint: [{ ...each, formats: { format: FORMATS } }] } } };
  }));

  fastify.get(`${base}/services.:format`, read, georeport(async (request) => {
    checkJurisdiction(config.cityCode, query(request));
    return { root: 'services', item: 'service', items: await listServices(db.pool, config.cityCode) };
  }));

  fastify.get(`${base}/services/:code.:format`, read, georeport(async (request, format) => {
    checkJurisdiction(config.cityCode, query(request));
    const definition = await serviceDefinition(db.pool, config.cityCode, (request.params as { code: string }).code);
    const items = format === 'json' ? definition : { service_code: definition.service_code,
      attributes: { attribute: definition.attributes.map((a) => ({ ...a, values: { value: a.values } })) } };
    return { root: 'service_definition', item: 'service_definition', items };
  }));

  fastify.post(`${base}/requests.:format`, {
    ...hidden,
    // every post is a message on the channel: accepted, a retry, or refused by its code
    onSend: countedAs(db.pool, config.cityCode, () => OPEN311_CHANNEL),
  }, georeport(async (request) => {
    if (!String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new DomainError('OPEN311_FIELD_INVALID', { field: 'Content-Type', rule: { zh: '须为 application/x-www-form-urlencoded', en: 'application/x-www-form-urlencoded' } });
    }
    const { api_key: key, ...fields } = request.body as PostedRequest;
    checkJurisdiction(config.cityCode, { ...query(request), ...fields });
    // the key in the form only, as the spec sends it: a key in the address would be written to every log on the way
    const client = key ? await actorFromApiKey(db.pool, key) : null;
    if (!client || !client.scopes.includes('open311')) throw new DomainError('OPEN311_KEY_REFUSED');
    const idempotencyKey = request.headers['idempotency-key'];
    if (idempotencyKey !== undefined && (typeof idempotencyKey !== 'string' || !/^[\x21-\x7e]{8,128}$/.test(idempotencyKey))) {
      throw new DomainError('OPEN311_FIELD_INVALID', { field: 'Idempotency-Key', rule: { zh: '须为 8 到 128 个可打印字符', en: '8 to 128 printable characters' } });
    }
    const { created, ...answer } = await postRequest(db.pool, client, fields, idempotencyKey as string | undefined);
    return { root: 'service_requests', item: 'request', items: [answer], status: created ? 201 : 200 };
  }));

  fastify.get(`${base}/requests.:format`, read, georeport(async (request) => {
    checkJurisdiction(config.cityCode, query(request));
    return { root: 'service_requests', item: 'request', items: await findRequests(db.pool, config.cityCode, query(request)) };
  }));

  fastify.get(`${base}/requests/:id.:format`, read, georeport(async (request) => {
    checkJurisdiction(config.cityCode, query(request));
    const id = (request.params as { id: string }).id;
    const found = /^\d{8}-\d{8,20}$/.test(id) ? await findRequests(db.pool, config.cityCode, { service_request_id: id }) : [];
    if (found.length === 0) throw new DomainError('OPEN311_NOT_FOUND', { what: 'service_request_id', id: id.slice(0, 64) });
    return { root: 'service_requests', item: 'request', items: found };
  }));

  fastify.get(`${base}/tokens/:token.:format`, read, georeport(async (request) => {
    checkJurisdiction(config.cityCode, query(request));
    return { root: 'service_requests', item: 'request', items: [await requestOfToken(db.pool, config.cityCode, (request.params as { token: string }).token)] };
  }));
};
