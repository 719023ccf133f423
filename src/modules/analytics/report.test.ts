// The monthly and quarterly analysis report over HTTP, on a generated history of two years and a
// burst of reports this month: its figures are those of the analysis it reads, a burst appears as
// its warning and its hot topic, a unit's manager gets their own scope without the city's sections,
// and the workbook and the PDF, read back as a reader's software reads them, hold those figures,
// their charts, the Chinese text and the page numbers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CITY, makeStaff, orderInput, startTestApp, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { loadWorld } from '../../seed/history/world.js';
import { writeHistory } from '../../seed/history/write.js';
import { drainCommitted } from '../events/index.js';
import { registerOrder } from '../orders/index.js';
import { hotTopicsConsumer, rebuildRollups, rollupsConsumer, warningsConsumer } from './index.js';
import { beijingDate, beijingMinute, beijingMonth } from '../../shared/beijing.js';
import { reportSubtitle } from './report/sections.js';
import { findings } from './report/texts.js';

const END = new Date('2026-11-30T16:00:00Z'); // midnight in Beijing, 1 December 2026

describe('analysis report', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let headers: (username: string) => Promise<Record<string, string>>;
  let leader: Record<string, string>;
  /** the month of the burst, under way */
  let thisMonth: string;
  before(async () => {
    p = await startTestPlatform();
    await writeHistory(p.db.pool, CITY, await loadWorld(p.db.pool, CITY), { orders: 3_000, years: 2, seed: 5, end: END });
    await rebuildRollups(p.db.pool, CITY);
    const started = await startTestApp(p);
    app = started.app;
    headers = async (username) => ({ authorization: `Bearer ${await started.tokenFor(username)}` });
    leader = await headers((await makeStaff(p, 'HOTLINE', ['leader'])).username);
    // twelve neighbours report a water cut within the last minutes, all in this month
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const community = (await p.db.pool.query(`SELECT code FROM areas WHERE parent_code = '370102001' ORDER BY code LIMIT 1`)).rows[0].code;
    const now = Date.now() - 5_000;
    const monthStart = Date.parse(`${beijingMonth(new Date(now))}-01T00:00:00+08:00`);
    const start = Math.max(now - 180_000, monthStart);
    for (let i = 0; i < 12; i++) {
      await registerOrder(p.db.pool, agent, orderInput({ categoryCode: '010216', title: '小区突然停水',
        body: '小区突然停水，没有任何通知，家里老人孩子没水用', location: { address: '解放路', areaCode: community } }),
      new Date(start + ((now - start) * i) / 12));
    }
    for (const consumer of [rollupsConsumer, warningsConsumer, hotTopicsConsumer]) await drainCommitted(p.db.pool, consumer);
    thisMonth = beijingMonth(new Date(now));
  });
  after(() => p.close());

  const get = async (url: string, h: Record<string, string> = leader) => {
    const res = await app.inject({ method: 'GET', url, headers: h });
    return { status: res.statusCode, body: String(res.headers['content-type']).startsWith('application/json') ? res.json() : null, bytes: res.rawPayload,
      type: res.headers['content-type'], disposition: res.headers['content-disposition'] };
  };

  it("reports a month in the figures of the analysis it reads: the month against the one before and a year earlier, each day, the year's months", async () => {
    const { status, body } = await get('/api/v1/analytics/report?period=2026-11');
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.period, { key: '2026-11', kind: 'month', from: '2026-11-01', to: '2026-11-30', through: '2026-11-30', partial: false });
    assert.equal(body.scope, 'city');
    const overview = (await get('/api/v1/analytics/overview?from=2026-11-01&to=2026-11-30')).body;
    assert.deepEqual(body.overview, overview);
    assert.ok(overview.current.measures.orders > 100, 'a month of a generated city');
    assert.equal(body.days.length, 30);
    assert.equal(body.days.reduce((n: number, d: { orders: number }) => n + d.orders, 0), overview.current.measures.orders, 'the days add up to the month');
    assert.equal(body.days.reduce((n: number, d: { lastYear: number }) => n + d.lastYear, 0), overview.lastYear.measures.orders);
    assert.deepEqual(body.months.map((m: { month: string }) => m.month).slice(0, 2), ['2025-12', '2026-01']);
    assert.equal(body.months.length, 12);
    assert.equal(body.months.at(-1).orders, overview.current.measures.orders);
    const categories = (await get('/api/v1/analytics/top?from=2026-11-01&to=2026-11-30&dim=category1&limit=20')).body;
    assert.deepEqual(body.categories, categories);
    for (const item of body.rising.items) assert.ok(item.measures.orders > item.previousOrders, 'rising: only what rose');
    assert.ok(body.assessment.units.length > 10, "the units' assessment of the month");
    assert.equal(body.assessment.period.label, '2026-11');
    assert.deepEqual(body.warnings, [], 'no burst in the generated November');
  });

  it('reports a quarter, and a period under way up to today; a period not begun, or not a period, is refused in words', async () => {
    const { status, body } = await get('/api/v1/analytics/report?period=2026-Q3');
    assert.equal(status, 200);
    assert.deepEqual(body.period, { key: '2026-Q3', kind: 'quarter', from: '2026-07-01', to: '2026-09-30', through: '2026-09-30', partial: false });
    assert.equal(body.days.length, 92);
    const current = (await get(`/api/v1/analytics/report?period=${thisMonth}`)).body.period;
    assert.equal(current.partial, current.through < current.to);
    assert.equal(current.through, beijingDate(Date.now()), 'counted up to today');
    for (const [period, words] of [['2026-13', '不是月份'], ['2026-Q5', '不是月份'], ['2999-01', '尚未开始'], ['next', '不是月份']] as const) {
      const refused = await get(`/api/v1/analytics/report.pdf?period=${period}`);
      assert.equal(refused.status, 422, period);
      assert.equal(refused.body.error.code, 'ANALYTICS_INVALID_PERIOD');
      assert.match(refused.body.error.message, new RegExp(words), period);
    }
  });

  it("puts this month's burst in its report: one warning with its reports, and the hot topic", async () => {
    const { body } = await get(`/api/v1/analytics/report?period=${thisMonth}`);
    assert.equal(body.warnings.length, 1, 'one incident, one warning');
    assert.equal(body.warnings[0].reports, 12);
    assert.equal(body.warnings[0].category.code, '010216');
    const [topic] = body.hotTopics;
    assert.ok(topic && topic.recent >= 12, `the burst is the biggest hot topic: ${JSON.stringify(topic)}`);
    assert.ok(topic.keywords.some((w: string) => w.includes('停水')), `its words: ${topic.keywords}`);
    assert.equal(body.overview.current.measures.orders >= 12, true);
    assert.ok(findings('en', body).includes('1 early warning was raised, 0 confirmed as incidents.'), findings('en', body).join(' | '));
    assert.ok(reportSubtitle('zh', body).endsWith(`生成时间 ${beijingMinute(body.generatedAt)}`), 'made in Beijing time, as every time of the report');
  });

  it("gives a unit's manager the report of the orders their unit and those below it lead, without the city's sections", async () => {
    const [unit] = (await p.db.pool.query(`SELECT a.code, a.name FROM units a JOIN units u ON u.path LIKE a.path || '%' JOIN orders o ON o.lead_unit_id = u.id
       GROUP BY a.id, a.code HAVING count(DISTINCT u.id) > 1 ORDER BY count(*) DESC LIMIT 1`)).rows;
    const manager = await headers((await makeStaff(p, unit.code, ['unit_manager'])).username);
    const { status, body } = await get('/api/v1/analytics/report?period=2026-11', manager);
    assert.equal(status, 200);
    assert.equal(body.scope, 'units');
    assert.deepEqual(body.overview, (await get('/api/v1/analytics/overview?from=2026-11-01&to=2026-11-30', manager)).body);
    assert.ok(body.overview.current.measures.orders > 0);
    assert.deepEqual([body.hotTopics, body.warnings, body.assessment], [null, null, null]);
    assert.equal(body.unitName, unit.name);
    assert.match(body.findings.zh[0], new RegExp(`，${unit.name}及下级单位承办诉求 ${body.overview.current.measures.orders.toLocaleString('en')} 件`), 'the unit\'s orders, not the hotline\'s');
    assert.match(body.findings.en[0], new RegExp(` ${unit.name} and the units below it led `));
  });

  it('writes the workbook a sheet per section, the figures as numbers with their formats, the charts as pictures', async () => {
    const { body } = await get('/api/v1/analytics/report?period=2026-11');
    const file = await get('/api/v1/analytics/report.xlsx?period=2026-11');
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(file.disposition, 'attachment; filename="report-2026-11-zh.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ExcelJS.Buffer);
    assert.deepEqual(book.worksheets.map((s) => s.name),
      ['综述', '主要指标', '受理量走势', '诉求分类', '区域分布', '来源渠道与诉求类型', '热点问题与突发事件预警', '承办单位考核', '舆情', '来电人分析']);
    assert.equal(book.worksheets[0]!.getCell('A1').value, '济南市2026年11月12345 热线分析报告');
    const figures = book.getWorksheet('主要指标')!;
    const row = figures.getRows(1, figures.rowCount)!.find((r) => r.getCell(1).value === '受理量')!;
    assert.deepEqual([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value],
      [body.overview.current.measures.orders, body.overview.previous.measures.orders, body.overview.lastYear.measures.orders]);
    assert.equal(row.getCell(2).numFmt, '#,##0');
    const satisfaction = figures.getRows(1, figures.rowCount)!.find((r) => r.getCell(1).value === '满意率')!;
    assert.equal(satisfaction.getCell(2).value, body.overview.current.rates.satisfactionRate);
    assert.equal(satisfaction.getCell(2).numFmt, '0.0%');
    assert.equal(book.getWorksheet('受理量走势')!.getImages().length, 2, 'the daily and the monthly chart');
    const units = book.getWorksheet('承办单位考核')!;
    const names = new Set(units.getColumn(2).values);
    assert.ok(body.assessment.units.every((u: { unit: { name: string } }) => names.has(u.unit.name)), 'every assessed unit in the workbook');

  });

  it('prints the PDF on A4 with the Chinese font embedded, the figures in its text, the charts drawn and the pages numbered', async () => {
    const { body } = await get('/api/v1/analytics/report?period=2026-11');
    const file = await get('/api/v1/analytics/report.pdf?period=2026-11');
    assert.equal(file.status, 200);
    assert.equal(file.type, 'application/pdf');
    const doc = await getDocument({ data: new Uint8Array(file.bytes), useSystemFonts: false }).promise;
    assert.ok(doc.numPages >= 4, `${doc.numPages} pages`);
    const first = await doc.getPage(1);
    assert.deepEqual(first.view.map(Math.round), [0, 0, 595, 842], 'A4');
    const pages = await pdfText(file.bytes);
    assert.match(pages[0]!, /济南市2026年11月12345 热线分析报告/);
    assert.match(pages[0]!, new RegExp(`热线共受理诉求 ${body.overview.current.measures.orders.toLocaleString('en')} 件`));
    assert.match(pages.at(-1)!, new RegExp(`第 ${doc.numPages} 页，共 ${doc.numPages} 页`));
    assert.match(pages.join('\n'), /八、承办单位考核/);
    let images = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      images += (await (await doc.getPage(n)).getOperatorList()).fnArray.filter((op) => op === OPS.paintImageXObject).length;
    }
    assert.equal(images, 6, 'the daily, monthly, category, district, channel and caller charts');
    const fonts = file.bytes.toString('latin1').match(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-(Regular|Bold)/g) ?? [];
    assert.ok(fonts.length >= 2, 'the font embedded, only the characters used');

    const english = await pdfText((await get('/api/v1/analytics/report.pdf?period=2026-Q3&lang=en')).bytes);
    assert.match(english[0]!, /12345 hotline analysis report, 2026 Q3/);
    assert.match(english.join('\n'), /2\. Key figures/);
    const manager = await headers((await makeStaff(p, 'UTIL-WATER', ['unit_manager'])).username);
    const scoped = await pdfText((await get('/api/v1/analytics/report.pdf?period=2026-Q3&lang=en', manager)).bytes);
    assert.match(scoped[0]!, /Scope: the orders led by 济南水务集团 and the units below it/);
  });
});

/** Each page's text, as a reader's PDF software extracts it. */
async function pdfText(bytes: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  return pages;
}
