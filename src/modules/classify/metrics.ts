// How good a classifier is: per-label precision, recall and F1, accuracy, macro-F1, the confusion
// matrix, and how honest its confidence is (expected calibration error).

export interface LabelFigures {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** texts whose true label this is */
  support: number;
}

export interface Evaluation {
  n: number;
  accuracy: number;
  /** unweighted mean of the labels' F1 */
  macroF1: number;
  labels: LabelFigures[];
  /** confusion[i][j]: texts of labels[i] predicted as labels[j] */
  confusion: number[][];
}

/** Scores predictions against the truth; labels are every label either side names, sorted. */
export function evaluate(truth: string[], predicted: string[], labelOrder?: string[]): Evaluation {
  const labels = labelOrder ?? [...new Set([...truth, ...predicted])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let correct = 0;
  truth.forEach((t, i) => {
    confusion[at.get(t)!]![at.get(predicted[i]!)!]! += 1;
    if (t === predicted[i]) correct++;
  });
  const figures = labels.map((label, i) => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((s, v) => s + v, 0);
    const predictedN = confusion.reduce((s, row) => s + row[i]!, 0);
    const precision = predictedN ? tp / predictedN : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const scored = figures.filter((f) => f.support > 0);
  return {
    n: truth.length,
    accuracy: truth.length ? correct / truth.length : 0,
    macroF1: scored.length ? scored.reduce((s, f) => s + f.f1, 0) / scored.length : 0,
    labels: figures,
    confusion,
  };
}

/**
 * Expected calibration error: predictions put in `bins` bins by their confidence; the gap between
 * mean confidence and accuracy in each bin, weighted by its size. 0 = the confidence means what it says.
 */
export function calibrationError(confidence: number[], correct: boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  confidence.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]! += 1;
    conf[b]! += c;
    if (correct[i]) hits[b]! += 1;
  });
  let error = 0;
  for (let b = 0; b < bins; b++) if (count[b]) error += Math.abs(conf[b]! - hits[b]!) / confidence.length;
  return error;
}

/** A fixed-width text table of the per-label figures and the confusion matrix, for a terminal. */
export function formatEvaluation(e: Evaluation): string {
  const pct = (x: number) => x.toFixed(3);
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
  const padLeft = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;
  const first = Math.max(12, ...e.labels.map((l) => width(l.label))) + 2;
  const lines = [pad('label', first) + ['precision', 'recall', 'f1', 'support'].map((h) => padLeft(h, 10)).join('')];
  for (const l of e.labels) {
    lines.push(pad(l.label, first) + [pct(l.precision), pct(l.recall), pct(l.f1), String(l.support)].map((v) => padLeft(v, 10)).join(''));
  }
  lines.push(pad('macro avg', first) + padLeft('', 20) + padLeft(pct(e.macroF1), 10) + padLeft(String(e.n), 10));
  lines.push(pad('accuracy', first) + padLeft('', 20) + padLeft(pct(e.accuracy), 10) + padLeft(String(e.n), 10));
  lines.push('', 'confusion matrix (rows: true label, columns: predicted, in the order above)');
  const cell = Math.max(6, ...e.confusion.flat().map((v) => String(v).length + 1));
  lines.push(pad('', first) + e.labels.map((_, j) => padLeft(`#${j + 1}`, cell)).join(''));
  e.confusion.forEach((row, i) => lines.push(pad(`#${i + 1} ${e.labels[i]!.label}`, first) + row.map((v) => padLeft(String(v), cell)).join('')));
  return lines.join('\n');
}
