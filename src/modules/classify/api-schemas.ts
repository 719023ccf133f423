// Request and response schemas of the classification endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { StringEnum } from '../../http/schemas.js';
import { UNIT_LEVELS } from '../directory/index.js';
import { REQUEST_TYPES } from '../taxonomy/index.js';
import { SIGNAL_KINDS } from './signals.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);
const Probability = Type.Number({ minimum: 0, maximum: 1 });
const Localized = Type.Object({ zh: Type.String(), en: Type.String() });
const Evidence = Type.Array(Type.Object({ term: Type.String(), weight: Type.Number() }),
  { description: 'the words of the text that weighed most for this label' });
const ModelRef = Nullable(Type.Object({ id: Type.Integer(), version: Type.Integer() }));
const RequestTypeValue = StringEnum(Object.keys(REQUEST_TYPES) as (keyof typeof REQUEST_TYPES)[]);

export const SimilarOut = Type.Array(Type.Object({
  id: Type.String(), trackingNo: Type.String(), title: Type.String(), state: Type.String(),
  category: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
  leadUnit: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  createdAt: Type.String(), similarity: Probability,
  shared: Type.Array(Type.String(), { description: 'the keywords they share' }),
  likelyDuplicate: Type.Boolean({ description: '疑似重复: still open, within 7 days, the same street and category (where both are known), the text close (≥ 0.5; ≥ 0.7 without a place): the same matter, to merge' }),
}), { description: 'the most similar orders of the last year, most similar first: duplicates, and answers that worked' });

export const SuggestionOut = Type.Object({
  id: Nullable(Type.Integer({ description: 'the stored suggestion, when made for an order' })),
  models: Type.Object({ category: ModelRef, requestType: ModelRef }, { description: 'the models that made it; null: none trained yet' }),
  category: Nullable(Type.Object({
    code: Type.String(), name: Type.String(), pathNames: Type.Array(Type.String()),
    confidence: Probability,
    lowConfidence: Type.Boolean({ description: 'confidence below 0.6: shown as uncertain, the agent must choose' }),
    unitKind: Nullable(Type.String()),
    path: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), probability: Probability, cumulative: Probability, evidence: Evidence })),
    alternatives: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), pathNames: Type.Array(Type.String()), probability: Probability })),
  })),
  requestType: Nullable(Type.Object({
    value: RequestTypeValue, label: Localized, confidence: Probability, lowConfidence: Type.Boolean(), evidence: Evidence,
    alternatives: Type.Array(Type.Object({ value: RequestTypeValue, probability: Probability })),
  })),
  units: Type.Array(Type.Object({
    unit: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), level: StringEnum(UNIT_LEVELS), kind: Type.String() }),
    reason: StringEnum(['category_and_area', 'area_government'] as const),
  }), { description: "units to dispatch to, best first: the suggested category's unit kind in the order's area, then the area's governments" }),
  signals: Type.Array(Type.Object({ kind: StringEnum(SIGNAL_KINDS), group: StringEnum(['danger', 'sentiment'] as const),
    evidence: Type.String(), label: Localized })),
  urgent: Type.Boolean({ description: 'a danger signal: handle first' }),
  similar: Nullable(SimilarOut, { description: 'null in the suggestion made at registration: see GET /orders/{id}/similar' }),
});

export const DecisionOut = Nullable(Type.Object({
  decidedAt: Type.String(), chosenCategoryCode: Nullable(Type.String()),
  categoryOutcome: Nullable(StringEnum(['accepted', 'corrected'] as const)), chosenInAlternatives: Nullable(Type.Boolean()),
  chosenRequestType: Nullable(Type.String()), requestTypeOutcome: Nullable(StringEnum(['accepted', 'corrected'] as const)),
}));

export const SuggestBody = Type.Object({
  title: Type.Optional(Type.String({ maxLength: 200 })),
  text: Type.String({ minLength: 1, maxLength: 20_000 }),
  areaCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' })),
}, { additionalProperties: false });

const ScoresOut = Type.Object({ n: Type.Integer(), accuracy: Type.Number(), macroF1: Type.Number(), exactAccuracy: Type.Number(),
  top3Accuracy: Type.Number(), calibrationError: Type.Number() });

export const ModelOut = Type.Object({
  id: Type.Integer(), target: StringEnum(['category', 'request_type'] as const), version: Type.Integer(),
  status: StringEnum(['active', 'retired', 'rejected'] as const), trainedAt: Type.String(), source: Type.String(),
  trainingTexts: Type.Integer(), heldBackTexts: Type.Integer(), taxonomyVersion: Nullable(Type.Integer()),
  scores: ScoresOut, baselineScores: Nullable(ScoresOut), decision: Type.String(), sizeBytes: Type.Integer(),
  activatedAt: Nullable(Type.String()), retiredAt: Nullable(Type.String()), runId: Nullable(Type.Integer()),
});

export const RunOut = Type.Object({
  id: Type.Integer(), startedAt: Type.String(), finishedAt: Nullable(Type.String()),
  cause: StringEnum(['schedule', 'api', 'cli', 'seed'] as const), status: StringEnum(['running', 'done', 'skipped', 'failed'] as const),
  // free-form by status: what a run records differs (models made and scores, why skipped, the error)
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'done: the models made; skipped: why; failed: the error' }),
});

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Rate = (description: string) => Nullable(Type.Number({ minimum: 0, maximum: 1 }), { description: `${description}; null: none decided` });

export const AcceptanceOut = Type.Object({
  from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time', description: 'excluded' }),
  category: Type.Object({
    decided: Count('orders whose category the agent chose after a suggestion'), accepted: Count('kept the suggested category, or one beneath it'),
    corrected: Count('chose another'), acceptanceRate: Rate('accepted ÷ decided'),
    inAlternativesRate: Rate('share of decisions where the chosen category was suggested or among the alternatives shown'),
    byConfidence: Type.Array(Type.Object({ band: Type.String({ description: 'the confidence shown: < 0.6, 0.6 – 0.9 or ≥ 0.9' }),
      decided: Count('decided in the band'), accepted: Count('accepted in the band'), acceptanceRate: Rate('accepted ÷ decided') })),
  }),
  requestType: Type.Object({ decided: Count('orders whose request type was chosen after a suggestion'), accepted: Count('kept the suggested type'),
    corrected: Count('chose another'), acceptanceRate: Rate('accepted ÷ decided') }),
  suggestions: Count('orders registered in the period with a suggestion'),
  urgent: Count('of those, flagged urgent'),
});
