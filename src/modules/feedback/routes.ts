// Return visits: the queue, each call's outcome, the supervisor's decisions.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { citizensToCall, decideVisit, recordVisitAnswer, recordVisitUnreached } from '../orders/index.js';
import { Citizen } from '../orders/api-schemas.js';
import { ReturnVisitOut } from './api-schemas.js';
import { getVisit, SATISFACTION, visitQueue, visitsToConfirm } from './index.js';

const VisitParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const PageQuery = Type.Object({ ...Page }, { additionalProperties: false });
const hotline = { roles: ['visitor', 'lead', 'supervisor'] as const };

export const feedbackRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/visits/queue', {
    schema: { tags: ['return visits'], summary: 'Citizens to call back now, longest waiting first', security: Secured,
      description: "Each visit names the order, the answer to ask about and the citizen to call: in full to those who call " +
        'citizens back (each such read audited), masked to the others.',
      querystring: PageQuery, response: responses({ 200: PageOf(Type.Intersect([ReturnVisitOut, Type.Object({ citizen: Citizen })])) }) },
  }, async (req) => {
    const actor = requireActor(req, hotline);
    const visits = await visitQueue(db.pool, actor, { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
    const citizens = await citizensToCall(db.pool, actor, visits.items.map((v) => v.orderId), req.ip);
    return { ...visits, items: visits.items.map((v) => ({ ...v,
      citizen: citizens.get(v.orderId) ?? { name: null, phone: null, address: null, visibility: 'hidden' as const } })) };
  });

  app.get('/visits/to-confirm', {
    schema: { tags: ['return visits'], summary: 'Unsolved or unsatisfied results waiting for the supervisor', security: Secured,
      querystring: PageQuery, response: responses({ 200: PageOf(ReturnVisitOut) }) },
  }, async (req) => visitsToConfirm(db.pool, requireActor(req, hotline), { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  app.get('/visits/:id', {
    schema: { tags: ['return visits'], summary: 'One return visit', security: Secured, params: VisitParams,
      response: responses({ 200: ReturnVisitOut }, 404) },
  }, async (req) => getVisit(db.pool, requireActor(req, hotline), req.params.id));

  app.post('/visits/:id/attempts', {
    schema: { tags: ['return visits'], summary: 'A call that did not reach the citizen', security: Secured,
      description: 'Called again after visit.retryAfterHours; after visit.maxAttempts calls the visit is unreachable and the order closed.',
      params: VisitParams, body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: responses({ 200: ReturnVisitOut }, 404, 409) },
  }, async (req) => recordVisitUnreached(db.pool, requireActor(req, hotline), req.params.id, req.body.note));

  app.post('/visits/:id/result', {
    schema: { tags: ['return visits'], summary: "The citizen's answer: solved, and satisfaction (满意 / 基本满意 / 不满意)", security: Secured,
      description: 'Solved and satisfied or basically satisfied closes the order; otherwise it waits for the supervisor.',
      params: VisitParams, body: Type.Object({ solved: Type.Boolean(), satisfaction: StringEnum(SATISFACTION),
        comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: responses({ 200: ReturnVisitOut }, 404, 409) },
  }, async (req) => recordVisitAnswer(db.pool, requireActor(req, hotline), req.params.id, req.body));

  app.post('/visits/:id/decision', {
    schema: { tags: ['return visits'], summary: 'Reopen the order to a unit (重办, new deadlines), or close it with a reason (supervisor)',
      security: Secured, params: VisitParams,
      body: Type.Object({ decision: StringEnum(['reopen', 'close'] as const), reason: Type.String({ minLength: 1, maxLength: 2000 }),
        unitId: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: responses({ 200: ReturnVisitOut }, 404, 409, 422) },
  }, async (req) => decideVisit(db.pool, requireActor(req, hotline), req.params.id, req.body));
};
