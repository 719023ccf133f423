// CPU time of the server under test (this process, PGlite's worker thread included) and of the
// PostgreSQL server's processes: a benchmark divides it by the work done, to say where time goes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds used so far by this process (the server, PGlite's worker included) and by PostgreSQL's processes. */
export function cpuSeconds(engine: string): { server: number; postgres: number | null } {
  const u = process.cpuUsage();
  let postgres: number | null = null;
  if (engine === 'postgres') {
    try {
      const pids = execFileSync('pgrep', ['-u', 'postgres'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
      const tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
      postgres = 0;
      for (const pid of pids) {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          // utime, stime, and the reaped children's cutime, cstime: a backend that exits passes its
          // time on to the postmaster's, so the sum does not drop when connections close
          postgres += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / tick;
        } catch { /* gone */ }
      }
    } catch { /* no pgrep */ }
  }
  return { server: (u.user + u.system) / 1e6, postgres };
}

