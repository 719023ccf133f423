// Bytes per stored order (issue 13 asks for lean storage: 30,000,000 orders must fit this machine's
// disk): after the bench's bulk load of N orders (each with its registration event, and its
// dispatch, assignment and unit scopes when it left the hotline; no rounds, visits or keywords),
// the size of every table and of each of its indexes, divided by N, biggest first; on PGlite also
// the folder after a checkpoint. A baseline for making them lean, not a target met.
import type { TestPlatform } from '../src/testing/harness.js';

type Report = (name: string, figures: Record<string, unknown>) => void;

export async function benchStorage(p: TestPlatform, orders: number, report: Report, folderBytes: () => number | null,
  note = 'bench loader: 1–2 events per order, no rounds, visits, suggestions or keywords (a full lifecycle stores more)'): Promise<void> {
  const { pool } = p.db;
  await pool.query('VACUUM ANALYZE');
  if (p.db.engine === 'pglite') await pool.query('CHECKPOINT');
  const tables = (await pool.query(
    `SELECT c.relname AS name, pg_table_size(c.oid)::float8 AS table_bytes, pg_indexes_size(c.oid)::float8 AS index_bytes,
            (SELECT json_agg(json_build_object('index', i.relname, 'bytes', pg_relation_size(i.oid)) ORDER BY pg_relation_size(i.oid) DESC)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid) AS indexes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public'
      ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 12`)).rows as { name: string; table_bytes: number; index_bytes: number;
    indexes: { index: string; bytes: number }[] | null }[];
  const perOrder = (bytes: number) => Math.round(bytes / orders);
  const database = Number((await pool.query('SELECT pg_database_size(current_database())::float8 AS b')).rows[0].b);
  for (const t of tables) {
    report('storage_table', { table: t.name, bytesPerOrder: perOrder(t.table_bytes + t.index_bytes), tableBytesPerOrder: perOrder(t.table_bytes),
      indexBytesPerOrder: perOrder(t.index_bytes), indexes: (t.indexes ?? []).map((i) => `${i.index} ${perOrder(i.bytes)}`), orders });
  }
  const folder = folderBytes();
  report('storage_total', { orders, databaseBytesPerOrder: perOrder(database), databaseMB: Math.round(database / 2 ** 20),
    ...(folder !== null ? { folderBytesPerOrder: perOrder(folder), folderMB: Math.round(folder / 2 ** 20) } : {}),
    projectedGBFor30M: Math.round((database / orders) * 30_000_000 / 2 ** 30 * 10) / 10,
    note });
}
