import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLikelyDuplicate } from './reads.js';
import type { OrderView } from './model.js';

const at = new Date('2026-12-03T02:00:00Z');
/** A similar order as the similar-orders list presents it: only what the rule reads. */
const similar = (overrides: { state?: string; days?: number; category?: string | null; area?: string | null } = {}) => ({
  state: overrides.state ?? 'dispatched',
  createdAt: new Date(at.getTime() - (overrides.days ?? 1) * 86_400_000).toISOString(),
  category: overrides.category === null ? null : { code: overrides.category ?? '010216' },
  location: { areaCode: overrides.area === undefined ? '370102001003' : overrides.area },
}) as unknown as OrderView;
const probe = { areaCode: '370102001', categoryCode: '010216', at };

test('a likely duplicate: open to a merge, within a week, the same street and category, the words close', () => {
  assert.equal(isLikelyDuplicate(similar(), 0.5, probe), true, 'a community of the same street');
  assert.equal(isLikelyDuplicate(similar(), 0.49, probe), false, 'too few words shared');
  assert.equal(isLikelyDuplicate(similar({ days: 8 }), 0.9, probe), false, 'more than a week apart');
  assert.equal(isLikelyDuplicate(similar({ state: 'closed' }), 0.9, probe), false, 'closed: nothing to merge into');
  assert.equal(isLikelyDuplicate(similar({ state: 'replied' }), 0.9, probe), true, 'answered but not closed');
  assert.equal(isLikelyDuplicate(similar({ category: '010215' }), 0.9, probe), false, 'another category');
  assert.equal(isLikelyDuplicate(similar({ area: '370102002' }), 0.9, probe), false, 'another street');
  assert.equal(isLikelyDuplicate(similar({ category: null }), 0.5, probe), true, 'a category not yet chosen compares nothing');
  assert.equal(isLikelyDuplicate(similar({ area: null }), 0.6, probe), false, 'no place to compare: the words must be closer');
  assert.equal(isLikelyDuplicate(similar({ area: null }), 0.7, probe), true);
});
