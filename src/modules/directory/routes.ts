// Areas, handling units and staff.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { NoContent, Page, PageOf, responses, Secured, StringEnum, Uuid } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { createStaffAccount, resetPassword, ROLES, HOTLINE_ROLES, MIN_PASSWORD_LENGTH } from '../auth/index.js';
import { AreaMatchOut, AreaOut, StaffOut, UnitOut } from './api-schemas.js';
import { createUnit, getUnit, listAreas, searchAreas, listStaff, listUnits, updateStaff, updateUnit, UNIT_LEVELS } from './index.js';

const Level = StringEnum(UNIT_LEVELS);
const RoleSchema = StringEnum(ROLES);
const AreaCode = Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$', description: '6, 9 or 12-digit area code' });
const directoryRead = { roles: [...HOTLINE_ROLES, 'unit_handler', 'unit_manager'] as const, scope: 'directory:read' as const };

export const directoryRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/areas', {
    schema: { tags: ['directory'], summary: "Administrative areas under a parent (the city's districts by default)", security: Secured,
      querystring: Type.Object({ parent: Type.Optional(AreaCode) }, { additionalProperties: false }),
      response: responses({ 200: Type.Array(AreaOut) }) },
  }, async (req) => {
    const actor = requireActor(req, directoryRead);
    return listAreas(db.pool, actor.cityCode, req.query.parent);
  });

  app.get('/areas/search', {
    schema: { tags: ['directory'], summary: 'Areas whose name holds the words typed, district to community, each with its path (the place type-ahead)',
      security: Secured, querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 32 }),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) }, { additionalProperties: false }),
      response: responses({ 200: Type.Array(AreaMatchOut) }) },
  }, async (req) => {
    const actor = requireActor(req, directoryRead);
    return searchAreas(db.pool, actor.cityCode, req.query.q, req.query.limit ?? 20);
  });

  app.get('/units', {
    schema: { tags: ['directory'], summary: 'Handling units, filtered', security: Secured,
      querystring: Type.Object({ level: Type.Optional(Level), kind: Type.Optional(Type.String({ maxLength: 64 })),
        parentId: Type.Optional(Uuid), areaCode: Type.Optional(AreaCode), q: Type.Optional(Type.String({ maxLength: 64 })),
        active: Type.Optional(Type.Boolean({ description: 'true: only units taking orders (open, and not the hotline itself); false: only closed ones' })), ...Page },
      { additionalProperties: false }),
      response: responses({ 200: PageOf(UnitOut) }) },
  }, async (req) => {
    const actor = requireActor(req, directoryRead);
    const { limit = 50, offset = 0, ...filters } = req.query;
    return listUnits(db.pool, actor.cityCode, { ...filters, limit, offset });
  });

  app.get('/units/:id', {
    schema: { tags: ['directory'], summary: 'One handling unit', security: Secured, params: Type.Object({ id: Uuid }),
      response: responses({ 200: UnitOut }, 404) },
  }, async (req) => getUnit(db.pool, requireActor(req, directoryRead).cityCode, req.params.id));

  app.post('/units', {
    schema: { tags: ['directory'], summary: 'Create a handling unit (admin)', security: Secured,
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
        name: Type.String({ minLength: 1, maxLength: 100 }), level: Level, kind: Type.String({ minLength: 1, maxLength: 64 }),
        parentId: Type.Optional(Type.Union([Uuid, Type.Null()])), areaCodes: Type.Optional(Type.Array(AreaCode, { maxItems: 1000 })) },
      { additionalProperties: false }),
      response: responses({ 201: UnitOut }, 404, 409, 422) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return reply.status(201).send(await withTransaction(db.pool, (client) => createUnit(client, actor, req.body)));
  });

  app.patch('/units/:id', {
    schema: { tags: ['directory'], summary: 'Change a handling unit (admin)', security: Secured, params: Type.Object({ id: Uuid }),
      body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), active: Type.Optional(Type.Boolean()),
        areaCodes: Type.Optional(Type.Array(AreaCode, { maxItems: 1000 })) }, { additionalProperties: false, minProperties: 1 }),
      response: responses({ 200: UnitOut }, 404, 422) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return withTransaction(db.pool, (client) => updateUnit(client, actor, req.params.id, req.body));
  });

  app.get('/staff', {
    schema: { tags: ['directory'], summary: 'Staff (admin, lead)', security: Secured,
      querystring: Type.Object({ unitId: Type.Optional(Uuid), role: Type.Optional(RoleSchema),
        q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a piece of the username or the display name' })),
        active: Type.Optional(Type.Boolean()), ...Page }, { additionalProperties: false }),
      response: responses({ 200: PageOf(StaffOut) }) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin', 'lead'] });
    const { limit = 50, offset = 0, ...filters } = req.query;
    return listStaff(db.pool, actor.cityCode, { ...filters, limit, offset });
  });

  app.post('/staff', {
    schema: { tags: ['directory'], summary: 'Create a staff account (admin)', security: Secured,
      body: Type.Object({ username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
        displayName: Type.String({ minLength: 1, maxLength: 64 }), unitId: Uuid,
        roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
        password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }) }, { additionalProperties: false }),
      response: responses({ 201: StaffOut }, 404, 409) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return reply.status(201).send(await createStaffAccount(db.pool, actor, req.body));
  });

  app.patch('/staff/:id', {
    schema: { tags: ['directory'], summary: 'Change a staff member (admin)', security: Secured, params: Type.Object({ id: Uuid }),
      body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), unitId: Type.Optional(Uuid),
        roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })), active: Type.Optional(Type.Boolean()) },
      { additionalProperties: false, minProperties: 1 }),
      response: responses({ 200: StaffOut }, 404, 409) },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    return withTransaction(db.pool, (client) => updateStaff(client, actor, req.params.id, req.body));
  });

  app.post('/staff/:id/password', {
    schema: { tags: ['directory'], summary: "Reset a staff member's password (admin); ends their sessions", security: Secured,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }) }, { additionalProperties: false }),
      response: responses({ 204: NoContent }, 404) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    await resetPassword(db.pool, actor, req.params.id, req.body.password);
    return reply.status(204).send();
  });
};
