// Response and request schemas of the analytics endpoints: validation and OpenAPI from one source.
import { Type, type TNumber } from 'typebox';
import { Binary, Content, DateTime, Nullable, PageOf, StringEnum, Uuid } from '../../http/schemas.js';
import { AssessmentOut } from '../assessment/index.js';
import { REPORT_KINDS } from './report/content.js';
import { DEFAULT_WARNING_SETTINGS } from './warning-settings.js';
import { WARNING_OUTCOMES, WARNING_STATUSES } from './warnings.js';
import { CALLER_GROUPS, DIMENSIONS, MEASURE_KEYS, type Measure } from './rollups.js';
import { RATE_NAMES, RATES, type RateName } from './analysis.js';

const Named = Type.Object({ code: Type.String(), name: Type.String() });

export const WarningOut = Type.Object({
  id: Uuid,
  status: StringEnum(WARNING_STATUSES, { description: 'open (待确认) → acknowledged (已确认) → closed (已关闭)' }),
  area: Type.Object({ code: Type.String(), name: Type.String(), path: Type.Array(Named, { description: 'from the district down' }) },
    { description: 'where the reports come from: a community, or a street when the reports named none' }),
  category: Type.Object({ code: Type.String(), name: Type.String(), path: Type.Array(Named, { description: 'from the top of the tree down' }) },
    { description: 'the matter the reports share (the category at the third level of the tree)' }),
  reports: Type.Integer({ minimum: 1, description: 'reports joined so far' }),
  firstReportAt: DateTime('the first report of the burst'),
  crossedAt: DateTime('the report that took the count beyond what the history predicts'),
  crossingOrderId: Uuid,
  raisedAt: DateTime('when the warning was raised (seconds after crossedAt)'),
  lastReportAt: DateTime(),
  expected: Type.Number({ minimum: 0, description: "reports expected in the window at the busiest hour, from the cell's history" }),
  probability: Type.Number({ minimum: 0, maximum: 1, description: 'the chance of as many reports under that expectation (Poisson)' }),
  acknowledgedAt: Nullable(DateTime()),
  acknowledgedBy: Nullable(Type.String({ description: 'who took it in hand, by name as people read it' })),
  acknowledgedText: Nullable(Type.String({ description: 'what was being done, as the person who acknowledged it wrote' })),
  closedAt: Nullable(DateTime()),
  closedBy: Nullable(Type.String({ description: 'who closed it, by name as people read it' })),
  outcome: Nullable(StringEnum(WARNING_OUTCOMES, { description: 'confirmed: a real incident; false_alarm' })),
  outcomeText: Nullable(Type.String()),
});

export const WarningDetailOut = Type.Intersect([WarningOut, Type.Object({
  reportOrders: Type.Array(Type.Object({ orderId: Uuid, at: DateTime('registered'), trackingNo: Nullable(Type.String()), title: Nullable(Type.String()),
    state: Nullable(Type.String()), channel: Nullable(Type.String()) }),
  { description: "the reports, first first; the order's fields null where the reader may not see it" }),
})]);

const d = DEFAULT_WARNING_SETTINGS;
export const WarningSettingsOut = Type.Object({
  enabled: Type.Boolean({ description: `false: reports still build the history, no warning is raised (default ${d.enabled})` }),
  windowMinutes: Type.Integer({ minimum: 5, maximum: 1440, description: `the counting window, minutes (default ${d.windowMinutes})` }),
  minReports: Type.Integer({ minimum: 2, maximum: 1000, description: `the fewest reports in the window that may raise a warning (default ${d.minReports})` }),
  maxProbability: Type.Number({ minimum: 1e-12, maximum: 0.5,
    description: `raised when the count is less likely than this under the cell's history (default ${d.maxProbability})` }),
  baselineDays: Type.Integer({ minimum: 1, maximum: 365, description: `the history's memory, days (default ${d.baselineDays})` }),
  peakFactor: Type.Number({ minimum: 1, maximum: 24, description: `the busiest hour against an average hour (default ${d.peakFactor})` }),
  joinHours: Type.Number({ minimum: 1, maximum: 168, description: `a report joins its cell's warning while its last report is this recent, hours (default ${d.joinHours})` }),
}, { additionalProperties: false });

