// Forward-only SQL migrations: each module keeps `migrations/<timestamp>-<name>.sql`; all are
// applied in timestamp order across modules, each in its own transaction, once.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { buildDroppedIndexes, checkUncheckedRows, DROPPED_INDEXES_TABLE, loadUnderWay, UNCHECKED_ROWS_TABLE } from './bulk-load.js';
import { ADVISORY_LOCKS } from './locks.js';

const MODULES_DIR = fileURLToPath(new URL('../modules/', import.meta.url));
export const MIGRATION_LOCK = ADVISORY_LOCKS.migration;

/** The tables this file and bulk-load.ts keep for the database itself, owned by no module. */
export const SCHEMA_TABLES = ['schema_migrations', 'dropped_indexes', 'unchecked_rows'];

export interface Migration {
  /** File name without extension; sorts by its timestamp prefix. */
  id: string;
  file: string;
}

/** Every migration of every module, in the order they apply. */
export function listMigrations(): Migration[] {
  const migrations: Migration[] = [];
  for (const moduleName of readdirSync(MODULES_DIR)) {
    const dir = path.join(MODULES_DIR, moduleName, 'migrations');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
      migrations.push({ id: file.replace(/\.sql$/, ''), file: path.join(dir, file) });
    }
  }
  return migrations.sort((a, b) => a.id.localeCompare(b.id));
}

/** Applies the pending migrations; returns the ids applied now. */
export async function migrate(pool: pg.Pool): Promise<string[]> {
  const applied: string[] = [];
  const client = await pool.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // a bulk load that died left its tables without their indexes: built before anything reads them
      // (one under way in another process builds them itself at its end)
      await client.query(DROPPED_INDEXES_TABLE);
      await client.query(UNCHECKED_ROWS_TABLE);
      if (!await loadUnderWay(client)) await buildDroppedIndexes(client);
      const done = new Set(
        (await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id),
      );
      for (const migration of listMigrations()) {
        if (done.has(migration.id)) continue;
        await client.query(readFileSync(migration.file, 'utf8'));
        await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id]);
        applied.push(migration.id);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
  // rows a load that died wrote without their keys' checks: checked before anything reads them, on
  // the pool (a key a transaction, after the migrations' own: PGlite's engine is one transaction's)
  await checkUncheckedRows(pool);
  return applied;
}

/** The id of the newest applied migration: the schema version shown by /healthz. */
export async function schemaVersion(pool: pg.Pool): Promise<string | null> {
  const result = await pool.query<{ id: string }>('SELECT max(id) AS id FROM schema_migrations');
  return result.rows[0]?.id ?? null;
}
