// The evaluation command's work: train on one labelled CSV, predict another, and score the
// predictions (per-label table, confusion matrix, calibration). No database is involved.
import { DomainError } from '../../shared/errors.js';
import { readLabelledCsv, type Labelled } from './dataset.js';
import { calibrationError, evaluate, formatEvaluation, type Evaluation } from './metrics.js';
import { DEFAULT_RECIPE, TextClassifier, type Recipe } from './model.js';
import { Segmenter } from './text.js';

/** Confidence below which a suggestion is shown as uncertain (the agent must choose). */
export const LOW_CONFIDENCE = 0.6;

export interface EvaluationResult {
  evaluation: Evaluation;
  /** expected calibration error of the top label's probability (0 = honest) */
  calibrationError: number;
  /** share of test texts below LOW_CONFIDENCE, and the accuracy on them and on the rest */
  lowConfidence: { share: number; accuracyLow: number | null; accuracyHigh: number | null };
  trainSeconds: number;
  msPerText: number;
}

/** Trains on `train` and scores predictions on `test`; a test label never seen in training is refused. */
export function evaluateOn(train: Labelled[], test: Labelled[], testFile = 'test', recipe: Recipe = DEFAULT_RECIPE): EvaluationResult {
  const known = new Set(train.map((r) => r.label));
  const unseen = [...new Set(test.map((r) => r.label))].filter((l) => !known.has(l));
  if (unseen.length) {
    throw new DomainError('CLASSIFY_DATA_INVALID', { file: testFile, problem: {
      zh: `标签 ${unseen.join('、')} 只出现在测试数据中，训练数据里没有`, en: `label(s) ${unseen.join(', ')} occur only in the test data, never in training` } });
  }
  if (known.size < 2) {
    throw new DomainError('CLASSIFY_DATA_INVALID', { file: 'train', problem: { zh: '训练数据至少要有两个标签', en: 'training needs at least two labels' } });
  }
  let started = performance.now();
  const model = TextClassifier.train(train.map((r) => ({ text: r.text, path: [r.label] })), new Segmenter(), recipe);
  const trainSeconds = (performance.now() - started) / 1000;
  // a few texts first, untimed: the time per text is the steady state, not the first calls' compilation
  for (const r of test.slice(0, 20)) model.predict(r.text, 3);
  started = performance.now();
  const predictions = test.map((r) => model.predict(r.text, 3).path[0]!);
  const msPerText = (performance.now() - started) / Math.max(1, test.length);
  const evaluation = evaluate(test.map((r) => r.label), predictions.map((p) => p.label), [...known].sort());
  const correct = predictions.map((p, i) => p.label === test[i]!.label);
  const low = predictions.map((p) => p.probability < LOW_CONFIDENCE);
  const accuracyWhere = (want: boolean) => {
    const picked = correct.filter((_, i) => low[i] === want);
    return picked.length ? picked.filter(Boolean).length / picked.length : null;
  };
  return {
    evaluation,
    calibrationError: calibrationError(predictions.map((p) => p.probability), correct),
    lowConfidence: { share: low.filter(Boolean).length / Math.max(1, test.length), accuracyLow: accuracyWhere(true), accuracyHigh: accuracyWhere(false) },
    trainSeconds,
    msPerText,
  };
}

/** Reads both files (every problem reported with its file) and evaluates. */
export function evaluateFiles(trainFile: string, testFile: string, recipe: Recipe = DEFAULT_RECIPE): EvaluationResult {
  return evaluateOn(readLabelledCsv(trainFile), readLabelledCsv(testFile), testFile, recipe);
}

/** The report: the per-label table, the confusion matrix, calibration, then one JSON line, last. */
export function formatReport(r: EvaluationResult): string {
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} %`);
  return [
    formatEvaluation(r.evaluation),
    '',
    `calibration: expected calibration error ${r.calibrationError.toFixed(3)}; ` +
      `${pct(r.lowConfidence.share)} of texts below confidence ${LOW_CONFIDENCE} (accuracy there ${pct(r.lowConfidence.accuracyLow)}, ` +
      `elsewhere ${pct(r.lowConfidence.accuracyHigh)})`,
    JSON.stringify({ accuracy: round(r.evaluation.accuracy), macroF1: round(r.evaluation.macroF1), n: r.evaluation.n,
      trainSeconds: Math.round(r.trainSeconds * 100) / 100, msPerText: Math.round(r.msPerText * 1000) / 1000 }),
  ].join('\n');
}

const round = (x: number) => Math.round(x * 10000) / 10000;
