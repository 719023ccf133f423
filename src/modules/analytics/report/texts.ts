// The words of the report's files, in Simplified Chinese and English, and the findings (综述): the
// sentences a report opens with, written from its figures.
import { REQUEST_TYPES } from '../../taxonomy/index.js';
import type { AnalysisReport, ReportPeriod } from './content.js';

export const REPORT_LANGS = ['zh', 'en'] as const;
export type Lang = (typeof REPORT_LANGS)[number];
type Words = { zh: string; en: string };

export const WORDS = {
  report: { zh: '12345 热线分析报告', en: '12345 hotline analysis report' },
  partial: { zh: '（统计至 {through}，期间未结束）', en: ' (up to {through}; the period is under way)' },
  generated: { zh: '生成时间', en: 'Generated' },
  scopeCity: { zh: '范围：全市', en: 'Scope: the whole city' },
  scopeUnits: { zh: '范围：{unit}及下级单位承办的工单', en: 'Scope: the orders led by {unit} and the units below it' },
  findings: { zh: '一、综述', en: '1. Summary' },
  keyFigures: { zh: '二、主要指标', en: '2. Key figures' },
  volume: { zh: '三、受理量走势', en: '3. Volume' },
  categories: { zh: '四、诉求分类', en: '4. What citizens asked about' },
  areas: { zh: '五、区域分布', en: '5. Where' },
  channels: { zh: '六、来源渠道与诉求类型', en: '6. Channels and request types' },
  hotTopics: { zh: '七、热点问题与突发事件预警', en: '7. Hot topics and early warnings' },
  units: { zh: '八、承办单位考核', en: '8. Assessment of the handling units' },
  opinion: { zh: '九、舆情', en: '9. Public opinion' },
  callers: { zh: '十、来电人分析', en: '10. Callers by how often they call' },
  measure: { zh: '指标', en: 'Measure' },
  current: { zh: '本期', en: 'This period' },
  previous: { zh: '上期', en: 'Period before' },
  lastYear: { zh: '去年同期', en: 'A year earlier' },
  mom: { zh: '环比', en: 'vs before' },
  yoy: { zh: '同比', en: 'vs a year earlier' },
  orders: { zh: '受理量', en: 'Orders' },
  closed: { zh: '办结', en: 'Closed' },
  direct: { zh: '直接办理', en: 'Answered directly' },
  overdue: { zh: '超期', en: 'Overdue' },
  reopened: { zh: '重办', en: 'Reopened' },
  visited: { zh: '回访接通', en: 'Visits reached' },
  closedRate: { zh: '办结率', en: 'Closed rate' },
  directRate: { zh: '直接办理率', en: 'Direct-answer rate' },
  overdueRate: { zh: '超期率', en: 'Overdue rate' },
  reopenRate: { zh: '重办率', en: 'Reopen rate' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
  angerRate: { zh: '情绪激动占比', en: 'Anger rate' },
  repeatedRate: { zh: '多次反映占比', en: 'Raised-again rate' },
  avgHandlingHours: { zh: '平均办理时长（小时）', en: 'Mean handling time (hours)' },
  date: { zh: '日期', en: 'Date' },
  month: { zh: '月份', en: 'Month' },
  dailyChart: { zh: '每日受理量（柱）与去年同期（线）', en: 'Orders a day (bars) and a year earlier (line)' },
  monthlyChart: { zh: '近 12 个月受理量与满意率', en: 'The last twelve months: orders and satisfaction' },
  categoriesChart: { zh: '各一级分类受理量', en: 'Orders by category' },
  districtsChart: { zh: '各区县受理量', en: 'Orders by district' },
  channelsChart: { zh: '各渠道受理量占比', en: 'Orders by channel' },
  callersChart: { zh: '各来电频次组的工单量与满意率', en: 'Orders and satisfaction by how often the caller calls' },
  rank: { zh: '排名', en: 'Rank' },
  category: { zh: '一级分类', en: 'Category' },
  matter: { zh: '三级分类（事项）', en: 'Matter (third level)' },
  topMatters: { zh: '诉求最多的事项', en: 'The matters most asked about' },
  risingMatters: { zh: '增长最快的事项', en: 'The matters rising most' },
  district: { zh: '区县', en: 'District' },
  channel: { zh: '渠道', en: 'Channel' },
  type: { zh: '诉求类型', en: 'Request type' },
  share: { zh: '占比', en: 'Share' },
  change: { zh: '环比变化', en: 'Change' },
  previousOrders: { zh: '上期受理量', en: 'Orders before' },
  topic: { zh: '热点', en: 'Topic' },
  keywords: { zh: '关键词', en: 'Keywords' },
  place: { zh: '地点', en: 'Place' },
  firstSeen: { zh: '首次出现', en: 'First seen' },
  topicOrders: { zh: '本期件数', en: 'Orders in the period' },
  noTopics: { zh: '本期没有形成热点。', en: 'No hot topic formed in the period.' },
  warning: { zh: '预警', en: 'Warning' },
  area: { zh: '区域', en: 'Area' },
  reports: { zh: '反映件数', en: 'Reports' },
  expected: { zh: '按历史预期', en: 'Expected' },
  crossedAt: { zh: '触发时间', en: 'Raised' },
  status: { zh: '状态', en: 'Status' },
  outcome: { zh: '结论', en: 'Outcome' },
  noWarnings: { zh: '本期没有突发事件预警。', en: 'No early warning was raised in the period.' },
  unit: { zh: '单位', en: 'Unit' },
  score: { zh: '得分', en: 'Score' },
  responseRate: { zh: '响应率', en: 'Response rate' },
  onTimeReplyRate: { zh: '按时答复率', en: 'On-time reply rate' },
  resolutionRate: { zh: '解决率', en: 'Resolution rate' },
  departments: { zh: '市直部门', en: 'City departments' },
  districts: { zh: '区县', en: 'Districts' },
  noUnits: { zh: '本期没有考核件。', en: 'No order was assessed in the period.' },
  angryMatters: { zh: '情绪激动较多的事项', en: 'Matters with the most angry callers' },
  repeatedMatters: { zh: '多次反映未解决较多的事项', en: 'Matters most often raised again unsolved' },
  angry: { zh: '情绪激动', en: 'Angry' },
  repeated: { zh: '多次反映', en: 'Raised again' },
  none: { zh: '无', en: 'None' },
  group: { zh: '来电频次', en: 'Contacts' },
  callersCount: { zh: '来电人数（历史）', en: 'Callers (all history)' },
  anonymous: { zh: '未留联系方式的工单', en: 'Orders naming no caller' },
  callersNote: { zh: '按来电人在热线全部历史中的联系次数分组，比较本期各组工单。', en: 'Callers grouped by their contacts over the whole history; the period\'s orders of each group compared.' },
  page: { zh: '第 {n} 页，共 {total} 页', en: 'Page {n} of {total}' },
  cityOnly: { zh: '（全市报告才包含此项）', en: '(in the city-wide report only)' },
} as const satisfies Record<string, Words>;

export type WordKey = keyof typeof WORDS;

/** A word in the language, with {name}s filled in. */
export function say(lang: Lang, key: WordKey, vars: Record<string, string | number> = {}): string {
  return WORDS[key][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

const CHANNELS: Record<string, Words> = {
  phone: { zh: '电话', en: 'phone' }, sms: { zh: '短信', en: 'SMS' }, web: { zh: '网站（市长信箱）', en: "web (mayor's mailbox)" },
  weibo: { zh: '微博', en: 'Weibo' }, wechat: { zh: '微信', en: 'WeChat' }, app: { zh: '移动应用', en: 'mobile app' },
  api: { zh: '接口', en: 'API' }, open311: { zh: 'Open311 接口', en: 'Open311' }, police_110: { zh: '110 移交', en: '110 handover' },
};
const CALLER_GROUPS: Record<string, Words> = {
  '1': { zh: '1 次', en: 'once' }, '2-5': { zh: '2–5 次', en: '2–5 times' }, '6-20': { zh: '6–20 次', en: '6–20 times' }, '21+': { zh: '21 次以上', en: '21 or more' },
};
const STATUSES: Record<string, Words> = {
  open: { zh: '待确认', en: 'open' }, acknowledged: { zh: '已确认', en: 'acknowledged' }, closed: { zh: '已关闭', en: 'closed' },
  confirmed: { zh: '属实', en: 'confirmed' }, false_alarm: { zh: '误报', en: 'false alarm' },
};

export const channelName = (lang: Lang, code: string) => CHANNELS[code]?.[lang] ?? code;
export const typeName = (lang: Lang, code: string) => REQUEST_TYPES[code as keyof typeof REQUEST_TYPES]?.[lang] ?? code;
export const callerGroupName = (lang: Lang, group: string) => CALLER_GROUPS[group]?.[lang] ?? group;
export const statusName = (lang: Lang, status: string) => STATUSES[status]?.[lang] ?? status;

/** 2026年11月, 2026年第四季度; November 2026, 2026 Q4. */
export function periodName(lang: Lang, period: ReportPeriod): string {
  const [year, part] = period.key.split('-') as [string, string];
  if (period.kind === 'quarter') return lang === 'zh' ? `${year}年第${'一二三四'[Number(part.slice(1)) - 1]}季度` : `${year} ${part}`;
  return lang === 'zh' ? `${year}年${Number(part)}月` : `${new Date(Date.UTC(Number(year), Number(part) - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' })} ${year}`;
}

export const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);
export const signedPercent = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
export const count = (n: number) => n.toLocaleString('en');

/** (a − b) ÷ b; null when b is 0. */
export const changeOf = (a: number, b: number) => (b > 0 ? (a - b) / b : null);

/** The sentences a report opens with: volume and its changes, the rates, what was asked most and what rose, the warnings. */
export function findings(lang: Lang, r: AnalysisReport): string[] {
  const { current, previous, lastYear } = r.overview;
  const n = current.measures;
  const zh = lang === 'zh';
  const lines: string[] = [];
  const mom = signedPercent(changeOf(n.orders, previous.measures.orders));
  const yoy = signedPercent(changeOf(n.orders, lastYear.measures.orders));
  // a unit's report counts the orders its subtree led, not the hotline's: said so
  const unit = r.scope === 'units' ? r.unitName ?? (zh ? '本单位' : "the reader's unit") : null;
  lines.push(zh
    ? `${current.from} 至 ${current.to}，${unit ? `${unit}及下级单位承办诉求` : '热线共受理诉求'} ${count(n.orders)} 件，环比 ${mom}，同比 ${yoy}；其中直接办理 ${count(n.direct)} 件（${percent(current.rates.directRate)}），办结 ${count(n.closed)} 件。`
    : `From ${current.from} to ${current.to} ${unit ? `${unit} and the units below it led` : 'the hotline took'} ${count(n.orders)} requests, ${mom} on the period before and ${yoy} on a year earlier; ${count(n.direct)} were answered directly (${percent(current.rates.directRate)}) and ${count(n.closed)} closed.`);
  lines.push(zh
    ? `办结率 ${percent(current.rates.closedRate)}，超期率 ${percent(current.rates.overdueRate)}，重办率 ${percent(current.rates.reopenRate)}，回访满意率 ${percent(current.rates.satisfactionRate)}（上期 ${percent(previous.rates.satisfactionRate)}）。`
    : `Closed rate ${percent(current.rates.closedRate)}, overdue rate ${percent(current.rates.overdueRate)}, reopen rate ${percent(current.rates.reopenRate)}, satisfaction ${percent(current.rates.satisfactionRate)} (before: ${percent(previous.rates.satisfactionRate)}).`);
  const most = r.matters.items.slice(0, 3).map((i) => `${i.label ?? i.member}（${count(i.measures.orders)}）`);
  const rising = r.rising.items.slice(0, 3).map((i) => `${i.label ?? i.member}（+${count(i.measures.orders - i.previousOrders)}）`);
  if (most.length > 0) lines.push(zh ? `诉求最多的事项：${most.join('、')}。` : `Most asked about: ${most.join(', ').replace(/（/g, ' (').replace(/）/g, ')')}.`);
  if (rising.length > 0) lines.push(zh ? `增长最快的事项：${rising.join('、')}。` : `Rising most: ${rising.join(', ').replace(/（/g, ' (').replace(/）/g, ')')}.`);
  if (r.warnings) {
    const confirmed = r.warnings.filter((w) => w.outcome === 'confirmed').length;
    lines.push(zh ? `本期发出突发事件预警 ${r.warnings.length} 次，经核实属实 ${confirmed} 次。`
      : `${r.warnings.length} early ${r.warnings.length === 1 ? 'warning was' : 'warnings were'} raised, ${confirmed} confirmed as ${confirmed === 1 ? 'an incident' : 'incidents'}.`);
  }
  const biggest = r.hotTopics?.[0];
  if (biggest) {
    const where = [biggest.district?.name, biggest.street?.name].filter(Boolean).join(zh ? '' : ', ');
    lines.push(zh ? `规模最大的热点：${biggest.keywords.slice(0, 3).join('、')}（${where}，本期 ${count(biggest.recent)} 件）。`
      : `The biggest hot topic: ${biggest.keywords.slice(0, 3).join(', ')} (${where}; ${count(biggest.recent)} orders in the period).`);
  }
  return lines;
}
