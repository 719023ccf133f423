// Routes whose caller signs the body (a gateway's callback, the telephony's events) need its bytes
// exactly as sent: the JSON parsed from them must be what was signed.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type Signed = FastifyRequest & { rawBody?: Buffer };

/** In this scope, JSON keeps its bytes as sent (`rawBody`, for a signature or a digest), then goes through Fastify's safe parser. */
export function keepRawJson(scope: FastifyInstance): void {
  const parseJson = scope.getDefaultJsonParser('error', 'error');
  scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    (req as Signed).rawBody = body as Buffer;
    parseJson(req, (body as Buffer).toString('utf8'), done);
  });
}

/** The bytes of a request's body as sent (empty when there was none). */
export const rawBodyOf = (req: FastifyRequest): Buffer => (req as Signed).rawBody ?? Buffer.alloc(0);
