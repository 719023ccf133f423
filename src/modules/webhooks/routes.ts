// Webhooks (数据接口: 实时推送): a unit's, or the city's, URL that receives its orders' events, signed,
// in order, retried; their tries; a replay from a point in time. docs/webhooks.md is the receiver's guide.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { DateTime, NoContent, Nullable, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { BATCH } from './deliver.js';
import {
  createSubscription, deleteSubscription, getSubscription, listAttempts, listSubscriptions, ORDER_EVENT_TYPES, replaySubscription, rotateSecret,
  updateSubscription,
} from './subscriptions.js';

const MANAGERS = { roles: ['admin', 'unit_manager'] as const };
const Types = Type.Array(StringEnum(ORDER_EVENT_TYPES as string[]), { maxItems: 40, description: 'the order events it receives; none or null: all' });
const SubscriptionOut = Type.Object({
  id: Uuid,
  unit: Nullable(Type.Object({ id: Uuid, name: Type.String() }), { description: 'the unit whose orders (and its sub-units\') it receives; null: the whole city' }),
  name: Type.String(),
  url: Type.String(),
  types: Nullable(Type.Array(Type.String()), { description: 'null: every order event' }),
  active: Type.Boolean(),
  position: Type.Integer({ description: 'the last event of the log delivered (or passed over as not its own)' }),
  failures: Type.Integer({ minimum: 0, description: 'failed tries in a row' }),
  nextAttemptAt: DateTime(),
  lastError: Nullable(Type.String()),
  lastDeliveredAt: Nullable(DateTime()),
  createdAt: DateTime(),
  createdBy: Type.String(),
});
const AttemptOut = Type.Object({
  at: DateTime(), firstPosition: Type.Integer(), lastPosition: Type.Integer(), events: Type.Integer(),
  status: Nullable(Type.Integer(), { description: 'the HTTP status; null when no answer came (timeout, refused)' }), ms: Type.Integer(), error: Nullable(Type.String()),
});
const Secret = Type.String({ description: 'the HMAC-SHA256 key of Minsheng-Signature: shown this once, keep it' });
const Url = Type.String({ minLength: 8, maxLength: 2000, description: 'https:// (or http://) of a public address' });
const about = `Each POST carries up to ${BATCH} events (as the live stream sends them) in the order of the log, signed with the ` +
  'subscription\'s secret (Minsheng-Signature: t=…,v1=hex HMAC-SHA256 of "t.body"); a 2xx takes them, anything else is tried again ' +
  '(10 s, 20 s, 40 s … at most 30 min). An admin manages any unit\'s or the city\'s; a unit\'s manager their unit\'s. See docs/webhooks.md.';

export const webhookRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const allowPrivate = config.webhooksAllowPrivate;

  app.get('/webhooks', {
    schema: { tags: ['webhooks'], summary: 'The webhooks the caller manages', description: about, security: Secured,
      response: responses({ 200: Type.Object({ items: Type.Array(SubscriptionOut) }) }) },
  }, async (req) => ({ items: await listSubscriptions(db.pool, requireActor(req, MANAGERS)) }));

  app.post('/webhooks', {
    schema: { tags: ['webhooks'], summary: 'Subscribe a URL to a unit\'s (or the city\'s) order events from now on', description: about, security: Secured,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }), url: Url,
        unitId: Type.Optional(Nullable(Uuid, { description: 'the unit; absent: a unit\'s manager\'s own unit, an admin\'s city; null: the whole city (admins only)' })),
        types: Type.Optional(Nullable(Types)),
      }, { additionalProperties: false }),
      response: responses({ 201: Type.Intersect([SubscriptionOut, Type.Object({ secret: Secret })]) }, 404, 422) },
  }, async (req, reply) => reply.status(201).send(await createSubscription(db.pool, requireActor(req, MANAGERS), req.body, allowPrivate)));

  app.get('/webhooks/:id', {
    schema: { tags: ['webhooks'], summary: 'A webhook, with its latest tries', security: Secured, params: Type.Object({ id: Uuid }),
      response: responses({ 200: Type.Intersect([SubscriptionOut, Type.Object({ attempts: Type.Array(AttemptOut, { description: 'the latest 20, the latest first' }) })]) }, 404) },
  }, async (req) => {
    const actor = requireActor(req, MANAGERS);
    return { ...(await getSubscription(db.pool, actor, req.params.id)), attempts: await listAttempts(db.pool, actor, req.params.id, 20) };
  });

  app.patch('/webhooks/:id', {
    schema: { tags: ['webhooks'], summary: 'Change a webhook: its name, URL, event types; pause it (active: false) or resume it', security: Secured,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), url: Type.Optional(Url), types: Type.Optional(Nullable(Types)),
        active: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 }),
      response: responses({ 200: SubscriptionOut }, 404, 422) },
  }, async (req) => updateSubscription(db.pool, requireActor(req, MANAGERS), req.params.id, req.body, allowPrivate));

  app.delete('/webhooks/:id', {
    schema: { tags: ['webhooks'], summary: 'End a webhook', security: Secured, params: Type.Object({ id: Uuid }), response: responses({ 204: NoContent }, 404) },
  }, async (req, reply) => {
    await deleteSubscription(db.pool, requireActor(req, MANAGERS), req.params.id);
    return reply.status(204).send();
  });

  app.post('/webhooks/:id/replay', {
    schema: { tags: ['webhooks'], summary: 'Send again every event from a point in time on (the receiver dedupes by position)', security: Secured,
      params: Type.Object({ id: Uuid }), body: Type.Object({ from: DateTime('the first event\'s time, at or after') }, { additionalProperties: false }),
      response: responses({ 200: SubscriptionOut }, 404) },
  }, async (req) => replaySubscription(db.pool, requireActor(req, MANAGERS), req.params.id, new Date(req.body.from)));

  app.post('/webhooks/:id/rotate-secret', {
    schema: { tags: ['webhooks'], summary: 'A new signing secret; the old one stops signing at once', security: Secured,
      params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Object({ secret: Secret }) }, 404) },
  }, async (req) => rotateSecret(db.pool, requireActor(req, MANAGERS), req.params.id));
};
