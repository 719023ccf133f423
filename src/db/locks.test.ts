import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADVISORY_LOCKS } from './locks.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const sources = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : []);

it('gives every advisory lock a key of its own, and the code takes no key from anywhere else', () => {
  const keys = Object.values(ADVISORY_LOCKS);
  assert.equal(new Set(keys).size, keys.length, 'two locks share a key');
  const literal = /advisory_(?:xact_)?(?:try_)?lock\(\s*\d|(?:const|let)\s+\w+_LOCK\s*=\s*\d/;
  const offenders = sources(SRC).filter((file) => literal.test(readFileSync(file, 'utf8')) && !file.endsWith(path.join('db', 'locks.ts')));
  assert.deepEqual(offenders, []);
});
