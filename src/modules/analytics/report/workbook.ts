// The report as an Excel workbook: a sheet per section, its sentences, its charts as pictures and its
// tables with numbers kept as numbers (formatted as counts, percentages and points), so that the
// reader can sort, sum and draw them again; the daily figures and every unit's score included.
import type ExcelJS from 'exceljs';
import type { AnalysisReport } from './content.js';
import type { Chart } from './charts.js';
import { reportSections, reportSubtitle, reportTitle, type Cell, type Kind } from './sections.js';
import type { Lang } from './texts.js';

const FORMATS: Record<Kind, string> = { count: '#,##0', rate: '0.0%', change: '+0.0%;-0.0%;0.0%', points: '+0.0%" pp";-0.0%" pp";0.0%" pp"', number: '0.0' };
/** Pictures are shown at this width in the sheet (pixels); their files are twice as sharp. */
const PICTURE_WIDTH = 760;

export async function reportWorkbook(lang: Lang, r: AnalysisReport, charts: Map<string, Chart>, cityName: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // loaded on the first report, not at every start
  const book = new Excel.Workbook();
  book.creator = 'Minsheng 民声';
  book.created = new Date(r.generatedAt);
  book.title = reportTitle(lang, r, cityName);
  reportSections(lang, r).forEach((section, index) => {
    // sheet names: at most 31 characters, no : \ / ? * [ ]
    const sheet = book.addWorksheet(section.heading.replace(/^[一二三四五六七八九十]+、|^\d+\.\s*/, '').replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
    sheet.getColumn(1).width = 28;
    for (let col = 2; col <= 10; col += 1) sheet.getColumn(col).width = 16;
    if (index === 0) {
      sheet.addRow([book.title]).font = { bold: true, size: 16 };
      sheet.addRow([reportSubtitle(lang, r)]).font = { color: { argb: 'FF595959' } };
      sheet.addRow([]);
    }
    sheet.addRow([section.heading]).font = { bold: true, size: 13 };
    for (const line of section.text) {
      const row = sheet.addRow([line]);
      sheet.mergeCells(row.number, 1, row.number, 8);
      row.alignment = { wrapText: true, vertical: 'top' };
      row.height = Math.max(18, Math.ceil(line.length / 60) * 18);
    }
    for (const name of section.charts) {
      const chart = charts.get(name);
      if (!chart) continue;
      const at = sheet.rowCount + 1;
      const height = Math.round((PICTURE_WIDTH * chart.height) / chart.width);
      sheet.addImage(book.addImage({ buffer: chart.png as unknown as ExcelJS.Buffer, extension: 'png' }),
        { tl: { col: 0, row: at }, ext: { width: PICTURE_WIDTH, height } });
      // the rows the picture covers (20 px each), so that what follows starts below it
      for (let i = 0; i <= Math.ceil(height / 20) + 1; i += 1) sheet.addRow([]);
    }
    for (const table of section.tables) {
      sheet.addRow([]);
      if (table.title) sheet.addRow([table.title]).font = { bold: true };
      const head = sheet.addRow(table.head);
      head.font = { bold: true };
      head.eachCell((cell) => { cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F5FF' } }; });
      for (const cells of table.rows) writeRow(sheet, cells);
    }
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

function writeRow(sheet: ExcelJS.Worksheet, cells: Cell[]): void {
  const row = sheet.addRow(cells.map((cell) => (typeof cell === 'string' ? cell : cell.value)));
  cells.forEach((cell, i) => {
    if (typeof cell !== 'string') row.getCell(i + 1).numFmt = FORMATS[cell.kind];
  });
}
