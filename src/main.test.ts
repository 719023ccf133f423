import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderInput } from './testing/harness.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/**
 * These tests run `npm start` on the embedded engine whatever DATABASE_URL says: the suite's run on
 * a PostgreSQL server would repeat its first run exactly (same Node, same engine), for four minutes.
 */
const EMBEDDED_ONLY = { skip: process.env.DATABASE_URL ? 'the embedded engine only: the suite\'s run without DATABASE_URL has them' : false };

/** Starts `npm start`'s entry point on the embedded database and waits until it listens. */
async function start(dataDir: string, extra: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...extra };
  delete env.DATABASE_URL; // the embedded engine is what `npm start` runs
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 120 s:\n${output}`)), 120_000);
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      // the demo logins follow the address line on a first start
      if (match && (output.includes('Demo logins') ? /agent1 +\S+/.test(output) : true)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[1]!);
      }
    }, 100);
  });
  return { child, url, output: () => output };
}

test('starts on the embedded database with demo data, and loses no accepted order when the process is killed', EMBEDDED_ONLY, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-main-'));
  try {
    const first = await start(dataDir);
    assert.match((await (await fetch(`${first.url}/healthz`)).json()).engine, /pglite/);
    await new Promise((r) => setTimeout(r, 300)); // let the last login line arrive
    const password = /agent1 +(\S+)/.exec(first.output())![1]!;
    const login = async (url: string) => (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent1', password }) })).json()).token as string;
    const token = await login(first.url);
    // a unit's printed login opens its inbox, where the demo's orders wait
    const unitPassword = /util-water +(\S+)/.exec(first.output())![1]!;
    const water = await (await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'util-water', password: unitPassword }) })).json();
    const inbox = await fetch(`${first.url}/api/v1/orders/inbox`, { headers: { authorization: `Bearer ${water.token}` } });
    assert.equal(inbox.status, 200);
    assert.ok((await inbox.json()).total > 0, 'the water company has demo orders waiting');
    const created = await fetch(`${first.url}/api/v1/orders`, { method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(orderInput({ channel: 'sms', channelRef: 'crash-test-1' })) });
    assert.equal(created.status, 201);
    const id = (await created.json()).id as string;
    first.child.kill('SIGKILL'); // no shutdown, no checkpoint
    await new Promise((r) => first.child.once('exit', r));

    const second = await start(dataDir);
    try {
      assert.ok(!second.output().includes('Demo logins'), 'seeded once only');
      // the first start tells what it seeds while it does; later starts have nothing to tell
      for (const stepDone of [/首次启动.*: \d+\.\d s/, /演示账号.*: \d+\.\d s/, /250 \/ 260/, /演示工单.*: \d+\.\d s/, /首个分类模型.*: \d+\.\d s/]) {
        assert.match(first.output(), stepDone);
      }
      assert.ok(!second.output().includes('首次启动'), second.output());
      const order = await fetch(`${second.url}/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${await login(second.url)}` } });
      assert.equal(order.status, 200);
      assert.equal((await order.json()).events[0].type, 'order.registered');
      const demo = await fetch(`${second.url}/api/v1/orders?limit=200&stateGroup=closed`, { headers: { authorization: `Bearer ${await login(second.url)}` } });
      assert.ok((await demo.json()).total > 50, 'the demo orders are there');
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** `npm run cli -- …` on the embedded database of `dataDir`. */
function cli(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env, encoding: 'utf8' });
}

/**
 * Each kill is a restart of the server (some 8 s, 12–15 s beside another test file): five random
 * moments of writing, twice in CI (two PGlite runs), ten in all (ten a run took 2.5 minutes of each,
 * with CI's whole run at 40 minutes).
 */
const KILLS = 5;

test(`refuses a command-line change to a folder the running server holds, and keeps every acknowledged write through ${KILLS} kills`, EMBEDDED_ONLY, async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-lock-'));
  const quiet = { SEED_DEMO: 'false', CLASSIFY_RETRAIN_DAYS: '0', TIMER_SWEEP_SECONDS: '0' };
  const running = new Set<ChildProcess>(); // killed at the end whatever happens
  try {
    // with no server, the command line works on the folder
    assert.equal(cli(dataDir, 'seed', '--no-demo').status, 0);
    const made = cli(dataDir, 'create-staff', '--username', 'intake', '--name', '受理员', '--unit', 'HOTLINE', '--roles', 'agent', '--password', 'intake-password');
    assert.equal(made.status, 0, made.stderr);
    let server = await start(dataDir, quiet);
    running.add(server.child);
    const pid = server.child.pid!;
    const refused = cli(dataDir, 'create-staff', '--username', 'urban1', '--name', '城管', '--unit', 'HOTLINE', '--roles', 'agent', '--password', 'urban-password');
    assert.equal(refused.status, 1, 'no false success');
    assert.match(refused.stderr, new RegExp(`in use by process ${pid}`));
    assert.ok(!refused.stdout.includes('created'), refused.stdout);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'the server carries on');

    const acknowledged: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const token = (await (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'intake', password: 'intake-password' }) })).json()).token as string;
      // writes in flight when the process dies: only those answered 201 must survive
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          const res: Response | null = await fetch(`${server.url}/api/v1/orders`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(orderInput({ channel: 'sms', channelRef: `kill-${round}-${i}` })) }).catch(() => null);
          if (res?.status === 201) acknowledged.push((await res.json().catch(() => ({}))).id ?? 'unread');
          else if (res) await res.arrayBuffer().catch(() => undefined);
        }
      })();
      // a fresh process answers its first registration slowly (the classifier loads): kill it once
      // writes are flowing, at a moment that differs from round to round
      const before = acknowledged.length;
      for (let waited = 0; acknowledged.length === before && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
      server.child.kill('SIGKILL');
      await new Promise((r) => server.child.once('exit', r));
      writing = false;
      await writer;
      server = await start(dataDir, quiet); // opens the folder the dead process held
      running.add(server.child);
    }
    const token = (await (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'intake', password: 'intake-password' }) })).json()).token as string;
    const ids = acknowledged.filter((id) => id !== 'unread');
    assert.ok(ids.length >= KILLS, `${ids.length} writes acknowledged`); // at least one a round
    for (const id of ids) {
      const res = await fetch(`${server.url}/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, `acknowledged order ${id} is there`);
      await res.arrayBuffer();
    }
    console.log(`# ${ids.length} acknowledged orders over ${KILLS} kills, all present`);
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    // and once the server has stopped, the command line may work on the folder again
    assert.equal(cli(dataDir, 'calendar').status, 0);
  } finally {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
