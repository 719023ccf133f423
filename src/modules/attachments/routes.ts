// An order's attachments, for those who may see the order: the list, and each file.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { Binary, Content, responses, Secured, Uuid } from '../../http/schemas.js';
import { getOrderSummary } from '../orders/index.js';
import { AttachmentOut } from './api-schemas.js';
import { attachmentsOf, readAttachment } from './index.js';

const readers = { scope: 'orders:read' as const };

export const attachmentRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db, files }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/orders/:id/attachments', {
    schema: { tags: ['orders'], summary: "The files sent with the order (photos, documents), for those who may see the order", security: Secured,
      params: Type.Object({ id: Uuid }), response: responses({ 200: Type.Array(AttachmentOut) }, 404) },
  }, async (req) => {
    const actor = requireActor(req, readers);
    await getOrderSummary(db.pool, actor, req.params.id);
    return attachmentsOf(db.pool, actor.cityCode, req.params.id);
  });

  app.get('/orders/:id/attachments/:attachmentId', {
    schema: { tags: ['orders'], summary: 'One file sent with the order, as its content is (the type was read from the bytes at upload)',
      security: Secured, params: Type.Object({ id: Uuid, attachmentId: Uuid }),
      response: responses({ 200: Content('the file', { 'application/octet-stream': Binary }) }, 404) },
  }, async (req, reply) => {
    const actor = requireActor(req, readers);
    await getOrderSummary(db.pool, actor, req.params.id);
    const file = await readAttachment(db.pool, files, actor.cityCode, req.params.id, req.params.attachmentId);
    // always a download: a file a citizen sent is never shown as a page of this site
    return reply.header('content-type', file.contentType).header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`).send(file.bytes);
  });
};
