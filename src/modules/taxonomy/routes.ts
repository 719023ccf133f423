// The category tree: read, export, import, edit (each import or edit is a new version).
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../http/context.js';
import { requireActor } from '../../http/auth.js';
import { responses, Secured, StringEnum } from '../../http/schemas.js';
import { withTransaction } from '../../db/tx.js';
import { HOTLINE_ROLES } from '../auth/index.js';
import { NewVersionOut, RequestTypeOut, TreeOut, TreeVersionOut } from './api-schemas.js';
import { editTree, getTree, listVersions, parseTreeCsv, REQUEST_TYPES, saveTreeVersion, treeToCsv, type CategoryNode } from './index.js';

const Code = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' });
const NodeIn = Type.Object({
  code: Code, parentCode: Type.Union([Code, Type.Null()]), name: Type.String({ minLength: 1, maxLength: 100 }),
  unitKind: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  timeLimitDays: Type.Union([Type.Integer({ minimum: 1, maximum: 60 }), Type.Null()]),
}, { additionalProperties: false });
const read = { roles: [...HOTLINE_ROLES, 'unit_handler', 'unit_manager'] as const, scope: 'directory:read' as const };

export const taxonomyRoutes: FastifyPluginAsync<AppContext> = async (fastify, { db }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/request-types', { schema: { tags: ['taxonomy'], summary: 'Request types (咨询, 求助, 投诉…)',
    response: responses({ 200: Type.Array(RequestTypeOut) }) } },
    async () => Object.entries(REQUEST_TYPES).map(([code, label]) => ({ code, ...label })));

  app.get('/taxonomy/versions', { schema: { tags: ['taxonomy'], summary: 'Versions of the category tree, newest first',
    security: Secured, response: responses({ 200: Type.Array(TreeVersionOut) }) } },
    async (req) => listVersions(db.pool, requireActor(req, read).cityCode));

  app.get('/taxonomy', {
    schema: { tags: ['taxonomy'], summary: 'The category tree (current version by default), as JSON or CSV', security: Secured,
      querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })),
        format: Type.Optional(StringEnum(['json', 'csv'] as const)) }, { additionalProperties: false }),
      response: responses({ 200: TreeOut }, 404) },
  }, async (req, reply) => {
    const actor = requireActor(req, read);
    const tree = await getTree(db.pool, actor.cityCode, req.query.version);
    if (req.query.format === 'csv') {
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="categories-v${tree[0]?.version ?? 0}.csv"`).send(treeToCsv(tree));
    }
    return tree;
  });

  app.post('/taxonomy/import', {
    schema: { tags: ['taxonomy'], summary: 'Import a whole tree as a new version (admin): nodes as JSON, or CSV text', security: Secured,
      body: Type.Object({ note: Type.String({ maxLength: 500 }),
        nodes: Type.Optional(Type.Array(NodeIn, { minItems: 1, maxItems: 20_000 })),
        csv: Type.Optional(Type.String({ minLength: 1, maxLength: 5_000_000 })) }, { additionalProperties: false }),
      response: responses({ 201: NewVersionOut }, 422) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    const nodes: CategoryNode[] = req.body.nodes ?? (req.body.csv ? parseTreeCsv(req.body.csv) : []);
    const version = await withTransaction(db.pool, (client) => saveTreeVersion(client, actor, nodes, req.body.note));
    return reply.status(201).send({ version });
  });

  app.post('/taxonomy/edits', {
    schema: { tags: ['taxonomy'], summary: 'Add, change or remove categories: writes a new version (admin)', security: Secured,
      body: Type.Object({ note: Type.String({ maxLength: 500 }), edits: Type.Array(Type.Union([
        Type.Object({ op: Type.Literal('add'), node: NodeIn }, { additionalProperties: false }),
        Type.Object({ op: Type.Literal('update'), code: Code, name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          unitKind: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          timeLimitDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 60 }), Type.Null()])) },
        { additionalProperties: false }),
        Type.Object({ op: Type.Literal('remove'), code: Code }, { additionalProperties: false }),
      ]), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: responses({ 201: NewVersionOut }, 409, 422) },
  }, async (req, reply) => {
    const actor = requireActor(req, { roles: ['admin'] });
    const version = await withTransaction(db.pool, (client) => editTree(client, actor, req.body.edits, req.body.note));
    return reply.status(201).send({ version });
  });
};
