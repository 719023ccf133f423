// Opens the database: a PostgreSQL server when DATABASE_URL is set, otherwise embedded PGlite in a
// worker thread, spoken to over the PostgreSQL wire protocol. Either way the application gets one `pg.Pool`.
import { startTsWorker } from '../shared/worker.js';
import { mkdirSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import pg from 'pg';
import { lockFolder } from './folder-lock.js';

// bigint (count(*), bigserial) as JS numbers: our counts stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
// numeric as number (coordinates, rates).
pg.types.setTypeParser(1700, (value) => Number(value));

export type EngineName = 'pglite' | 'postgres';

export interface Database {
  pool: pg.Pool;
  engine: EngineName;
  /**
   * Calls `listener` on every NOTIFY on `channel` committed by any session of this database (on
   * PGlite, by this process: it is the database's only one). Returns the function that stops it.
   */
  listen(channel: string, listener: (payload: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL server URL; when absent PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; 'memory://' for a throw-away database. */
  dataDir: string;
  /** Pool size for a PostgreSQL server; PGlite's is PGLITE_CONNECTIONS, to its one session. */
  poolSize?: number;
  /** A tarball of a PGlite data folder (`dumpDataDir`) that a new PGlite database starts as: the tests' seeded template. */
  restoreFrom?: string | undefined;
  /** PGlite: the WAL written since its last checkpoint that makes the next (256 MB; tests set it low) */
  checkpointWalBytes?: number | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ ...withSerialPlans(options.databaseUrl), max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    await pool.query('SELECT 1');
    const listener = new ServerListener(options.databaseUrl);
    let closing: Promise<void> | undefined;
    return {
      pool, engine: 'postgres',
      listen: (channel, f) => listener.listen(channel, f),
      close: () => (closing ??= listener.close().then(() => pool.end())),
    };
  }
  return openPglite(options.dataDir, PGLITE_CONNECTIONS, options);
}

/**
 * The application's sessions plan without parallel workers. Its reads are small by design (rollups,
 * a page by an index, up to a thousand matches of a word), and a worker takes longer to start than
 * such a read takes on a server of two cores shared with the application: at ten million orders a
 * district government's 12-month trend read 71 ms with workers and 24 ms without, an agent's search
 * of two common words 376 and 66 ms (docs/decisions.md). The URL's own `options` come after ours, so
 * `?options=-c max_parallel_workers_per_gather=2` still wins (pg would take the URL's in place of ours).
 */
function withSerialPlans(databaseUrl: string): { connectionString: string; options: string } {
  const ours = '-c max_parallel_workers_per_gather=0';
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { connectionString: databaseUrl, options: ours }; // pg's own parser says what is wrong with it
  }
  const given = url.searchParams.get('options');
  if (given === null) return { connectionString: databaseUrl, options: ours };
  url.searchParams.delete('options');
  return { connectionString: url.toString(), options: `${ours} ${given}` };
}

// Errors that PostgreSQL raises while executing a statement, never while parsing it: data
// exceptions (22), integrity violations (23), transaction rollbacks (40), RAISE (P0).
const EXECUTION_ERROR_CLASSES = ['22', '23', '40', 'P0'];

/**
 * PGlite is one backend behind every socket connection, so its named (prepared) statements outlive
 * a connection, and (as served by pglite-socket, a message at a time) it could drop the ParseComplete of a named statement whose execution
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
      // PGlite is one backend: a NOTIFY comes back on the connection whose query raised it, and
      // this process's queries all go through its pool. Every pooled connection listens.
      for (const channel of pgliteNotices.channels) await super.query(`LISTEN ${channel}`);
      this.on('notification', (n) => pgliteNotices.emit(n.channel, n.payload ?? ''));
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

/**
 * A connection to the PGlite worker that `pg` uses as its socket: what pg writes goes to the worker
 * over a MessagePort, what the engine answers comes back the same way.
 */
class WorkerSocket extends Duplex {
  private readonly port: MessagePort;

  constructor(worker: Worker) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    worker.postMessage({ type: 'connect', port: port2 }, [port2]);
    port1.on('message', (data: Uint8Array) => this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  /** pg-pool refs a client in use and unrefs an idle one (with allowExitOnIdle), as it does a socket. */
  ref(): this {
    this.port.ref();
    return this;
  }

  unref(): this {
    this.port.unref();
    return this;
  }

  private pending: Buffer[] = [];

  /**
   * pg writes a query as several messages (Bind, Describe, Execute, Sync), one write each: they are
   * sent together at the end of the tick, so that the engine runs them in one call.
   */
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.pending.length === 0) queueMicrotask(() => this.flushWrites());
    this.pending.push(Buffer.from(chunk));
    done();
  }

  private flushWrites(): void {
    const chunks = this.pending;
    this.pending = [];
    if (chunks.length > 0) this.port.postMessage(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  }

  override _read(): void {}

  /**
   * pg ended the connection: as a server closes a socket after Terminate, the reading side ends too,
   * so the stream closes and pg reports the end. Without it pg-pool, which replaces a client that
   * failed a query only once that client has ended, left the queries waiting for it for ever.
   */
  override _final(done: (error?: Error | null) => void): void {
    this.flushWrites();
    this.port.postMessage({ close: true });
    done();
    this.push(null);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.port.postMessage({ close: true });
    this.port.close();
    this.emit('close');
    done(error);
  }
}

/**
 * Connections to the one PGlite session. The worker runs one connection's messages at a time, a
 * query's together (one client's Bind never lands on another's Parse), and only the owner's while
 * a transaction is open. Several connections let the next statements wait in the worker instead of
 * in this thread's pool: the engine goes from one to the next without a round trip to this thread,
 * which is busy with the requests (at 500 registrations a second the engine was idle half the time).
 */
const PGLITE_CONNECTIONS = 4;

async function openPglite(dataDir: string, poolSize: number, { restoreFrom, checkpointWalBytes }: OpenOptions): Promise<Database> {
  let unlock = () => undefined as void;
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockFolder(dataDir);
  }
  const worker = startTsWorker(new URL('./pglite-worker.ts', import.meta.url), { dataDir, restoreFrom, checkpointWalBytes });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { type: string; message?: string }) => {
      if (message.type === 'ready') resolve();
      else reject(new Error(`PGlite failed to start: ${message.message ?? message.type}`));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    unlock();
    throw error;
  });
  // PGlite is one backend: its prepared statements outlive a connection, so keep the connection.
  const pool = new pg.Pool({ user: 'postgres', database: 'postgres', max: poolSize, idleTimeoutMillis: 0,
    stream: () => new WorkerSocket(worker), Client: PgliteClient as unknown as typeof pg.Client } as pg.PoolConfig);
  pool.on('error', () => undefined);
  let closed = false;
  return {
    pool,
    engine: 'pglite',
    async listen(channel, listener) {
      if (!/^[a-z_]+$/.test(channel)) throw new Error(`channel names are lower-case words: ${channel}`);
      if (!pgliteNotices.channels.has(channel)) {
        pgliteNotices.channels.add(channel);
        await pool.query(`LISTEN ${channel}`); // the session listens (PGlite is one); a connection made later listens again, which is harmless
      }
      pgliteNotices.on(channel, listener);
      return () => pgliteNotices.off(channel, listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage({ type: 'stop' });
      });
      await worker.terminate();
      unlock();
    },
  };
}

/** NOTIFY payloads seen by this process's PGlite connections, by channel, and the channels listened to. */
const pgliteNotices = Object.assign(new EventEmitter().setMaxListeners(0), { channels: new Set<string>() });

/**
 * One connection of this process that LISTENs for the others: it reconnects after an error, and
 * then calls every listener once (a NOTIFY may have been missed meanwhile).
 */
class ServerListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private closed = false;

  constructor(private readonly url: string) {}

  async listen(channel: string, listener: (payload: string) => void): Promise<() => void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`channel names are lower-case words: ${channel}`);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      const client = await this.connected();
      await client.query(`LISTEN ${channel}`);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private connected(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.url });
      client.on('notification', (n) => this.emit(n.channel, n.payload ?? ''));
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      this.client = client;
      this.connecting = null;
      return client;
    })().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private emit(channel: string, payload: string): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }

  /** The connection dropped: reconnect in a second, then wake everyone to catch up. */
  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    const retry = () => {
      if (this.closed) return;
      this.connected().then(() => {
        for (const channel of this.listeners.keys()) this.emit(channel, '');
      }, () => setTimeout(retry, 1000).unref());
    };
    setTimeout(retry, 1000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
