// Runs PGlite and its PostgreSQL wire-protocol server in a worker thread, so that a long
// query never blocks the HTTP event loop, and the application speaks plain `pg` to both engines.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface WorkerInput {
  /** PGlite data folder, or memory:// for a throw-away database. */
  dataDir: string;
  /** Unix socket path to serve on. */
  socketPath: string;
}

const { dataDir, socketPath } = workerData as WorkerInput;

async function main(): Promise<void> {
  const db = await PGlite.create({ dataDir });
  // Keep the write-ahead log small: PGlite's grows to several times the data otherwise.
  await db.exec(`SET max_wal_size = '256MB'`).catch(() => undefined);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 4 });
  await server.start();
  parentPort!.postMessage({ type: 'ready' });
  parentPort!.on('message', async (message: { type: string }) => {
    if (message.type !== 'stop') return;
    await server.stop();
    await db.exec('CHECKPOINT').catch(() => undefined);
    await db.close();
    parentPort!.postMessage({ type: 'stopped' });
  });
}

main().catch((error: unknown) => {
  parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
});
