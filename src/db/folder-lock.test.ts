import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FolderLockedError, lockFolder } from './folder-lock.js';

const ticksOf = (pid: number) => { const stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]; };

test('a folder lock refuses a second holder while its owner runs, and is taken over from one that does not', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-folder-lock-'));
  const file = path.join(dir, 'minsheng.lock');
  const owner = (pid: number, startTicks: string | null) => writeFileSync(file, JSON.stringify({ pid, since: Date.now(), command: 'test', startTicks }));
  try {
    const release = lockFolder(dir);
    assert.throws(() => lockFolder(dir), FolderLockedError, 'held by this very process');
    release();
    // a running process (the test runner's parent) holds it
    owner(process.ppid, ticksOf(process.ppid)!);
    assert.throws(() => lockFolder(dir), (error: Error) => error instanceof FolderLockedError && error.message.includes(`process ${process.ppid}`));
    // that pid now runs a process that started later: the owner is gone
    owner(process.ppid, '1');
    lockFolder(dir)();
    // a pid that no longer runs
    owner(2 ** 22 + 1, null);
    lockFolder(dir)();
    // this pid, written by an earlier process that had it (a container's pid 1 after a restart)
    owner(process.pid, ticksOf(process.pid)!);
    const taken = lockFolder(dir);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).since > 0, true);
    taken();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder lock is taken over from a killed owner not yet reaped (a zombie)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-folder-lock-'));
  // the inner shell prints its pid and exits; its parent, now `sleep`, never reaps it
  const parent = spawn('sh', ['-c', 'sh -c \'echo $$\' & exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number((await once(parent.stdout, 'data'))[0].toString().trim());
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
    for (let waited = 0; state() !== 'Z' && waited < 2_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.equal(state(), 'Z', 'a zombie');
    writeFileSync(path.join(dir, 'minsheng.lock'), JSON.stringify({ pid, since: Date.now(), command: 'test', startTicks: ticksOf(pid) }));
    lockFolder(dir)();
  } finally {
    parent.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
