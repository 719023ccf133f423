// Calls: the telephony posts its call events (signed, docs/telephony.md); the hotline's staff read
// the calls they make.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { keepRawJson, rawBodyOf } from '../../http/raw-body.js';
import { PageOf, responses, Secured } from '../../http/schemas.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { DomainError } from '../../shared/errors.js';
import { bodySignatureOf, checkSignedBody } from '../../shared/signed-body.js';
import { CallDetailOut, CallEventsIn, CallEventsOut, CallOut, CallsQuery } from './api-schemas.js';
import { getCall, listCalls } from './read.js';
import { absorbCallEvents } from './store.js';

const readers = { roles: HOTLINE_ROLES };

export const callRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // signed over the body's exact bytes, checked before the body is validated
  await fastify.register(async (scope) => {
    keepRawJson(scope);
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/telephony/events', {
      preValidation: async (req) => {
        if (!config.telephonySecret) throw new DomainError('TELEPHONY_NOT_CONFIGURED');
        checkSignedBody(config.telephonySecret, bodySignatureOf(req.headers), rawBodyOf(req), { unsigned: 'TELEPHONY_UNSIGNED', stale: 'TELEPHONY_STALE' });
      },
      schema: { tags: ['calls'], security: [], body: CallEventsIn, response: responses({ 200: CallEventsOut }, 503),
        summary: "The call centre's telephony posts its call events, signed (docs/telephony.md)",
        description: 'Each event is kept once (by its id) and the record of its call is derived again from all its events, so repeated, ' +
          'late and out-of-order events give the same call. An event with an impossible time is refused on its own; the others are kept.' },
    }, async (req) => {
      const absorbed = await absorbCallEvents(db.pool, config.cityCode, req.body.events);
      return { results: absorbed.results, changed: absorbed.calls.length };
    });
  });

  app.get('/calls', {
    schema: { tags: ['calls'], summary: "The city's calls, newest first, the callers' numbers masked", security: Secured,
      querystring: CallsQuery, response: responses({ 200: PageOf(CallOut) }) },
  }, async (req) => {
    const { from, to, limit = 50, offset = 0, ...filters } = req.query;
    return listCalls(db.pool, requireActor(req, readers), {
      ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit, offset });
  });

  app.get('/calls/:callId', {
    schema: { tags: ['calls'], summary: 'One call and its events', security: Secured,
      description: 'The caller\'s number is shown to those who call citizens back (the read is audited), masked to others.',
      params: Type.Object({ callId: Type.String({ minLength: 1, maxLength: 128 }) }), response: responses({ 200: CallDetailOut }, 404) },
  }, async (req) => getCall(db.pool, requireActor(req, readers), req.params.callId));
};
