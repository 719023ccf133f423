// The report as a PDF to print and send: A4, its sections in order with their sentences, charts and
// tables (the long ones stay in the workbook), headers repeated when a table runs onto the next
// page, and page numbers. The Chinese font is embedded (only the characters used), so that it
// reads the same on any reader.
import { readFileSync } from 'node:fs';
import type { AnalysisReport } from './content.js';
import { FONTS, type Chart } from './charts.js';
import { cellText, reportSections, reportSubtitle, reportTitle, type Table } from './sections.js';
import { say, type Lang } from './texts.js';

const MARGIN = 50;
const FOOTER = 24;
const TABLE_SIZE = 8;
const PAD = 3;
let fonts: { regular: Buffer; bold: Buffer } | undefined;

export async function reportPdf(lang: Lang, r: AnalysisReport, charts: Map<string, Chart>, cityName: string): Promise<Buffer> {
  // pdfkit is loaded on the first report, not at every start (a quarter of a second)
  const { default: PDFDocument } = await import('pdfkit');
  fonts ??= { regular: readFileSync(FONTS.regular), bold: readFileSync(FONTS.bold) };
  const title = reportTitle(lang, r, cityName);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, lang: lang === 'zh' ? 'zh-CN' : 'en',
    info: { Title: title, Author: 'Minsheng 民声', CreationDate: new Date(r.generatedAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => { doc.on('end', resolve); doc.on('error', reject); });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const width = doc.page.width - 2 * MARGIN;

  doc.font('bold').fontSize(18).text(title, { align: 'center' });
  doc.moveDown(0.3).font('regular').fontSize(9).fillColor('#595959').text(reportSubtitle(lang, r), { align: 'center' }).fillColor('black');
  for (const section of reportSections(lang, r)) {
    // a heading is kept with what follows it: its first lines, or the top of its first chart
    const chart = section.charts.map((name) => charts.get(name)).find(Boolean);
    room(doc, 40 + (chart ? (width * chart.height) / chart.width + 8 : 60));
    doc.moveDown(1).font('bold').fontSize(13).text(section.heading, MARGIN);
    doc.moveDown(0.3).font('regular').fontSize(10);
    for (const line of section.text) doc.text(line, MARGIN, undefined, { width, lineGap: 3 }).moveDown(0.3);
    for (const name of section.charts) {
      const chart = charts.get(name);
      if (!chart) continue;
      const height = (width * chart.height) / chart.width;
      room(doc, height + 8);
      doc.image(chart.png, MARGIN, doc.y + 4, { width });
      doc.y += height + 8;
    }
    for (const table of section.tables) if (!table.detail) drawTable(doc, table, width);
  }
  numberPages(doc, lang);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** A new page unless `height` fits above the footer. */
function room(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN - FOOTER) doc.addPage();
}

function drawTable(doc: PDFKit.PDFDocument, table: Table, width: number): void {
  doc.fontSize(TABLE_SIZE);
  const rows = table.rows.map((cells) => cells.map(cellText));
  const numeric = table.head.map((_, i) => table.rows.some((cells) => typeof cells[i] !== 'string'));
  const widths = columnWidths(doc, table.head, rows, numeric, width);
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font);
    return Math.max(...cells.map((text, i) => doc.heightOfString(text, { width: widths[i]! - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const height = rowHeight(cells, font);
    const y = doc.y;
    if (fill) doc.rect(MARGIN, y, width, height).fill(fill).fillColor('black');
    let x = MARGIN;
    doc.font(font);
    cells.forEach((text, i) => {
      doc.text(text, x + PAD, y + PAD, { width: widths[i]! - 2 * PAD, align: numeric[i] ? 'right' : 'left' });
      x += widths[i]!;
    });
    doc.moveTo(MARGIN, y + height).lineTo(MARGIN + width, y + height).lineWidth(0.3).strokeColor('#d9d9d9').stroke();
    doc.x = MARGIN;
    doc.y = y + height;
  };
  const head = () => drawRow(table.head, 'bold', '#f0f5ff');
  // a table starts where its heading and first three rows fit
  room(doc, 40 + rowHeight(table.head, 'bold') + rows.slice(0, 3).reduce((n, cells) => n + rowHeight(cells, 'regular'), 0));
  doc.moveDown(0.6);
  if (table.title) doc.font('bold').fontSize(10).text(table.title, MARGIN).moveDown(0.2).fontSize(TABLE_SIZE);
  head();
  for (const cells of rows) {
    if (doc.y + rowHeight(cells, 'regular') > doc.page.height - MARGIN - FOOTER) {
      doc.addPage();
      head();
    }
    drawRow(cells, 'regular');
  }
  doc.fontSize(10).font('regular');
}

/**
 * Each column as wide as its widest value (a heading may wrap, never inside a word); when the table
 * is wider than the page the text columns give way and wrap, the numbers never do.
 */
function columnWidths(doc: PDFKit.PDFDocument, head: string[], rows: string[][], numeric: boolean[], width: number): number[] {
  const measure = (text: string, font: string) => doc.font(font).widthOfString(text) + 2 * PAD + 1;
  const needs = head.map((heading, i) => {
    const values = Math.max(0, ...rows.map((cells) => measure(cells[i] ?? '', 'regular')));
    const word = Math.max(...heading.split(/\s+/).map((w) => measure(w, 'bold')));
    return Math.max(values, word, Math.min(measure(heading, 'bold'), 70));
  });
  const total = needs.reduce((a, b) => a + b, 0);
  if (total <= width) return needs.map((w) => (w * width) / total);
  const text = needs.reduce((n, w, i) => n + (numeric[i] ? 0 : w), 0);
  const keep = total - text;
  return needs.map((w, i) => (numeric[i] ? w : Math.max(40, (w * (width - keep)) / text)));
}

function numberPages(doc: PDFKit.PDFDocument, lang: Lang): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not open a page
    doc.font('regular').fontSize(8).fillColor('#8c8c8c')
      .text(say(lang, 'page', { n: i + 1, total: count }), MARGIN, doc.page.height - MARGIN + 10, { width: doc.page.width - 2 * MARGIN, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
}
