// The text classifier the hotline uses: one feature space (jieba words and character n-grams, TF-IDF)
// read by a tree of linear heads, one per node of the category tree that has children to tell apart
// (the root tells the top-level categories apart, the head under 城乡建设 its sub-categories, …).
// Each head is a one-vs-rest linear SVM whose scores become probabilities by a temperature fitted on
// held-out folds, so that "0.8" means right about 8 times in 10. A flat label set (the request type,
// the evaluation command's labels) is the one-level case.
import { gunzipSync, gzipSync } from 'node:zlib';
import { FeatureSpace, DEFAULT_VECTORIZER, type AnalyzerOptions, type SparseVector, type VectorizerOptions, TfidfVectorizer } from './features.js';
import { DEFAULT_SVM, linearScores, trainSvm, type LinearWeights, type SvmOptions } from './linear.js';
import { fitTemperature, softmax } from './calibrate.js';
import { groupIndices, stratifiedFolds } from './dataset.js';
import { sharedSegmenter, type Segmenter } from './text.js';

/** How a classifier is built: chosen by bench/classify-compare.ts (figures in docs/decisions.md). */
export interface Recipe {
  blocks: { analyzer: AnalyzerOptions; weight: number }[];
  vectorizer: VectorizerOptions;
  svm: SvmOptions;
  /** folds whose held-out scores fit each head's temperature (2 or more) */
  calibrationFolds: number;
  /** below the top level, a category needs this many training texts to be told apart from its siblings */
  minExamples: number;
  /** at most this many weights per head (classes × features); the largest are kept */
  maxWeightsPerHead: number;
}

export const DEFAULT_RECIPE: Recipe = {
  blocks: [
    { analyzer: { wordNgrams: 1, charNgrams: null }, weight: 1 },
    { analyzer: { wordNgrams: 0, charNgrams: [1, 2] }, weight: 1 },
  ],
  vectorizer: DEFAULT_VECTORIZER,
  svm: { ...DEFAULT_SVM, C: 1.2 },
  calibrationFolds: 3,
  minExamples: 10,
  maxWeightsPerHead: 2_000_000,
};

/** A training text and its label path from the top level down (one label for a flat label set). */
export interface TrainingExample {
  text: string;
  path: string[];
}

/** One head: tells the children of the node `key` apart. Weights are stored by feature (CSR). */
interface Head {
  key: string;
  classes: string[];
  temperature: number;
  bias: Float32Array;
  /** entries of feature j are ptr[j] .. ptr[j+1] */
  ptr: Uint32Array;
  cls: Uint16Array;
  w: Float32Array;
  /**
   * A node with one well-supported child has nothing to tell apart: the child follows with the
   * share of the node's training texts it holds (its weights are empty).
   */
  fixed?: number;
}

export interface Evidence {
  /** a word or character n-gram of the text */
  term: string;
  /** its contribution to the class's score */
  weight: number;
}

export interface PathStep {
  label: string;
  /** probability of this label given its parent */
  probability: number;
  /** probability of the whole path down to this label */
  cumulative: number;
  /** the text's terms that weighed most for this label against its siblings */
  evidence: Evidence[];
}

export interface Prediction {
  /** the most probable label at each level, from the top down, as deep as there are heads */
  path: PathStep[];
  /** the most probable label paths, best first, with their probability */
  alternatives: { path: string[]; probability: number }[];
}

export interface ClassifierInfo {
  trainedAt: string;
  examples: number;
  features: number;
  heads: number;
  /** labels at the top level, with their training counts */
  labels: Record<string, number>;
}

const headKey = (path: string[]) => path.join('/');

export class TextClassifier {
  private constructor(
    readonly recipe: Recipe,
    readonly space: FeatureSpace,
    private readonly heads: Map<string, Head>,
    readonly info: ClassifierInfo,
  ) {}

  /** Top-level labels, sorted. */
  get labels(): string[] {
    return this.heads.get('')!.classes;
  }

