// Calls: the telephony posts its call events (signed, docs/telephony.md); the hotline's staff read
// the calls they make.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { keepRawJson, rawBodyOf } from '../../http/raw-body.js';
import { NoContent, Nullable, PageOf, responses, Secured } from '../../http/schemas.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { DomainError } from '../../shared/errors.js';
import { bodySignatureOf, checkSignedBody } from '../../shared/signed-body.js';
import { CallDetailOut, CallerProfileOut, CallEventsIn, CallEventsOut, CallOut, CallsQuery, SeatEventsIn, SeatEventsOut, SeatIn, SeatOut, SeatStateIn, SeatTimeOut, SeatTimeQuery, ServiceLevelOut, ServiceLevelQuery,
  ServiceLevelWorkbookOut, WallOut } from './api-schemas.js';
import { liveWall, serviceLevel, SERVICE_LEVEL_DEFINITIONS } from './service-level.js';
import { serviceLevelWorkbook } from './service-level-export.js';
import { areaIndex } from '../directory/index.js';
import { callerProfile } from './profile.js';
import { getCall, listCalls } from './read.js';
import { seatTime, SEAT_TIME_DEFINITIONS } from './seat-time.js';
import { absorbSeatEvents, mySeat, setSeatState, signInToSeat, signOutOfSeat } from './seats.js';
import { CallEventIntake } from './intake.js';

const readers = { roles: HOTLINE_ROLES };
const seated = { roles: ['agent', 'lead'] as const };
/** Who watches the call centre: team leads, supervisors, leaders, administrators. */
const watchers = { roles: ['lead', 'supervisor', 'leader', 'admin'] as const };
const CallParams = Type.Object({ callId: Type.String({ minLength: 1, maxLength: 128 }) });

