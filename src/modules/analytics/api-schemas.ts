// Response and request schemas of the analytics endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { DEFAULT_WARNING_SETTINGS } from './warning-settings.js';
import { WARNING_OUTCOMES, WARNING_STATUSES } from './warnings.js';

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
  acknowledgedBy: Nullable(Type.String()),
  acknowledgedText: Nullable(Type.String({ description: 'what was being done, as the person who acknowledged it wrote' })),
  closedAt: Nullable(DateTime()),
  closedBy: Nullable(Type.String()),
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
