// The leadership screen's texts (数据大屏).
import type { Texts } from '../../../shared/i18n/en';

export const screenZh = {
  title: '12345 热线数据大屏', live: '实时', fullscreen: '全屏', exitFullscreen: '退出全屏', updated: '更新于 {{time}}',
  today: '今日受理', lastYearSameTime: '去年同日此时 {{count}} 件', lastYearDay: '去年同日全天 {{count}} 件', noBase: '去年同日无数据',
  month: '本月受理', closedRate: '本月办结率', satisfaction: '本月满意率', activeWarnings: '待处理预警', hotTopics: '24 小时热点',
  yoy: '同比', difference: '比去年 {{value}} 件',
  hourly: '今日分时受理', hourlyToday: '今日', hourlyLastYear: '去年同日',
  hourlyLabel: '今日截至 {{hour}} 时 {{minute}} 分受理 {{soFar}} 件，去年同日同一时刻 {{lastYear}} 件',
  trend: '近 30 日受理走势', trendLabel: '近 30 日共 {{total}} 件，去年同期 {{last}} 件', thisPeriod: '近 30 日', lastYear: '去年同期',
  mapList: '各区县（点击查看工单）', map: '区县分布', measure: { orders: '受理量', satisfaction: '满意率' }, span: { today: '今日', month: '本月', year: '本年' },
  mapLabel: '区县分布（{{measure}}，{{span}}）：{{first}}最高，{{value}}', mapEmpty: '区县分布（{{measure}}，{{span}}）：暂无数据',
  mapHint: '点击区县查看其工单', offMap: '不在地图上', orders_one: '{{count}} 件', orders_other: '{{count}} 件', noData: '无数据',
  mapSource: '边界：DataV GeoAtlas（高德数据，GCJ-02），仅供示意',
  warnings: '突发事件预警', noWarnings: '没有待处理的预警', reports_one: '{{count}} 件来电', reports_other: '{{count}} 件来电',
  topicButton: '{{words}}：{{count}} 件，查看工单', warningButton: '{{place}}{{matter}}预警详情',
  surveys: '民意调查', noSurveys: '没有进行中的调查', surveyAnswered: '已作答 {{answered}} / {{respondents}} 人 · 回收率 {{rate}}', surveyUntil: '截至 {{date}}',
  topics: '热点问题（24 小时）', noTopics: '24 小时内没有热点', topicOrders: '热点工单（共 {{count}} 件）', topicOrdersHint: '按登记时间，最新的在前',
  units: '承办单位排行（本月）', unit: '承办单位', closed: '办结率', satisfactionShort: '满意率',
  categories: '诉求分类排行（本月）', categoriesLabel: '本月诉求分类：{{first}}最多，{{orders}} 件',
  notOnMap: '{{name}}（不在地图上）',
};

export const screenEn: Texts<typeof screenZh> = {
  title: '12345 Hotline Dashboard', live: 'Live', fullscreen: 'Full screen', exitFullscreen: 'Exit full screen', updated: 'Updated {{time}}',
  today: 'Orders today', lastYearSameTime: 'Same date last year, same time: {{count}}', lastYearDay: 'Same date last year, whole day: {{count}}', noBase: 'Nothing on that date last year',
  month: 'Orders this month', closedRate: 'Closed rate (month)', satisfaction: 'Satisfaction (month)', activeWarnings: 'Warnings to handle', hotTopics: 'Hot topics (24 h)',
  yoy: 'YoY', difference: '{{value}} on last year',
  hourly: 'Orders by hour today', hourlyToday: 'Today', hourlyLastYear: 'Same date last year',
  hourlyLabel: 'Today up to {{hour}}:{{minute}}: {{soFar}} orders; the same date last year at the same time: {{lastYear}}',
  trend: 'Orders over the last 30 days', trendLabel: 'The last 30 days: {{total}} orders, a year earlier {{last}}', thisPeriod: 'Last 30 days', lastYear: 'A year earlier',
  mapList: 'Districts (click for their orders)', map: 'Districts', measure: { orders: 'Orders', satisfaction: 'Satisfaction' }, span: { today: 'Today', month: 'This month', year: 'This year' },
  mapLabel: 'Districts by {{measure}} ({{span}}): {{first}} highest, {{value}}', mapEmpty: 'Districts by {{measure}} ({{span}}): no data yet',
  mapHint: 'Click a district for its orders', offMap: 'Not on the map', orders_one: '{{count}} order', orders_other: '{{count}} orders', noData: 'No data',
  mapSource: 'Boundaries: DataV GeoAtlas (AMap data, GCJ-02), for illustration',
  warnings: 'Early warnings', noWarnings: 'No warning to handle', reports_one: '{{count}} report', reports_other: '{{count}} reports',
  topicButton: '{{words}}: {{count}} orders, open them', warningButton: 'Details of the warning: {{matter}} in {{place}}',
  surveys: 'Surveys', noSurveys: 'No survey open', surveyAnswered: '{{answered}} of {{respondents}} answered · response rate {{rate}}', surveyUntil: 'Until {{date}}',
  topics: 'Hot topics (24 h)', noTopics: 'No hot topic in the last 24 hours', topicOrders: "The topic's orders ({{count}})", topicOrdersHint: 'Latest first',
  units: 'Handling units (this month)', unit: 'Unit', closed: 'Closed', satisfactionShort: 'Satisfied',
  categories: 'Categories (this month)', categoriesLabel: 'This month: {{first}} has the most, {{orders}} orders',
  notOnMap: '{{name}} (not on the map)',
};
