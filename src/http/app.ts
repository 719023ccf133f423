// The Fastify application: a thin shell that authenticates, validates, calls modules, answers.
import Fastify, { type FastifyInstance } from 'fastify';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { schemaVersion } from '../db/migrate.js';
import type { AppContext } from './context.js';
import { authenticate } from './auth.js';
import { errorHandler, sendError } from './errors.js';
import { ErrorResponse } from './schemas.js';
import { authRoutes } from '../modules/auth/routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { directoryRoutes } from '../modules/directory/routes.js';
import { taxonomyRoutes } from '../modules/taxonomy/routes.js';
import { orderRoutes } from '../modules/orders/routes.js';
import { calendarRoutes } from '../modules/calendar/routes.js';
import { slaRoutes } from '../modules/sla/routes.js';
import { feedbackRoutes } from '../modules/feedback/routes.js';
import { assessmentRoutes } from '../modules/assessment/routes.js';
import { classifyRoutes } from '../modules/classify/routes.js';

export type { AppContext } from './context.js';

export type App = FastifyInstance;

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A JSON body is taken as typed (42 is not a title); query strings and path parameters are text
  // by nature, so they are coerced (?limit=20 is an integer).
  const bodyAjv = addFormats.default(new Ajv.default({ removeAdditional: false, useDefaults: true, coerceTypes: false }));
  const textAjv = addFormats.default(new Ajv.default({ removeAdditional: false, useDefaults: true, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(request, reply, 'ROUTE_NOT_FOUND'));
  app.addSchema(ErrorResponse);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Minsheng (民声) 12345 hotline API',
        version: '0.1.0',
        description: 'Work orders, their lifecycle, the handling network and the category tree; deadlines on the ' +
          'working-day calendar, supervision, return visits and unit assessment. ' +
          'Errors are { "error": { "code", "message" } }; codes are listed in docs/errors.md. ' +
          'Messages are in Chinese by default, English with Accept-Language: en.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'session token from POST /api/v1/auth/login' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API key of an external system' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/docs') || request.url === '/healthz' || request.url === '/openapi.json') return;
    request.actor = await authenticate(ctx.db.pool, request, ctx.config.sessionCacheSeconds * 1000);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({
    status: 'ok',
    engine: ctx.db.engine,
    schemaVersion: await schemaVersion(ctx.db.pool),
    cityCode: ctx.config.cityCode,
  }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    await api.register(authRoutes, ctx);
    await api.register(directoryRoutes, ctx);
    await api.register(taxonomyRoutes, ctx);
    await api.register(orderRoutes, ctx);
    await api.register(auditRoutes, ctx);
    await api.register(calendarRoutes, ctx);
    await api.register(slaRoutes, ctx);
    await api.register(feedbackRoutes, ctx);
    await api.register(assessmentRoutes, ctx);
    await api.register(classifyRoutes, ctx);
  }, { prefix: '/api/v1' });

  return app;
}
