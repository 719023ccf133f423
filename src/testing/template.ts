// A seeded database that test platforms start from, instead of each seeding its own (the areas, the
// handling network and the category tree take 6–13 s; a copy takes under one). Made once per
// version of the code: its name carries a digest of the source and the lock file, so any change that
// could change the seed makes a new one. Other versions' templates unused for an hour are removed
// (a run in another checkout may be using one).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { openPlatform } from '../platform.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A digest of what the seed depends on: every source file that is not a test, and the installed packages' versions. */
function codeDigest(): string {
  const hash = createHash('sha256');
  const src = path.join(ROOT, 'src');
  const files = (readdirSync(src, { recursive: true }) as string[])
    .filter((file) => /\.(ts|sql|json)$/.test(file) && !file.endsWith('.test.ts')).sort();
  for (const file of [...files.map((f) => path.join(src, f)), path.join(ROOT, 'package-lock.json')]) {
    hash.update(file.slice(ROOT.length)).update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/** How long another version's template must have been unused before it is removed. */
const STALE_MS = 3_600_000;

let digest: string | undefined;
const templateDigest = () => (digest ??= codeDigest());

/** The configuration a template is seeded with: the test platforms' own city, no demo. */
function seedConfig(overrides: Partial<Config>): Config {
  return { ...loadConfig({}), seedDemo: false, logLevel: 'silent', ...overrides };
}

/**
 * The PGlite template: a tarball of a seeded data folder (PGlite's `dumpDataDir`), in the system's
 * temporary folder. Returns its path, making it first if this version of the code has none.
 */
export async function pgliteTemplate(): Promise<string> {
  const dir = os.tmpdir();
  const name = `minsheng-test-seed-${templateDigest()}.tar`;
  const file = path.join(dir, name);
  if (existsSync(file)) {
    utimesSync(file, new Date(), new Date()); // in use: another checkout's clean-up counts its hour from now
    return file;
  }
  const folder = mkdtempSync(path.join(dir, 'minsheng-seed-'));
  try {
    const platform = await openPlatform(seedConfig({ dataDir: folder }), { seed: true });
    await platform.db.close();
    const db = await PGlite.create({ dataDir: folder });
    const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    await db.close();
    // written aside and renamed: a test process reading it never sees half of it
    const partial = `${file}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, dump);
    renameSync(partial, file);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  for (const old of readdirSync(dir)) {
    if (!old.startsWith('minsheng-test-seed-') || old === name) continue;
    const used = statSync(path.join(dir, old), { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (Date.now() - used > STALE_MS) rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/**
 * The PostgreSQL template: a seeded database on the server named by `serverUrl`, which test
 * databases are created from (`CREATE DATABASE … TEMPLATE`). Returns its name, making it first if
 * this version of the code has none; an advisory lock keeps two test processes from making it twice.
 */
export async function serverTemplate(serverUrl: string): Promise<string> {
  const name = `minsheng_test_seed_${templateDigest()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['minsheng_test_seed']);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
    if (!exists) {
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const target = new URL(serverUrl);
      target.pathname = `/${building}`;
      const platform = await openPlatform(seedConfig({ databaseUrl: target.toString(), dataDir: 'memory://' }), { seed: true });
      await platform.db.close();
      // renamed once whole: a template is never one half seeded
      await dropWhenFree(admin, building, `ALTER DATABASE ${building} RENAME TO ${name}`);
      const old = await admin.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'minsheng\\_test\\_seed\\_%' AND datname <> $1
            AND coalesce(shobj_description(oid, 'pg_database'), '') < $2`, [name, new Date(Date.now() - STALE_MS).toISOString()]);
      for (const row of old.rows) await dropWhenFree(admin, row.datname, `DROP DATABASE IF EXISTS ${row.datname}`);
    }
    // its comment says when it was last used: another checkout's clean-up counts its hour from then
    await admin.query(`COMMENT ON DATABASE ${name} IS '${new Date().toISOString()}'`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', ['minsheng_test_seed']).catch(() => undefined);
    await admin.end();
  }
}

/**
 * Runs a statement that needs nobody connected to `database`, waiting for sockets still closing
 * (pg-pool's end() resolves before they have): forced only after 3 s.
 */
export async function dropWhenFree(admin: pg.Client, database: string, statement: string): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    try {
      if (waited >= 3_000) await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      await admin.query(statement);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error; // 55006: still in use
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
