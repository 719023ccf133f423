import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charNgrams, normalizeText, Segmenter, STOP_WORDS } from './text.js';

const segmenter = new Segmenter(['泉城路', '文化东路']);

test('keeps the hotline vocabulary whole where the general dictionary cuts it apart', () => {
  // jieba alone gives 路/灯不亮
  const words = segmenter.words(normalizeText('路灯不亮已经半个月'));
  assert.ok(words.includes('路灯') || words.includes('路灯不亮'), words.join('/'));
  assert.ok(!words.includes('灯不亮'), words.join('/'));
});

test("keeps the city's place names whole once the directory adds them", () => {
  assert.deepEqual(segmenter.words(normalizeText('历下区泉城路燃气泄漏')), ['历下区', '泉城路', '燃气', '泄漏']);
  assert.ok(segmenter.words(normalizeText('文化东路积水')).includes('文化东路'));
});

test('drops stop words and punctuation but keeps negations, which say what is wrong', () => {
  const words = segmenter.words(normalizeText('我们的小区不通水，也没有人管！'));
  assert.ok(!words.includes('我们') && !words.includes('的') && !words.includes('，'), words.join('/'));
  assert.ok(words.includes('不') || words.some((w) => w.startsWith('不')), words.join('/'));
  assert.equal(STOP_WORDS.has('不'), false);
  assert.equal(STOP_WORDS.has('的'), true);
});

test('normalises full-width forms, case, masked and plain digits', () => {
  assert.equal(normalizeText('ＡＢＣ３号楼　身份证4301********1234'), 'abc0号楼 身份证0');
});

test('character n-grams stay within runs of Chinese characters', () => {
  assert.deepEqual(charNgrams('路灯a坏', 1, 2), ['路', '灯', '路灯', '坏']);
});
