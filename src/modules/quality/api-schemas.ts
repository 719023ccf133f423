// Quality review's sheets, samples and scores, as the API validates and documents them.
import { Type } from 'typebox';
import { Binary, Content, DateTime, Month, Nullable, Page, StringEnum, Uuid } from '../../http/schemas.js';
import { SAMPLE_REASONS } from './samples.js';

const Label = Type.String({ minLength: 1, maxLength: 40, description: 'what the item scores, e.g. 分类准确' });

export const SheetItemIn = Type.Object({
  label: Label,
  max: Type.Integer({ minimum: 1, maximum: 100, description: 'the most the item scores' }),
  guide: Type.Optional(Nullable(Type.String({ maxLength: 400, description: 'what the reviewer looks for' }))),
}, { additionalProperties: false });

export const SheetIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  items: Type.Array(SheetItemIn, { minItems: 1, maxItems: 30 }),
  replaces: Type.Optional(Uuid),
}, { additionalProperties: false, description: 'a new sheet, active at once; `replaces`: the sheet it supersedes, retired with it' });

export const SheetOut = Type.Object({
  id: Uuid,
  name: Type.String(),
  items: Type.Array(Type.Object({ label: Type.String(), max: Type.Integer(), guide: Nullable(Type.String()) })),
  total: Type.Integer({ description: "the sum of the items' most" }),
  active: Type.Boolean({ description: 'false: retired (no new review uses it; the reviews that did keep it)' }),
  createdAt: DateTime(),
});

export const SheetParams = Type.Object({ sheetId: Uuid });
export const ReviewParams = Type.Object({ reviewId: Uuid });

export const DrawIn = Type.Object({
  month: Month,
  ordersPerAgent: Type.Integer({ minimum: 0, maximum: 100, description: 'random orders per agent, counting those drawn before' }),
  callsPerAgent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'random calls answered without an order, per agent (default 0)' })),
  seed: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the same seed draws the same samples (for tests)' })),
}, { additionalProperties: false });

export const DrawOut = Type.Object({
  month: Type.String(),
  added: Type.Object({ random: Type.Integer(), calls: Type.Integer(), misrouted: Type.Integer(), reopened: Type.Integer() },
    { description: 'samples added by this draw (a sample already drawn that gains a reason counts under it)' }),
  agents: Type.Integer({ description: 'agents whose work the month holds' }),
});

const Reasons = Type.Array(StringEnum(SAMPLE_REASONS), { description: 'why it was drawn: random, misrouted (a return the hotline accepted), reopened' });

export const ReviewOut = Type.Object({
  id: Uuid,
  month: Type.String({ description: 'YYYY-MM: the month of the work' }),
  agentId: Uuid,
  agentName: Nullable(Type.String()),
  kind: StringEnum(['order', 'call'] as const),
  subjectId: Type.String({ description: "the order's id, or the telephony's id of the call" }),
  trackingNo: Nullable(Type.String()),
  workAt: DateTime('when the agent did the work (registered, decided, answered; or when it was returned or reopened)'),
  reasons: Reasons,
  state: StringEnum(['pending', 'reviewed'] as const),
  sheet: Nullable(SheetOut),
  scores: Nullable(Type.Array(Type.Number(), { description: "in the sheet's item order" })),
  score: Nullable(Type.Number()),
  maxScore: Nullable(Type.Number()),
  percent: Nullable(Type.Number({ description: 'score / maxScore, per cent' })),
  comment: Nullable(Type.String()),
  reviewerName: Nullable(Type.String()),
  reviewedAt: Nullable(DateTime()),
});

export const ReviewsQuery = Type.Object({
  month: Type.Optional(Type.String({ ...Month, description: 'YYYY-MM; default: this month (Beijing time)' })),
  agentId: Type.Optional(Uuid),
  state: Type.Optional(StringEnum(['pending', 'reviewed'] as const)),
  reason: Type.Optional(StringEnum(SAMPLE_REASONS)),
  ...Page,
}, { additionalProperties: false });

export const MonthQuery = Type.Object({ month: Month }, { additionalProperties: false });

export const ScoreIn = Type.Object({
  sheetId: Uuid,
  scores: Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { minItems: 1, maxItems: 30, description: "one per item, in the sheet's order; halves allowed" }),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
}, { additionalProperties: false });

export const MyReviewsOut = Type.Object({
  month: Type.String(),
  reviewed: Type.Integer(),
  averagePercent: Nullable(Type.Number()),
  items: Type.Array(ReviewOut),
});

export const AgentScoresOut = Type.Object({
  month: Type.String(),
  agents: Type.Array(Type.Object({
    agentId: Uuid,
    agentName: Nullable(Type.String()),
    drawn: Type.Integer(),
    reviewed: Type.Integer(),
    misrouted: Type.Integer(),
    reopened: Type.Integer(),
    averagePercent: Nullable(Type.Number({ description: "the mean of the reviews' per-cent scores" })),
    lowestPercent: Nullable(Type.Number()),
    items: Type.Array(Type.Object({ label: Type.String(), percent: Type.Number(), reviews: Type.Integer() }),
      { description: "each item's mean as a share of its most, by label, over the month's reviews" }),
  })),
});

export const ScoresWorkbookOut = Content("the month's quality review as an Excel workbook: the agents' scores, then every scored review", {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': Binary,
});
