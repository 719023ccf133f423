// The report's charts: drawn by ECharts on the server (its SVG renderer, the same library the web
// application draws with) and rasterised by resvg with the embedded Chinese font, so that a chart
// reads the same in the workbook, in the PDF and on any machine, fonts installed or not.
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { EChartsOption } from 'echarts';
import type { AnalysisReport } from './content.js';
import { callerGroupName, channelName, say, type Lang } from './texts.js';

const require = createRequire(import.meta.url);
/** Noto Sans SC (SIL Open Font License), from the npm registry: Chinese in charts and PDFs without system fonts. */
export const FONTS = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};
const FAMILY = 'Noto Sans SC';

export const CHART_WIDTH = 1000;
export const CHART_HEIGHT = 420;
/** pixels per chart unit in the PNG: sharp when printed at A4 width */
const ZOOM = 2;

export interface Chart { name: string; png: Buffer; width: number; height: number }

/** One chart as PNG; ECharts and resvg are loaded on the first report only. */
export async function drawChart(name: string, option: EChartsOption, width = CHART_WIDTH, height = CHART_HEIGHT): Promise<Chart> {
  const svg = await svgOf(option, width, height);
  const { renderAsync } = await import('@resvg/resvg-js');
  // rasterised off the event loop (libuv's threads): requests go on meanwhile
  const image = await renderAsync(svg, { background: '#ffffff', font: { fontFiles: [FONTS.regular, FONTS.bold], loadSystemFonts: false, defaultFontFamily: FAMILY },
    fitTo: { mode: 'zoom', value: ZOOM } });
  return { name, png: await opaquePng(image.pixels, image.width, image.height), width, height };
}

/** Charts are laid out one at a time, each in a turn of the event loop of its own (tens of milliseconds each). */
let drawing: Promise<unknown> = Promise.resolve();

function svgOf(option: EChartsOption, width: number, height: number): Promise<string> {
  const turn = drawing.then(async () => {
    const echarts = await import('echarts');
    await yieldToRequests();
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    try {
      chart.setOption({ animation: false, backgroundColor: '#ffffff', textStyle: { fontFamily: FAMILY }, ...option });
      return chart.renderToSVGString();
    } finally {
      chart.dispose();
    }
  });
  drawing = turn.catch(() => undefined);
  return turn;
}

const deflate = promisify(zlib.deflate);
/** A few milliseconds of copying, then the event loop's turn: requests are not held up by a report. */
const ROWS_AT_ONCE = 128;
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));
const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/**
 * An RGB PNG of the RGBA pixels (drawn on white). resvg writes RGBA, and the PDF writer then splits
 * the alpha out of every pixel in JavaScript: a fifth of a second of stalled event loop a report.
 * RGB goes into the PDF as it is. Compressed on libuv's threads.
 */
async function opaquePng(rgba: Buffer, width: number, height: number): Promise<Buffer> {
  const rows = Buffer.alloc((width * 3 + 1) * height); // each row: filter type 0, then RGB
  for (let y = 0, out = 0, at = 0; y < height; y++) {
    if (y % ROWS_AT_ONCE === 0) await yieldToRequests();
    rows[out++] = 0;
    for (let x = 0; x < width; x++, at += 4) {
      rows[out++] = rgba[at]!;
      rows[out++] = rgba[at + 1]!;
      rows[out++] = rgba[at + 2]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 2; // truecolour, no alpha
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', header), pngChunk('IDAT', await deflate(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const check = Buffer.alloc(4);
  check.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, check]);
}

const grid = { left: 60, right: 60, top: 50, bottom: 40, containLabel: true };
const title = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 16, fontWeight: 'normal' as const } });

/** The report's charts, in the order the files show them; a section with nothing to draw has none. */
export async function reportCharts(lang: Lang, r: AnalysisReport): Promise<Map<string, Chart>> {
  const charts: Promise<Chart>[] = [];
  charts.push(drawChart('daily', {
    title: title(say(lang, 'dailyChart')), grid, legend: { bottom: 0 },
    xAxis: { type: 'category', data: r.days.map((d) => d.date.slice(5)) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', name: say(lang, 'current'), data: r.days.map((d) => d.orders), itemStyle: { color: '#1677ff' } },
      { type: 'line', name: say(lang, 'lastYear'), data: r.days.map((d) => d.lastYear), itemStyle: { color: '#fa8c16' }, symbol: 'none' }],
  }));
  charts.push(drawChart('monthly', {
    title: title(say(lang, 'monthlyChart')), grid, legend: { bottom: 0 },
    xAxis: { type: 'category', data: r.months.map((m) => m.month) },
    yAxis: [{ type: 'value', name: say(lang, 'orders') }, { type: 'value', name: say(lang, 'satisfactionRate'), min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
    series: [{ type: 'bar', name: say(lang, 'orders'), data: r.months.map((m) => m.orders), itemStyle: { color: '#1677ff' } },
      { type: 'bar', name: say(lang, 'lastYear'), data: r.months.map((m) => m.lastYear), itemStyle: { color: '#bfbfbf' } },
      { type: 'line', name: say(lang, 'satisfactionRate'), yAxisIndex: 1, itemStyle: { color: '#52c41a' },
        data: r.months.map((m) => (m.satisfactionRate === null ? null : Math.round(m.satisfactionRate * 1000) / 10)) }],
  }));
  const bars = (name: string, heading: string, items: { label: string; value: number }[]) => drawChart(name, {
    title: title(heading), grid: { ...grid, left: 20 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: items.map((i) => i.label) },
    series: [{ type: 'bar', data: items.map((i) => i.value), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right' } }],
  }, CHART_WIDTH, Math.max(240, 70 + items.length * 26));
  if (r.categories.items.length > 0) {
    charts.push(bars('categories', say(lang, 'categoriesChart'), r.categories.items.map((i) => ({ label: i.label ?? i.member, value: i.measures.orders }))));
  }
  if (r.districts.items.length > 0) {
    charts.push(bars('districts', say(lang, 'districtsChart'), r.districts.items.slice(0, 20).map((i) => ({ label: i.label ?? i.member, value: i.measures.orders }))));
  }
  if (r.channels.items.length > 0) {
    charts.push(drawChart('channels', {
      title: title(say(lang, 'channelsChart')), legend: { bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], label: { formatter: '{b} {d}%' },
        data: r.channels.items.map((i) => ({ name: channelName(lang, i.member), value: i.measures.orders })) }],
    }));
  }
  const groups = r.callers.groups;
  if (groups.some((g) => g.measures.orders > 0)) {
    charts.push(drawChart('callers', {
      title: title(say(lang, 'callersChart')), grid, legend: { bottom: 0 },
      xAxis: { type: 'category', data: groups.map((g) => callerGroupName(lang, g.group)) },
      yAxis: [{ type: 'value', name: say(lang, 'orders') }, { type: 'value', name: say(lang, 'satisfactionRate'), min: 0, max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [{ type: 'bar', name: say(lang, 'orders'), data: groups.map((g) => g.measures.orders), itemStyle: { color: '#1677ff' } },
        { type: 'line', name: say(lang, 'satisfactionRate'), yAxisIndex: 1, itemStyle: { color: '#52c41a' },
          data: groups.map((g) => (g.rates.satisfactionRate === null ? null : Math.round(g.rates.satisfactionRate * 1000) / 10)) }],
    }, CHART_WIDTH, 360));
  }
  return new Map((await Promise.all(charts)).map((c) => [c.name, c]));
}
