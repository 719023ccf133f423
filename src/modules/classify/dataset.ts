// Labelled texts for training and evaluation: reading a `text,label` CSV, and reproducible
// stratified splits (each label keeps its share on both sides).
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DomainError } from '../../shared/errors.js';
import { seededRandom, shuffle } from './linear.js';

export interface Labelled {
  text: string;
  label: string;
  /** the other columns asked for, when asked */
  extra?: Record<string, string>;
}

/**
 * Reads a UTF-8 CSV with a header row naming `text` and `label` (other columns ignored; quoted
 * fields may hold commas and newlines). Rows with an empty text or label are refused, not skipped.
 */
export function readLabelledCsv(file: string, keep: string[] = []): Labelled[] {
  if (!existsSync(file)) throw new DomainError('CLASSIFY_DATA_INVALID', { file, problem: { zh: '文件不存在', en: 'no such file' } });
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: false });
  } catch (error) {
    throw new DomainError('CLASSIFY_DATA_INVALID', { file, problem: { zh: `CSV 格式错误：${(error as Error).message}`, en: `not valid CSV: ${(error as Error).message}` } });
  }
  if (records.length === 0) throw new DomainError('CLASSIFY_DATA_INVALID', { file, problem: { zh: '没有数据行', en: 'no data rows' } });
  for (const column of ['text', 'label']) {
    if (!(column in records[0]!)) {
      throw new DomainError('CLASSIFY_DATA_INVALID', { file, problem: { zh: `缺少列 ${column}`, en: `no column named ${column}` } });
    }
  }
  return records.map((r, i) => {
    const text = (r.text ?? '').trim();
    const label = (r.label ?? '').trim();
    if (!text || !label) {
      throw new DomainError('CLASSIFY_DATA_INVALID', { file, problem: { zh: `第 ${i + 2} 行的 text 或 label 为空`, en: `row ${i + 2} has an empty text or label` } });
    }
    return keep.length ? { text, label, extra: Object.fromEntries(keep.map((k) => [k, (r[k] ?? '').trim()])) } : { text, label };
  });
}

/** The indices of each label (or key), in order of appearance; undefined keys are left out. */
export function groupIndices(keys: (string | undefined)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key === undefined) return;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(i);
  });
  return groups;
}

/** Indices split into `folds` folds, each label spread evenly across them; reproducible by seed. */
export function stratifiedFolds(labels: string[], folds: number, seed: number): number[][] {
  const random = seededRandom(seed);
  const byLabel = groupIndices(labels);
  const out: number[][] = Array.from({ length: folds }, () => []);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const i of shuffle(byLabel.get(label)!, random)) out[next++ % folds]!.push(i);
  }
  return out.map((f) => f.sort((a, b) => a - b));
}

/** A stratified split: `testShare` of each label to the test side. */
export function stratifiedSplit(labels: string[], testShare: number, seed: number): { train: number[]; test: number[] } {
  const random = seededRandom(seed);
  const byLabel = groupIndices(labels);
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const idx = shuffle(byLabel.get(label)!, random);
    const cut = Math.round(idx.length * testShare);
    test.push(...idx.slice(0, cut));
    train.push(...idx.slice(cut));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
