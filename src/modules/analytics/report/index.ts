// The analysis report: gathered once, written as JSON, an Excel workbook or a PDF.
import type { Queryable } from '../../../db/tx.js';
import type { Actor } from '../../auth/index.js';
import { areaIndex } from '../../directory/index.js';
import { analysisReport } from './content.js';
import { reportCharts } from './charts.js';
import { reportPdf } from './pdf.js';
import { reportWorkbook } from './workbook.js';
import type { Lang } from './texts.js';

export { analysisReport, reportPeriod, REPORT_KINDS, type AnalysisReport, type ReportPeriod } from './content.js';
export { REPORT_LANGS, type Lang } from './texts.js';
export { REPORT_TIMER, reportTimer, ensureReportSchedule, nextReportAt, reportsDue } from './schedule.js';

export const REPORT_FORMATS = ['xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
const TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The report of a period as a file, in the reader's scope. */
export async function reportFile(db: Queryable, actor: Actor, q: { period: string; lang: Lang; format: ReportFormat }):
  Promise<{ name: string; type: string; bytes: Buffer }> {
  const report = await analysisReport(db, actor, q.period);
  const city = (await areaIndex(db, actor.cityCode)).get(actor.cityCode)?.name ?? actor.cityCode;
  const charts = await reportCharts(q.lang, report);
  const bytes = q.format === 'pdf' ? await reportPdf(q.lang, report, charts, city) : await reportWorkbook(q.lang, report, charts, city);
  return { name: `report-${report.period.key}${report.period.partial ? '-partial' : ''}-${q.lang}.${q.format}`, type: TYPES[q.format], bytes };
}