export const WarningSettingsPatch = Type.Partial(WarningSettingsOut, { additionalProperties: false, minProperties: 1 });

export const AcknowledgeIn = Type.Object({ text: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const CloseIn = Type.Object({
  outcome: StringEnum(WARNING_OUTCOMES),
  text: Type.Optional(Type.String({ maxLength: 2000, description: 'what was found and done' })),
}, { additionalProperties: false });

// --- the analysis

const MEASURE_TEXT: Record<Measure, string> = {
  orders: '受理量: orders registered in the span (by their registration day, Beijing)',
  closed: '办结: closed by handling them (not cancelled or merged)',
  direct: '直接办理: closed by the hotline without a unit',
  handling_seconds: 'seconds from registration to closing, summed over the orders closed',
  overdue: '超期: orders with a round that passed its deadline',
  reopened: '重办: orders reopened at least once',
  extended: '延期: orders with an extension granted',
  visited: '回访接通: orders whose return visit reached the citizen',
  satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意',
  angry: '情绪激动: the text speaks in anger (the classifier\'s signal)',
  repeated: '多次反映未解决: the text says the matter was raised before without a solution',
  danger: 'danger in the text: gas, fire, someone hurt, flooding, self-harm, violence, collapse',
};
const MeasuresOut = Type.Object(Object.fromEntries(MEASURE_KEYS.map((m) => [m, Type.Number({ minimum: 0, description: MEASURE_TEXT[m] })])) as
  Record<Measure, TNumber>);
const RatesOut = Type.Object(Object.fromEntries(RATE_NAMES.map((r) => [r, Nullable(Type.Number({ minimum: 0 }), { description: RATES[r].en })])) as
  Record<RateName, ReturnType<typeof Nullable<TNumber>>>, { description: 'null when nothing is under the rate' });
const FiguresFields = {
  measures: MeasuresOut,
  rates: RatesOut,
  avgHandlingHours: Nullable(Type.Number({ minimum: 0 }), { description: 'mean hours from registration to closing over the orders closed' }),
};
const SpanFields = { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date', description: 'the last day, included' }) };
const Scope = StringEnum(['city', 'units'] as const, { description: "city: the whole city's orders; units: the orders the reader's unit and the units below it lead" });

export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, a day in Beijing' });
export const DimensionIn = StringEnum(DIMENSIONS, {
  description: 'all; category1/2/3 (the tree\'s levels, by code); district, street (area codes); unit (the lead unit\'s id); channel; type (request type); state; ' +
    'callers (the caller\'s group by contacts: 1, 2-5, 6-20, 21+), and callers_category1, callers_channel, callers_type (a group and a value: 2-5|01); ' +
    'hour (of registration, Beijing, 00–23: the city\'s only, a unit is refused with ANALYTICS_CITY_ONLY)' });

export const OverviewOut = Type.Object({
  scope: Scope,
  current: Type.Object({ ...SpanFields, ...FiguresFields }),
  previous: Type.Object({ ...SpanFields, ...FiguresFields }, { description: "环比: the period before: from a month's first day, the same stretch of the months before (a month: the month before; a quarter: the quarter before); else the span of its length just before" }),
  lastYear: Type.Object({ ...SpanFields, ...FiguresFields }, { description: '同比: the same dates a year earlier' }),
  rollups: Type.Object({
    state: StringEnum(['current', 'rebuilding', 'interrupted'] as const, { description: 'current: the figures are whole; rebuilding: '
      + '`rebuild-rollups` is running, and figures are partly recounted; interrupted: the last rebuild stopped half way (run it again)' }),
    since: Nullable(DateTime(), { description: 'when the running or interrupted rebuild started' }),
  }, { description: 'whether the rollups every figure of the analysis is read from are whole' }),
});

export const TrendOut = Type.Object({
  dim: DimensionIn,
  grain: StringEnum(['day', 'month', 'year'] as const),
  scope: Scope,
  series: Type.Array(Type.Object({
    member: Type.String(),
    label: Nullable(Type.String(), { description: "a category's, an area's or a unit's name; null for channels, types and states" }),
    points: Type.Array(Type.Object({ period: Type.String({ description: 'YYYY-MM-DD, YYYY-MM or YYYY' }), ...FiguresFields,
      previous: Type.Object(FiguresFields, { description: '环比: the period before' }),
      lastYear: Type.Object(FiguresFields, { description: '同比: the same period a year earlier' }) })),
  })),
});

export const TopOut = Type.Object({
  dim: DimensionIn,
  scope: Scope,
  current: Type.Object(SpanFields),
  previous: Type.Object(SpanFields, { description: "the period before, that change is measured against (as the overview's previous)" }),
  total: Type.Integer({ minimum: 0, description: "the scope's orders in the span" }),
  items: Type.Array(Type.Object({
    member: Type.String(),
    label: Nullable(Type.String()),
    ...FiguresFields,
    share: Nullable(Type.Number({ minimum: 0, maximum: 1 }), { description: 'of the total' }),
    previousOrders: Type.Integer({ minimum: 0 }),
    change: Nullable(Type.Number(), { description: '(orders − previousOrders) ÷ previousOrders; null when there were none before' }),
  })),
});

const Counted = Type.Array(Type.Object({ member: Type.String(), orders: Type.Integer({ minimum: 0 }) }));
export const CallersOut = Type.Object({
  scope: Scope,
  current: Type.Object(SpanFields),
  orders: Type.Integer({ minimum: 0, description: "the scope's orders in the span" }),
  anonymous: Type.Integer({ minimum: 0, description: 'of them, orders that name no caller (no phone number, no channel identity)' }),
  groups: Type.Array(Type.Object({
    group: StringEnum(CALLER_GROUPS.map((g) => g.name), { description: 'contacts over the whole history: 1, 2-5, 6-20, 21+' }),
    callers: Nullable(Type.Integer({ minimum: 0 }), { description: "callers in the group (the city's; null for a unit's reader)" }),
    contacts: Nullable(Type.Integer({ minimum: 0 }), { description: 'their contacts over the whole history' }),
    share: Nullable(Type.Number({ minimum: 0, maximum: 1 }), { description: "of the span's orders whose caller is known" }),
    ...FiguresFields,
    channels: Counted,
    types: Counted,
    categories: Type.Array(Type.Object({ member: Type.String(), label: Nullable(Type.String()), orders: Type.Integer({ minimum: 0 }) }),
      { description: 'by top-level category' }),
  }), { description: "the span's orders of each group of callers" }),
});

const CodeName = Nullable(Type.Object({ code: Type.String(), name: Type.String() }));
export const HotTopicsOut = Type.Object({
  from: DateTime('the window\'s start'),
  to: DateTime(),
  topics: Type.Array(Type.Object({
    id: Uuid,
    keywords: Type.Array(Type.String(), { description: 'the strongest words of its orders' }),
    district: CodeName,
    street: Nullable(Type.Object({ code: Type.String(), name: Type.String() }), { description: 'where most of its orders come from' }),
    category: Nullable(Type.Object({ code: Type.String(), name: Type.String() }), { description: 'the matter most of its orders were classified as' }),
    size: Type.Integer({ minimum: 1, description: 'its orders in all' }),
    recent: Type.Integer({ minimum: 0, description: 'its orders in the window' }),
    previous: Type.Integer({ minimum: 0, description: 'its orders in the window before' }),
    firstAt: DateTime('first seen'),
    lastAt: DateTime(),
    hourly: Type.Array(Type.Integer({ minimum: 0 }), { description: 'orders per hour over the window before and the window, oldest first' }),
    orders: Type.Array(Type.Object({ orderId: Uuid, trackingNo: Nullable(Type.String()), title: Nullable(Type.String()), at: DateTime() }),
      { description: 'its first order in the window and the one before, and the two closest to it' }),
  })),
});

export const RisingWordsOut = Type.Object({
  from: Type.String({ format: 'date', description: 'the span: its first day (Beijing)' }),
  to: Type.String({ format: 'date', description: 'its last day, today' }),
  words: Type.Array(Type.Object({
    word: Type.String(),
    orders: Type.Integer({ minimum: 0, description: 'orders using it in the span' }),
    previous: Type.Integer({ minimum: 0, description: 'in the period before' }),
  }), { description: 'the most orders more than before first; only words that rose' }),
});

export const TodayOut = Type.Object({
  date: Type.String({ format: 'date', description: 'today (Beijing)' }),
  hour: Type.Integer({ minimum: 0, maximum: 23, description: 'the hour now (Beijing)' }),
  minute: Type.Integer({ minimum: 0, maximum: 59 }),
  lastYearDate: Type.String({ format: 'date', description: 'the same date a year earlier (29 February: the 28th)' }),
  hours: Type.Array(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), orders: Type.Integer({ minimum: 0 }), lastYear: Type.Integer({ minimum: 0 }) }),
    { description: 'the 24 hours of today and of that date' }),
  soFar: Type.Integer({ minimum: 0, description: 'orders registered today so far' }),
  lastYearSoFar: Type.Integer({ minimum: 0, description: 'on that date up to the same time: its hours before this one, and this hour\'s orders × minutes gone ÷ 60' }),
  lastYearTotal: Type.Integer({ minimum: 0, description: 'the whole of that date' }),
});

