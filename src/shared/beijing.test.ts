import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, beijingDate, beijingMidnight, beijingMinute, beijingMonth } from './beijing.js';

test('a Beijing day begins at 16:00 UTC the day before', () => {
  assert.equal(beijingDate(new Date('2026-11-30T15:59:59.999Z')), '2026-11-30');
  assert.equal(beijingDate(new Date('2026-11-30T16:00:00Z')), '2026-12-01');
  assert.equal(beijingMonth(Date.parse('2026-11-30T16:00:00Z')), '2026-12');
  assert.equal(beijingMidnight('2026-12-01').toISOString(), '2026-11-30T16:00:00.000Z');
  assert.equal(beijingDate(beijingMidnight('2027-01-01')), '2027-01-01');
});

test('reads a moment as people in Beijing write it, and steps plain dates over months and leap days', () => {
  assert.equal(beijingMinute('2026-12-04T17:45:22Z'), '2026-12-05 01:45');
  assert.equal(beijingMinute(new Date('2026-12-04T01:02:00Z')), '2026-12-04 09:02');
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2027-02-28', 1), '2027-03-01');
  assert.equal(addDays('2027-01-01', -1), '2026-12-31');
});
