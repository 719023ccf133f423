// From text to sparse TF-IDF vectors: the analyser (which tokens a text yields) and the vectoriser
// (a vocabulary learnt from the training texts, with each term's inverse document frequency).
import { charNgramCode, charNgramCodes, charNgrams, normalizeText, type Segmenter } from './text.js';

/** A sparse vector: ascending feature indices and their values. */
export interface SparseVector {
  idx: Uint32Array;
  val: Float32Array;
}

/** Which tokens a text yields: jieba words (and word pairs), character n-grams, or both. */
export interface AnalyzerOptions {
  /** jieba words: 1 = single words, 2 = also adjacent pairs; 0 = none */
  wordNgrams: 0 | 1 | 2;
  /** character n-grams within runs of Chinese characters, [min, max]; null = none */
  charNgrams: [number, number] | null;
  /** read only the first this many characters (the opening states the matter); absent = all */
  headChars?: number;
}

export const DEFAULT_ANALYZER: AnalyzerOptions = { wordNgrams: 2, charNgrams: [1, 3] };

/**
 * The tokens of a text. When one analyser yields both kinds, word and character features are
 * prefixed apart (w:路灯, c:路灯); a block of one kind needs no prefix (and saves the strings).
 */
export function analyze(text: string, options: AnalyzerOptions, segmenter: Segmenter | null): string[] {
  return analyzeNormalized(normalizeText(text), options, segmenter);
}

function analyzeNormalized(all: string, options: AnalyzerOptions, segmenter: Segmenter | null): string[] {
  const normalized = options.headChars ? all.slice(0, options.headChars) : all;
  const both = options.wordNgrams > 0 && options.charNgrams !== null;
  const tokens: string[] = [];
  if (options.wordNgrams > 0) {
    if (!segmenter) throw new Error('word features need a segmenter');
    const words = segmenter.words(normalized);
    for (const w of words) tokens.push(both ? 'w:' + w : w);
    if (options.wordNgrams === 2) for (let i = 0; i + 1 < words.length; i++) tokens.push(`${both ? 'w:' : ''}${words[i]}_${words[i + 1]}`);
  }
  if (options.charNgrams) {
    for (const g of charNgrams(normalized, options.charNgrams[0], options.charNgrams[1])) tokens.push(both ? 'c:' + g : g);
  }
  return tokens;
}

export interface VectorizerOptions {
  /** a term must occur in at least this many training texts */
  minDf: number;
  /** a term in more than this share of the texts says nothing about any class */
  maxDfRatio: number;
  /** at most this many terms, the most frequent kept */
  maxFeatures: number;
}

export const DEFAULT_VECTORIZER: VectorizerOptions = { minDf: 2, maxDfRatio: 0.5, maxFeatures: 300_000 };

/** The vectoriser as stored with a model: terms in index order and their IDF. */
export interface VectorizerState {
  terms: string[];
  idf: number[];
}

/**
 * TF-IDF with sublinear term frequency (1 + ln tf), smoothed IDF (ln((1 + n) / (1 + df)) + 1) and
 * unit length, the usual weighting for linear text classifiers.
 */
export class TfidfVectorizer {
  readonly terms: string[];
  private readonly index: Map<string, number>;
  readonly idf: Float32Array;

  constructor(state: VectorizerState) {
    this.terms = state.terms;
    this.index = new Map(state.terms.map((t, i) => [t, i]));
    this.idf = Float32Array.from(state.idf);
  }

  static fit(docs: string[][], options: VectorizerOptions = DEFAULT_VECTORIZER): TfidfVectorizer {
    const df = new Map<string, number>();
    for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
    const maxDf = Math.max(options.minDf, Math.floor(options.maxDfRatio * docs.length));
    const kept = [...df].filter(([, n]) => n >= options.minDf && n <= maxDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, options.maxFeatures)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const n = docs.length;
    return new TfidfVectorizer({ terms: kept.map(([t]) => t), idf: kept.map(([, d]) => Math.log((1 + n) / (1 + d)) + 1) });
  }

  get dim(): number {
    return this.terms.length;
  }

  transform(tokens: string[]): SparseVector {
    return this.weigh(found(tokens, this.index));
  }

  private codeIndex: Map<number, number> | null = null;

  /** transform() for character n-grams given as charNgramCodes (a vocabulary of n-grams only). */
  transformCodes(codes: number[]): SparseVector {
    this.codeIndex ??= new Map(this.terms.map((t, i) => [charNgramCode(t), i]));
    return this.weigh(found(codes, this.codeIndex));
  }

