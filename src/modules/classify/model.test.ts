import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextClassifier, type TrainingExample } from './model.js';
import { Segmenter } from './text.js';

// Requests written for the test (not from any data set), with a two-level label path.
const WRITTEN: [string, string, string][] = [
  ['城乡建设', '物业', '小区物业不作为，电梯坏了一个月不修'], ['城乡建设', '物业', '物业乱收停车费，业主多次反映无人处理'],
  ['城乡建设', '物业', '物业公司不清理楼道垃圾，物业费照收'], ['城乡建设', '物业', '小区物业擅自占用公共绿地建停车位'],
  ['城乡建设', '路灯', '路灯不亮，晚上出行很不安全'], ['城乡建设', '路灯', '这一段路灯坏了半个月，一片漆黑'],
  ['城乡建设', '路灯', '路灯整夜不亮，请尽快维修路灯'], ['城乡建设', '路灯', '新修道路没有安装路灯，夜里看不清'],
  ['劳动和社会保障', '工资', '公司拖欠工资三个月，讨薪无果'], ['劳动和社会保障', '工资', '工地老板拖欠农民工工资'],
  ['劳动和社会保障', '工资', '单位不发加班费，还克扣工资'], ['劳动和社会保障', '工资', '辞职后公司不结清工资'],
  ['劳动和社会保障', '社保', '单位不给缴纳社保，养老保险断缴'], ['劳动和社会保障', '社保', '社保转移需要哪些材料'],
  ['劳动和社会保障', '社保', '医保卡报销比例是多少，社保怎么查'], ['劳动和社会保障', '社保', '公司停缴社保，影响买房资格'],
  ['教育文体', '学校', '学校违规收取资料费，家长负担重'], ['教育文体', '学校', '小学放学太早，家长接送困难'],
  ['教育文体', '学校', '学校食堂饭菜质量差，学生吃不饱'], ['教育文体', '学校', '老师有偿补课，学校不管'],
];
const examples: TrainingExample[] = WRITTEN.map(([a, b, text]) => ({ text, path: [a, b] }));
const recipe = { minExamples: 3, calibrationFolds: 2 } as const;
const segmenter = new Segmenter();
const model = TextClassifier.train(examples, segmenter, { ...(await import('./model.js')).DEFAULT_RECIPE, ...recipe });

test('suggests the category path of a new text, level by level, with evidence', () => {
  const p = model.predict('物业不维修电梯，还乱收费');
  assert.deepEqual(p.path.map((s) => s.label), ['城乡建设', '物业']);
  assert.ok(p.path[0]!.evidence.some((e) => e.term.includes('物业')), JSON.stringify(p.path[0]!.evidence));
  assert.ok(p.path[1]!.cumulative <= p.path[0]!.cumulative);
  assert.equal(model.predict('老板拖欠我两个月工资').path.at(-1)!.label, '工资');
});

test('gives three alternatives whose probabilities are ordered and sum to at most 1', () => {
  const { alternatives } = model.predict('路灯坏了');
  assert.equal(alternatives.length, 3);
  assert.deepEqual(alternatives[0]!.path, ['城乡建设', '路灯']);
  for (let i = 1; i < alternatives.length; i++) assert.ok(alternatives[i]!.probability <= alternatives[i - 1]!.probability);
  assert.ok(alternatives.reduce((s, a) => s + a.probability, 0) <= 1 + 1e-9);
});

test('a text unlike anything in training gets a low confidence, not a confident guess', () => {
  const p = model.predict('今天天气不错');
  assert.ok(p.path[0]!.probability < 0.6, String(p.path[0]!.probability));
});

test('survives serialisation unchanged, as it is stored in the database', () => {
  const again = TextClassifier.deserialize(model.serialize());
  for (const text of ['物业不维修电梯', '拖欠工资', '学校乱收费', '路灯']) {
    assert.deepEqual(again.predict(text), model.predict(text));
  }
  assert.deepEqual(again.info, model.info);
});

test('does not tell apart sub-categories with fewer training texts than the minimum', () => {
  const few = TextClassifier.train(examples, segmenter, { ...model.recipe, minExamples: 5 });
  assert.equal(few.predict('物业不维修电梯').path.length, 1);
});

test('follows a category with one well-supported sub-category, at the share of texts it holds', () => {
  const chain = examples.map((e) => (e.path[0] === '城乡建设' ? { ...e, path: ['城乡建设', e.path[1] === '物业' ? '物业' : '其他'] } : e))
    .map((e, i) => (e.path[1] === '其他' && i % 4 ? { ...e, path: ['城乡建设'] } : e));
  const m = TextClassifier.train(chain, segmenter, { ...model.recipe, minExamples: 3 });
  const p = m.predict('物业不维修电梯');
  assert.deepEqual(p.path.map((s) => s.label), ['城乡建设', '物业']);
  // 8 texts under 城乡建设: 4 物业, 1 其他 (too few to count), 3 with no sub-category
  assert.equal(p.path[1]!.probability, 4 / 8);
  assert.deepEqual(p.path[1]!.evidence, []);
  assert.deepEqual(TextClassifier.deserialize(m.serialize()).predict('物业不维修电梯'), p);
});

test('refuses to train on a single label', () => {
  assert.throws(() => TextClassifier.train([{ text: 'a', path: ['x'] }, { text: 'b', path: ['x'] }], segmenter), /two labels/);
});
