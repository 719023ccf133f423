// The web application, served from the same process at `/`: its built files, and its index page
// for any other page a browser navigates to (the application routes in the browser). A build that
// is missing or older than its sources is never served: the browser gets a page that says so.
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { webBuildState, type WebBuildState } from './web-build.js';

const NOT_BUILT = (state: string) => `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>民声 Minsheng</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.6">
<h1>网页应用${state === 'stale' ? '需要重新构建' : '尚未构建'}</h1>
<p>请停止服务后运行 <code>npm start</code>：它会先构建网页应用，再启动服务。接口（<a href="/docs">/docs</a>）不受影响。</p>
<h2 lang="en">The web application is ${state === 'stale' ? 'older than its sources' : 'not built'}</h2>
<p lang="en">Stop the server and run <code>npm start</code>: it builds the web application, then starts. The API (<a href="/docs">/docs</a>) works meanwhile.</p>
</body></html>`;

/** Whether a request is a browser navigating to a page (not an API call, not a file). */
export function isPageNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const url = request.url.split('?')[0]!;
  if (url.startsWith('/api/') || url.startsWith('/docs') || url === '/openapi.json' || url === '/healthz') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/** Serves the build, when ready; returns how to answer a page navigation the routes do not know. */
export async function serveWeb(app: FastifyInstance, state: WebBuildState = webBuildState()):
  Promise<(request: FastifyRequest, reply: FastifyReply) => FastifyReply> {
  if (state.state !== 'ready') {
    app.log.warn(`web application ${state.state}: run npm start to build it`);
    app.get('/', { schema: { hide: true } }, (_request, reply) => reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT(state.state)));
    return (_request, reply) => reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT(state.state));
  }
  await app.register(fastifyStatic, {
    root: state.dist, prefix: '/', index: 'index.html', wildcard: true, serveDotFiles: false,
    preCompressed: true, // the build wrote each file's .br and .gz beside it
    // file names under assets/ carry their content's hash: a browser may keep them for good
    setHeaders: (res, file) => {
      res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
}