  static train(examples: TrainingExample[], segmenter: Segmenter | null, recipe: Recipe = DEFAULT_RECIPE, now = new Date()): TextClassifier {
    const top = new Set(examples.map((e) => e.path[0]));
    if (top.size < 2) throw new Error('a classifier needs at least two labels at the top level');
    const space = FeatureSpace.fit(examples.map((e) => e.text), recipe.blocks, segmenter, recipe.vectorizer);
    const xs = examples.map((e) => space.transform(e.text));
    const heads = new Map<string, Head>();
    // breadth first: each node with well-supported children gets a head (one child: a fixed step)
    const queue: { path: string[]; members: number[] }[] = [{ path: [], members: examples.map((_, i) => i) }];
    while (queue.length) {
      const { path, members } = queue.shift()!;
      const depth = path.length;
      // positions within `members`, mapped back to example indices
      const byChild = new Map([...groupIndices(members.map((i) => examples[i]!.path[depth]))]
        .map(([label, at]) => [label, at.map((k) => members[k]!)]));
      const minimum = depth === 0 ? 1 : recipe.minExamples;
      const kept = [...byChild].filter(([, m]) => m.length >= minimum);
      if (kept.length === 0) continue;
      if (kept.length === 1) {
        const [label, m] = kept[0]!;
        heads.set(headKey(path), { key: headKey(path), classes: [label], temperature: 1, bias: new Float32Array(1),
          ptr: new Uint32Array(0), cls: new Uint16Array(0), w: new Float32Array(0), fixed: m.length / members.length });
        queue.push({ path: [...path, label], members: m });
        continue;
      }
      const used = kept.flatMap(([, m]) => m);
      heads.set(headKey(path), trainHead(headKey(path), used.map((i) => xs[i]!), used.map((i) => examples[i]!.path[depth]!), space.dim, recipe));
      for (const [label, m] of kept) queue.push({ path: [...path, label], members: m });
    }
    const labels: Record<string, number> = {};
    for (const e of examples) labels[e.path[0]!] = (labels[e.path[0]!] ?? 0) + 1;
    return new TextClassifier(recipe, space, heads, { trainedAt: now.toISOString(), examples: examples.length, features: space.dim,
      heads: heads.size, labels });
  }

  /** The labels of a text, with calibrated probabilities, the top `alternatives` paths and the evidence. */
  predict(text: string, alternatives = 3): Prediction {
    return this.predictVector(this.space.transform(text), alternatives);
  }

  predictVector(x: SparseVector, alternatives = 3): Prediction {
    const path: PathStep[] = [];
    let cumulative = 1;
    // each head is read once per text, by the path and by the beam alike
    const seen = new Map<Head, Float64Array>();
    const probabilities = (head: Head) => {
      let p = seen.get(head);
      if (!p) seen.set(head, (p = headProbabilities(head, x)));
      return p;
    };
    for (let head = this.heads.get(''); head; head = this.heads.get(headKey(path.map((s) => s.label)))) {
      const p = probabilities(head);
      const best = argmax(p);
      cumulative *= p[best]!;
      path.push({ label: head.classes[best]!, probability: p[best]!, cumulative,
        evidence: head.fixed !== undefined ? [] : evidenceFor(head, x, best, this.space, 5) });
    }
    return { path, alternatives: this.beam(probabilities, alternatives) };
  }

  /** Beam search over the heads: the `n` label paths of highest joint probability. */
  private beam(probabilities: (head: Head) => Float64Array, n: number): { path: string[]; probability: number }[] {
    let frontier: { path: string[]; probability: number; done: boolean }[] = [{ path: [], probability: 1, done: false }];
    while (frontier.some((f) => !f.done)) {
      const next: typeof frontier = [];
      for (const f of frontier) {
        const head = f.done ? undefined : this.heads.get(headKey(f.path));
        if (!head) { next.push({ ...f, done: true }); continue; }
        const p = probabilities(head);
        head.classes.forEach((label, c) => next.push({ path: [...f.path, label], probability: f.probability * p[c]!, done: false }));
      }
      frontier = next.sort((a, b) => b.probability - a.probability).slice(0, Math.max(n, 1) * 2);
    }
    return frontier.slice(0, n).map(({ path, probability }) => ({ path, probability }));
  }

