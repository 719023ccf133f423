// Opens the database: a PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite
// served over a Unix socket from a worker thread. Either way the application gets one `pg.Pool`.
import { startTsWorker } from '../shared/worker.js';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

// bigint (count(*), bigserial) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
// numeric as number (coordinates, rates).
pg.types.setTypeParser(1700, (value) => Number(value));

export type EngineName = 'pglite' | 'postgres';

export interface Database {
  pool: pg.Pool;
  engine: EngineName;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL server URL; when absent PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; 'memory://' for a throw-away database. */
  dataDir: string;
  /** Pool size for a PostgreSQL server; PGlite always uses one connection (see openPglite's caller). */
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    await pool.query('SELECT 1');
    let closing: Promise<void> | undefined;
    return { pool, engine: 'postgres', close: () => (closing ??= pool.end()) };
  }
  // One connection: PGlite is one session, and pglite-socket interleaves the protocol messages of
  // concurrent connections (one client's Bind can land on another's Parse outside a transaction),
  // so concurrent requests queue for this connection instead. PGlite runs one query at a time anyway.
  return openPglite(options.dataDir, 1);
}

// Errors that PostgreSQL raises while executing a statement, never while parsing it: data
// exceptions (22), integrity violations (23), transaction rollbacks (40), RAISE (P0).
const EXECUTION_ERROR_CLASSES = ['22', '23', '40', 'P0'];

/**
 * PGlite is one backend behind every socket connection, so its named (prepared) statements outlive
 * a connection, and pglite-socket drops the ParseComplete of a named statement whose execution
 * fails. Either way `pg` would think a statement unprepared that PGlite has, and the next use would
 * fail with "already exists". This client learns the backend's statements when it connects, and
 * records a statement as prepared when a failure came from its execution.
 */
class PgliteClient extends pg.Client {
  // pg-pool connects with a callback, other callers with a promise: serve both.
  override connect(callback?: any): any {
    const connected = (async () => {
      await super.connect();
      const existing = await super.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements');
      const parsed = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
      for (const { name, statement } of existing.rows) parsed[name] = statement;
      return this;
    })();
    if (!callback) return connected;
    connected.then((client) => callback(null, client), (error: unknown) => callback(error));
    return undefined;
  }

  // Hooks pg's handler of a backend ErrorResponse (pg 8 internals; checked by the engine test).
  _handleErrorMessage(message: { code?: string }): void {
    const self = this as unknown as {
      _getActiveQuery(): { name?: string; text?: string } | null;
      connection: { parsedStatements: Record<string, string> };
    };
    const query = self._getActiveQuery();
    if (query?.name && query.text && message.code && EXECUTION_ERROR_CLASSES.includes(message.code.slice(0, 2))) {
      self.connection.parsedStatements[query.name] = query.text;
    }
    (pg.Client.prototype as unknown as { _handleErrorMessage(m: unknown): void })._handleErrorMessage.call(this, message);
  }
}

async function openPglite(dataDir: string, poolSize: number): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // Unix socket paths are limited to ~100 bytes: keep the socket in a short temp folder.
  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-'));
  const socketPath = path.join(socketDir, '.s.PGSQL.5432');
  const worker = startTsWorker(new URL('./pglite-worker.ts', import.meta.url), { dataDir, socketPath });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { type: string; message?: string }) => {
      if (message.type === 'ready') resolve();
      else reject(new Error(`PGlite failed to start: ${message.message ?? message.type}`));
    });
  });
  // PGlite is one backend: its prepared statements outlive a connection, so keep the connection.
  const pool = new pg.Pool({ host: socketDir, port: 5432, user: 'postgres', database: 'postgres', max: poolSize,
    idleTimeoutMillis: 0, Client: PgliteClient as unknown as typeof pg.Client });
  pool.on('error', () => undefined);
  let closed = false;
  return {
    pool,
    engine: 'pglite',
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage({ type: 'stop' });
      });
      await worker.terminate();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
