// A survey's questions and the rules of an answer sheet: single and multiple choice, a scale, free
// text; a question shown only when an earlier choice question was answered with one of some options
// (skip logic). Pure: the same questions and answers always check alike, in the API and in tests.
import { DomainError } from '../../shared/errors.js';

export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export interface Question {
  id: string;
  kind: QuestionKind;
  text: string;
  required: boolean;
  /** single and multiple choice */
  options?: { id: string; label: string }[];
  /** scale: from min to max, each end named */
  scale?: { min: number; max: number; minLabel?: string; maxLabel?: string };
  /** shown only when the earlier choice question `question` was answered with one of `options` */
  showIf?: { question: string; options: string[] };
}

export type AnswerValue = string | string[] | number;
export type Answers = Record<string, AnswerValue>;

const invalid = (zh: string, en: string) => new DomainError('SURVEY_INVALID', { detail: { zh, en } });
const wrong = (q: Question, zh: string, en: string) => new DomainError('SURVEY_ANSWER_INVALID', { detail: { zh: `第“${q.text}”题${zh}`, en: `"${q.text}": ${en}` } });

/** Checks a survey's questions: ids unique, choices with options, scales in order, skip logic on an earlier choice question. */
export function checkQuestions(questions: readonly Question[]): void {
  if (questions.length === 0) throw invalid('至少需要一道题', 'a survey needs a question');
  const seen = new Map<string, Question>();
  for (const q of questions) {
    if (seen.has(q.id)) throw invalid(`题目编号重复：${q.id}`, `question id repeated: ${q.id}`);
    if (q.kind === 'single' || q.kind === 'multiple') {
      const ids = new Set((q.options ?? []).map((o) => o.id));
      if (ids.size < 2 || ids.size !== q.options!.length) throw invalid(`“${q.text}”须有至少两个不重复的选项`, `"${q.text}" needs two options or more, each its own id`);
    }
    if (q.kind === 'scale' && (!q.scale || q.scale.max <= q.scale.min)) throw invalid(`“${q.text}”的量表须从小到大`, `"${q.text}": the scale must run from low to high`);
    if (q.showIf) {
      const on = seen.get(q.showIf.question);
      if (!on || (on.kind !== 'single' && on.kind !== 'multiple')) {
        throw invalid(`“${q.text}”的显示条件须指向前面的选择题`, `"${q.text}": its condition must name an earlier choice question`);
      }
      if (q.showIf.options.some((o) => !on.options!.some((option) => option.id === o))) {
        throw invalid(`“${q.text}”的显示条件选项不存在`, `"${q.text}": its condition names an option that does not exist`);
      }
    }
    seen.set(q.id, q);
  }
}

/** Whether a question is shown, given the answers before it. */
export function isShown(q: Question, answers: Answers): boolean {
  if (!q.showIf) return true;
  const given = Object.hasOwn(answers, q.showIf.question) ? answers[q.showIf.question] : undefined;
  const chosen = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
  return chosen.some((o) => q.showIf!.options.includes(o));
}

/**
 * Checks an answer sheet: each question shown answered if required and as its kind asks, no answer
 * to a question not shown or not in the survey. Returns the sheet with free texts trimmed.
 */
export function checkAnswers(questions: readonly Question[], answers: Answers): Answers {
  const known = new Set(questions.map((q) => q.id));
  const stray = Object.keys(answers).find((id) => !known.has(id));
  if (stray) throw new DomainError('SURVEY_ANSWER_INVALID', { detail: { zh: `没有这道题：${stray}`, en: `no such question: ${stray}` } });
  const out: Answers = {};
  for (const q of questions) {
    const given = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined;
    const value = typeof given === 'string' ? given.trim() : given;
    const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (!isShown(q, out)) {
      if (!empty) throw wrong(q, '按前面的回答不应作答', 'is not asked after the answers before it');
      continue;
    }
    if (empty) {
      if (q.required) throw wrong(q, '必须作答', 'must be answered');
      continue;
    }
    out[q.id] = checked(q, value);
  }
  return out;
}

function checked(q: Question, value: AnswerValue): AnswerValue {
  const option = (v: unknown) => typeof v === 'string' && q.options!.some((o) => o.id === v);
  switch (q.kind) {
    case 'single':
      if (!option(value)) throw wrong(q, '须选一个选项', 'takes one of its options');
      return value;
    case 'multiple':
      if (!Array.isArray(value) || !value.every(option) || new Set(value).size !== value.length) throw wrong(q, '须选其中的选项，不能重复', 'takes some of its options, none twice');
      return value;
    case 'scale':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < q.scale!.min || value > q.scale!.max) {
        throw wrong(q, `须为 ${q.scale!.min} 到 ${q.scale!.max} 的整数`, `takes a whole number from ${q.scale!.min} to ${q.scale!.max}`);
      }
      return value;
    case 'text':
      if (typeof value !== 'string' || value.trim().length > 2000) throw wrong(q, '须为不超过 2000 字的文字', 'takes text of up to 2,000 characters');
      return value.trim();
  }
}
