// One PGlite data folder belongs to one process: a second opener (the CLI while the server runs)
// would write through a second engine over the same files, lose its writes and can leave the folder
// unopenable. The lock is a file created exclusively, holding its owner's pid and what it runs; a
// crash leaves the file behind, but its pid no longer runs (or runs something that started after
// the lock was taken), so the next opener takes the lock over.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

const LOCK_FILE = 'minsheng.lock';

interface Owner {
  pid: number;
  /** when the owner took the lock (ms since the epoch) */
  since: number;
  /** what the owner runs, for the message of a refused opener */
  command: string;
}

export class FolderLockedError extends Error {
  constructor(readonly dataDir: string, readonly owner: Owner) {
    super(`The database folder ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${new Date(owner.since).toISOString()}). ` +
      'One embedded database belongs to one process: stop that process first, or do this through its HTTP API.');
    this.name = 'FolderLockedError';
  }
}

/** The start time of `pid` in ms since the epoch (Linux), or null where /proc cannot tell. */
function startedAt(pid: number): number | null {
  try {
    return statSync(`/proc/${pid}`).ctimeMs;
  } catch {
    return null;
  }
}

/** Whether the owner recorded in a lock file still runs. */
function alive(owner: Owner): boolean {
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a pid reused by a process that started after the lock was taken is not the owner
  const started = startedAt(owner.pid);
  return started === null || started <= owner.since + 1_000;
}

/** Takes the folder's lock for this process, or throws FolderLockedError naming its owner. Returns the release. */
export function lockFolder(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const me: Owner = { pid: process.pid, since: Date.now(), command: process.argv.slice(1).map((a) => path.basename(a)).join(' ') };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const owner = (() => { try { return JSON.parse(text) as Owner; } catch { return null; } })();
    if (owner && alive(owner)) throw new FolderLockedError(dataDir, owner);
    // an empty file is an owner between creating and writing it, unless it is old (its owner died there)
    if (!owner && Date.now() - statSync(file, { throwIfNoEntry: false })!.mtimeMs < 2_000) {
      throw new FolderLockedError(dataDir, { pid: 0, since: Date.now(), command: 'a process starting' });
    }
    // left by a process that no longer runs; removed only if no one took it over meanwhile
    if (readFileSync(file, { encoding: 'utf8', flag: 'r' }) === text) rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock of ${dataDir}`);
}
