// A list of respondents as people bring it: numbers pasted one a line, or a file (an Excel workbook,
// or a CSV or text file as Excel or a phone book saves it, in UTF-8 or GBK). Each row gives the first
// cell that is a mobile number; a first row with no digits is its header; every other row without a
// number is told back with its row number, so the person can correct their list.
import { parse } from 'csv-parse/sync';
import { isMobile } from '../channels/index.js';
import { normalizePhone } from '../orders/index.js';
import { DomainError } from '../../shared/errors.js';

/** The most numbers one list adds (a larger group is drawn from the callers, or sent in parts). */
export const MAX_LIST = 20_000;
/** How many refused rows are told back (with their count). */
const REFUSED_SHOWN = 50;

export interface ListRead {
  phones: string[];
  /** rows with a number, the header and blank rows left aside */
  rows: number;
  /** numbers given twice or more in the list, counted once */
  repeated: number;
  refused: { count: number; rows: { row: number; text: string }[] };
}

/** The numbers of rows of cells (row 1 first). */
export function readRows(rows: string[][]): ListRead {
  const phones = new Set<string>();
  const refused: ListRead['refused'] = { count: 0, rows: [] };
  let counted = 0;
  rows.forEach((cells, i) => {
    const texts = cells.map((c) => c.trim()).filter(Boolean);
    if (!texts.length) return;
    const phone = texts.map(normalizePhone).find(isMobile);
    if (phone) {
      counted += 1;
      phones.add(phone);
    } else if (!(i === 0 && !/\d/.test(texts.join('')))) {
      refused.count += 1;
      if (refused.rows.length < REFUSED_SHOWN) refused.rows.push({ row: i + 1, text: texts.join(' · ').slice(0, 60) });
    }
  });
  if (!phones.size) {
    throw unreadable(`名单中没有手机号码${refused.count ? `（${refused.count} 行不是手机号码）` : ''}`,
      `the list holds no mobile number${refused.count ? ` (${refused.count} rows are not one)` : ''}`);
  }
  if (phones.size > MAX_LIST) throw unreadable(`名单中的号码超过 ${MAX_LIST} 个（${phones.size} 个）`, `the list holds more than ${MAX_LIST} numbers (${phones.size})`);
  return { phones: [...phones], rows: counted, repeated: counted - phones.size, refused };
}

/** The rows of an uploaded file: the first sheet of a workbook (.xlsx), else CSV or text. */
export async function rowsOfFile(bytes: Buffer): Promise<string[][]> {
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return rowsOfWorkbook(bytes);
  if (bytes.subarray(0, 8).equals(Buffer.from('d0cf11e0a1b11ae1', 'hex'))) {
    throw unreadable('不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV', 'old Excel files (.xls) are not read: save it as .xlsx or CSV');
  }
  if (bytes.includes(0)) throw unreadable('文件不是 Excel（.xlsx）、CSV 或文本文件', 'the file is not an Excel workbook (.xlsx), CSV or text');
  try {
    // blank lines kept, so that a row's number is the line people see; cells split by comma, tab (Excel's
    // 文本文件), semicolon or a Chinese comma
    return parse(textOf(bytes), { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true,
      delimiter: [',', '\t', ';', '，'] }) as string[][];
  } catch {
    throw unreadable('CSV 文件格式有误，无法读取', 'the CSV file is malformed');
  }
}

/** UTF-8, else GBK (GB18030), which Excel on a Chinese Windows writes CSV in. */
function textOf(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function rowsOfWorkbook(bytes: Buffer): Promise<string[][]> {
  const { default: Excel } = await import('exceljs'); // loaded on the first list, as the workbooks written
  const book = new Excel.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw unreadable('Excel 文件无法打开（已损坏或不是 .xlsx）', 'the Excel file cannot be opened (damaged, or not .xlsx)');
  }
  const sheet = book.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    rows[n - 1] = (row.values as unknown[]).slice(1).map(cellText);
  });
  return Array.from(rows, (r) => r ?? []);
}

/** A cell as text: a number typed as a number (13800138000) is the number's digits. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : '';
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
    return '';
  }
  return String(value);
}

const unreadable = (zh: string, en: string) => new DomainError('SURVEY_LIST_UNREADABLE', { detail: { zh, en } });
