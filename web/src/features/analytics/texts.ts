// The analysis workspace's texts (数据分析).
import type { Texts } from '../../shared/i18n/en';

export const analyticsZh = {
  hint: '数据来自按日汇总的统计表，随工单办理实时更新。同比：去年同期；环比：紧邻的上一个同等长度期间。',
  scopeCity: '全市', scopeUnits: '本单位及下级单位',
  rollups: {
    rebuilding: '统计数据正在重算（{{since}} 开始）：完成前，部分数字是重算前的，部分是重算后的。',
    interrupted: '统计数据的重算（{{since}} 开始）中途停止，数字不完整：请管理员再次运行 npm run cli -- rebuild-rollups。',
  },
  period: '统计期间', presets: { thisMonth: '本月', lastMonth: '上月', last30: '近 30 天', thisQuarter: '本季度', thisYear: '本年', last12: '近 12 个月' },
  kpi: { orders: '受理量', closedRate: '办结率', directRate: '直接办理率', satisfactionRate: '满意率', overdueRate: '超期率', avgHandlingHours: '平均办理时长' },
  hours: '{{value}} 小时', yoy: '同比', mom: '环比', noBase: '无可比数据', points: '{{value}} 个百分点',
  trend: '受理量走势', thisPeriod: '本期', lastYear: '去年同期', trendLabel: '受理量走势：{{from}} 至 {{to}} 共 {{total}} 件，去年同期 {{last}} 件',
  byCategory: '诉求分类排行', byArea: '区县排行', byChannel: '来源渠道', byType: '诉求类型',
  level: { category1: '一级分类', category2: '二级分类', category3: '三级分类' },
  rankLabel: '{{title}}：{{first}} 最多，{{orders}} 件',
  rising: '上升最快的事项（与上一期相比）', member: '名称', orders: '件数', previous: '上期', change: '变化', share: '占比',
  units: '承办单位办理情况', unit: '承办单位', closed: '办结', overdue: '超期', satisfaction: '满意率', handling: '平均办理时长（小时）',
  empty: '本期没有工单',
  callers: '来电人分析（按累计来电次数分组）', callerGroup: '来电频次', callerCount: '来电人数（累计）',
  callerGroups: { '1': '仅一次', '2-5': '2–5 次', '6-20': '6–20 次', '21+': '20 次以上' },
  callersHint: '来电人以电话号码（没有时以微信、微博账号）识别，按其历史累计来电次数分组，比较各组本期的工单；本期另有 {{anonymous}} 件未留联系方式，不计入。',
  complaintShare: '投诉占比', topChannel: '主要渠道', topCategory: '主要分类',
  facets: { types: '诉求类型', channels: '来源渠道', categories: '一级分类' }, callersLabel: '各组来电人本期工单的{{facet}}构成',
  opinion: {
    title: '舆情：情绪激动与多次反映', angry: '情绪激动', repeated: '多次反映未解决', matters: '多次反映最多的事项', share: '多次反映占比',
    label: '本期情绪激动 {{angry}} 件，多次反映未解决 {{repeated}} 件', none: '本期没有多次反映或情绪激动的工单',
    rising: '近 7 天上升最快的词（与之前 7 天相比，多出的件数）', wordTitle: '近 7 天 {{orders}} 件，之前 7 天 {{previous}} 件', noWords: '近 7 天没有明显上升的词',
  },
  hot: {
    title: '热点问题', hours: '{{count}} 小时', recent: '按件数', growth: '按增长', nowhere: '未注明地点',
    hint: '同一区县内内容相近的诉求自动归为一个热点（三件起），随工单登记实时更新；展开一行可看首件与最典型的工单。',
    words: '关键词', place: '地点', matter: '事项', now: '本期件数', before: '上期件数', trend: '逐小时走势', firstSeen: '首次出现',
    trendLabel: '近 {{hours}} 小时 {{now}} 件，之前 {{hours}} 小时 {{before}} 件', empty: '这段时间没有热点',
  },
  types: { enquiry: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他' },
  report: {
    title: '分析报告（月度、季度）', kind: '报告周期', month: '月度', quarter: '季度', period: '报告期间', language: '报告语言',
    pdf: '下载 PDF', xlsx: '下载 Excel', span: '{{from}} 至 {{to}}', partial: '（期间未结束，统计至今天）',
  },
};

export const analyticsEn: Texts<typeof analyticsZh> = {
  hint: 'From the daily rollups, kept current as orders are handled. Year on year: the same dates last year; period on period: the span of the same length just before.',
  scopeCity: 'Whole city', scopeUnits: 'My unit and its sub-units',
  rollups: {
    rebuilding: 'The figures are being recounted (since {{since}}): until it ends, some are from before the recount and some from after.',
    interrupted: 'A recount of the figures (started {{since}}) stopped half way, so they are incomplete: an administrator should run npm run cli -- rebuild-rollups again.',
  },
  period: 'Period', presets: { thisMonth: 'This month', lastMonth: 'Last month', last30: 'Last 30 days', thisQuarter: 'This quarter', thisYear: 'This year', last12: 'Last 12 months' },
  kpi: { orders: 'Orders', closedRate: 'Closed rate', directRate: 'Direct-answer rate', satisfactionRate: 'Satisfaction', overdueRate: 'Overdue rate', avgHandlingHours: 'Mean handling time' },
  hours: '{{value}} h', yoy: 'YoY', mom: 'PoP', noBase: 'nothing to compare', points: '{{value}} pts',
  trend: 'Orders over time', thisPeriod: 'This period', lastYear: 'A year earlier', trendLabel: 'Orders from {{from}} to {{to}}: {{total}}, a year earlier {{last}}',
  byCategory: 'Categories', byArea: 'Districts', byChannel: 'Channels', byType: 'Request types',
  level: { category1: 'Level 1', category2: 'Level 2', category3: 'Level 3' },
  rankLabel: '{{title}}: {{first}} has the most, {{orders}} orders',
  rising: 'Rising matters (against the span before)', member: 'Name', orders: 'Orders', previous: 'Before', change: 'Change', share: 'Share',
  units: 'Handling units', unit: 'Unit', closed: 'Closed', overdue: 'Overdue', satisfaction: 'Satisfaction', handling: 'Mean handling time (h)',
  empty: 'No orders in this period',
  callers: 'Callers by how often they contact the hotline', callerGroup: 'Contacts', callerCount: 'Callers (all time)',
  callerGroups: { '1': 'Once', '2-5': '2–5 times', '6-20': '6–20 times', '21+': 'More than 20' },
  callersHint: 'A caller is a phone number (else a WeChat or Weibo account), grouped by their contacts over the whole history; the groups\' orders in this period are compared. {{anonymous}} orders in the period left no contact and are not counted.',
  complaintShare: 'Complaints', topChannel: 'Main channel', topCategory: 'Main category',
  facets: { types: 'Request types', channels: 'Channels', categories: 'Top-level categories' }, callersLabel: "The groups' orders in this period by {{facet}}",
  opinion: {
    title: 'Public opinion: anger and matters raised again', angry: 'Anger', repeated: 'Raised again, unsolved', matters: 'Matters most often raised again',
    share: 'Share raised again', label: 'In this period {{angry}} orders in anger, {{repeated}} raised again without a solution',
    none: 'No order in anger or raised again in this period',
    rising: 'Words rising over the last 7 days (orders more than the 7 days before)', wordTitle: '{{orders}} orders in the last 7 days, {{previous}} in the 7 before',
    noWords: 'No word rose in the last 7 days',
  },
  hot: {
    title: 'Hot topics', hours: '{{count}} h', recent: 'By orders', growth: 'By growth', nowhere: 'No place given',
    hint: 'Similar requests from one district form a topic (from three orders), kept current as orders are registered; open a row for its first and most typical orders.',
    words: 'Keywords', place: 'Place', matter: 'Matter', now: 'Orders now', before: 'Before', trend: 'By hour', firstSeen: 'First seen',
    trendLabel: '{{now}} orders in the last {{hours}} hours, {{before}} in the {{hours}} before', empty: 'No hot topic in this time',
  },
  types: { enquiry: 'Enquiry', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion', praise: 'Praise', other: 'Other' },
  report: {
    title: 'Analysis report (monthly, quarterly)', kind: 'Report for a', month: 'Month', quarter: 'Quarter', period: 'Report period', language: 'Report language',
    pdf: 'Download PDF', xlsx: 'Download Excel', span: '{{from}} to {{to}}', partial: ' (under way: up to today)',
  },
};
