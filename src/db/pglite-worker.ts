// Runs PGlite in a worker thread, so that a long query never blocks the HTTP event loop, and serves
// the PostgreSQL wire protocol to the main thread over MessagePorts: the application speaks plain
// `pg` to both engines. Each batch of complete protocol messages that arrives (a query's Bind,
// Execute and Sync, say) goes to the engine in one call: PGlite runs them together in a few dozen
// microseconds, where handing it one message at a time, as a socket server does, cost several times
// that per statement (docs/decisions.md, "PGlite over MessagePorts").
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/** PostgreSQL's max_wal_size as this engine keeps it (see keepCheckpointing). */
const CHECKPOINT_WAL_BYTES = 256 * 2 ** 20;
/** How often the WAL since the last checkpoint is looked at. */
const CHECKPOINT_CHECK_MS = 1000;

interface WorkerInput {
  /** PGlite data folder, or memory:// for a throw-away database. */
  dataDir: string;
  /** a tarball of a data folder (`dumpDataDir`) to start from: the tests' seeded template */
  restoreFrom?: string | undefined;
  /** the WAL written since the last checkpoint that makes the next (bytes; tests set it low) */
  checkpointWalBytes?: number | undefined;
}

const { dataDir, restoreFrom, checkpointWalBytes = CHECKPOINT_WAL_BYTES } = workerData as WorkerInput;
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const QUERY = 0x51; // 'Q'
const COPY_DONE = 0x63; // 'c'
const COPY_FAIL = 0x66; // 'f'
const COPY_IN = 0x47; // 'G'
const COPY_FROM_STDIN = /^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i;
/** CopyInResponse: text format, no column formats listed (clients send text rows and do not read them). */
const COPY_IN_RESPONSE = Buffer.from([COPY_IN, 0, 0, 0, 7, 0, 0, 0]);

/** The engine's answer without its CopyInResponse messages. */
function withoutCopyInResponse(reply: Buffer): Buffer {
  const kept: Buffer[] = [];
  for (let at = 0; at + 5 <= reply.length;) {
    const length = 1 + reply.readInt32BE(at + 1);
    if (reply[at] !== COPY_IN) kept.push(reply.subarray(at, at + length));
    at += length;
  }
  return Buffer.concat(kept);
}

let db: PGlite;

/**
 * One engine call at a time, in the order they came; while a connection's transaction is open, only
 * that connection's calls (PGlite is one session: another connection's statement would run inside
 * the transaction). Outside transactions, connections' statements queue here, so that the engine
 * starts the next one as soon as it ends, instead of waiting for the main thread to send it.
 */
const queue: { connection: Connection | null | typeof BETWEEN; run: () => Promise<void> }[] = [];
let running = false;
let owner: Connection | null = null;
/** the owner's last call opened its transaction (BEGIN) and ran nothing in it yet */
let ownerJustBegan = false;
/** A job that runs between any two engine calls, a connection's transaction open or not: the checkpoints. */
const BETWEEN = Symbol('between');
function exclusive<T>(connection: Connection | null | typeof BETWEEN, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue.push({ connection, run: () => work().then(resolve, reject) });
    next();
  });
}
function next(): void {
  if (running) return;
  // not right after a transaction's BEGIN: the job's query would take the snapshot, and a SET TRANSACTION after it fail
  const at = owner ? queue.findIndex((job) => job.connection === owner || (job.connection === BETWEEN && !ownerJustBegan)) : 0;
  if (at < 0 || at >= queue.length) return;
  const [job] = queue.splice(at, 1);
  running = true;
  void job!.run().finally(() => {
    running = false;
    const { connection } = job!;
    if (connection !== BETWEEN) {
      const began = owner !== connection; // a connection's job runs only when it owns the engine or none does
      owner = connection && db.isInTransaction() ? connection : null;
      ownerJustBegan = began && owner !== null;
    }
    next();
  });
}

/**
 * Named statements prepared in the session, by name: a connection's first Parse of a statement that
 * another connection already prepared is answered here (ParseComplete) instead of failing with
 * "already exists". Names are digests of their text (`prepared` in tx.ts), so one name is one text.
 */
const statements = new Map<string, string>();
const PARSE = 0x50; // 'P'
const PARSE_COMPLETE = Buffer.from([0x31, 0, 0, 0, 4]);

/** A Parse message's statement name and text. */
function parsed(message: Buffer): { name: string; text: string } {
  const nameEnd = message.indexOf(0, 5);
  const textEnd = message.indexOf(0, nameEnd + 1);
  return { name: message.subarray(5, nameEnd).toString('utf8'), text: message.subarray(nameEnd + 1, textEnd).toString('utf8') };
}

