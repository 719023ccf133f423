// Response schemas of the assessment endpoints: validation and OpenAPI from one source.
import { Type, type TSchema } from 'typebox';
import { Binary, Content, DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { UNIT_LEVELS } from '../directory/index.js';
import { ORDER_STATES, SATISFACTION } from '../orders/index.js';
import { FIGURE_NAMES, FIGURES } from '../sla/index.js';
import { RATES, SCORE_FORMULA, type RateName } from './figures.js';

const figures: Record<string, TSchema> = Object.fromEntries(FIGURE_NAMES.map((name) =>
  [name, Type.Integer({ minimum: 0, description: `${FIGURES[name].zh} (${FIGURES[name].en})` })]));
const rates: Record<string, TSchema> = Object.fromEntries((Object.keys(RATES) as RateName[]).map((name) =>
  [name, Nullable(Type.Number({ minimum: 0, maximum: 1 }), { description: `${RATES[name].formula.en}; null: nothing under it` })]));

const UnitAssessmentOut = Type.Object({
  unit: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), level: StringEnum(UNIT_LEVELS) }),
  group: Type.Object({
    key: Type.String({ description: 'the level, or for streets and communities level:id of the unit above' }),
    name: Type.String(),
  }, { description: 'the units it is ranked with' }),
  figures: Type.Object(figures, { description: "counts of the unit's rounds that started in the period" }),
  rates: Type.Object(rates),
  score: Nullable(Type.Number({ minimum: 0, maximum: 100 }), { description: `${SCORE_FORMULA.en}; null: no rate has orders behind it` }),
  rank: Nullable(Type.Integer({ minimum: 1 }), { description: '1 = best in its group, equal scores share a rank; null: no score' }),
  groupSize: Type.Integer({ description: 'units ranked in its group' }),
});

export const AssessmentOut = Type.Object({
  period: Type.Object({
    from: DateTime('its first instant'), to: DateTime('its end, excluded'),
    label: Type.String({ description: '2026-11, or 2026-11-01..2026-11-15' }),
  }),
  weights: Type.Object({ response: Type.Number(), onTimeReply: Type.Number(), resolution: Type.Number(), satisfaction: Type.Number() },
    { description: 'the weights of the score, from the deadline settings' }),
  units: Type.Array(UnitAssessmentOut, { description: 'every unit with a round in the period, by level, group and rank' }),
});

export const FigureOrderOut = Type.Object({
  orderId: Uuid, trackingNo: Type.String(), title: Type.String(), state: StringEnum(ORDER_STATES),
  round: Type.Integer({ description: "the order's round counted" }),
  startedAt: DateTime(),
  signedAt: Nullable(DateTime(), { description: 'null: not signed for' }),
  repliedAt: Nullable(DateTime(), { description: 'null: not replied' }),
  replyDueAt: DateTime(),
  visitSatisfaction: Nullable(StringEnum(SATISFACTION), { description: 'null: no visit, or the citizen was not reached' }),
});

export const AssessmentWorkbookOut = Content('the assessment as an Excel workbook', {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': Binary,
});