  /** A compact binary form (gzip): a JSON header and the typed arrays it points into. */
  serialize(): Buffer {
    const sections: { name: string; bytes: Uint8Array }[] = [];
    const add = (name: string, array: Float32Array | Uint32Array | Uint16Array) => {
      sections.push({ name, bytes: new Uint8Array(array.buffer, array.byteOffset, array.byteLength) });
      return name;
    };
    const header = {
      format: 'minsheng-text-classifier',
      version: 1,
      recipe: this.recipe,
      info: this.info,
      dictionary: this.space.segmenter?.extraWords ?? null,
      blocks: this.space.blocks.map((b, i) => ({ analyzer: b.analyzer, weight: b.weight, terms: b.vectorizer.terms,
        idf: add(`idf${i}`, b.vectorizer.idf) })),
      heads: [...this.heads.values()].map((h, i) => ({ key: h.key, classes: h.classes, temperature: h.temperature, fixed: h.fixed,
        bias: add(`bias${i}`, h.bias), ptr: add(`ptr${i}`, h.ptr), cls: add(`cls${i}`, h.cls), w: add(`w${i}`, h.w) })),
      sections: [] as { name: string; offset: number; length: number }[],
    };
    let offset = 0;
    for (const s of sections) {
      // keep every section 4-byte aligned so that typed arrays can view it in place
      header.sections.push({ name: s.name, offset, length: s.bytes.byteLength });
      offset += Math.ceil(s.bytes.byteLength / 4) * 4;
    }
    const json = Buffer.from(JSON.stringify(header));
    const body = Buffer.alloc(8 + Math.ceil(json.length / 4) * 4 + offset);
    body.writeUInt32LE(json.length, 0);
    json.copy(body, 8);
    const base = 8 + Math.ceil(json.length / 4) * 4;
    header.sections.forEach((s, i) => body.set(sections[i]!.bytes, base + s.offset));
    return gzipSync(body, { level: 6 });
  }

  /** Reads a stored model; its texts are segmented with the words it was trained with (a shared segmenter). */
  static deserialize(data: Buffer | Uint8Array): TextClassifier {
    const body = gunzipSync(data);
    const length = body.readUInt32LE(0);
    const header = JSON.parse(body.subarray(8, 8 + length).toString('utf8'));
    if (header.format !== 'minsheng-text-classifier' || header.version !== 1) throw new Error('not a Minsheng text classifier (version 1)');
    const base = 8 + Math.ceil(length / 4) * 4;
    // copy into a fresh aligned buffer, then view each section
    const aligned = new Uint8Array(body.length - base);
    aligned.set(body.subarray(base));
    const at = new Map<string, { offset: number; length: number }>(header.sections.map((s: { name: string; offset: number; length: number }) => [s.name, s]));
    const view = <T>(name: string, Kind: { new(b: ArrayBuffer, o: number, n: number): T; BYTES_PER_ELEMENT: number }): T => {
      const s = at.get(name)!;
      return new Kind(aligned.buffer, s.offset, s.length / Kind.BYTES_PER_ELEMENT);
    };
    const blocks = header.blocks.map((b: { analyzer: AnalyzerOptions; weight: number; terms: string[]; idf: string }) => ({
      analyzer: b.analyzer, weight: b.weight, vectorizer: new TfidfVectorizer({ terms: b.terms, idf: Array.from(view(b.idf, Float32Array)) }) }));
    const heads = new Map<string, Head>(header.heads.map((h: { key: string; classes: string[]; temperature: number; fixed?: number; bias: string;
      ptr: string; cls: string; w: string }) =>
      [h.key, { key: h.key, classes: h.classes, temperature: h.temperature, bias: view(h.bias, Float32Array), ptr: view(h.ptr, Uint32Array),
        cls: view(h.cls, Uint16Array), w: view(h.w, Float32Array), ...(h.fixed !== undefined ? { fixed: h.fixed } : {}) }]));
    const segmenter = header.dictionary ? sharedSegmenter(header.dictionary) : null;
    return new TextClassifier(header.recipe, new FeatureSpace(blocks, segmenter), heads, header.info);
  }
}

const argmax = (xs: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
};

function headScores(head: Head, x: SparseVector): Float64Array {
  const out = Float64Array.from(head.bias);
  for (let k = 0; k < x.idx.length; k++) {
    const j = x.idx[k]!;
    const v = x.val[k]!;
    for (let e = head.ptr[j]!; e < head.ptr[j + 1]!; e++) out[head.cls[e]!]! += head.w[e]! * v;
  }
  return out;
}

const headProbabilities = (head: Head, x: SparseVector) =>
  (head.fixed !== undefined ? Float64Array.of(head.fixed) : softmax(headScores(head, x), head.temperature));

