// How a trained model does on held-back texts: the figures stored with each model and compared
// before one is switched in.
import { calibrationError, evaluate } from './metrics.js';
import type { TextClassifier } from './model.js';
import type { Scores } from './store.js';

export interface HeldBack {
  text: string;
  /** the true label path, top level first */
  path: string[];
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Scores a model on held-back texts: top level, whole path, top three, calibration. */
export function scoreModel(model: TextClassifier, heldBack: HeldBack[]): Scores {
  const predictions = heldBack.map((h) => model.predict(h.text, 3));
  const top = predictions.map((p) => p.path[0]!);
  const truth = heldBack.map((h) => h.path[0]!);
  const e = evaluate(truth, top.map((t) => t.label), [...new Set([...model.labels, ...truth])].sort());
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const share = (hits: boolean[]) => (hits.length ? round(hits.filter(Boolean).length / hits.length) : 0);
  return {
    n: heldBack.length,
    accuracy: round(e.accuracy),
    macroF1: round(e.macroF1),
    exactAccuracy: share(predictions.map((p, i) => same(p.path.map((s) => s.label), heldBack[i]!.path))),
    top3Accuracy: share(predictions.map((p, i) => p.alternatives.some((a) => same(a.path, heldBack[i]!.path)))),
    calibrationError: round(calibrationError(top.map((t) => t.probability), top.map((t, i) => t.label === truth[i]))),
  };
}

/**
 * Whether a candidate beats the model in use on the same held-back texts: a higher top-level
 * macro-F1, or the same with more whole paths right.
 */
export function isBetter(candidate: Scores, baseline: Scores): boolean {
  if (candidate.macroF1 !== baseline.macroF1) return candidate.macroF1 > baseline.macroF1;
  return candidate.exactAccuracy > baseline.exactAccuracy;
}
