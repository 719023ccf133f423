// Builds the web application (web/) into web/dist, whole or not at all: Vite writes a new folder,
// each text file gets its brotli and gzip forms beside it (served as they are: no compression per
// request), and the folder then replaces the old one by a rename. `--if-stale` builds only when the sources changed
// since the last build (what `npm start` runs first).
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { DIST_DIR, sourceDigest, STAMP_FILE, WEB_DIR, webBuildState } from '../src/http/web-build.js';

export async function buildWeb(options: { ifStale?: boolean; log?: (line: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const state = webBuildState();
  if (options.ifStale && state.state === 'ready') return;
  log(`  · 网页应用构建中 (building the web application: ${state.state === 'missing' ? 'first build' : 'sources changed'}) …`);
  const started = Date.now();
  const digest = sourceDigest();
  const next = `${DIST_DIR}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await build({ root: WEB_DIR, configFile: path.join(WEB_DIR, 'vite.config.ts'), logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
  precompress(next);
  writeFileSync(path.join(next, STAMP_FILE), JSON.stringify({ digest, builtAt: new Date().toISOString() }));
  const old = `${DIST_DIR}.old-${process.pid}`;
  try { renameSync(DIST_DIR, old); } catch { /* no earlier build */ }
  renameSync(next, DIST_DIR);
  rmSync(old, { recursive: true, force: true });
  log(`  · 网页应用构建完成 (web application built): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Writes file.br and file.gz beside each text file of the build worth compressing. */
function precompress(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const content = readFileSync(file);
    if (content.length < 1024) continue;
    writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length } }));
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('tsx scripts/build-web.ts [--if-stale]   build web/ into web/dist (only if its sources changed, with --if-stale)');
  } else {
    await buildWeb({ ifStale: values['if-stale'] });
  }
}
