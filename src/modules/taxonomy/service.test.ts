import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../shared/errors.js';
import { systemActor } from '../auth/index.js';
import { withTransaction } from '../../db/tx.js';
import { makeStaff, registerTestOrder, startTestPlatform, CITY, type TestPlatform } from '../../testing/harness.js';
import { getOrder } from '../orders/index.js';
import { defaultTree, editTree, getTree, listVersions, parseTreeCsv, treeToCsv, withLevels, type CategoryNode } from './index.js';

const node = (code: string, parentCode: string | null): CategoryNode => ({ code, parentCode, name: code, unitKind: null, timeLimitDays: 5 });
const invalid = (nodes: CategoryNode[]) => assert.throws(() => withLevels(nodes), (e: unknown) =>
  e instanceof DomainError && e.code === 'TAXONOMY_INVALID_TREE');

describe('category tree', () => {
  it('ships the three-level government classification: 15, 118 and 517 categories, each with a unit kind and time limit', () => {
    const levels = withLevels(defaultTree()).reduce((m, n) => m.set(n.level, (m.get(n.level) ?? 0) + 1), new Map<number, number>());
    assert.deepEqual([...levels.entries()].sort(), [[1, 15], [2, 118], [3, 517]]);
    assert.ok(defaultTree().every((n) => n.unitKind && n.timeLimitDays));
  });

  it('round-trips through CSV', () => {
    const tree = defaultTree();
    assert.deepEqual(parseTreeCsv(treeToCsv(tree)), tree);
  });

  it('refuses duplicates, missing parents, cycles and more than five levels', () => {
    invalid([node('a', null), node('a', null)]);
    invalid([node('a', 'x')]);
    invalid([node('a', 'b'), node('b', 'a')]);
    invalid(['1', '2', '3', '4', '5', '6'].map((c, i) => node(c, i ? String(i) : null)));
    assert.equal(withLevels(['1', '2', '3', '4', '5'].map((c, i) => node(c, i ? String(i) : null))).at(-1)!.level, 5);
  });

  describe('on a real database', () => {
    let p: TestPlatform;
    before(async () => { p = await startTestPlatform(); });
    after(() => p.close());

    it('writes an edit as a new version and leaves orders filed under the old one as they were', async () => {
      const agent = await makeStaff(p, 'HOTLINE', ['agent']);
      const old = await registerTestOrder(p, agent, { categoryCode: '010216' });
      const version = await withTransaction(p.db.pool, (c) => editTree(c, systemActor(CITY),
        [{ op: 'update', code: '010216', name: '供水' }, { op: 'add', node: { ...node('01021601', '010216'), name: '水压不足' } }], '改名'));
      assert.equal(version, 2);
      assert.deepEqual((await listVersions(p.db.pool, CITY)).map((v) => v.version), [2, 1]);
      assert.equal((await getOrder(p.db.pool, agent, old.id)).category?.name, '自来水供应');
      const fresh = await registerTestOrder(p, agent, { categoryCode: '010216' });
      assert.deepEqual([fresh.category?.name, fresh.category?.version], ['供水', 2]);
      assert.equal((await getTree(p.db.pool, CITY, 1)).find((c) => c.code === '010216')?.name, '自来水供应');
      await assert.rejects(withTransaction(p.db.pool, (c) => editTree(c, systemActor(CITY), [{ op: 'remove', code: '010216' }], 'x')),
        (e: unknown) => e instanceof DomainError && e.code === 'TAXONOMY_INVALID_TREE');
    });
  });
});