  /** Term indices (with repeats) to a unit-length TF-IDF vector: sorted, then counted run by run. */
  private weigh(found: Uint32Array): SparseVector {
    const n = found.length;
    const sorted = found.sort();
    let distinct = 0;
    for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
    const idx = new Uint32Array(distinct);
    const val = new Float32Array(distinct);
    let norm = 0;
    for (let k = 0, d = -1; k < n; k++) {
      if (k === 0 || sorted[k] !== sorted[k - 1]) idx[++d] = sorted[k]!;
      val[d] = val[d]! + 1;
    }
    for (let d = 0; d < distinct; d++) {
      const v = (1 + Math.log(val[d]!)) * this.idf[idx[d]!]!;
      val[d] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < distinct; d++) val[d] = val[d]! * scale;
    }
    return { idx, val };
  }

  toJSON(): VectorizerState {
    return { terms: this.terms, idf: Array.from(this.idf, (x) => Math.round(x * 1e4) / 1e4) };
  }
}

/** The indices of the tokens the vocabulary knows, with repeats. */
function found<K>(tokens: K[], index: Map<K, number>): Uint32Array {
  const out = new Uint32Array(tokens.length);
  let n = 0;
  for (const t of tokens) {
    const i = index.get(t);
    if (i !== undefined) out[n++] = i;
  }
  return out.subarray(0, n);
}

/** One block of a feature space: an analyser, its vectoriser, and the block's weight in the whole. */
export interface FeatureBlock {
  analyzer: AnalyzerOptions;
  vectorizer: TfidfVectorizer;
  weight: number;
}

/**
 * Several TF-IDF blocks side by side (jieba words, character n-grams), each of unit length times its
 * weight before the whole is scaled to unit length: the many character n-grams do not drown the words.
 */
export class FeatureSpace {
  readonly offsets: number[];
  readonly dim: number;

  constructor(readonly blocks: FeatureBlock[], readonly segmenter: Segmenter | null) {
    let dim = 0;
    this.offsets = blocks.map((b) => { const o = dim; dim += b.vectorizer.dim; return o; });
    this.dim = dim;
  }

  static fit(texts: string[], specs: { analyzer: AnalyzerOptions; weight: number }[], segmenter: Segmenter | null,
    options: VectorizerOptions = DEFAULT_VECTORIZER): FeatureSpace {
    return new FeatureSpace(specs.map((spec) => ({ ...spec,
      vectorizer: TfidfVectorizer.fit(texts.map((t) => analyze(t, spec.analyzer, segmenter)), options) })), segmenter);
  }

  transform(text: string): SparseVector {
    const normalized = normalizeText(text);
    const parts = this.blocks.map(({ analyzer: a, vectorizer }) => (a.wordNgrams === 0 && a.charNgrams && !a.headChars && a.charNgrams[1] <= 3
      ? vectorizer.transformCodes(charNgramCodes(normalized, a.charNgrams[0], a.charNgrams[1]))
      : vectorizer.transform(analyzeNormalized(normalized, a, this.segmenter))));
    const size = parts.reduce((s, p) => s + p.idx.length, 0);
    const idx = new Uint32Array(size);
    const val = new Float32Array(size);
    let k = 0;
    let norm = 0;
    parts.forEach((p, b) => {
      const weight = this.blocks[b]!.weight;
      for (let j = 0; j < p.idx.length; j++, k++) {
        idx[k] = p.idx[j]! + this.offsets[b]!;
        val[k] = p.val[j]! * weight;
        norm += val[k]! * val[k]!;
      }
    });
    if (norm > 0) for (let j = 0; j < size; j++) val[j] = val[j]! / Math.sqrt(norm);
    return { idx, val };
  }

  /** The term behind a feature index, and whether it is a word (not a character n-grams), for evidence. */
  term(index: number): { term: string; word: boolean } {
    let b = this.offsets.length - 1;
    while (b > 0 && this.offsets[b]! > index) b--;
    const block = this.blocks[b]!;
    const term = block.vectorizer.terms[index - this.offsets[b]!]!;
    if (block.analyzer.wordNgrams > 0 && block.analyzer.charNgrams !== null) {
      return { term: term.slice(2), word: term.startsWith('w:') };
    }
    return { term, word: block.analyzer.wordNgrams > 0 };
  }
}
