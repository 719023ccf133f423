import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './cli.js';

/** Runs a CLI command and returns what it printed. */
async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    await runCli(argv, env);
  } finally {
    console.log = original;
    process.stdout.write = write;
  }
  return printed.join('\n');
}

test('seeds, creates a staff member, resets a password and round-trips the category tree from the command line', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-cli-'));
  // On a PostgreSQL server the CLI would share the suite's database; it is an operator's tool, tested on PGlite.
  const env = { DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' };
  try {
    assert.match(await cli(['seed', '--no-demo'], env), /seeded/);
    assert.match(await cli(['create-staff', '--username', 'ops1', '--name', '值班长', '--unit', 'HOTLINE', '--roles', 'lead'], env),
      /created ops1 with password \S+/);
    await assert.rejects(cli(['create-staff', '--username', 'ops2', '--name', 'x', '--unit', 'NOPE', '--roles', 'lead'], env), /no unit/);
    assert.match(await cli(['reset-password', 'ops1', '--password', 'a-new-long-password'], env), /password of ops1 reset/);
    const csvFile = path.join(dir, 'tree.csv');
    await cli(['export-taxonomy', '--out', csvFile], env);
    const csv = readFileSync(csvFile, 'utf8');
    assert.equal(csv.trim().split('\n').length, 651);
    writeFileSync(csvFile, csv.replace('自来水供应', '城市供水'));
    assert.match(await cli(['import-taxonomy', '--file', csvFile], env), /imported 650 categories as version 2/);
    assert.match(await cli(['export-taxonomy', '--version', '1'], env), /自来水供应/);
    assert.match(await cli(['migrate'], env), /up to date/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
