// Linear classifiers over sparse TF-IDF vectors: a one-vs-rest linear SVM trained by dual coordinate
// descent (the liblinear algorithm, L2-regularised squared hinge loss), and multinomial logistic
// regression trained by L-BFGS. Both give a score per class; calibrate.ts turns scores into probabilities.
import type { SparseVector } from './features.js';
import { seededRandom, shuffle } from '../../shared/random.js';

// training is reproducible, run to run
export { seededRandom, shuffle };

/** Weights of a linear model: `w` holds one row of `dim` weights per class, `b` one bias per class. */
export interface LinearWeights {
  classes: string[];
  dim: number;
  w: Float32Array;
  b: Float32Array;
}

/** The score of every class for `x` (w·x + b). */
export function linearScores(m: LinearWeights, x: SparseVector): Float64Array {
  const out = new Float64Array(m.classes.length);
  for (let c = 0; c < out.length; c++) {
    const row = c * m.dim;
    let s = m.b[c]!;
    for (let k = 0; k < x.idx.length; k++) s += m.w[row + x.idx[k]!]! * x.val[k]!;
    out[c] = s;
  }
  return out;
}

/** The classes present in `labels`, sorted, and each label's class index. */
export function classIndex(labels: string[]): { classes: string[]; y: Int32Array } {
  const classes = [...new Set(labels)].sort();
  const at = new Map(classes.map((c, i) => [c, i]));
  return { classes, y: Int32Array.from(labels, (l) => at.get(l)!) };
}

export interface SvmOptions {
  /** inverse regularisation strength */
  C: number;
  /** weigh errors so that a class and the rest count alike, whatever their sizes (macro-F1) */
  balanced: boolean;
  maxEpochs: number;
  /** stop when the projected gradient's spread falls below this */
  tolerance: number;
  seed: number;
}

export const DEFAULT_SVM: SvmOptions = { C: 0.5, balanced: true, maxEpochs: 200, tolerance: 0.1, seed: 1 };

/**
 * One-vs-rest L2-regularised L2-loss linear SVM, dual coordinate descent (Hsieh et al., ICML 2008;
 * liblinear's solver 1). The bias is a constant feature of value 1, regularised like the rest.
 */
export function trainSvm(xs: SparseVector[], labels: string[], dim: number, options: SvmOptions = DEFAULT_SVM): LinearWeights {
  const { classes, y } = classIndex(labels);
  const w = new Float32Array(classes.length * dim);
  const b = new Float32Array(classes.length);
  const n = xs.length;
  const sq = Float64Array.from(xs, (x) => x.val.reduce((s, v) => s + v * v, 0) + 1);
  const counts = classes.map((_, c) => y.reduce((s, yi) => s + (yi === c ? 1 : 0), 0));
  const random = seededRandom(options.seed);
  for (let c = 0; c < classes.length; c++) {
    const row = c * dim;
    const alpha = new Float64Array(n);
    const wc = new Float64Array(dim);
    let bc = 0;
    // balanced: each side of the one-vs-rest split weighs as much as the other
    const cPos = options.balanced ? options.C * n / (2 * counts[c]!) : options.C;
    const cNeg = options.balanced ? options.C * n / (2 * (n - counts[c]!)) : options.C;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      shuffle(order, random);
      let maxPg = -Infinity;
      let minPg = Infinity;
      for (const i of order) {
        const x = xs[i]!;
        const yi = y[i] === c ? 1 : -1;
        const diag = 0.5 / (yi > 0 ? cPos : cNeg);
        let dot = bc;
        for (let k = 0; k < x.idx.length; k++) dot += wc[x.idx[k]!]! * x.val[k]!;
        const g = yi * dot - 1 + diag * alpha[i]!;
        const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
        if (pg > maxPg) maxPg = pg;
        if (pg < minPg) minPg = pg;
        if (Math.abs(pg) > 1e-12) {
          const old = alpha[i]!;
          const next = Math.max(old - g / (sq[i]! + diag), 0);
          alpha[i] = next;
          const d = (next - old) * yi;
          for (let k = 0; k < x.idx.length; k++) wc[x.idx[k]!]! += d * x.val[k]!;
          bc += d;
        }
      }
      if (maxPg - minPg < options.tolerance) break;
    }
    for (let j = 0; j < dim; j++) w[row + j] = wc[j]!;
    b[c] = bc;
  }
  return { classes, dim, w, b };
}
