// A worker thread running a TypeScript entry file. Node 20 does not apply tsx's loader to a worker's
// entry: the worker registers it, then imports the file.
import { Worker } from 'node:worker_threads';

export function startTsWorker(entry: URL, workerData: unknown, transferList: readonly ArrayBuffer[] = []): Worker {
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, transferList: transferList as ArrayBuffer[] });
}
