import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli.js';

/** Runs a CLI command and returns what it printed. */
async function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const printed: string[] = [];
  await runCli(argv, env, (text) => void printed.push(text));
  return printed.join('');
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

test('trains the classifier from a labelled CSV, lists the models and indexes orders for similar-order search', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-cli-'));
  const env = { DATA_DIR: path.join(dir, 'data'), SEED_DEMO: 'false', LOG_LEVEL: 'silent' };
  // a legacy system's export, written for the test: labels as names from the top, or as codes
  const rows: [string, string, string][] = [];
  for (let i = 0; i < 20; i++) {
    rows.push([`第${i}号楼停水，自来水管道维修`, '城乡建设/城市建设和市政管理/自来水供应', 'help']);
    rows.push([`公司拖欠第${i}批工人的工资`, '1503', 'complaint']);
    rows.push([`学校收取第${i}项资料费不合理`, '教育文体', 'complaint']);
  }
  rows.push(['分类不存在的一行', '不存在的分类', 'help']);
  const file = path.join(dir, 'history.csv');
  writeFileSync(file, `text,label,request_type\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  try {
    await cli(['seed', '--no-demo'], env);
    const trained = await cli(['train-classifier', '--file', file], env);
    assert.match(trained, /run 1: done/);
    assert.match(trained, /"unknownLabel": 1/);
    const listed = await cli(['classifier'], env);
    assert.match(listed, /category\s+v1\s+active/);
    assert.match(listed, /request_type\s+v1\s+active/);
    assert.match(await cli(['index-similar'], env), /"indexed":0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prints through the command line entry point itself', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./cli.ts', import.meta.url)), '--help']);
  assert.match(stdout, /train-classifier/);
});
