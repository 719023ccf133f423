// A month's quality review as an Excel workbook, for the hotline's monthly evaluation of its agents:
// each agent's scores (as GET /quality/scores), then every scored review with its items and comment.
import type { AgentScore, Review } from './reviews.js';

const REASONS: Record<string, string> = { random: '随机 random', misrouted: '误派 mis-routed', reopened: '重办 reopened' };

export async function qualityWorkbook(month: string, agents: readonly AgentScore[], reviews: readonly Review[]): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // loaded on the first export, as the other workbooks
  const book = new Excel.Workbook();
  book.creator = 'Minsheng 民声';
  book.created = new Date();

  const labels = [...new Set(agents.flatMap((a) => a.items.map((i) => i.label)))];
  const scores = book.addWorksheet('质检成绩 Scores');
  scores.addRow([`${month} 质检成绩 Quality scores — 各评分项为平均得分占满分的比例 each item: its mean as a share of its most`]).font = { bold: true };
  scores.addRow(['话务员 Agent', '抽样 Drawn', '已质检 Reviewed', '误派 Mis-routed', '重办 Reopened', '平均得分 Average', '最低得分 Lowest', ...labels])
    .font = { bold: true };
  for (const a of agents) {
    const row = scores.addRow([a.agentName ?? a.agentId, a.drawn, a.reviewed, a.misrouted, a.reopened, share(a.averagePercent), share(a.lowestPercent),
      ...labels.map((label) => share(a.items.find((i) => i.label === label)?.percent ?? null))]);
    for (let c = 6; c <= 7 + labels.length; c++) row.getCell(c).numFmt = '0.0%';
  }
  scores.views = [{ state: 'frozen', xSplit: 1, ySplit: 2 }];
  scores.columns.forEach((c, i) => { c.width = i === 0 ? 20 : 14; });

  const detail = book.addWorksheet('质检记录 Reviews');
  detail.addRow(['话务员 Agent', '对象 Subject', '受理时间 Handled', '抽样原因 Drawn for', '得分 Score', '满分 Most', '评分表 Sheet', '各项 Items',
    '评语 Comment', '质检员 Reviewer', '评分时间 Reviewed']).font = { bold: true };
  for (const r of reviews.filter((review) => review.state === 'reviewed')) {
    detail.addRow([r.agentName ?? r.agentId, r.kind === 'order' ? `工单 ${r.trackingNo ?? r.subjectId}` : `通话 ${r.subjectId}`, new Date(r.workAt),
      r.reasons.map((reason) => REASONS[reason] ?? reason).join('、'), r.score, r.maxScore, r.sheet?.name ?? '',
      r.sheet?.items.map((item, i) => `${item.label} ${r.scores?.[i] ?? '—'}/${item.max}`).join('；') ?? '', r.comment ?? '', r.reviewerName ?? '',
      r.reviewedAt ? new Date(r.reviewedAt) : null]);
  }
  detail.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm';
  detail.getColumn(11).numFmt = 'yyyy-mm-dd hh:mm';
  detail.columns.forEach((c, i) => { c.width = [20, 26, 18, 22, 8, 8, 20, 48, 40, 14, 18][i] ?? 14; });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A per-cent figure as a share for Excel's % format; blank when there is none. */
const share = (percent: number | null): number | null => (percent === null ? null : percent / 100);
