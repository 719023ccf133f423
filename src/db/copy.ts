// Bulk loading by COPY … FROM STDIN on both engines (PGlite's worker holds the exchange together,
// pglite-worker.ts): rows are written in COPY's text format, one transfer per call.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** A value in COPY's text format: \N for null, backslash escapes for the characters that delimit. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text;
}

/**
 * Copies `rows` (values in the order of `columns`) into `table`. `columns` and `table` are the
 * caller's identifiers, never user input. Returns the number of rows the engine took.
 */
export async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number> {
  const lines: string[] = [];
  for (const row of rows) lines.push(copyLine(row));
  return copyLines(client, table, columns, lines);
}

/** One row in COPY's text format, its line ended. */
export const copyLine = (values: readonly unknown[]): string => `${values.map(copyField).join('\t')}\n`;

/** Copies rows already in COPY's text format (lines from `copyLine`) into `table`. */
export async function copyLines(client: pg.PoolClient, table: string, columns: readonly string[], lines: readonly string[]): Promise<number> {
  if (lines.length === 0) return 0;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([lines.join('')]), stream);
  return Number(stream.rowCount);
}
