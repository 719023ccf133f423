// Linear classifiers over sparse TF-IDF vectors: a one-vs-rest linear SVM trained by dual coordinate
// descent (the liblinear algorithm, L2-regularised squared hinge loss), and multinomial logistic
// regression trained by L-BFGS. Both give a score per class; calibrate.ts turns scores into probabilities.
import type { SparseVector } from './features.js';

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

/** A seeded generator (mulberry32): training is reproducible, run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
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

export interface LogisticOptions {
  /** L2 penalty on the weights (λ/2 · ‖w‖², the loss summed over the training texts) */
  l2: number;
  maxIterations: number;
  /** L-BFGS history length */
  memory: number;
  balanced: boolean;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { l2: 1, maxIterations: 300, memory: 10, balanced: true };

/** Multinomial logistic regression (softmax), full-batch L-BFGS on the penalised log loss. */
export function trainLogistic(xs: SparseVector[], labels: string[], dim: number, options: LogisticOptions = DEFAULT_LOGISTIC): LinearWeights {
  const { classes, y } = classIndex(labels);
  const k = classes.length;
  const size = k * dim + k;
  const counts = classes.map((_, c) => y.reduce((s, yi) => s + (yi === c ? 1 : 0), 0));
  const weight = classes.map((_, c) => (options.balanced ? xs.length / (k * counts[c]!) : 1));
  const scores = new Float64Array(k);
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        let s = theta[k * dim + c]!;
        const row = c * dim;
        for (let j = 0; j < x.idx.length; j++) s += theta[row + x.idx[j]!]! * x.val[j]!;
        scores[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(scores[c]! - max);
      const logSum = max + Math.log(sum);
      const wi = weight[y[i]!]!;
      loss += wi * (logSum - scores[y[i]!]!);
      for (let c = 0; c < k; c++) {
        const d = wi * (Math.exp(scores[c]! - logSum) - (c === y[i] ? 1 : 0));
        const row = c * dim;
        for (let j = 0; j < x.idx.length; j++) grad[row + x.idx[j]!]! += d * x.val[j]!;
        grad[k * dim + c]! += d;
      }
    }
    for (let j = 0; j < k * dim; j++) {
      loss += 0.5 * options.l2 * theta[j]! * theta[j]!;
      grad[j]! += options.l2 * theta[j]!;
    }
    return loss;
  };
  const theta = lbfgs(objective, new Float64Array(size), options.maxIterations, options.memory);
  return { classes, dim, w: Float32Array.from(theta.subarray(0, k * dim)), b: Float32Array.from(theta.subarray(k * dim)) };
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Limited-memory BFGS with a backtracking (Armijo) line search; returns the minimiser found. */
export function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, maxIterations: number, memory: number,
  tolerance = 1e-5): Float64Array {
  const n = x0.length;
  let x = x0;
  let g = new Float64Array(n);
  let fx = f(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rhos: number[] = [];
  const gNorm0 = Math.sqrt(dot(g, g)) || 1;
  for (let iter = 0; iter < maxIterations; iter++) {
    // two-loop recursion: d = -H g
    const d = Float64Array.from(g, (v) => -v);
    const alphas: number[] = [];
    for (let m = ss.length - 1; m >= 0; m--) {
      const a = rhos[m]! * dot(ss[m]!, d);
      alphas[m] = a;
      for (let i = 0; i < n; i++) d[i]! -= a * ys[m]![i]!;
    }
    if (ss.length) {
      const last = ss.length - 1;
      const scale = dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!);
      for (let i = 0; i < n; i++) d[i]! *= scale;
    } else {
      const scale = 1 / gNorm0;
      for (let i = 0; i < n; i++) d[i]! *= scale;
    }
    for (let m = 0; m < ss.length; m++) {
      const beta = rhos[m]! * dot(ys[m]!, d);
      for (let i = 0; i < n; i++) d[i]! += (alphas[m]! - beta) * ss[m]![i]!;
    }
    let slope = dot(g, d);
    if (slope >= 0) { // not a descent direction: restart from the gradient
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
      ss.length = ys.length = rhos.length = 0;
    }
    let step = 1;
    const xNext = new Float64Array(n);
    const gNext = new Float64Array(n);
    let fNext = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNext[i] = x[i]! + step * d[i]!;
      fNext = f(xNext, gNext);
      if (fNext <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    const s = Float64Array.from(xNext, (v, i) => v - x[i]!);
    const yv = Float64Array.from(gNext, (v, i) => v - g[i]!);
    const sy = dot(s, yv);
    if (sy > 1e-10) {
      ss.push(s); ys.push(yv); rhos.push(1 / sy);
      if (ss.length > memory) { ss.shift(); ys.shift(); rhos.shift(); }
    }
    const improvement = fx - fNext;
    x = xNext; g = gNext; fx = fNext;
    if (Math.sqrt(dot(g, g)) < tolerance * gNorm0 || improvement < 1e-9 * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}
