// The report laid out once, for both files: its sections in order, each with its sentences, charts
// and tables. Cells keep their numbers (the workbook writes them as numbers with a format, the PDF
// as text), so that a reader of the workbook can sort, sum and chart them again.
import { beijingMinute } from '../../../shared/beijing.js';
import type { Figures, TopItem } from '../analysis.js';
import type { UnitAssessment } from '../../assessment/index.js';
import type { AnalysisReport } from './content.js';
import {
  callerGroupName, changeOf, channelName, percent, periodName, say, signedPercent, statusName, typeName, type Lang, type WordKey,
} from './texts.js';

/** count: an integer; rate: 0–1 shown as a percentage; change: a signed percentage; points: a difference of rates; number: one decimal */
export type Kind = 'count' | 'rate' | 'change' | 'points' | 'number';
export type Cell = string | { value: number | null; kind: Kind };
export interface Table {
  title?: string;
  head: string[];
  rows: Cell[][];
  /** in the workbook only: too long for the printed report */
  detail?: boolean;
}
export interface Section { key: WordKey; heading: string; text: string[]; charts: string[]; tables: Table[] }

const c = (value: number): Cell => ({ value, kind: 'count' });
const rate = (value: number | null): Cell => ({ value, kind: 'rate' });
const change = (value: number | null): Cell => ({ value, kind: 'change' });
const points = (a: number | null, b: number | null): Cell => ({ value: a === null || b === null ? null : a - b, kind: 'points' });
const num = (value: number | null): Cell => ({ value: value === null ? null : Math.round(value * 10) / 10, kind: 'number' });

export function reportTitle(lang: Lang, r: AnalysisReport, cityName: string): string {
  return lang === 'zh' ? `${cityName}${periodName(lang, r.period)}12345 热线分析报告` : `${cityName} 12345 hotline analysis report, ${periodName(lang, r.period)}`;
}

export function reportSubtitle(lang: Lang, r: AnalysisReport): string {
  const span = `${r.period.from} — ${r.period.through}${r.period.partial ? say(lang, 'partial', { through: r.period.through }) : ''}`;
  return `${span} · ${say(lang, r.scope === 'city' ? 'scopeCity' : 'scopeUnits', { unit: r.unitName ?? (lang === 'zh' ? '本单位' : "the reader's unit") })} · ${say(lang, 'generated')} ${beijingMinute(r.generatedAt)}${lang === 'zh' ? '' : ' (Beijing time)'}`;
}

