// The tuning tool: segmenters × model families on the labelled messages (../shared/data/gov-messages),
// on a stratified 80/20 split (seed 46 unless --seed) or by k-fold cross-validation inside its 80 %
// (--cv 5, leaving the 20 % untouched). The choice kept is DEFAULT_RECIPE in src/modules/classify/model.ts.
//   npx tsx bench/classify-compare.ts --cv 5 --spaces words1+chars12,words2 --models svm:0.6,svm:1.2,fasttext:20
import { parseArgs } from 'node:util';
import { DEFAULT_VECTORIZER } from '../src/modules/classify/features.js';
import { Segmenter } from '../src/modules/classify/text.js';
import { readLabelledCsv, stratifiedFolds, stratifiedSplit } from '../src/modules/classify/dataset.js';
import { trainAndScore, type Result } from './classify-lab.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '46' }, data: { type: 'string' },
  spaces: { type: 'string', default: 'words1,words2,chars12,chars13,words1+chars12' },
  models: { type: 'string', default: 'svm:1.2,logistic:1,fasttext:20' },
  cv: { type: 'string' }, 'min-df': { type: 'string', default: '2' }, 'max-df': { type: 'string', default: '0.5' } } });
const file = values.data ?? new URL('../../shared/data/gov-messages/messages.csv', import.meta.url).pathname;
const rows = readLabelledCsv(file);
const labels = rows.map((r) => r.label);
const split = stratifiedSplit(labels, 0.2, Number(values.seed));
const experiments: [number[], number[]][] = values.cv
  ? stratifiedFolds(split.train.map((i) => labels[i]!), Number(values.cv), Number(values.seed)).map((fold) => {
    const held = new Set(fold.map((j) => split.train[j]!));
    return [split.train.filter((i) => !held.has(i)), [...held]];
  })
  : [[split.train, split.test]];
const segmenter = new Segmenter();
const vectorizer = { ...DEFAULT_VECTORIZER, minDf: Number(values['min-df']), maxDfRatio: Number(values['max-df']) };
const round = (x: number) => Math.round(x * 10000) / 10000;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

for (const space of values.spaces!.split(',')) {
  for (const model of values.models!.split(',')) {
    const rs: Result[] = experiments.map(([train, test]) => trainAndScore(rows, train, test, space, model, segmenter, vectorizer));
    console.log(JSON.stringify({ space, model, features: Math.round(mean(rs.map((r) => r.features))),
      accuracy: round(mean(rs.map((r) => r.accuracy))), macroF1: round(mean(rs.map((r) => r.macroF1))),
      ...(rs.length > 1 ? { folds: rs.length, macroF1Folds: rs.map((r) => round(r.macroF1)) } : {}),
      trainSeconds: round(mean(rs.map((r) => r.trainSeconds))), msPerText: round(mean(rs.map((r) => r.msPerText))), seed: Number(values.seed) }));
  }
}
