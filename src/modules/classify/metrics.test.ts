import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibrationError, evaluate, formatEvaluation } from './metrics.js';
import { fitTemperature, softmax } from './calibrate.js';

test('per-label precision, recall and F1, and macro-F1, as counted by hand', () => {
  // a: 3 true, predicted a,a,b; b: 2 true, predicted b,a  → a: P 2/3 R 2/3; b: P 1/2 R 1/2
  const e = evaluate(['a', 'a', 'a', 'b', 'b'], ['a', 'a', 'b', 'b', 'a']);
  assert.equal(e.accuracy, 3 / 5);
  assert.deepEqual(e.confusion, [[2, 1], [1, 1]]);
  assert.ok(Math.abs(e.labels[0]!.f1 - 2 / 3) < 1e-12);
  assert.ok(Math.abs(e.labels[1]!.f1 - 1 / 2) < 1e-12);
  assert.ok(Math.abs(e.macroF1 - (2 / 3 + 1 / 2) / 2) < 1e-12);
  assert.match(formatEvaluation(e), /macro avg\s+0\.583/);
});

test('calibration error is zero when confidence matches accuracy, and large when it does not', () => {
  assert.equal(calibrationError([0.75, 0.75, 0.75, 0.75], [true, true, true, false]), 0);
  assert.ok(Math.abs(calibrationError([0.95, 0.95], [false, false]) - 0.95) < 1e-12);
});

test('a fitted temperature tempers over-confident scores', () => {
  // scores that always favour the first class by 10, but it is right only 3 times in 4
  const scores = [[10, 0], [10, 0], [10, 0], [10, 0]];
  const t = fitTemperature(scores, [0, 0, 0, 1]);
  assert.ok(Math.abs(softmax(scores[0]!, t)[0]! - 0.75) < 0.01, `temperature ${t}`);
});