/** A client connection: the bytes it sent that do not yet make a whole message, and whether it started. */
class Connection {
  private pending = Buffer.alloc(0);
  private started = false;
  /** a COPY FROM STDIN's query and the data received for it so far */
  private copy: Buffer[] | null = null;
  /** the batch being executed holds a whole COPY: the engine answers it with a CopyInResponse the client already had */
  private copyAnswered = false;
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
    if (batch.length > 0) await this.execute(this.copying(batch));
    if (terminate) await this.close();
  }

  /**
   * COPY … FROM STDIN is a conversation PGlite cannot hold across calls: the query, its CopyData
   * and its CopyDone must reach the engine in one call. So a COPY query is held, the client is told
   * to send its data (a CopyInResponse, as the server would), and the whole exchange goes to the
   * engine when the CopyDone (or CopyFail) arrives; the engine's own CopyInResponse is dropped from
   * its answer. Returns the messages to execute now (none while a copy's data is still coming).
   */
  private copying(batch: Buffer[]): Buffer[] {
    const ready: Buffer[] = [];
    for (const message of batch) {
      if (this.copy) {
        this.copy.push(message);
        if (message[0] === COPY_DONE || message[0] === COPY_FAIL) {
          ready.push(...this.copy);
          this.copy = null;
          this.copyAnswered = true;
        }
      } else if (message[0] === QUERY && COPY_FROM_STDIN.test(message.subarray(5, message.length - 1).toString('utf8'))) {
        this.copy = [message];
        this.port.postMessage(COPY_IN_RESPONSE);
      } else {
        ready.push(message);
      }
    }
    return ready;
  }

  private async execute(batch: Buffer[]): Promise<void> {
    if (batch.length === 0) return;
    // pg sends a query's messages together, a Parse first
    const first = batch[0]![0] === PARSE ? parsed(batch[0]!) : null;
    const parse = first?.name ? first : null;
    // the answer goes back in one message, however many pieces the engine writes it in
    const answer: Uint8Array[] = [];
    await exclusive(this, async () => {
      // asked when the engine is this connection's: another's Parse of the statement may be just ahead
      const known = parse !== null && statements.get(parse.name) === parse.text;
      if (known) answer.push(PARSE_COMPLETE);
      const messages = Buffer.concat(known ? batch.slice(1) : batch);
      if (messages.length > 0) await this.db.execProtocolRawStream(messages, { onRawData: (chunk) => answer.push(Uint8Array.from(chunk)) });
      if (parse && !known && answer[0]?.[0] === PARSE_COMPLETE[0]) statements.set(parse.name, parse.text);
    });
    let reply: Buffer = answer.length === 1 ? Buffer.from(answer[0]!) : Buffer.concat(answer);
    if (this.copyAnswered) {
      reply = withoutCopyInResponse(reply);
      this.copyAnswered = false;
    }
    if (reply.length > 0) this.port.postMessage(reply);
  }

  /** The client left: a transaction it left open is rolled back, as a server would. */
  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await exclusive(this, async () => {
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.port.close();
  }
}

/**
 * Checkpoints once `everyBytes` of WAL were written since the last. PGlite is one backend with no
 * checkpointer process: PostgreSQL's own checkpoints (max_wal_size, checkpoint_timeout) never come,
 * and every byte of WAL stayed until the engine stopped (a load of ten million orders: 14 GB of WAL
 * after 30 minutes, beside 12 GB of data, no segment removed; a crash would have replayed all of
 * it). A checkpoint may come between two statements of a connection's transaction, as it would on
 * a server (the load's index builds are one transaction of gigabytes of WAL): there it runs under a
 * savepoint, so that a failure leaves the transaction as it was, and in a failed transaction it
 * waits. After it the segments are recycled, at most max_wal_size of them. Returns the timer.
 */
function keepCheckpointing(everyBytes: number): NodeJS.Timeout {
  let asked = false;
  const checkpoint = async () => {
    const wal = await db.query<{ since: number }>(
      'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), (pg_control_checkpoint()).redo_lsn)::float8 AS since');
    if (wal.rows[0]!.since >= everyBytes) await db.exec('CHECKPOINT');
  };
  const timer = setInterval(() => {
    if (asked) return;
    asked = true;
    exclusive(BETWEEN, async () => {
      if (!db.isInTransaction()) return checkpoint();
      await db.exec('SAVEPOINT checkpoint_keeper'); // fails in a failed transaction: nothing is run
      try {
        await checkpoint();
        await db.exec('RELEASE SAVEPOINT checkpoint_keeper');
      } catch (error) {
        await db.exec('ROLLBACK TO SAVEPOINT checkpoint_keeper; RELEASE SAVEPOINT checkpoint_keeper');
        throw error;
      }
    }).catch(() => undefined).finally(() => { asked = false; });
  }, CHECKPOINT_CHECK_MS);
  timer.unref();
  return timer;
}

async function main(): Promise<void> {
  // with max_wal_size at 256 MB, a checkpoint keeps no more WAL than that (see keepCheckpointing)
  const loadDataDir = restoreFrom ? new Blob([readFileSync(restoreFrom)]) : undefined;
  db = await PGlite.create({ dataDir, loadDataDir, postgresqlconf: [`max_wal_size = '${CHECKPOINT_WAL_BYTES / 2 ** 20}MB'`, "min_wal_size = '64MB'"] });
  const checkpoints = keepCheckpointing(checkpointWalBytes);
  parentPort!.on('message', async (message: { type: string; port?: MessagePort }) => {
    if (message.type === 'connect') new Connection(db, message.port!);
    if (message.type !== 'stop') return;
    clearInterval(checkpoints);
    await exclusive(null, async () => {
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
