// A survey's results: per question the answers' counts and shares (of those it was asked of and who
// answered it), a scale's mean, the free texts; cross-tabulated by district or by the answers to
// another choice question; and the Excel workbook. Nothing of a respondent but their answers, their
// district and the channel they answered on appears: no number, no name, no token.
import { prepared, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { areaIndex } from '../directory/index.js';
import { isShown, type Answers, type Question } from './questions.js';
import { getSurvey, SURVEY_CHANNELS, type Survey } from './surveys.js';

export interface QuestionResult {
  id: string;
  text: string;
  kind: Question['kind'];
  /** respondents it was shown to */
  asked: number;
  answered: number;
  /** choices: each option's count, and share of those who answered it (per cent; several per respondent for multiple choice) */
  options: { id: string; label: string; count: number; share: number }[];
  /** a scale: each value's count and share, and the mean */
  scale: { value: number; count: number; share: number }[];
  mean: number | null;
  /** free text: the answers, newest first (up to 200) */
  texts: string[];
}

export interface Results {
  surveyId: string;
  title: string;
  respondents: number;
  answered: number;
  /** answered / respondents, per cent */
  responseRate: number | null;
  byChannel: { channel: string; answered: number }[];
  questions: QuestionResult[];
  crossTab: { by: string; label: string; groups: { key: string; label: string; answered: number; questions: QuestionResult[] }[] } | null;
}

interface Sheet { answers: Answers; channel: string; areaCode: string | null; submittedAt: Date }

const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

export function tally(questions: readonly Question[], sheets: readonly Sheet[]): QuestionResult[] {
  return questions.map((q) => {
    const asked = sheets.filter((s) => isShown(q, s.answers));
    const given = asked.map((s) => s.answers[q.id]).filter((v) => v !== undefined);
    const chosen = given.flatMap((v) => (Array.isArray(v) ? v : [v]));
    const numbers = given.filter((v): v is number => typeof v === 'number');
    const values = q.scale ? Array.from({ length: q.scale.max - q.scale.min + 1 }, (_, i) => q.scale!.min + i) : [];
    return {
      id: q.id, text: q.text, kind: q.kind, asked: asked.length, answered: given.length,
      options: (q.options ?? []).map((o) => {
        const count = chosen.filter((c) => c === o.id).length;
        return { id: o.id, label: o.label, count, share: share(count, given.length) };
      }),
      scale: values.map((value) => {
        const count = numbers.filter((n) => n === value).length;
        return { value, count, share: share(count, numbers.length) };
      }),
      mean: numbers.length ? Math.round((numbers.reduce((sum, n) => sum + n, 0) / numbers.length) * 100) / 100 : null,
      texts: q.kind === 'text' ? given.filter((v): v is string => typeof v === 'string').slice(-200).reverse() : [],
    };
  });
}

async function sheetsOf(db: Queryable, cityCode: string, surveyId: string): Promise<Sheet[]> {
  const r = await db.query(prepared(
    'SELECT answers, channel, area_code, submitted_at FROM survey_answers WHERE city_code = $1 AND survey_id = $2 ORDER BY submitted_at, respondent_id',
    [cityCode, surveyId]));
  return r.rows.map((row) => ({ answers: row.answers, channel: row.channel, areaCode: row.area_code, submittedAt: row.submitted_at }));
}

/** The survey's results, cross-tabulated `by` 'area' (district) or by a choice question's id. */
export async function surveyResults(db: Queryable, cityCode: string, surveyId: string, by?: string): Promise<Results> {
  const survey = await getSurvey(db, cityCode, surveyId);
  return resultsOf(db, cityCode, survey, await sheetsOf(db, cityCode, surveyId), by);
}

async function resultsOf(db: Queryable, cityCode: string, survey: Survey, sheets: Sheet[], by?: string): Promise<Results> {
  return {
    surveyId: survey.id, title: survey.title, respondents: survey.respondents, answered: sheets.length,
    responseRate: survey.respondents ? share(sheets.length, survey.respondents) : null,
    byChannel: SURVEY_CHANNELS.map((channel) => ({ channel, answered: sheets.filter((s) => s.channel === channel).length })),
    questions: tally(survey.questions, sheets),
    crossTab: by ? await crossTab(db, cityCode, survey, sheets, by) : null,
  };
}

async function crossTab(db: Queryable, cityCode: string, survey: Survey, sheets: Sheet[], by: string): Promise<Results['crossTab']> {
  const groups = new Map<string, { label: string; sheets: Sheet[] }>();
  const add = (key: string, label: string, sheet: Sheet) => {
    if (!groups.has(key)) groups.set(key, { label, sheets: [] });
    groups.get(key)!.sheets.push(sheet);
  };
  let label: string;
  if (by === 'area') {
    label = '区县';
    const areas = await areaIndex(db, cityCode);
    for (const s of sheets) {
      const district = s.areaCode ? areas.lineage(s.areaCode)[0] ?? null : null;
      add(district ?? 'unknown', district ? areas.get(district)?.name ?? district : '未知区县', s);
    }
  } else {
    const q = survey.questions.find((question) => question.id === by && (question.kind === 'single' || question.kind === 'multiple'));
    if (!q) throw new DomainError('SURVEY_INVALID', { detail: { zh: `交叉分析须按区县或一道选择题：${by}`, en: `cross-tabulate by area or by a choice question: ${by}` } });
    label = q.text;
    for (const s of sheets) {
      const v = s.answers[q.id];
      for (const option of Array.isArray(v) ? v : v === undefined ? [] : [v]) add(String(option), q.options!.find((o) => o.id === option)?.label ?? String(option), s);
    }
  }
  return {
    by, label,
    groups: [...groups].map(([key, g]) => ({ key, label: g.label, answered: g.sheets.length, questions: tally(survey.questions, g.sheets) })),
  };
}

const CHANNEL_NAMES: Record<string, string> = { sms: '短信链接 SMS link', portal: '网站 Portal', outbound: '电话调查 Outbound call' };

/** The results as a workbook: the summary per question, then every answer sheet (numbered, with its district and channel only). */
export async function resultsWorkbook(db: Queryable, cityCode: string, surveyId: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const survey = await getSurvey(db, cityCode, surveyId);
  const sheets = await sheetsOf(db, cityCode, surveyId);
  const results = await resultsOf(db, cityCode, survey, sheets);
  const areas = await areaIndex(db, cityCode);
  const book = new Excel.Workbook();
  book.creator = 'Minsheng 民声';
  book.created = new Date();

  const summary = book.addWorksheet('汇总 Summary');
  summary.addRow([survey.title]).font = { bold: true, size: 14 };
  summary.addRow([`调查对象 Respondents ${results.respondents}，已作答 Answered ${results.answered}，回收率 Response rate ${results.responseRate ?? '—'}%`]);
  for (const q of results.questions) {
    summary.addRow([]);
    summary.addRow([q.text, `作答 Answered ${q.answered} / ${q.asked}`]).font = { bold: true };
    for (const o of q.options) summary.addRow([o.label, o.count, o.share / 100]).getCell(3).numFmt = '0.0%';
    for (const v of q.scale) summary.addRow([v.value, v.count, v.share / 100]).getCell(3).numFmt = '0.0%';
    if (q.mean !== null) summary.addRow(['平均 Mean', q.mean]);
    for (const text of q.texts) summary.addRow([text]);
  }
  summary.getColumn(1).width = 48;
  summary.getColumn(2).width = 16;
  summary.getColumn(3).width = 10;

  const raw = book.addWorksheet('答卷 Answers');
  raw.addRow(['序号 No.', '渠道 Channel', '区县 District', '提交时间 Submitted', ...survey.questions.map((q) => q.text)]).font = { bold: true };
  sheets.forEach((s, i) => {
    const district = s.areaCode ? areas.lineage(s.areaCode)[0] : undefined;
    raw.addRow([i + 1, CHANNEL_NAMES[s.channel] ?? s.channel, district ? areas.get(district)?.name ?? '' : '', s.submittedAt,
      ...survey.questions.map((q) => shown(q, s.answers[q.id]))]);
  });
  raw.getColumn(4).numFmt = 'yyyy-mm-dd hh:mm';
  raw.columns.forEach((c, i) => { c.width = i < 4 ? 16 : 28; });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** An answer as a reader reads it: the options' labels. */
function shown(q: Question, v: Answers[string] | undefined): string | number {
  if (v === undefined) return '';
  const label = (id: string) => q.options?.find((o) => o.id === id)?.label ?? id;
  return Array.isArray(v) ? v.map(label).join('、') : typeof v === 'string' && q.options ? label(v) : v;
}