/** The terms of `x` that pushed class `c` above the others most (w_c·x_j − mean over the other classes). */
function evidenceFor(head: Head, x: SparseVector, c: number, space: FeatureSpace, n: number): Evidence[] {
  const k = head.classes.length;
  const found: { j: number; weight: number }[] = [];
  for (let i = 0; i < x.idx.length; i++) {
    const j = x.idx[i]!;
    let own = 0;
    let others = 0;
    for (let e = head.ptr[j]!; e < head.ptr[j + 1]!; e++) {
      if (head.cls[e] === c) own += head.w[e]!;
      else others += head.w[e]!;
    }
    const weight = (own - others / Math.max(1, k - 1)) * x.val[i]!;
    if (weight > 0) found.push({ j, weight });
  }
  found.sort((a, b) => b.weight - a.weight);
  // words of two characters or more read better than character n-grams (的问, 子上) and single
  // characters (度): the rest only where no such word weighed
  const terms = found.slice(0, 4 * n).map((f) => ({ ...space.term(f.j), weight: f.weight }));
  const words = terms.filter((t) => t.word && t.term.length > 1);
  const shown: Evidence[] = [];
  for (const e of words.length ? words : terms) {
    // a term inside one already shown adds nothing
    if (shown.some((s) => s.term.includes(e.term) || e.term.includes(s.term))) continue;
    shown.push({ term: e.term, weight: Math.round(e.weight * 1000) / 1000 });
    if (shown.length === n) break;
  }
  return shown;
}

/** Trains one head and fits its temperature on held-out folds. */
function trainHead(key: string, xs: SparseVector[], labels: string[], dim: number, recipe: Recipe): Head {
  const weights = trainSvm(xs, labels, dim, recipe.svm);
  return toHead(key, weights, calibrate(xs, labels, weights.classes, dim, recipe), recipe.maxWeightsPerHead);
}

/** Fewer held-out texts than this fit a temperature to noise (a perfect fold says "always sure"). */
const MIN_CALIBRATION_TEXTS = 30;

/**
 * The temperature that makes held-out scores honest: each fold is scored by a model trained on the
 * others. A head with too few texts to hold enough out keeps temperature 1 on its raw SVM scores
 * (a margin of 1 against each of two rivals reads as 0.79: confident, never certain).
 */
function calibrate(xs: SparseVector[], labels: string[], classes: string[], dim: number, recipe: Recipe): number {
  const folds = Math.min(recipe.calibrationFolds, xs.length);
  if (folds < 2 || xs.length < MIN_CALIBRATION_TEXTS) return 1;
  const scores: Float64Array[] = new Array(xs.length);
  const truth = labels.map((l) => classes.indexOf(l));
  for (const fold of stratifiedFolds(labels, folds, recipe.svm.seed)) {
    const held = new Set(fold);
    const rest = xs.map((_, i) => i).filter((i) => !held.has(i));
    if (new Set(rest.map((i) => labels[i])).size < 2) return 1;
    const m: LinearWeights = trainSvm(rest.map((i) => xs[i]!), rest.map((i) => labels[i]!), dim, recipe.svm);
    for (const i of fold) {
      const s = linearScores(m, xs[i]!);
      // a class the fold's model never saw scores below every other
      const low = Math.min(...s) - 1;
      scores[i] = Float64Array.from(classes, (c) => { const at = m.classes.indexOf(c); return at >= 0 ? s[at]! : low; });
    }
  }
  return fitTemperature(scores, truth);
}

/** Dense weights to a head stored by feature, keeping the largest weights within the head's budget. */
function toHead(key: string, m: LinearWeights, temperature: number, budget: number): Head {
  const k = m.classes.length;
  const perClass = Math.floor(budget / k);
  const threshold = new Float32Array(k);
  if (k * m.dim > budget) {
    for (let c = 0; c < k; c++) {
      const magnitudes = Float32Array.from(m.w.subarray(c * m.dim, (c + 1) * m.dim), Math.abs).sort();
      threshold[c] = magnitudes[Math.max(0, m.dim - perClass)]!;
    }
  }
  const ptr = new Uint32Array(m.dim + 1);
  const cls: number[] = [];
  const w: number[] = [];
  for (let j = 0; j < m.dim; j++) {
    for (let c = 0; c < k; c++) {
      const v = m.w[c * m.dim + j]!;
      if (v !== 0 && Math.abs(v) >= threshold[c]!) { cls.push(c); w.push(v); }
    }
    ptr[j + 1] = cls.length;
  }
  return { key, classes: m.classes, temperature, bias: m.b, ptr, cls: Uint16Array.from(cls), w: Float32Array.from(w) };
}