export function reportSections(lang: Lang, r: AnalysisReport): Section[] {
  const w = (key: WordKey) => say(lang, key);
  const section = (key: WordKey, parts: Partial<Omit<Section, 'key' | 'heading'>>): Section =>
    ({ key, heading: w(key), text: [], charts: [], tables: [], ...parts });
  const cityOnly = (key: WordKey, parts: () => Partial<Omit<Section, 'key' | 'heading'>>) =>
    section(key, r.scope === 'city' ? parts() : { text: [w('cityOnly')] });
  return [
    section('findings', { text: r.findings[lang] }),
    section('keyFigures', { tables: [keyFigures(lang, r)] }),
    section('volume', {
      charts: ['daily', 'monthly'],
      tables: [
        { title: w('monthlyChart'), head: [w('month'), w('orders'), w('lastYear'), w('yoy'), w('closedRate'), w('satisfactionRate')],
          rows: r.months.map((m) => [m.month, c(m.orders), c(m.lastYear), change(changeOf(m.orders, m.lastYear)), rate(m.closedRate), rate(m.satisfactionRate)]) },
        { title: w('dailyChart'), detail: true, head: [w('date'), w('orders'), w('lastYear'), w('yoy')],
          rows: r.days.map((d) => [d.date, c(d.orders), c(d.lastYear), change(changeOf(d.orders, d.lastYear))]) },
      ],
    }),
    section('categories', {
      charts: ['categories'],
      tables: [
        ranking(lang, w('category'), r.categories.items),
        ranking(lang, w('topMatters'), r.matters.items),
        ranking(lang, w('risingMatters'), r.rising.items),
      ],
    }),
    section('areas', {
      charts: ['districts'],
      tables: [{ head: [w('rank'), w('district'), w('orders'), w('share'), w('change'), w('closedRate'), w('overdueRate'), w('satisfactionRate'), w('avgHandlingHours')],
        rows: r.districts.items.map((i, n) => [String(n + 1), i.label ?? i.member, c(i.measures.orders), rate(i.share), change(i.change),
          rate(i.rates.closedRate), rate(i.rates.overdueRate), rate(i.rates.satisfactionRate), num(i.avgHandlingHours)]) }],
    }),
    section('channels', {
      charts: ['channels'],
      tables: [
        ranking(lang, w('channel'), r.channels.items.map((i) => ({ ...i, label: channelName(lang, i.member) }))),
        ranking(lang, w('type'), r.types.items.map((i) => ({ ...i, label: typeName(lang, i.member) }))),
      ],
    }),
    cityOnly('hotTopics', () => ({
      text: [...(r.hotTopics?.length ? [] : [w('noTopics')]), ...(r.warnings?.length ? [] : [w('noWarnings')])],
      tables: [
        ...(r.hotTopics?.length ? [{ title: w('topic'), head: [w('rank'), w('keywords'), w('place'), w('matter'), w('topicOrders'), w('firstSeen')],
          rows: r.hotTopics.map((t, n): Cell[] => [String(n + 1), t.keywords.join(lang === 'zh' ? '、' : ', '),
            [t.district?.name, t.street?.name].filter(Boolean).join(' '), t.category?.name ?? '', c(t.recent), beijingMinute(t.firstAt)]) }] : []),
        ...(r.warnings?.length ? [{ title: w('warning'), head: [w('crossedAt'), w('area'), w('matter'), w('reports'), w('expected'), w('status'), w('outcome')],
          rows: r.warnings.map((x): Cell[] => [beijingMinute(x.crossedAt), x.area.name, x.category.name, c(x.reports), num(x.expected),
            statusName(lang, x.status), x.outcome ? statusName(lang, x.outcome) : '']) }] : []),
      ],
    })),
    cityOnly('units', () => {
      const units = r.assessment?.units ?? [];
      const level = (key: 'departments' | 'districts', name: string): Table[] => {
        const rows = units.filter((u) => u.unit.level === name);
        return rows.length ? [unitTable(lang, w(key), rows)] : [];
      };
      const others = units.filter((u) => u.unit.level !== 'department' && u.unit.level !== 'district');
      return { text: units.length ? [] : [w('noUnits')],
        tables: [...level('departments', 'department'), ...level('districts', 'district'),
          ...(others.length ? [{ ...unitTable(lang, w('unit'), others), detail: true }] : [])] };
    }),
    section('opinion', {
      text: [(['angerRate', 'repeatedRate'] as const).map((k) => lang === 'zh'
        ? `${w(k)} ${percent(r.overview.current.rates[k])}（${w('previous')} ${percent(r.overview.previous.rates[k])}）`
        : `${w(k)} ${percent(r.overview.current.rates[k])} (${w('previous').toLowerCase()}: ${percent(r.overview.previous.rates[k])})`).join(lang === 'zh' ? '；' : '; ')],
      tables: [signalTable(lang, w('angryMatters'), r.angry.items, 'angry'), signalTable(lang, w('repeatedMatters'), r.repeated.items, 'repeated')],
    }),
    section('callers', {
      text: [w('callersNote'), `${w('anonymous')}: ${r.callers.anonymous.toLocaleString('en')}`],
      charts: ['callers'],
      tables: [{ head: [w('group'), w('callersCount'), w('orders'), w('share'), w('closedRate'), w('satisfactionRate'), w('channel'), w('category')],
        rows: r.callers.groups.map((g) => [callerGroupName(lang, g.group), g.callers === null ? '' : c(g.callers), c(g.measures.orders), rate(g.share),
          rate(g.rates.closedRate), rate(g.rates.satisfactionRate), leading(g.channels.map((x) => ({ ...x, label: channelName(lang, x.member) })), lang),
          leading(g.categories.map((x) => ({ ...x, label: x.label ?? x.member })), lang)]) }],
    }),
  ];
}

