// The web application as the server serves it: the build at `/`, its index for the pages the
// browser routes, never a stale or missing build; and the web's knowledge of the API up to date.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import { apiTypes, SCHEMA_FILE } from '../../scripts/openapi-types.js';
import { EVENT_TYPE_NAMES } from '../modules/events/index.js';
import { startTestApp, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { serveWeb } from './web.js';
import { WEB_DIR, webBuildState } from './web-build.js';

const page = { accept: 'text/html,application/xhtml+xml' };

describe('the web application served', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  before(async () => {
    assert.equal(webBuildState().state, 'ready', 'npm test builds the web application first (scripts/build-web.ts --if-stale)');
    p = await startTestPlatform({ seed: false });
    app = (await startTestApp(p)).app;
  });
  after(async () => {
    await app.close();
    await p.close();
  });

  it('serves the build at /, its index for any page the application routes, and keeps the API answers JSON', async () => {
    const home = await app.inject({ url: '/', headers: page });
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /<div id="root"><\/div>/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(home.body)![1]!;
    const asset = await app.inject({ url: script });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/, 'hashed files are kept by the browser');
    // compressed at build time, sent as the browser accepts: the same bytes once decoded
    for (const [encoding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
      const packed = await app.inject({ url: script, headers: { 'accept-encoding': encoding } });
      assert.equal(packed.headers['content-encoding'], encoding);
      assert.ok(packed.rawPayload.length < asset.rawPayload.length / 2.5, `${encoding}: ${packed.rawPayload.length} of ${asset.rawPayload.length}`);
      assert.ok(decode(packed.rawPayload).equals(asset.rawPayload));
    }
    const deep = await app.inject({ url: '/orders/0b0e1c7e-0000-4000-8000-000000000000', headers: page });
    assert.deepEqual([deep.statusCode, deep.body], [200, home.body], 'a page the browser routes');
    const api = await app.inject({ url: '/api/v1/nothing', headers: page });
    assert.deepEqual([api.statusCode, api.json().error.code], [404, 'ROUTE_NOT_FOUND']);
    const file = await app.inject({ url: '/missing.js' });
    assert.deepEqual([file.statusCode, file.json().error.code], [404, 'ROUTE_NOT_FOUND'], 'a missing file is no page');
  });

  it('refuses a build older than its sources, or none, with a page that says how to build', async () => {
    const web = mkdtempSync(path.join(os.tmpdir(), 'minsheng-web-'));
    try {
      cpSync(WEB_DIR, web, { recursive: true, filter: (f) => !f.includes('node_modules') });
      writeFileSync(path.join(web, 'src', 'added.ts'), 'export const changed = true;\n');
      assert.equal(webBuildState(web).state, 'stale');
      const stale = Fastify();
      const fallback = await serveWeb(stale, webBuildState(web));
      stale.setNotFoundHandler((request, reply) => fallback(request, reply));
      for (const url of ['/', '/inbox']) {
        const res = await stale.inject({ url, headers: page });
        assert.equal(res.statusCode, 503);
        assert.match(res.body, /npm start/);
      }
      await stale.close();
      rmSync(path.join(web, 'dist'), { recursive: true });
      assert.equal(webBuildState(web).state, 'missing');
    } finally {
      rmSync(web, { recursive: true, force: true });
    }
  });

  it("types the web's client with the API as it is now, listens to every order and warning event of the log and names each in both languages", async () => {
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), await apiTypes(), 'run npm run web:types');
    const live = readFileSync(path.join(WEB_DIR, 'src', 'shared', 'live.ts'), 'utf8');
    const listened = [...live.matchAll(/'(order\.[a-z_]+)'/g)].map((m) => m[1]).sort();
    assert.deepEqual(listened, EVENT_TYPE_NAMES.filter((t) => t.startsWith('order.')).sort());
    const warnings = [...live.matchAll(/'(warning\.[a-z_]+)'/g)].map((m) => m[1]).sort();
    assert.deepEqual(warnings, EVENT_TYPE_NAMES.filter((t) => t.startsWith('warning.')).sort());
    for (const language of ['zh', 'en']) {
      // loaded at run time: the web's modules resolve as the bundler does, not as the server's compiler
      const texts = (await import(pathToFileURL(path.join(WEB_DIR, 'src', 'shared', 'i18n', `${language}.ts`)).href))[language] as { events: object };
      assert.deepEqual(Object.keys(texts.events).sort(), listened.map((t) => t!.slice('order.'.length)), language);
    }
  });

  it("keeps each workspace's code to itself: a feature imports shared code and its own, shared code no feature's but their texts", () => {
    const src = path.join(WEB_DIR, 'src');
    const wrong: string[] = [];
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const from = path.relative(src, file).split(path.sep);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"](\.[^'"]+)['"]/gm)) {
        const to = path.relative(src, path.resolve(path.dirname(file), spec!)).split(path.sep);
        const crossFeature = from[0] === 'features' && to[0] === 'features' && to[1] !== from[1];
        const sharedUp = from[0] === 'shared' && (to[0] === 'app' || (to[0] === 'features' && !(from[1] === 'i18n' && to.at(-1) === 'texts')));
        if (crossFeature || sharedUp) wrong.push(`${from.join('/')} → ${spec}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
