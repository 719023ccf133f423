// Reading the audit log (administrators only).
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Page, PageOf, responses, Secured } from '../../http/schemas.js';
import { AuditRecordOut } from './api-schemas.js';
import { listAudit } from './index.js';

export const auditRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/audit', {
    schema: {
      tags: ['audit'], summary: 'Audit log, newest first (admin)', security: Secured,
      querystring: Type.Object({
        action: Type.Optional(Type.String({ maxLength: 64 })),
        subjectType: Type.Optional(Type.String({ maxLength: 32 })),
        subjectId: Type.Optional(Type.String({ maxLength: 64 })),
        actorId: Type.Optional(Type.String({ format: 'uuid' })),
        from: Type.Optional(Type.String({ format: 'date-time' })),
        to: Type.Optional(Type.String({ format: 'date-time' })),
        ...Page,
      }, { additionalProperties: false }),
      response: responses({ 200: PageOf(AuditRecordOut) }),
    },
  }, async (req) => {
    const actor = requireActor(req, { roles: ['admin'] });
    const { limit = 50, offset = 0, ...filters } = req.query;
    return listAudit(db.pool, { ...filters, cityCode: actor.cityCode, limit, offset });
  });
};
