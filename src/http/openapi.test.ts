import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { buildApp } from './app.js';
import { startTestApp, startTestPlatform, type TestPlatform } from '../testing/harness.js';

type Schema = { [keyword: string]: any };
interface Operation { responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }> }
interface OpenApi { openapi: string; paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }

// Not part of the API, hidden from the document on purpose: the operators' probe, the document
// itself (free-form by nature: it is the OpenAPI description), Swagger UI's pages and files, and
// the web application's files (`/`, `*`).
const INFRASTRUCTURE = [/^\/healthz$/, /^\/openapi\.json$/, /^\/docs(\/|$)/, /^\/?\*$/, /^\/$/,
  // Open311 GeoReport v2: its specification is its document, its errors are in its own format (open311.test.ts)
  /^\/open311\/v2\//];

/** Every route of the app as [method, path], read from Fastify's route tree (printRoutes nests paths by prefix). */
function routesOf(app: FastifyInstance): [string, string][] {
  const routes: [string, string][] = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    prefixes[depth] = (depth ? prefixes[depth - 1]! : '') + match[2];
    for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push([method, prefixes[depth]!]);
  }
  return routes;
}

/** Why a 2xx schema does not describe the answer (a placeholder), or null when it does. */
function vagueness(schema: Schema | undefined, doc: OpenApi): string | null {
  if (!schema) return 'no schema';
  if (typeof schema.$ref === 'string') {
    const target = doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
    return target ? vagueness(target, doc) : `unresolved ${schema.$ref}`;
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    if (!Array.isArray(schema[keyword])) continue;
    const parts = (schema[keyword] as Schema[]).filter((part) => part.type !== 'null');
    return parts.length ? parts.map((part) => vagueness(part, doc)).find((why) => why) ?? null : 'only null';
  }
  if (schema.type === 'array') return schema.items ? vagueness(schema.items, doc) : 'an array of anything';
  if (schema.type === 'object') {
    if (!schema.properties || Object.keys(schema.properties).length === 0) return 'an object with no properties';
    return schema.additionalProperties === true ? 'an open object' : null;
  }
  return schema.type ? null : 'no type (unknown)';
}

/** What is wrong with an operation's success answers: each 2xx but 204 has content with a schema. */
function successProblems(operation: Operation | undefined, doc: OpenApi): string[] {
  if (!operation) return ['hidden from the OpenAPI document'];
  const ok = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
  if (ok.length === 0) return ['no 2xx response schema'];
  return ok.flatMap(([status, response]) => {
    if (status === '204') return response.content ? ['204 declares a body'] : [];
    const media = Object.entries(response.content ?? {});
    if (media.length === 0) return [`${status} has no content`];
    return media.flatMap(([type, { schema }]) => {
      const why = vagueness(schema, doc);
      return why ? [`${status} ${type}: ${why}`] : [];
    });
  });
}

describe('OpenAPI document and response schemas', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let doc: OpenApi;

  before(async () => {
    p = await startTestPlatform({ seed: false });
    app = (await startTestApp(p)).app;
    doc = (await app.inject('/openapi.json')).json();
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  it('gives every route a precise schema of its success answer', () => {
    const routes = routesOf(app);
    assert.ok(routes.length > 50, `routes read from the router: ${routes.length}`);
    const missing = routes
      .filter(([, path]) => !INFRASTRUCTURE.some((pattern) => pattern.test(path)))
      .flatMap(([method, path]) => {
        const operation = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
        return successProblems(operation, doc).map((problem) => `${method} ${path}: ${problem}`);
      });
    assert.deepEqual(missing, [], `routes whose success answer is not described:\n${missing.join('\n')}`);
  });

  it('serves a document in which every success answer has a schema, or is 204, and every $ref resolves', () => {
    assert.equal(doc.openapi, '3.1.0');
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const ok = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
        if (ok.length === 0) problems.push(`${method} ${path}: no 2xx response`);
        for (const [status, response] of ok) {
          const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
          if (status === '204' ? schemas.length > 0 : schemas.length === 0 || schemas.some((schema) => !schema)) {
            problems.push(`${method} ${path}: ${status} ${status === '204' ? 'has a body' : 'has no schema'}`);
          }
        }
      }
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      if (!name || !doc.components?.schemas?.[name]) problems.push(`unresolved ${ref}`);
    }
    assert.deepEqual(problems, []);
  });

  it('fails an answer with a property its schema lacks, which the serialiser would silently drop, or of the wrong type', async () => {
    const Answer = Type.Object({ kept: Type.String() });
    const Intersected = Type.Intersect([Type.Object({ a: Type.String() }), Type.Object({ b: Type.Integer() })]);
    const withRoutes = async (checkResponses: boolean) => {
      const fresh = await buildApp(p, { checkResponses });
      const errors: string[] = [];
      fresh.addHook('onError', async (_request, _reply, error) => { errors.push(error.message); });
      fresh.get('/check/dropped', { schema: { response: { 200: Answer } } }, async () => ({ kept: 'yes', dropped: 'lost' }));
      fresh.get('/check/wrong-type', { schema: { response: { 200: Answer } } }, async () => ({ kept: 42 }));
      fresh.get('/check/exact', { schema: { response: { 200: Answer } } }, async () => ({ kept: 'yes' }));
      // an intersection is checked as one object: each part's properties are known, anything else is not
      fresh.get('/check/intersected', { schema: { response: { 200: Intersected } } }, async () => ({ a: 'x', b: 1 }));
      fresh.get('/check/intersected-extra', { schema: { response: { 200: Intersected } } }, async () => ({ a: 'x', b: 1, c: true }));
      return { fresh, errors };
    };

    const plain = await withRoutes(false);
    const silent = await plain.fresh.inject('/check/dropped');
    assert.equal(silent.statusCode, 200);
    assert.deepEqual(silent.json(), { kept: 'yes' }, 'without the check, the property is dropped and nobody notices');
    await plain.fresh.close();

    const { fresh, errors } = await withRoutes(true);
    const dropped = await fresh.inject('/check/dropped');
    assert.equal(dropped.statusCode, 500);
    assert.equal(dropped.json().error.code, 'INTERNAL');
    assert.match(errors[0]!, /GET \/check\/dropped 200/);
    assert.match(errors[0]!, /would drop: \/dropped/);
    assert.equal((await fresh.inject('/check/wrong-type')).statusCode, 500);
    assert.match(errors[1]!, /response\/kept must be string/);
    assert.deepEqual((await fresh.inject('/check/exact')).json(), { kept: 'yes' });
    assert.deepEqual((await fresh.inject('/check/intersected')).json(), { a: 'x', b: 1 });
    assert.equal((await fresh.inject('/check/intersected-extra')).statusCode, 500);
    assert.match(errors[2]!, /would drop: \/c/);
    const refused = await fresh.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: '' } });
    assert.equal(refused.statusCode, 400, 'an error answer passes the check of ErrorResponse');
    assert.equal(refused.json().error.code, 'VALIDATION_FAILED');
    await fresh.close();
  });
});
