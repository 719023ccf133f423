// The Fastify application: a thin shell that authenticates, validates, calls modules, answers.
import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySerializerCompiler } from 'fastify';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { schemaVersion } from '../db/migrate.js';
import type { AppContext } from './context.js';
import { consumerStatus, type LiveFeed } from '../modules/events/index.js';
import { streamRoutes } from './stream.js';
import { isPageNavigation, serveWeb } from './web.js';
import { HealthOut } from './schemas.js';
import { authenticate } from './auth.js';
import { errorHandler, frameworkErrors, sendError } from './errors.js';
import { DomainError } from '../shared/errors.js';
import { boundDateFormats, installEdge } from './edge.js';
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
import { analyticsRoutes } from '../modules/analytics/routes.js';
import { webhookRoutes } from '../modules/webhooks/routes.js';
import { classifyRoutes } from '../modules/classify/routes.js';
import { channelRoutes, wechatRoutes, weiboRoutes } from '../modules/channels/routes.js';
import { appRoutes } from '../modules/channels/app-routes.js';
import { callRoutes } from '../modules/calls/routes.js';
import { qualityRoutes } from '../modules/quality/routes.js';
import { knowledgeRoutes } from '../modules/knowledge/routes.js';
import { surveyRoutes } from '../modules/surveys/routes.js';
import { isOpen311, open311Error, open311Routes } from '../modules/channels/open311/routes.js';
import { attachmentRoutes } from '../modules/attachments/routes.js';

export type { AppContext } from './context.js';

export type App = FastifyInstance;

export interface BuildOptions {
  /**
   * Check every answer against its route's response schema, read as closed (a property the schema
   * does not list is an error), before it is serialised: the serialiser silently drops such a
   * property. For tests; production does not pay for it.
   */
  checkResponses?: boolean;
  /** this process's live feed of the event log, for the SSE stream (none: the stream is not served) */
  feed?: LiveFeed | undefined;
  /** serve the web application at `/` (default true) */
  web?: boolean;
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    bodyLimit: ctx.config.bodyLimitBytes,
    // X-Forwarded-For is believed only from the proxies configured; anyone else could forge it
    trustProxy: ctx.config.trustProxy.length ? ctx.config.trustProxy : false,
    // Open311's clients read its own error format, also for a URL the router refuses
    frameworkErrors: (error, request, reply) => (isOpen311(request) ? open311Error(error, request, reply) : frameworkErrors(error, request, reply)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A JSON body is taken as typed (42 is not a title); query strings and path parameters are text
  // by nature, so they are coerced (?limit=20 is an integer).
  // allErrors: a refusal lists every problem at once, not the first (bodies are at most BODY_LIMIT_BYTES)
  const bodyAjv = boundDateFormats(addFormats.default(new Ajv.default({ removeAdditional: false, useDefaults: true, coerceTypes: false, allErrors: true })));
  const textAjv = boundDateFormats(addFormats.default(new Ajv.default({ removeAdditional: false, useDefaults: true, coerceTypes: 'array', allErrors: true })));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : textAjv).compile(schema));
  app.setErrorHandler(errorHandler);
  installEdge(app);
  // a page of the web application the server does not know is the application's to route
  let page: ((request: FastifyRequest, reply: FastifyReply) => FastifyReply) | null = null;
  app.setNotFoundHandler((request, reply) => {
    if (isOpen311(request)) return open311Error(new DomainError('OPEN311_NOT_FOUND', { what: 'path', id: request.url.split('?')[0]!.slice(0, 64) }), request, reply);
    return page && isPageNavigation(request) ? page(request, reply) : sendError(request, reply, 'ROUTE_NOT_FOUND');
  });
  app.addSchema(ErrorResponse);
  if (options.checkResponses) app.setSerializerCompiler(checkingSerializerCompiler(app));

  await app.register(helmet, {
    // ready for the web application: its own scripts and styles only, no framing, no plug-ins
    // no upgrade-insecure-requests: many hotlines serve their intranet over plain HTTP
    contentSecurityPolicy: { useDefaults: true, directives: { 'connect-src': ["'self'"], 'frame-ancestors': ["'none'"], 'upgrade-insecure-requests': null } },
  });
  // a large cache: cycling through made-up usernames must not push a real one's count out
  await app.register(rateLimit, { global: false, cache: 100_000 });
  // uploads (attachments): one file a request, read by the route that takes it; no other route reads multipart bodies
  await app.register(multipart, { limits: { fileSize: ctx.config.attachmentMaxBytes, files: 1, fields: 0, parts: 1, headerPairs: 100 } });
  // Answers with personal data must not be kept by a browser or a shared cache (a clerk's PC, a proxy).
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/docs') && !request.url.startsWith('/assets/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

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
          citizen: { type: 'http', scheme: 'bearer', description: "a mobile app citizen's session token from POST /api/v1/app/sign-in" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true,
    transformStaticCSP: (header) => header.split(';').map((d) => d.trim()).filter((d) => d && d !== 'upgrade-insecure-requests').join('; ') });

  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return; // the documentation, the health check, the web application's files
    request.actor = await authenticate(ctx.db.pool, request);
  });

  app.get('/healthz', { schema: { hide: true, response: { 200: HealthOut } } }, async () => {
    const consumers = await consumerStatus(ctx.db.pool);
    return {
      status: consumers.some((c) => c.failures > 0) ? 'degraded' as const : 'ok' as const,
      engine: ctx.db.engine,
      schemaVersion: await schemaVersion(ctx.db.pool),
      cityCode: ctx.config.cityCode,
      consumers,
      liveStream: options.feed ? { position: options.feed.position.position, clients: options.feed.subscribers } : null,
    };
  });
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
    await api.register(analyticsRoutes, ctx);
    await api.register(webhookRoutes, ctx);
    await api.register(classifyRoutes, ctx);
    await api.register(channelRoutes, ctx);
    await api.register(appRoutes, ctx);
    await api.register(attachmentRoutes, ctx);
    await api.register(callRoutes, ctx);
    await api.register(qualityRoutes, ctx);
    await api.register(knowledgeRoutes, ctx);
    await api.register(surveyRoutes, ctx);
    await api.register(streamRoutes, { ...ctx, feed: options.feed });
  }, { prefix: '/api/v1' });
  await app.register(wechatRoutes, ctx);
  await app.register(weiboRoutes, ctx);
  await app.register(open311Routes, ctx);
  if (options.web !== false) page = await serveWeb(app);

  return app;
}

