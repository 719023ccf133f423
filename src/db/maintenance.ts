// Housekeeping that a PostgreSQL server's autovacuum does by itself and PGlite, which runs no
// background workers, never does: table statistics (ANALYZE) and the reuse of dead rows' space
// (VACUUM). Without statistics the planner keeps the row counts of the day a table was created (a
// similar-order search went from 5 ms to 106 ms on 100,000 orders); without vacuum, every update
// leaves a dead row behind for good. It runs as durable timers (src/platform.ts), on PGlite only.
import type pg from 'pg';
import type { Queryable } from './tx.js';

/** Analyzes one table every this often, in turn: short, so that no analysis holds the engine long. */
export const ANALYZE_EVERY_MS = 5 * 60_000;

/** A table's name as an SQL identifier. */
function quoted(table: string): string {
  return `"${table.replace(/"/g, '""')}"`;
}

/** The database's tables, in a stable order. */
export async function tableNames(db: Queryable): Promise<string[]> {
  const r = await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  return r.rows.map((row) => row.tablename as string);
}

/** ANALYZE of the table after `previous` in turn; returns the one analyzed. */
export async function analyzeNext(db: Queryable, previous: string | null): Promise<string | null> {
  const tables = await tableNames(db);
  if (tables.length === 0) return null;
  const next = tables.find((t) => previous === null || t > previous) ?? tables[0]!;
  await db.query(`ANALYZE ${quoted(next)}`);
  return next;
}

/** VACUUM (ANALYZE) of every table, one at a time (outside any transaction: VACUUM may not run in one). */
export async function vacuumAll(pool: pg.Pool): Promise<number> {
  const tables = await tableNames(pool);
  for (const table of tables) await pool.query(`VACUUM (ANALYZE) ${quoted(table)}`);
  return tables.length;
}