export const HotTopicOrdersOut = PageOf(Type.Object({
  orderId: Uuid,
  trackingNo: Nullable(Type.String()),
  title: Nullable(Type.String()),
  state: Nullable(Type.String(), { description: 'null when the reader may not see the order' }),
  at: DateTime('when it was registered'),
  similarity: Type.Number({ description: 'cosine of its keywords with the topic\'s when it joined' }),
}));

const ReportTopicOut = Type.Omit(HotTopicsOut.properties.topics.items, ['hourly']);
export const ReportOut = Type.Object({
  period: Type.Object({
    key: Type.String({ description: '2026-11 or 2026-Q4' }),
    kind: StringEnum(REPORT_KINDS),
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date', description: 'the period\'s last day' }),
    through: Type.String({ format: 'date', description: 'the last day counted: `to`, or today while the period is under way' }),
    partial: Type.Boolean(),
  }),
  scope: Scope,
  unitName: Nullable(Type.String(), { description: 'the reader\'s unit, whose orders and its sub-units\' a unit\'s report counts; null in the city\'s' }),
  generatedAt: DateTime(),
  findings: Type.Object({ zh: Type.Array(Type.String()), en: Type.Array(Type.String()) },
    { description: 'the sentences the report opens with (综述): volume and its changes, the rates, what was asked most and what rose, the warnings' }),
  overview: OverviewOut,
  days: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), orders: Type.Integer({ minimum: 0 }), lastYear: Type.Integer({ minimum: 0 }) }),
    { description: 'each day beside the same date a year earlier' }),
  months: Type.Array(Type.Object({ month: Type.String(), orders: Type.Integer({ minimum: 0 }), lastYear: Type.Integer({ minimum: 0 }),
    closedRate: Nullable(Type.Number()), satisfactionRate: Nullable(Type.Number()) }), { description: 'the twelve months up to the period\'s last' }),
  categories: TopOut, matters: TopOut,
  rising: Type.Object(TopOut.properties, { description: 'the matters that rose against the period before, the most first' }),
  districts: TopOut, channels: TopOut, types: TopOut,
  angry: Type.Object(TopOut.properties, { description: 'the matters with the most orders whose caller was angry (舆情)' }),
  repeated: Type.Object(TopOut.properties, { description: 'the matters most often raised again unsolved' }),
  callers: CallersOut,
  hotTopics: Nullable(Type.Array(ReportTopicOut), { description: 'the hot topics with orders in the period, the biggest first; null in a unit\'s report' }),
  warnings: Nullable(Type.Array(WarningOut), { description: 'the early warnings raised in the period, oldest first; null in a unit\'s report' }),
  assessment: Nullable(AssessmentOut, { description: 'the units\' assessment over the period; null in a unit\'s report' }),
});

export const ReportFileOut = {
  xlsx: Content('the report as an Excel workbook', { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': Binary }),
  pdf: Content('the report as a PDF', { 'application/pdf': Binary }),
};
