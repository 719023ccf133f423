// Order endpoints: register, list and search, inbox, detail, edit, lifecycle actions.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { PageOf, responses, Secured } from '../../http/schemas.js';
import { HOTLINE_ROLES, UNIT_ROLES } from '../auth/index.js';
import {
  ActionParams, CitizenHistoryOut, EventOut, IdParams, InboxCountsOut, InboxOrderOut, InboxQuery, ListQuery, OrderDetailOut, OrderOut, RegisterBody, SuggestedUnitOut, TransitionBody, UpdateBody,
} from './api-schemas.js';
import { applyTransition, citizenHistory, getOrder, getOrderByTrackingNo, listOrderEvents, listOrders, registerOrder, suggestUnits, unitInbox, unitInboxCounts, updateOrder } from './index.js';
import { TRANSITIONS } from './rules.js';

const readers = { roles: [...HOTLINE_ROLES, ...UNIT_ROLES], scope: 'orders:read' as const };
const actionHelp = Object.entries(TRANSITIONS)
  .map(([name, r]) => `- \`${name}\` (${r.label.zh}): from ${r.from.join('/')} to ${r.to}; roles ${r.roles.join(', ')}` +
    `${'unit' in r ? `; ${r.unit} unit only` : ''}${'reason' in r ? '; reason required' : ''}`)
  .join('\n');

export const orderRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post('/orders', {
    schema: { tags: ['orders'], summary: 'Register a work order (受理)', security: Secured,
      description: 'Answers 201 with the new order. A retry (the same channel + channelRef, from the same caller, with the same content) gets 200 with the order it made; the same reference from another caller or with other content gets 409 IDEMPOTENCY_CONFLICT.',
      body: RegisterBody, response: responses({ 201: OrderOut, 200: OrderOut }, 409, 422) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['agent', 'lead'], scope: 'orders:create' });
    const { order, created } = await registerOrder(db.pool, actor, req.body);
    return reply.status(created ? 201 : 200).send(order);
  });

  app.get('/orders', {
    schema: { tags: ['orders'], summary: 'List, filter and search orders visible to the caller (personal data masked)',
      security: Secured, querystring: ListQuery, response: responses({ 200: PageOf(OrderOut) }) },
  }, async (req) => {
    const actor = requireActor(req, readers);
    const { limit = 50, offset = 0, sort = '-created_at', ...filters } = req.query;
    return listOrders(db.pool, actor, { ...filters, sort, limit, offset });
  });

  app.get('/orders/inbox', {
    schema: { tags: ['orders'], summary: "The caller's unit inbox: orders actively assigned to it, newest first",
      security: Secured, querystring: InboxQuery, response: responses({ 200: PageOf(InboxOrderOut) }) },
  }, async (req) => {
    const actor = requireActor(req, readers);
    return unitInbox(db.pool, actor, { limit: req.query.limit ?? 50, offset: req.query.offset ?? 0, deadline: req.query.deadline });
  });

  app.get('/orders/inbox/counts', {
    schema: { tags: ['orders'], summary: "How many orders the caller's unit has in hand, in all and by the status of each pressing deadline now",
      security: Secured, response: responses({ 200: InboxCountsOut }) },
  }, async (req) => unitInboxCounts(db.pool, requireActor(req, readers)));

  app.get('/orders/:id', {
    schema: { tags: ['orders'], summary: 'One order with assignments and history; unmasked personal data is audited',
      security: Secured, params: IdParams, response: responses({ 200: OrderDetailOut }, 404) },
  }, async (req) => getOrder(db.pool, requireActor(req, readers), req.params.id, req.ip));

  app.get('/orders/tracking/:trackingNo', {
    schema: { tags: ['orders'], summary: 'One order by its tracking number (受理编号), as GET /orders/{id}', security: Secured,
      params: Type.Object({ trackingNo: Type.String({ pattern: '^\\d{8}-\\d{8,}$', description: 'YYYYMMDD-NNNNNNNN' }) }),
      response: responses({ 200: OrderDetailOut }, 404) },
  }, async (req) => getOrderByTrackingNo(db.pool, requireActor(req, readers), req.params.trackingNo, req.ip));

  app.get('/orders/:id/events', {
    schema: { tags: ['orders'], summary: "The order's event history", security: Secured, params: IdParams,
      response: responses({ 200: Type.Array(EventOut) }, 404) },
  }, async (req) => listOrderEvents(db.pool, requireActor(req, readers), req.params.id));

  app.get('/orders/:id/citizen-history', {
    schema: { tags: ['orders'], summary: "The order's citizen across channels: how often they contact the hotline, by which channels, and their other requests",
      description: 'The citizen is recognised by phone number and by channel identities (WeChat, Weibo, the app), linked through any order that carries both. ' +
        'Only orders the caller may see count; nothing when the order\'s citizen is hidden from the caller (a confidential request).',
      security: Secured, params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) }, { additionalProperties: false }),
      response: responses({ 200: CitizenHistoryOut }, 404) },
  }, async (req) => citizenHistory(db.pool, requireActor(req, readers), req.params.id, { limit: req.query.limit ?? 10 }));

  app.get('/orders/:id/suggested-units', {
    schema: { tags: ['orders'], summary: "Units to dispatch to, from the order's category and area, best first",
      security: Secured, params: IdParams,
      response: responses({ 200: Type.Array(SuggestedUnitOut) }, 404) },
  }, async (req) => {
    const suggestions = await suggestUnits(db.pool, requireActor(req, { roles: ['agent', 'lead', 'dispatcher'] }), req.params.id);
    // the unit as in a classifier's suggestion: what was always sent (the schema dropped the rest of the directory's unit)
    return suggestions.map(({ unit: { id, code, name, level, kind }, reason }) => ({ unit: { id, code, name, level, kind }, reason }));
  });

  app.patch('/orders/:id', {
    schema: { tags: ['orders'], summary: 'Correct classification, text, urgency or place while at the hotline',
      security: Secured, params: IdParams, body: UpdateBody, response: responses({ 200: OrderOut }, 404, 409, 422) },
  }, async (req) => updateOrder(db.pool, requireActor(req, { roles: ['agent', 'lead', 'dispatcher'] }), req.params.id, req.body));

  app.post('/orders/:id/actions/:action', {
    schema: { tags: ['orders'], summary: 'Take a lifecycle action', security: Secured,
      description: `Actions:\n${actionHelp}`, params: ActionParams, body: TransitionBody,
      response: responses({ 200: OrderOut }, 404, 409, 422) },
  }, async (req) => {
    const actor = requireActor(req, { roles: [...HOTLINE_ROLES, ...UNIT_ROLES], scope: 'orders:write' });
    return applyTransition(db.pool, actor, req.params.id, req.params.action, req.body ?? {});
  });
};