// ---- check-responses mode -------------------------------------------------------------------

type JsonSchema = { [keyword: string]: unknown };
type SerializerFactory = (externalSchemas: unknown, options?: object) => FastifySerializerCompiler<unknown>;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
/** keywords whose value is a map of name → schema */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** keywords whose value is a schema or a list of schemas */
const SUBSCHEMAS = new Set(['items', 'prefixItems', 'additionalItems', 'additionalProperties', 'contains', 'not', 'if', 'then', 'else',
  'anyOf', 'oneOf', 'allOf', 'propertyNames']);

/**
 * A deep copy of `schema` in which every object schema that does not say otherwise refuses
 * properties it does not list. An `allOf` of object schemas (TypeBox's Intersect) becomes one
 * object, so that each part does not refuse the other's properties.
 */
function closedSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return schema;
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (SCHEMA_MAPS.has(keyword) && isSchema(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, closedSchema(sub)]));
    } else if (SUBSCHEMAS.has(keyword)) {
      out[keyword] = Array.isArray(value) ? value.map(closedSchema) : closedSchema(value);
    } else {
      out[keyword] = value;
    }
  }
  const parts = out.allOf;
  if (Array.isArray(parts) && parts.length > 0 && parts.every((part) => isSchema(part) && part.type === 'object')) {
    const objects = parts as JsonSchema[];
    const { allOf: _merged, ...rest } = out;
    const required = [...new Set(objects.flatMap((part) => (part.required as string[] | undefined) ?? []))];
    return {
      ...rest, type: 'object',
      properties: Object.assign({}, ...objects.map((part) => part.properties ?? {})),
      ...(required.length ? { required } : {}),
      additionalProperties: !objects.every((part) => part.additionalProperties === false),
    };
  }
  if (out.type === 'object' && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

/**
 * Fastify's own serialiser (fast-json-stringify, taken from Fastify's dependencies so that answers
 * are serialised exactly as in production), preceded by a check of the answer against the closed
 * schema. A mismatch throws, naming the route, the status and what is wrong; the error handler
 * turns it into a 500, and the reason is written to stderr, since tests run with no logger.
 */
function checkingSerializerCompiler(app: FastifyInstance): FastifySerializerCompiler<unknown> {
  const ajv = addFormats.default(new Ajv.default({ allErrors: true, strict: false }));
  let serializerFor: FastifySerializerCompiler<unknown> | undefined;
  return (route) => {
    if (!serializerFor) {
      const shared = app.getSchemas() as Record<string, unknown>;
      for (const [id, schema] of Object.entries(shared)) ajv.addSchema(closedSchema(schema) as JsonSchema, id);
      const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
      const { SerializerSelector } = fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerFactory };
      serializerFor = SerializerSelector()(shared);
    }
    const serialize = serializerFor(route);
    const id = isSchema(route.schema) && typeof route.schema.$id === 'string' ? route.schema.$id : undefined;
    const validate = (id && ajv.getSchema(id)) || ajv.compile(closedSchema(route.schema) as JsonSchema);
    const where = `${route.method} ${route.url} ${route.httpStatus}${route.contentType ? ` (${route.contentType})` : ''}`;
    return (data: unknown) => {
      // checked as a client reads it: dates as text, undefined properties absent
      if (!validate(JSON.parse(JSON.stringify(data) ?? 'null'))) {
        const unlisted = (validate.errors ?? []).filter((e) => e.keyword === 'additionalProperties')
          .map((e) => `${e.instancePath}/${String(e.params.additionalProperty)}`);
        const error = new Error(`response of ${where} does not match its schema: ${ajv.errorsText(validate.errors, { dataVar: 'response' })}` +
          (unlisted.length ? `; not in the schema, so the serialiser would drop: ${unlisted.join(', ')}` : ''));
        process.stderr.write(`${error.message}\n`);
        throw error;
      }
      return serialize(data);
    };
  };
}
