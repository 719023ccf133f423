import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getOrder } from './modules/orders/index.js';
import { makeStaff, registerTestOrder, startTestPlatform } from './testing/harness.js';
import { CONSUMERS } from './platform.js';

test('documents every durable consumer in docs/events.md', () => {
  const doc = readFileSync(new URL('../docs/events.md', import.meta.url), 'utf8');
  assert.deepEqual(CONSUMERS.map((c) => c.name).filter((name) => !doc.includes(`| \`${name}\` |`)), [], 'each consumer has a row');
});

test('keeps accepted orders and their history across a restart of the server', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'minsheng-restart-'));
  // On a PostgreSQL server the "restart" reopens the same database; on PGlite, the same folder.
  const first = await startTestPlatform({ dataDir: process.env.DATABASE_URL ? undefined : dataDir });
  const serverUrl = first.config.databaseUrl;
  try {
    const agent = await makeStaff(first, 'HOTLINE', ['agent']);
    const order = await registerTestOrder(first, agent);
    await first.db.close();

    const second = await startTestPlatform({ dataDir, databaseUrl: serverUrl });
    try {
      const detail = await getOrder(second.db.pool, agent, order.id);
      assert.equal(detail.trackingNo, order.trackingNo);
      assert.equal(detail.events.length, 1);
      const units = await second.db.pool.query('SELECT count(*) AS n FROM units');
      const seededOnce = await second.db.pool.query(`SELECT count(*) AS n FROM units WHERE code = 'HOTLINE'`);
      assert.ok(units.rows[0].n > 5900, 'the Jinan network: 13 districts, 164 streets, 5,758 communities');
      assert.equal(seededOnce.rows[0].n, 1);
    } finally {
      await second.db.close();
    }
  } finally {
    await first.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
