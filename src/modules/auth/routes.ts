// Login, logout, the caller's identity, and API keys.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { NoContent, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { ApiKeyOut, LoginOut, MeOut, NewApiKeyOut } from './api-schemas.js';
import { clientAddressKey, limitedBy } from '../../http/client-address.js';
import { API_SCOPES, type Actor, createApiKey, listApiKeys, login, logout, revokeApiKey } from './index.js';
import { staffDisplayNames, unitIndex } from '../directory/index.js';

export const authRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, config }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const policy = { sessionHours: config.sessionHours, maxFailedLogins: config.maxFailedLogins, lockoutMinutes: config.lockoutMinutes };

  // Each attempt costs ~20 ms of argon2: a limit per client address and per username keeps
  // guessing slow and the server's CPU for its users. Counted per process.
  /** The caller as GET /auth/me describes them: names as people read them, the unit by name. */
  async function describeCaller(actor: Actor) {
    const people = actor.kind === 'staff' && actor.id ? await staffDisplayNames(db.pool, actor.cityCode, [actor.id]) : new Map<string, string>();
    const unit = actor.unitId ? (await unitIndex(db.pool, actor.cityCode, [actor.unitId])).get(actor.unitId) : undefined;
    return { kind: actor.kind, id: actor.id, name: actor.name, displayName: (actor.id && people.get(actor.id)) || actor.name,
      unitName: unit?.name ?? null, cityCode: actor.cityCode, roles: actor.roles, unitId: actor.unitId, scopes: actor.scopes };
  }

  const limits = [
    fastify.createRateLimit({ max: config.loginLimitPerAddress, timeWindow: 60_000, keyGenerator: (req) => `ip:${clientAddressKey(req.ip)}` }),
    fastify.createRateLimit({ max: config.loginLimitPerUsername, timeWindow: 60_000,
      keyGenerator: (req) => `user:${String((req.body as { username?: unknown }).username).toLowerCase()}` }),
  ];

  app.post('/auth/login', {
    preHandler: limitedBy(limits, 'AUTH_TOO_MANY_ATTEMPTS'),
    schema: {
      tags: ['auth'], summary: 'Log in with username and password; returns a bearer token',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
        { additionalProperties: false }),
      response: responses({ 200: LoginOut }, 429),
    },
  }, async (req) => {
    const { actor, ...session } = await login(db.pool, config.cityCode, req.body.username, req.body.password, policy, req.ip);
    return { ...session, me: await describeCaller(actor) };
  });

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the current session', security: Secured,
    response: responses({ 204: NoContent }) } }, async (req, reply) => {
    requireActor(req);
    const token = req.headers.authorization?.slice(7).trim();
    if (token) await logout(db.pool, token);
    return reply.status(204).send();
  });

  app.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who the caller is', security: Secured,
    response: responses({ 200: MeOut }) } }, async (req) => {
    return describeCaller(requireActor(req, { scope: 'orders:read' }));
  });

  app.get('/api-keys', { schema: { tags: ['auth'], summary: 'List API keys (admin)', security: Secured,
    response: responses({ 200: Type.Array(ApiKeyOut) }) } }, async (req) => {
    requireActor(req, { roles: ['admin'] });
    return listApiKeys(db.pool, config.cityCode);
  });

  app.post('/api-keys', {
    schema: {
      tags: ['auth'], summary: 'Create an API key (admin); the key is shown once', security: Secured,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(StringEnum(API_SCOPES), { minItems: 1, uniqueItems: true }),
        unitId: Type.Optional(Type.Union([Uuid, Type.Null()])),
      }, { additionalProperties: false }),
      response: responses({ 201: NewApiKeyOut }, 404),
    },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return reply.status(201).send(await createApiKey(db.pool, actor, req.body));
  });

  app.delete('/api-keys/:id', { schema: { tags: ['auth'], summary: 'Revoke an API key (admin)', security: Secured,
    params: Type.Object({ id: Uuid }), response: responses({ 204: NoContent }, 404) } }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    await revokeApiKey(db.pool, actor, req.params.id);
    return reply.status(204).send();
  });
};
