// Builds the web application (web/) into web/dist, whole or not at all: Vite writes a new folder,
// which then replaces the old one by a rename. `--if-stale` builds only when the sources changed
// since the last build (what `npm start` runs first).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
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
  writeFileSync(path.join(next, STAMP_FILE), JSON.stringify({ digest, builtAt: new Date().toISOString() }));
  const old = `${DIST_DIR}.old-${process.pid}`;
  try { renameSync(DIST_DIR, old); } catch { /* no earlier build */ }
  renameSync(next, DIST_DIR);
  rmSync(old, { recursive: true, force: true });
  log(`  · 网页应用构建完成 (web application built): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('tsx scripts/build-web.ts [--if-stale]   build web/ into web/dist (only if its sources changed, with --if-stale)');
  } else {
    await buildWeb({ ifStale: values['if-stale'] });
  }
}
