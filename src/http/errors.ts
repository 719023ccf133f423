// The one place that turns errors into HTTP answers: { "error": { "code", "message" } }, the
// message in Chinese or English by Accept-Language. Unknown errors leave as 500 INTERNAL, no detail.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { createRequire } from 'node:module';
import type { Localize } from 'ajv-i18n/localize/types.js';

// ajv-i18n is CommonJS: required, so that each language is the function itself
const require = createRequire(import.meta.url);
const localize: Record<'zh' | 'en', Localize> = { zh: require('ajv-i18n/localize/zh'), en: require('ajv-i18n/localize/en') };
import { DomainError, ERRORS, formatMessage, type ErrorCode, type MessageParams } from '../shared/errors.js';
import { pickLanguage } from '../shared/i18n.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_JSON',
};

/** Errors the router raises before any route or hook runs (Fastify's frameworkErrors). */
const ROUTER_CODES: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: 'BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'URL_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_URL',
};

export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendError(request, reply, ROUTER_CODES[error.code] ?? 'BAD_URL');
}

/**
 * PostgreSQL's errors that a value sent by a client can cause (a string too long, a number or date
 * past its range, bad text for a type, an unstorable character, a key too long for its index), and
 * not a bug of ours (a division by zero stays a 500). Each route's
 * schema should refuse such a value first; this is the net under them, and it logs what got through.
 */
const INPUT_ERRORS = ['22001', '22003', '22007', '22008', '22021', '22023', '22P02', '22P05', '54000'];

export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, params: MessageParams = {}, details?: object) {
  const lang = pickLanguage(request.headers['accept-language']);
  return reply.status(ERRORS[code].status).send({ error: { code, message: formatMessage(code, params, lang), ...(details ? { details } : {}) } });
}

/** What went wrong, as the API says it: a stable code, its message's parameters, and details. */
export interface Described { code: ErrorCode; params: MessageParams; details?: object | undefined }

/**
 * The API's description of any error a route, a hook or a plugin raised: a domain error as it is,
 * a schema's refusals in the caller's language, the framework's and the database's refusals of a
 * client's value by their codes; anything else is logged and INTERNAL. (The routes of another
 * protocol, Open311, word the same description in their own format.)
 */
export function describeError(error: FastifyError | DomainError | Error, request: FastifyRequest): Described {
  if (error instanceof DomainError) return { code: error.code, params: error.params, details: error.details };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // every problem, each in the language of the answer (ajv-i18n's messages; ajv's own are English)
    const lang = pickLanguage(request.headers['accept-language']);
    // at most 50: a body of a thousand bad items need not be answered a thousand times
    const problems = structuredClone(fastifyError.validation.slice(0, 50)) as ErrorObject[];
    (lang === 'zh' ? localize.zh : localize.en)(problems);
    const fields = problems.map((v) => ({
      field: `${fastifyError.validationContext ?? ''}${v.instancePath || ''}`,
      problem: v.message ?? v.keyword,
      ...(v.params && Object.keys(v.params).length ? { params: v.params } : {}),
    }));
    const detail = fields.map((f) => `${f.field} ${f.problem}`).join(lang === 'zh' ? '；' : '; ');
    return { code: 'VALIDATION_FAILED', params: { detail }, details: { fields } };
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] ?? ROUTER_CODES[fastifyError.code] : undefined;
  if (mapped) return { code: mapped, params: {} };
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return { code: 'BAD_JSON', params: {} };
  const sqlState = (error as { code?: unknown }).code;
  if (typeof sqlState === 'string' && INPUT_ERRORS.includes(sqlState)) {
    request.log.warn({ err: error }, 'a value the route did not validate was refused by the database');
    return { code: 'VALUE_OUT_OF_RANGE', params: {} };
  }
  // what a plugin refuses with a status of its own (the static files' 403 for a path outside them)
  const status = fastifyError.statusCode ?? 500;
  if (status === 403 || status === 404) return { code: 'ROUTE_NOT_FOUND', params: {} };
  if (status >= 400 && status < 500) return { code: 'BAD_REQUEST', params: {} };
  request.log.error({ err: error }, 'unhandled error');
  return { code: 'INTERNAL', params: {} };
}

export function errorHandler(error: FastifyError | DomainError | Error, request: FastifyRequest, reply: FastifyReply) {
  const { code, params, details } = describeError(error, request);
  return sendError(request, reply, code, params, details);
}
