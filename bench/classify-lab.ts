// The experiments behind the classifier's choices, shared by the benchmark (bench/classify.ts) and
// the tuning tool (bench/classify-compare.ts): a feature space and a model family, trained on some
// labelled texts and scored on others.
import { analyze, DEFAULT_VECTORIZER, FeatureSpace, type AnalyzerOptions, type VectorizerOptions } from '../src/modules/classify/features.js';
import type { Labelled } from '../src/modules/classify/dataset.js';
import { DEFAULT_SVM, linearScores, trainSvm } from '../src/modules/classify/linear.js';
import { DEFAULT_LOGISTIC, trainLogistic } from './classify-lab/logistic.js';
import { DEFAULT_FASTTEXT, fastTextScores, trainFastText } from './classify-lab/fasttext.js';
import { evaluate } from '../src/modules/classify/metrics.js';
import type { Segmenter } from '../src/modules/classify/text.js';

export const ANALYZERS: Record<string, AnalyzerOptions> = {
  words1: { wordNgrams: 1, charNgrams: null },
  words2: { wordNgrams: 2, charNgrams: null },
  chars12: { wordNgrams: 0, charNgrams: [1, 2] },
  chars13: { wordNgrams: 0, charNgrams: [1, 3] },
  chars23: { wordNgrams: 0, charNgrams: [2, 3] },
  chars24: { wordNgrams: 0, charNgrams: [2, 4] },
  head40: { wordNgrams: 1, charNgrams: null, headChars: 40 },
  head80: { wordNgrams: 1, charNgrams: [2, 2], headChars: 80 },
};

/** "words1+chars12*0.7": blocks joined by +, each with an optional weight after * */
export function parseSpace(name: string): { analyzer: AnalyzerOptions; weight: number }[] {
  return name.split('+').map((part) => {
    const [analyzer, weight] = part.split('*');
    if (!ANALYZERS[analyzer!]) throw new Error(`no analyser ${analyzer}; known: ${Object.keys(ANALYZERS).join(', ')}`);
    return { analyzer: ANALYZERS[analyzer!]!, weight: weight ? Number(weight) : 1 };
  });
}

export interface Result {
  accuracy: number;
  macroF1: number;
  trainSeconds: number;
  msPerText: number;
  features: number;
}

const argmax = (s: ArrayLike<number>) => { let b = 0; for (let i = 1; i < s.length; i++) if (s[i]! > s[b]!) b = i; return b; };

/**
 * Trains `model` ("svm:C", "svmu:C" unbalanced, "logistic:λ", "fasttext:epochs") on the feature space
 * `space` over rows[train], and scores it on rows[test]; training time includes the vectoriser.
 */
export function trainAndScore(rows: Labelled[], train: number[], test: number[], space: string, model: string, segmenter: Segmenter,
  vectorizer: VectorizerOptions = DEFAULT_VECTORIZER): Result {
  const [family, param] = model.split(':');
  let t = performance.now();
  const fs = FeatureSpace.fit(train.map((i) => rows[i]!.text), parseSpace(space), segmenter, vectorizer);
  const trainY = train.map((i) => rows[i]!.label);
  let predict: (text: string) => string;
  if (family === 'fasttext') {
    // fastText reads raw tokens (with repeats), indexed by the space's vocabulary
    const index = new Map<string, number>();
    fs.blocks.forEach((b, k) => b.vectorizer.terms.forEach((term, j) => index.set(`${k}|${term}`, fs.offsets[k]! + j)));
    const ids = (text: string) => Uint32Array.from(fs.blocks.flatMap((b, k) => analyze(text, b.analyzer, segmenter)
      .map((tk) => index.get(`${k}|${tk}`)).filter((x): x is number => x !== undefined)));
    const m = trainFastText(train.map((i) => ids(rows[i]!.text)), trainY, fs.dim, { ...DEFAULT_FASTTEXT, epochs: Number(param ?? DEFAULT_FASTTEXT.epochs) });
    predict = (text) => m.classes[argmax(fastTextScores(m, ids(text)))]!;
  } else {
    const xs = train.map((i) => fs.transform(rows[i]!.text));
    const m = family === 'logistic'
      ? trainLogistic(xs, trainY, fs.dim, { ...DEFAULT_LOGISTIC, l2: Number(param ?? DEFAULT_LOGISTIC.l2) })
      : trainSvm(xs, trainY, fs.dim, { ...DEFAULT_SVM, C: Number(param ?? DEFAULT_SVM.C), balanced: family !== 'svmu' });
    predict = (text) => m.classes[argmax(linearScores(m, fs.transform(text)))]!;
  }
  const trainSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const predicted = test.map((i) => predict(rows[i]!.text));
  const msPerText = (performance.now() - t) / test.length;
  const e = evaluate(test.map((i) => rows[i]!.label), predicted);
  return { accuracy: e.accuracy, macroF1: e.macroF1, trainSeconds, msPerText, features: fs.dim };
}
