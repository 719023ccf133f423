// The one place that turns errors into HTTP answers: { "error": { "code", "message" } }, the
// message in Chinese or English by Accept-Language. Unknown errors leave as 500 INTERNAL, no detail.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERRORS, formatMessage, type ErrorCode, type MessageParams } from '../shared/errors.js';
import { pickLanguage } from '../shared/i18n.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_JSON',
};

export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, params: MessageParams = {}, details?: object) {
  const lang = pickLanguage(request.headers['accept-language']);
  return reply.status(ERRORS[code].status).send({ error: { code, message: formatMessage(code, params, lang), ...(details ? { details } : {}) } });
}

export function errorHandler(error: FastifyError | DomainError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) return sendError(request, reply, error.code, error.params, error.details);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const fields = fastifyError.validation.map((v) => ({
      field: `${fastifyError.validationContext ?? ''}${v.instancePath || ''}`,
      problem: v.message ?? v.keyword,
      ...(v.params && Object.keys(v.params).length ? { params: v.params } : {}),
    }));
    const detail = fields.map((f) => `${f.field} ${f.problem}`).join('; ');
    return sendError(request, reply, 'VALIDATION_FAILED', { detail }, { fields });
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return sendError(request, reply, mapped);
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) return sendError(request, reply, 'BAD_JSON');
  request.log.error({ err: error }, 'unhandled error');
  return sendError(request, reply, 'INTERNAL');
}
