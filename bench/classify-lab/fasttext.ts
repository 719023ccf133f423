// A fastText-style classifier (Joulin et al., "Bag of Tricks for Efficient Text Classification", 2017):
// each token has a learnt embedding, a text is the mean of its tokens' embeddings, and a softmax
// layer reads that mean. Trained by SGD with a linearly decaying rate, as fastText trains.
import { classIndex, seededRandom, shuffle } from '../../src/modules/classify/linear.js';

export interface FastTextOptions {
  dim: number;
  epochs: number;
  learningRate: number;
  seed: number;
}

export const DEFAULT_FASTTEXT: FastTextOptions = { dim: 64, epochs: 20, learningRate: 0.5, seed: 1 };

export interface FastTextWeights {
  classes: string[];
  vocabulary: number;
  dim: number;
  /** vocabulary × dim token embeddings */
  embeddings: Float32Array;
  /** classes × dim output weights */
  output: Float32Array;
}

function hidden(m: FastTextWeights, tokens: Uint32Array, h: Float64Array): void {
  h.fill(0);
  for (const t of tokens) {
    const row = t * m.dim;
    for (let d = 0; d < m.dim; d++) h[d]! += m.embeddings[row + d]!;
  }
  if (tokens.length) for (let d = 0; d < m.dim; d++) h[d]! /= tokens.length;
}

/** Class scores (logits) of a text given as token indices (with repeats). */
export function fastTextScores(m: FastTextWeights, tokens: Uint32Array): Float64Array {
  const h = new Float64Array(m.dim);
  hidden(m, tokens, h);
  const out = new Float64Array(m.classes.length);
  for (let c = 0; c < out.length; c++) {
    let s = 0;
    for (let d = 0; d < m.dim; d++) s += m.output[c * m.dim + d]! * h[d]!;
    out[c] = s;
  }
  return out;
}

/** Trains on texts given as token indices into a vocabulary of `vocabulary` tokens. */
export function trainFastText(docs: Uint32Array[], labels: string[], vocabulary: number,
  options: FastTextOptions = DEFAULT_FASTTEXT): FastTextWeights {
  const { classes, y } = classIndex(labels);
  const random = seededRandom(options.seed);
  const { dim } = options;
  const embeddings = Float32Array.from({ length: vocabulary * dim }, () => (random() * 2 - 1) / dim);
  const m: FastTextWeights = { classes, vocabulary, dim, embeddings, output: new Float32Array(classes.length * dim) };
  const h = new Float64Array(dim);
  const gradH = new Float64Array(dim);
  const p = new Float64Array(classes.length);
  const order = Array.from(docs, (_, i) => i);
  const total = options.epochs * docs.length;
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const lr = options.learningRate * (1 - step++ / total);
      const tokens = docs[i]!;
      if (tokens.length === 0) continue;
      hidden(m, tokens, h);
      let max = -Infinity;
      for (let c = 0; c < classes.length; c++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += m.output[c * dim + d]! * h[d]!;
        p[c] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let c = 0; c < classes.length; c++) sum += (p[c] = Math.exp(p[c]! - max));
      gradH.fill(0);
      for (let c = 0; c < classes.length; c++) {
        const g = lr * ((c === y[i] ? 1 : 0) - p[c]! / sum);
        const row = c * dim;
        for (let d = 0; d < dim; d++) {
          gradH[d]! += g * m.output[row + d]!;
          m.output[row + d]! += g * h[d]!;
        }
      }
      const scale = 1 / tokens.length;
      for (const t of tokens) {
        const row = t * dim;
        for (let d = 0; d < dim; d++) m.embeddings[row + d]! += gradH[d]! * scale;
      }
    }
  }
  return m;
}
