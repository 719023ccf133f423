import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderInput } from './testing/harness.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts `npm start`'s entry point on the embedded database and waits until it listens. */
async function start(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
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

test('starts on the embedded database with demo data, and loses no accepted order when the process is killed', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-main-'));
  try {
    const first = await start(dataDir);
    assert.match((await (await fetch(`${first.url}/healthz`)).json()).engine, /pglite/);
    await new Promise((r) => setTimeout(r, 300)); // let the last login line arrive
    const password = /agent1 +(\S+)/.exec(first.output())![1]!;
    const login = async (url: string) => (await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agent1', password }) })).json()).token as string;
    const token = await login(first.url);
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
      const order = await fetch(`${second.url}/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${await login(second.url)}` } });
      assert.equal(order.status, 200);
      assert.equal((await order.json()).events[0].type, 'order.registered');
      const demo = await fetch(`${second.url}/api/v1/orders?limit=200&stateGroup=closed`, { headers: { authorization: `Bearer ${await login(second.url)}` } });
      assert.ok((await demo.json()).length > 50, 'the demo orders are there');
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