export const callRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const intake = new CallEventIntake(db.pool, config.cityCode);

  // signed over the body's exact bytes, checked before the body is validated
  const signedByTelephony = async (req: FastifyRequest) => {
    if (!config.telephonySecret) throw new DomainError('TELEPHONY_NOT_CONFIGURED');
    checkSignedBody(config.telephonySecret, bodySignatureOf(req.headers), rawBodyOf(req), { unsigned: 'TELEPHONY_UNSIGNED', stale: 'TELEPHONY_STALE' });
  };
  await fastify.register(async (scope) => {
    keepRawJson(scope);
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/telephony/events', {
      preValidation: signedByTelephony,
      schema: { tags: ['calls'], security: [], body: CallEventsIn, response: responses({ 200: CallEventsOut }, 503),
        summary: "The call centre's telephony posts its call events, signed (docs/telephony.md)",
        description: 'Each event is kept once (by its id) and the record of its call is derived again from all its events, so repeated, ' +
          'late and out-of-order events give the same call. An event with an impossible time is refused on its own; the others are kept.' },
    }, async (req) => {
      const absorbed = await intake.absorb(req.body.events);
      return { results: absorbed.results, changed: absorbed.calls.length };
    });
    scope.withTypeProvider<TypeBoxTypeProvider>().post('/telephony/seats', {
      preValidation: signedByTelephony,
      schema: { tags: ['calls'], security: [], body: SeatEventsIn, response: responses({ 200: SeatEventsOut }, 503),
        summary: "The telephony posts its seats' states (a pause, a wrap-up), signed like its call events (docs/telephony.md)",
        description: 'Each is the seat\'s state from its time on, unless a later one was set already (by the agent or the telephony). ' +
          'The seat keeps whoever signed in to it in Minsheng.' },
    }, async (req) => ({ results: await absorbSeatEvents(db.pool, config.cityCode, req.body.events) }));
  });

  app.get('/calls', {
    schema: { tags: ['calls'], summary: "The city's calls, newest first, the callers' numbers masked", security: Secured,
      querystring: CallsQuery, response: responses({ 200: PageOf(CallOut) }) },
  }, async (req) => {
    const { from, to, limit = 50, offset = 0, ...filters } = req.query;
    return listCalls(db.pool, requireActor(req, readers), {
      ...filters, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit, offset });
  });

  app.get('/calls/service-level', {
    schema: { tags: ['calls'], summary: 'The service level (服务水平): offered, answered, abandoned, answered within 15 s, 接通率, ASA, AHT, by hour, day, queue or agent',
      description: 'Over the call records of the days asked (Beijing time); each figure\'s definition comes with it. GB/T 33358-2016: answered within 15 s, at least 95 % connected over 24 hours.',
      security: Secured, querystring: ServiceLevelQuery, response: responses({ 200: ServiceLevelOut }) },
  }, async (req) => ({ ...(await serviceLevel(db.pool, requireActor(req, watchers), { ...req.query, by: req.query.by ?? 'hour' })),
    definitions: SERVICE_LEVEL_DEFINITIONS }));

  app.get('/calls/service-level.xlsx', {
    schema: { tags: ['calls'], summary: 'The service level as an Excel workbook, the definitions first', security: Secured,
      querystring: ServiceLevelQuery, response: responses({ 200: ServiceLevelWorkbookOut }) },
  }, async (req, reply) => {
    const level = await serviceLevel(db.pool, requireActor(req, watchers), { ...req.query, by: req.query.by ?? 'hour' });
    const city = (await areaIndex(db.pool, config.cityCode)).get(config.cityCode);
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="service-level-${level.from}-${level.to}.xlsx"`)
      .send(await serviceLevelWorkbook(level, city?.name ?? config.cityCode));
  });

  app.get('/calls/seat-time', {
    schema: { tags: ['calls'], summary: "Each agent's seat time (坐席工时): signed in, ready, not ready by reason, after-call work, calls answered, talk, occupancy",
      description: 'From the seats\' kept states (set by the agents and the telephony); a state still open counts up to now. Beijing days, at most 31.',
      security: Secured, querystring: SeatTimeQuery, response: responses({ 200: SeatTimeOut }) },
  }, async (req) => ({ ...(await seatTime(db.pool, requireActor(req, watchers), req.query)), definitions: SEAT_TIME_DEFINITIONS }));

  app.get('/calls/wall', {
    schema: { tags: ['calls'], summary: "The team lead's wall: calls waiting by queue, the longest wait, the seats by state, the service level of the last 15 minutes and of the day",
      security: Secured, response: responses({ 200: WallOut }) },
  }, async (req) => liveWall(db.pool, requireActor(req, watchers)));

  app.get('/calls/:callId', {
    schema: { tags: ['calls'], summary: 'One call and its events', security: Secured,
      description: 'The caller\'s number is shown to those who call citizens back (the read is audited), masked to others.',
      params: CallParams, response: responses({ 200: CallDetailOut }, 404) },
  }, async (req) => getCall(db.pool, requireActor(req, readers), req.params.callId));

  app.get('/calls/:callId/caller', {
    schema: { tags: ['calls'], summary: 'The screen-pop: who is calling, how often they called, what is open, earlier dissatisfaction, confidentiality',
      description: 'Opened by the agent\'s workspace when the live stream says a call was answered at their seat (call.answered). ' +
        'The number is shown to those who call citizens back (the read is audited), masked to others.',
      security: Secured, params: CallParams, response: responses({ 200: CallerProfileOut }, 404) },
  }, async (req) => callerProfile(db.pool, requireActor(req, readers), req.params.callId));

  app.get('/seats/mine', {
    schema: { tags: ['calls'], summary: 'The seat the caller is signed in to (null: none)', security: Secured,
      response: responses({ 200: Nullable(SeatOut) }) },
  }, async (req) => mySeat(db.pool, requireActor(req, seated)));

  app.put('/seats/mine', {
    schema: { tags: ['calls'], summary: 'Sign in to a seat, ready for calls: its calls pop up on your screen',
      description: 'Signs you out of any other seat, and the seat\'s previous occupant out of it.',
      security: Secured, body: SeatIn, response: responses({ 200: SeatOut }) },
  }, async (req) => signInToSeat(db.pool, requireActor(req, seated), req.body.seat));

  app.patch('/seats/mine', {
    schema: { tags: ['calls'], summary: 'Ready, not ready (with a reason) or after-call work', security: Secured,
      body: SeatStateIn, response: responses({ 200: SeatOut }, 409) },
  }, async (req) => setSeatState(db.pool, requireActor(req, seated), req.body.state, req.body.reason ?? null));

  app.delete('/seats/mine', {
    schema: { tags: ['calls'], summary: 'Sign out of your seat', security: Secured, response: responses({ 204: NoContent }) },
  }, async (req, reply) => {
    await signOutOfSeat(db.pool, requireActor(req, seated));
    return reply.status(204).send();
  });
};
