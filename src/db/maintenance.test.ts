import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeStaff, registerTestOrder, startTestPlatform, type TestPlatform } from '../testing/harness.js';
import { ensureMaintenance, sweepTimersNow } from '../platform.js';
import { pendingTimers } from '../modules/timers/index.js';
import { tableNames, vacuumAll } from './maintenance.js';

describe('housekeeping of the embedded database', { skip: process.env.DATABASE_URL ? 'a PostgreSQL server runs autovacuum itself' : false }, () => {
  let p: TestPlatform;
  before(async () => (p = await startTestPlatform()));
  after(() => p.close());

  const estimatedRows = async (table: string) =>
    Number((await p.db.pool.query('SELECT reltuples FROM pg_class WHERE relname = $1', [table])).rows[0].reltuples);

  it('analyzes one table every five minutes in turn, so that the planner knows the tables as they grow', async () => {
    await ensureMaintenance(p.db, p.config.cityCode);
    await ensureMaintenance(p.db, p.config.cityCode);
    assert.deepEqual((await pendingTimers(p.db.pool, p.config.cityCode, ['db.analyze', 'db.vacuum'])).map((t) => t.kind).sort(),
      ['db.analyze', 'db.vacuum'], 'scheduled once');
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    for (let i = 0; i < 5; i++) await registerTestOrder(p, agent);
    assert.ok(await estimatedRows('orders') < 5, 'never analyzed: PGlite runs no autovacuum');
    const tables = await tableNames(p.db.pool);
    let now = Date.now();
    for (let i = 0; i < tables.length; i++) await sweepTimersNow(p, new Date((now += 5 * 60_000 + 1000)));
    assert.equal(await estimatedRows('orders'), 5, 'every table analyzed in turn');
    assert.equal((await pendingTimers(p.db.pool, p.config.cityCode, ['db.analyze'])).length, 1, 'the next one scheduled');
  });

  it('vacuums every table, outside any transaction', async () => {
    assert.equal(await vacuumAll(p.db.pool), (await tableNames(p.db.pool)).length);
  });
});
