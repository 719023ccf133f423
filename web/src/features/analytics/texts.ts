// The analysis workspace's texts (数据分析).
import type { Texts } from '../../shared/i18n/en';

export const analyticsZh = {
  hint: '数据来自按日汇总的统计表，随工单办理实时更新。同比：去年同期；环比：紧邻的上一个同等长度期间。',
  scopeCity: '全市', scopeUnits: '本单位及下级单位',
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
  types: { enquiry: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他' },
};

export const analyticsEn: Texts<typeof analyticsZh> = {
  hint: 'From the daily rollups, kept current as orders are handled. Year on year: the same dates last year; period on period: the span of the same length just before.',
  scopeCity: 'Whole city', scopeUnits: 'My unit and its sub-units',
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
  types: { enquiry: 'Enquiry', help: 'Help', complaint: 'Complaint', report: 'Report', suggestion: 'Suggestion', praise: 'Praise', other: 'Other' },
};
