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
  /** the owner's start time in clock ticks since boot (Linux), telling it from a later process with its pid */
  startTicks?: string | null;
}

export class FolderLockedError extends Error {
  constructor(readonly dataDir: string, readonly owner: Owner) {
    super(`The database folder ${dataDir} is in use by process ${owner.pid} (${owner.command}, since ${new Date(owner.since).toISOString()}). ` +
      'One embedded database belongs to one process: stop that process first, or do this through its HTTP API.');
    this.name = 'FolderLockedError';
  }
}

/** Fields 3 on of /proc/<pid>/stat (those after the command), or null where /proc cannot tell. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** When `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat), or null where /proc cannot tell. */
const startTicks = (pid: number): string | null => procStat(pid)?.[19] ?? null;

/** Folders this process holds: a lock naming this pid but not held here was left by an earlier process with the same pid (a container's pid 1). */
const held = new Set<string>();

/** Whether the owner recorded in a lock file still runs. */
function alive(dataDir: string, owner: Owner): boolean {
  if (owner.pid === process.pid) return held.has(dataDir);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(owner.pid);
  // a zombie (killed, not yet reaped: for good under a container's first process that reaps none) holds nothing
  if (stat?.[0] === 'Z' || stat?.[0] === 'X') return false;
  // a pid reused by a process that started after the lock was taken is not the owner
  const now = stat?.[19] ?? null;
  return !(owner.startTicks && now && owner.startTicks !== now);
}

/** Takes the folder's lock for this process, or throws FolderLockedError naming its owner. Returns the release. */
export function lockFolder(dataDir: string): () => void {
  dataDir = path.resolve(dataDir);
  const file = path.join(dataDir, LOCK_FILE);
  const me: Owner = { pid: process.pid, since: Date.now(), command: process.argv.slice(1).map((a) => path.basename(a)).join(' '),
    startTicks: startTicks(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(dataDir);
      return () => {
        held.delete(dataDir);
        rmSync(file, { force: true });
      };
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
    if (owner && alive(dataDir, owner)) throw new FolderLockedError(dataDir, owner);
    // an empty file is an owner between creating and writing it, unless it is old (its owner died there)
    const written = statSync(file, { throwIfNoEntry: false });
    if (!written) continue; // released meanwhile
    if (!owner && Date.now() - written.mtimeMs < 2_000) {
      throw new FolderLockedError(dataDir, { pid: 0, since: Date.now(), command: 'a process starting' });
    }
    // left by a process that no longer runs; removed only if no one took it over meanwhile (two
    // openers taking over one dead lock in the same instant can still both win: not covered)
    const now = (() => { try { return readFileSync(file, 'utf8'); } catch { return null; } })();
    if (now === text) rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock of ${dataDir}`);
}