function keyFigures(lang: Lang, r: AnalysisReport): Table {
  const { current, previous, lastYear } = r.overview;
  const counts = ['orders', 'direct', 'closed', 'overdue', 'reopened', 'visited'] as const;
  const rates = ['closedRate', 'directRate', 'overdueRate', 'reopenRate', 'satisfactionRate', 'angerRate', 'repeatedRate'] as const;
  const hours = (f: Figures) => f.avgHandlingHours;
  return {
    head: [say(lang, 'measure'), say(lang, 'current'), say(lang, 'previous'), say(lang, 'lastYear'), say(lang, 'mom'), say(lang, 'yoy')],
    rows: [
      ...counts.map((k): Cell[] => [say(lang, k), c(current.measures[k]), c(previous.measures[k]), c(lastYear.measures[k]),
        change(changeOf(current.measures[k], previous.measures[k])), change(changeOf(current.measures[k], lastYear.measures[k]))]),
      ...rates.map((k): Cell[] => [say(lang, k), rate(current.rates[k]), rate(previous.rates[k]), rate(lastYear.rates[k]),
        points(current.rates[k], previous.rates[k]), points(current.rates[k], lastYear.rates[k])]),
      [say(lang, 'avgHandlingHours'), num(hours(current)), num(hours(previous)), num(hours(lastYear)),
        change(current.avgHandlingHours === null || !previous.avgHandlingHours ? null : changeOf(current.avgHandlingHours, previous.avgHandlingHours)),
        change(current.avgHandlingHours === null || !lastYear.avgHandlingHours ? null : changeOf(current.avgHandlingHours, lastYear.avgHandlingHours))],
    ],
  };
}

function ranking(lang: Lang, title: string, items: TopItem[]): Table {
  return { title, head: [say(lang, 'rank'), title, say(lang, 'orders'), say(lang, 'share'), say(lang, 'previousOrders'), say(lang, 'change'), say(lang, 'satisfactionRate')],
    rows: items.map((i, n) => [String(n + 1), i.label ?? i.member, c(i.measures.orders), rate(i.share), c(i.previousOrders), change(i.change), rate(i.rates.satisfactionRate)]) };
}

function signalTable(lang: Lang, title: string, items: TopItem[], signal: 'angry' | 'repeated'): Table {
  return { title, head: [say(lang, 'rank'), say(lang, 'matter'), say(lang, signal), say(lang, 'orders'), say(lang, 'satisfactionRate')],
    rows: items.length ? items.map((i, n) => [String(n + 1), i.label ?? i.member, c(i.measures[signal]), c(i.measures.orders), rate(i.rates.satisfactionRate)])
      : [[say(lang, 'none'), '', '', '', '']] };
}

function unitTable(lang: Lang, title: string, units: UnitAssessment[]): Table {
  return { title, head: [say(lang, 'rank'), say(lang, 'unit'), say(lang, 'score'), say(lang, 'responseRate'), say(lang, 'onTimeReplyRate'),
    say(lang, 'resolutionRate'), say(lang, 'satisfactionRate'), say(lang, 'orders')],
  rows: units.map((u) => [u.rank === null ? '' : String(u.rank), u.unit.name, num(u.score), rate(u.rates.responseRate), rate(u.rates.onTimeReplyRate),
    rate(u.rates.resolutionRate), rate(u.rates.satisfactionRate), c(u.figures.accountable)]) };
}

/** The two biggest of a group's counts: 电话 60%、微信 20%. */
function leading(items: { label: string; orders: number }[], lang: Lang): string {
  const total = items.reduce((n, i) => n + i.orders, 0);
  return [...items].sort((a, b) => b.orders - a.orders).slice(0, 2)
    .map((i) => `${i.label} ${percent(total > 0 ? i.orders / total : null, 0)}`).join(lang === 'zh' ? '、' : ', ');
}

/** A time as Beijing's clock shows it. */

/** A cell as the PDF prints it. */
export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  const { value, kind } = cell;
  if (value === null) return '—';
  switch (kind) {
    case 'count': return value.toLocaleString('en');
    case 'rate': return percent(value);
    case 'change': return signedPercent(value);
    case 'points': return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} pp`;
    case 'number': return value.toFixed(1);
  }
}
