// Runs PGlite in a worker thread, so that a long query never blocks the HTTP event loop, and serves
// the PostgreSQL wire protocol to the main thread over MessagePorts: the application speaks plain
// `pg` to both engines. Each batch of complete protocol messages that arrives (a query's Bind,
// Execute and Sync, say) goes to the engine in one call: PGlite runs them together in a few dozen
// microseconds, where handing it one message at a time, as a socket server does, cost several times
// that per statement (docs/decisions.md, "PGlite over MessagePorts").
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

interface WorkerInput {
  /** PGlite data folder, or memory:// for a throw-away database. */
  dataDir: string;
  /** a tarball of a data folder (`dumpDataDir`) to start from: the tests' seeded template */
  restoreFrom?: string | undefined;
}

const { dataDir, restoreFrom } = workerData as WorkerInput;
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'

/** One engine call at a time, whichever connection it is for. */
let engine: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = engine.then(work, work);
  engine = run.catch(() => undefined);
  return run;
}

/** A client connection: the bytes it sent that do not yet make a whole message, and whether it started. */
class Connection {
  private pending = Buffer.alloc(0);
  private started = false;
  private working: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly db: PGlite, private readonly port: MessagePort) {
    port.on('message', (data: Uint8Array | { close: true }) => {
      if (data instanceof Uint8Array) {
        this.pending = Buffer.concat([this.pending, data]);
        this.working = this.working.then(() => this.drain());
      } else {
        this.working = this.working.then(() => this.close());
      }
    });
  }

  /** Sends every whole message received so far to the engine, in one call. */
  private async drain(): Promise<void> {
    const batch: Buffer[] = [];
    let terminate = false;
    while (!this.closed) {
      if (!this.started) {
        // the startup packet, or an SSL or cancel request before it: length, then a code, no type byte
        if (this.pending.length < 8) break;
        const length = this.pending.readInt32BE(0);
        const code = this.pending.readInt32BE(4);
        if (code === SSL_REQUEST) {
          this.port.postMessage(Buffer.from('N'));
          this.pending = this.pending.subarray(8);
          continue;
        }
        if (this.pending.length < length) break;
        if (code !== CANCEL_REQUEST) {
          batch.push(this.pending.subarray(0, length));
          this.started = true;
        }
        this.pending = this.pending.subarray(length);
        continue;
      }
      if (this.pending.length < 5) break;
      const length = 1 + this.pending.readInt32BE(1);
      if (this.pending.length < length) break;
      if (this.pending[0] === TERMINATE) {
        terminate = true;
        this.pending = Buffer.alloc(0);
        break;
      }
      batch.push(this.pending.subarray(0, length));
      this.pending = this.pending.subarray(length);
    }
    if (batch.length > 0) {
      const messages = Buffer.concat(batch);
      // the answer goes back in one message, however many pieces the engine writes it in
      const answer: Uint8Array[] = [];
      await exclusive(() => this.db.execProtocolRawStream(messages, { onRawData: (chunk) => answer.push(Uint8Array.from(chunk)) }));
      if (answer.length > 0) this.port.postMessage(answer.length === 1 ? answer[0]! : Buffer.concat(answer));
    }
    if (terminate) await this.close();
  }

  /** The client left: a transaction it left open is rolled back, as a server would. */
  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await exclusive(async () => {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.port.close();
  }
}

async function main(): Promise<void> {
  // A checkpoint every 256 MB of WAL keeps the folder near the data's size: with PostgreSQL's 1 GB
  // default, loading 1M orders left 865 MB of WAL in a 1.85 GB folder (stack notes).
  const loadDataDir = restoreFrom ? new Blob([readFileSync(restoreFrom)]) : undefined;
  const db = await PGlite.create({ dataDir, loadDataDir, postgresqlconf: ["max_wal_size = '256MB'", "min_wal_size = '64MB'"] });
  parentPort!.on('message', async (message: { type: string; port?: MessagePort }) => {
    if (message.type === 'connect') new Connection(db, message.port!);
    if (message.type !== 'stop') return;
    await exclusive(async () => {
      await db.exec('CHECKPOINT').catch(() => undefined);
      await db.close();
    });
    parentPort!.postMessage({ type: 'stopped' });
  });
  parentPort!.postMessage({ type: 'ready' });
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
});
