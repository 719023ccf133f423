// The web application's build, as the server sees it: present and made from the sources as they
// are now, or not to be served. A build is written whole to a new folder and then renamed into
// place (scripts/build-web.ts), so the server never finds half of one.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));
export const DIST_DIR = path.join(WEB_DIR, 'dist');
/** The build's record of what it was made from, inside the build. */
export const STAMP_FILE = 'build-stamp.json';

/** The files a build is made from: the application's sources, its configuration, the locked dependencies. */
function sourceFiles(webDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(webDir);
  const lock = path.join(webDir, '..', 'package-lock.json');
  if (existsSync(lock)) files.push(lock);
  return files;
}

/** A digest of the sources: a build made from other sources is stale. */
export function sourceDigest(webDir = WEB_DIR): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(webDir)) {
    hash.update(path.relative(webDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export type WebBuildState = { state: 'ready'; dist: string } | { state: 'missing' | 'stale'; dist: string };

/** Whether the build in `webDir/dist` is there and made from the sources as they are. */
export function webBuildState(webDir = WEB_DIR): WebBuildState {
  const dist = path.join(webDir, 'dist');
  const stamp = path.join(dist, STAMP_FILE);
  if (!existsSync(stamp) || !statSync(path.join(dist, 'index.html'), { throwIfNoEntry: false })) return { state: 'missing', dist };
  const built = JSON.parse(readFileSync(stamp, 'utf8')) as { digest?: string };
  return { state: built.digest === sourceDigest(webDir) ? 'ready' : 'stale', dist };
}
