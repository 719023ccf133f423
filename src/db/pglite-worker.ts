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
  // A checkpoint every 256 MB of WAL keeps the folder near the data's size: with PostgreSQL's 1 GB
  // default, loading 1M orders left 865 MB of WAL in a 1.85 GB folder (stack notes).
  const db = await PGlite.create({ dataDir, postgresqlconf: ["max_wal_size = '256MB'", "min_wal_size = '64MB'"] });
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
