// The month's assessment as an Excel workbook: a sheet that states the rules, then one sheet per
// level of the handling network. Rates and scores are Excel formulas over the figures beside them
// (with their computed values cached), so that a reader can check every number in the sheet.
import type ExcelJS from 'exceljs';
import { FIGURE_NAMES, FIGURES } from '../sla/index.js';
import { RATE_WEIGHT, RATES, SCORE_FORMULA, type RateName } from './figures.js';
import { LEVEL_NAMES, type Assessment, type UnitAssessment } from './service.js';

const RATE_NAMES = Object.keys(RATES) as RateName[];

/** Column letter of a 1-based index (1 → A, 27 → AA). */
function column(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export async function assessmentWorkbook(assessment: Assessment, cityName: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // loaded on the first export: a third of a second at every start otherwise
  const book = new Excel.Workbook();
  book.creator = 'Minsheng 民声';
  book.created = new Date();
  addRulesSheet(book, assessment, cityName);
  for (const [level, name] of Object.entries(LEVEL_NAMES)) {
    const units = assessment.units.filter((u) => u.unit.level === level);
    if (units.length > 0) addLevelSheet(book, name, units, assessment);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

function addRulesSheet(book: ExcelJS.Workbook, a: Assessment, cityName: string): void {
  const sheet = book.addWorksheet('说明 Rules');
  sheet.columns = [{ width: 28 }, { width: 90 }];
  const rows: [string, string][] = [
    ['考核 Assessment', `${cityName} 12345 热线承办单位考核 ${a.period.label}`],
    ['期间 Period', `${a.period.from} — ${a.period.to}（北京时间整月；按派单时间计入 rounds that started in the period）`],
    ['计数对象 What is counted', '每次派单（含重办）为一件；退单经热线认定成立的不计入考核件数。Each hand-over of an order to the unit (dispatch or reopening) is one; a return upheld by the hotline is not held against the unit.'],
    ...RATE_NAMES.map((n): [string, string] => [`${RATES[n].zh} ${RATES[n].en}`, `${RATES[n].formula.zh}；${RATES[n].formula.en}`]),
    ['得分 Score', `${SCORE_FORMULA.zh}；${SCORE_FORMULA.en}`],
    ['权重 Weights', RATE_NAMES.map((n) => `${RATES[n].zh} ${a.weights[RATE_WEIGHT[n]]}`).join('，')],
    ['排名 Ranking', '市直部门之间、区县之间排名；街道在所属区县内、社区在所属街道内排名。Departments against departments, districts against districts, streets within their district, communities within their street.'],
    ['明细 Orders behind a figure', 'GET /api/v1/assessment/units/{unitId}/orders?figure=<name>&month=YYYY-MM'],
  ];
  for (const row of rows) sheet.addRow(row).getCell(1).font = { bold: true };
  sheet.getColumn(2).alignment = { wrapText: true };
}

function addLevelSheet(book: ExcelJS.Workbook, name: string, units: UnitAssessment[], a: Assessment): void {
  const sheet = book.addWorksheet(name);
  const head = ['排名 Rank', '分组 Group', '单位编码 Code', '单位 Unit', ...FIGURE_NAMES.map((f) => `${FIGURES[f].zh} ${FIGURES[f].en}`),
    ...RATE_NAMES.map((r) => `${RATES[r].zh} ${RATES[r].en}`), '得分 Score'];
  sheet.addRow(head).font = { bold: true };
  sheet.views = [{ state: 'frozen', xSplit: 4, ySplit: 1 }];
  const figureColumn = (f: string) => column(5 + FIGURE_NAMES.indexOf(f as never));
  const rateColumn = (r: RateName) => column(5 + FIGURE_NAMES.length + RATE_NAMES.indexOf(r));
  units.forEach((u, i) => {
    const row = i + 2;
    const rateCells = RATE_NAMES.map((r) => {
      const rate = RATES[r];
      const over = rate.over.map((f) => `${figureColumn(f)}${row}`).join('+');
      const under = `${figureColumn(rate.under)}${row}`;
      return { formula: `IF(${under}=0,"",(${over})/${under})`, result: u.rates[r] ?? '' };
    });
    const weighted = RATE_NAMES.map((r) => `${a.weights[RATE_WEIGHT[r]]}*N(${rateColumn(r)}${row})`).join('+');
    const present = RATE_NAMES.map((r) => `${a.weights[RATE_WEIGHT[r]]}*(${rateColumn(r)}${row}<>"")`).join('+');
    const scoreCell = { formula: `IFERROR(100*(${weighted})/(${present}),"")`, result: u.score ?? '' };
    sheet.addRow([u.rank ?? '', u.group.name, u.unit.code, u.unit.name, ...FIGURE_NAMES.map((f) => u.figures[f]), ...rateCells, scoreCell]);
  });
  for (const r of RATE_NAMES) sheet.getColumn(rateColumn(r)).numFmt = '0.0%';
  sheet.getColumn(column(head.length)).numFmt = '0.00';
  sheet.getColumn(4).width = 28;
  sheet.getColumn(2).width = 20;
}
