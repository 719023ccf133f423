// The service level as an Excel workbook: a sheet stating each figure's definition (the standard's
// words beside the formula), then the figures in all and by the chosen grouping.
import type ExcelJS from 'exceljs';
import { SERVICE_LEVEL_DEFINITIONS, type ServiceLevel, type ServiceLevelFigures } from './service-level.js';

const NAMES = Object.keys(SERVICE_LEVEL_DEFINITIONS) as (keyof typeof SERVICE_LEVEL_DEFINITIONS)[];
const BY = { hour: '小时 Hour', day: '日期 Day', queue: '队列 Queue', agent: '坐席 Seat' } as const;
const RATES = new Set(['serviceLevel', 'connectionRate', 'abandonRate']);

export async function serviceLevelWorkbook(level: ServiceLevel, cityName: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs'); // loaded on the first export, as the assessment's
  const book = new Excel.Workbook();
  book.creator = 'Minsheng 民声';
  book.created = new Date();
  const about = book.addWorksheet('说明 Definitions');
  about.columns = [{ width: 26 }, { width: 100 }];
  about.addRow(['服务水平 Service level', `${cityName} 12345 热线 ${level.from} — ${level.to}（北京时间，按来电进入队列的时间计 by the time each call reached a queue）`]).getCell(1).font = { bold: true };
  for (const name of NAMES) about.addRow([name, `${SERVICE_LEVEL_DEFINITIONS[name].zh}；${SERVICE_LEVEL_DEFINITIONS[name].en}`]).getCell(1).font = { bold: true };
  about.addRow([]);
  const { toDesks, fromPolice110 } = level.linkage;
  about.addRow(['12345 ↔ 110/119/120', [...toDesks.map((d) => `转 ${d.desk} transferred to ${d.desk}: ${d.calls}`),
    `110 移交来单 handed over by 110: ${fromPolice110}`].join('；')]).getCell(1).font = { bold: true };
  about.getColumn(2).alignment = { wrapText: true };

  const sheet = book.addWorksheet('服务水平 Figures');
  sheet.addRow([BY[level.by], ...NAMES.map((n) => `${SERVICE_LEVEL_DEFINITIONS[n].zh.split(/[：（=]/)[0]} ${n}`)]).font = { bold: true };
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
  const add = (label: string, f: ServiceLevelFigures) => {
    const row = sheet.addRow([label, ...NAMES.map((n) => f[n])]);
    NAMES.forEach((n, i) => { if (RATES.has(n)) row.getCell(i + 2).numFmt = '0.0%'; });
  };
  for (const r of level.rows) add(r.label, r);
  add('合计 Total', level.total);
  sheet.lastRow!.font = { bold: true };
  sheet.columns.forEach((c, i) => { c.width = i === 0 ? 22 : 16; });
  return Buffer.from(await book.xlsx.writeBuffer());
}
