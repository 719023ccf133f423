// Compares segmenters and model families on the labelled messages (../shared/data/gov-messages):
// a stratified 80/20 split (seed 46 unless --seed), each feature space × each model, printing
// accuracy, macro-F1, training seconds and ms per text as JSON lines. A tuning tool: the choice kept
// is DEFAULT_RECIPE in src/modules/classify/model.ts.
//   npx tsx bench/classify-compare.ts --spaces words2,chars13,words2+chars13 --models svm:0.25,svm:0.5,fasttext
import { parseArgs } from 'node:util';
import { DEFAULT_VECTORIZER, FeatureSpace, type AnalyzerOptions } from '../src/modules/classify/features.js';
import { Segmenter } from '../src/modules/classify/text.js';
import { readLabelledCsv, stratifiedFolds, stratifiedSplit } from '../src/modules/classify/dataset.js';
import { DEFAULT_LOGISTIC, DEFAULT_SVM, linearScores, trainLogistic, trainSvm } from '../src/modules/classify/linear.js';
import { DEFAULT_FASTTEXT, fastTextScores, trainFastText } from '../src/modules/classify/fasttext.js';
import { evaluate } from '../src/modules/classify/metrics.js';
import { analyze } from '../src/modules/classify/features.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '46' }, data: { type: 'string' },
  spaces: { type: 'string', default: 'words1,words2,chars12,chars13,words2+chars13' },
  models: { type: 'string', default: 'svm:0.5,logistic:1,fasttext:20' },
  // tune by k-fold cross-validation inside the 80 %, leaving the 20 % untouched
  cv: { type: 'string' }, 'min-df': { type: 'string', default: '2' }, 'max-df': { type: 'string', default: '0.5' } } });
const file = values.data ?? new URL('../../shared/data/gov-messages/messages.csv', import.meta.url).pathname;
const rows = readLabelledCsv(file);
const labels = rows.map((r) => r.label);
const split = stratifiedSplit(labels, 0.2, Number(values.seed));
// each experiment: [train indices, test indices]; one for the split, k for cross-validation in its 80 %
const experiments: [number[], number[]][] = values.cv
  ? stratifiedFolds(split.train.map((i) => labels[i]!), Number(values.cv), Number(values.seed)).map((fold) => {
    const held = new Set(fold.map((j) => split.train[j]!));
    return [split.train.filter((i) => !held.has(i)), [...held]];
  })
  : [[split.train, split.test]];
const segmenter = new Segmenter();

const ANALYZERS: Record<string, AnalyzerOptions> = {
  words1: { wordNgrams: 1, charNgrams: null },
  words2: { wordNgrams: 2, charNgrams: null },
  chars12: { wordNgrams: 0, charNgrams: [1, 2] },
  chars13: { wordNgrams: 0, charNgrams: [1, 3] },
  chars23: { wordNgrams: 0, charNgrams: [2, 3] },
  chars24: { wordNgrams: 0, charNgrams: [2, 4] },
  head40: { wordNgrams: 1, charNgrams: null, headChars: 40 },
  head80: { wordNgrams: 1, charNgrams: [2, 2], headChars: 80 },
};
/** "words2+chars13*0.7": blocks joined by +, each with an optional weight after * */
function parseSpace(name: string) {
  return name.split('+').map((part) => {
    const [analyzer, weight] = part.split('*');
    return { analyzer: ANALYZERS[analyzer!]!, weight: weight ? Number(weight) : 1 };
  });
}
const round = (x: number) => Math.round(x * 10000) / 10000;
const argmax = (s: ArrayLike<number>) => { let b = 0; for (let i = 1; i < s.length; i++) if (s[i]! > s[b]!) b = i; return b; };

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
for (const name of values.spaces!.split(',')) {
  const results = new Map<string, { accuracy: number; macroF1: number; trainSeconds: number; msPerText: number; features: number }[]>();
  for (const [train, test] of experiments) {
  let t = performance.now();
  const space = FeatureSpace.fit(train.map((i) => rows[i]!.text), parseSpace(name), segmenter,
    { ...DEFAULT_VECTORIZER, minDf: Number(values['min-df']), maxDfRatio: Number(values['max-df']) });
  const vectorizeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const xs = rows.map((r) => space.transform(r.text));
  const transformMs = (performance.now() - t) / rows.length;
  const trainX = train.map((i) => xs[i]!);
  const trainY = train.map((i) => labels[i]!);
  const truth = test.map((i) => labels[i]!);
  for (const modelSpec of values.models!.split(',')) {
    const [model, param] = modelSpec.split(':');
    t = performance.now();
    let predict: (i: number) => string;
    if (model === 'svm' || model === 'svmu' || model === 'logistic') {
      const m = model !== 'logistic' ? trainSvm(trainX, trainY, space.dim, { ...DEFAULT_SVM, C: Number(param ?? DEFAULT_SVM.C),
        balanced: model !== 'svmu' })
        : trainLogistic(trainX, trainY, space.dim, { ...DEFAULT_LOGISTIC, l2: Number(param ?? DEFAULT_LOGISTIC.l2) });
      predict = (i) => m.classes[argmax(linearScores(m, xs[i]!))]!;
    } else {
      // fastText reads raw tokens (with repeats), indexed by the space's vocabulary
      const index = new Map<string, number>();
      space.blocks.forEach((b, k) => b.vectorizer.terms.forEach((term, j) => index.set(`${k}|${term}`, space.offsets[k]! + j)));
      const ids = rows.map((r) => Uint32Array.from(space.blocks.flatMap((b, k) => analyze(r.text, b.analyzer, segmenter)
        .map((tk) => index.get(`${k}|${tk}`)).filter((x): x is number => x !== undefined))));
      const m = trainFastText(train.map((i) => ids[i]!), trainY, space.dim, { ...DEFAULT_FASTTEXT, epochs: Number(param ?? DEFAULT_FASTTEXT.epochs) });
      predict = (i) => m.classes[argmax(fastTextScores(m, ids[i]!))]!;
    }
    const trainSeconds = (performance.now() - t) / 1000 + vectorizeSeconds + (transformMs * train.length) / 1000;
    t = performance.now();
    const predicted = test.map(predict);
    const msPerText = (performance.now() - t) / test.length + transformMs;
    const e = evaluate(truth, predicted);
    results.set(modelSpec, [...(results.get(modelSpec) ?? []),
      { accuracy: e.accuracy, macroF1: e.macroF1, trainSeconds, msPerText, features: space.dim }]);
  }
  }
  for (const [modelSpec, rs] of results) {
    console.log(JSON.stringify({ space: name, model: modelSpec, features: Math.round(mean(rs.map((r) => r.features))),
      accuracy: round(mean(rs.map((r) => r.accuracy))), macroF1: round(mean(rs.map((r) => r.macroF1))),
      ...(rs.length > 1 ? { folds: rs.length, macroF1Folds: rs.map((r) => round(r.macroF1)) } : {}),
      trainSeconds: round(mean(rs.map((r) => r.trainSeconds))), msPerText: round(mean(rs.map((r) => r.msPerText))), seed: Number(values.seed) }));
  }
}
