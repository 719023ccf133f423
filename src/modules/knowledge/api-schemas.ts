// The knowledge base as the API validates and documents it.
import { Type } from 'typebox';
import { DateTime, Nullable, Page, StringEnum, Uuid } from '../../http/schemas.js';
import { VERSION_STATUSES } from './articles.js';

const Day = Type.String({ pattern: '^(19|20)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'YYYY-MM-DD (Beijing)' });
const Code = Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z]+$' });

export const ContentIn = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  questions: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, description: 'the ways citizens ask it (常见问法): search finds the article through them' }),
  answer: Type.String({ minLength: 1, maxLength: 10_000, description: 'what the agent tells the citizen: conditions, documents, steps, where, fees, time limits' }),
  categoryCodes: Type.Array(Code, { maxItems: 10, uniqueItems: true, description: 'the categories it answers (codes of the category tree)' }),
  areaCodes: Type.Array(Code, { maxItems: 50, uniqueItems: true, description: 'where it applies; none: the whole city' }),
  public: Type.Boolean({ description: 'shown in the public FAQ on the citizen portal once published' }),
  validFrom: Nullable(Day),
  validUntil: Nullable(Type.String({ ...Day, description: 'the last day it is valid; after it agents see it expired and its owner is told' })),
}, { additionalProperties: false });

export const CreateIn = Type.Object({
  ownerUnitId: Uuid,
  content: ContentIn,
  sourceOrderId: Type.Optional(Uuid),
}, { additionalProperties: false, description: 'a new article, its first version a draft; `sourceOrderId`: the order whose answer it proposes' });

const Content = {
  title: Type.String(), questions: Type.Array(Type.String()), answer: Type.String(), categoryCodes: Type.Array(Type.String()),
  areaCodes: Type.Array(Type.String()), public: Type.Boolean(), validFrom: Nullable(Type.String()), validUntil: Nullable(Type.String()),
};
const Unit = Type.Object({ id: Uuid, name: Nullable(Type.String()) });

export const VersionOut = Type.Object({
  articleId: Uuid,
  version: Type.Integer(),
  status: StringEnum(VERSION_STATUSES, { description: 'draft → in_review → published (the one before superseded) or rejected (edit and submit again)' }),
  ...Content,
  sourceOrderId: Nullable(Uuid),
  authorName: Nullable(Type.String()),
  writtenAt: DateTime(),
  submittedAt: Nullable(DateTime()),
  reviewerName: Nullable(Type.String()),
  reviewedAt: Nullable(DateTime()),
  reviewComment: Nullable(Type.String()),
});

export const ArticleOut = Type.Object({
  id: Uuid,
  ownerUnit: Unit,
  published: Nullable(Type.Object({ ...Content, version: Type.Integer(), publishedAt: DateTime(), expired: Type.Boolean() }),
    { description: 'what agents read; null before the first publication' }),
  withdrawnAt: Nullable(DateTime(), { description: '下架: out of search and the FAQ' }),
  open: Nullable(VersionOut, { description: 'the version being written or reviewed (for its writers and the reviewers)' }),
});

export const ArticleParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const ReviewIn = Type.Object({
  decision: StringEnum(['publish', 'reject'] as const),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 2000, description: 'required to reject: what to change' }))),
}, { additionalProperties: false });

export const WithdrawIn = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

export const WorkQuery = Type.Object({
  status: Type.Optional(StringEnum(['in_review', 'open'] as const, { description: 'in_review: waiting for the hotline (default); open: being written or reviewed' })),
}, { additionalProperties: false });

export const WorkItemOut = Type.Object({ articleId: Uuid, ownerUnit: Unit, version: VersionOut, revision: Type.Boolean() });

const Marked = Type.Object({
  text: Type.String(),
  marks: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), { description: "[start, end) of the query's words in text" }),
});

export const SearchQueryIn = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500, description: "what the caller asks, or the order's text; empty: the newest articles" })),
  categoryCode: Type.Optional(Code),
  areaCode: Type.Optional(Code),
  ...Page,
}, { additionalProperties: false });

export const HitOut = Type.Object({
  id: Uuid, title: Marked, snippet: Marked, answer: Type.String(), ownerUnit: Unit, categoryCodes: Type.Array(Type.String()), areaCodes: Type.Array(Type.String()),
  public: Type.Boolean(), validUntil: Nullable(Type.String()), expired: Type.Boolean({ description: 'past its validity: read with care, ask the owner' }),
  version: Type.Integer(), publishedAt: DateTime(), score: Type.Number(),
});

export const SearchOut = Type.Object({
  terms: Type.Array(Type.String(), { description: 'the words the query was cut into' }),
  total: Type.Integer(),
  items: Type.Array(HitOut),
});

export const FaqQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
}, { additionalProperties: false });

export const FaqOut = Type.Object({
  total: Type.Integer(),
  items: Type.Array(Type.Object({ id: Uuid, title: Marked, answer: Type.String(), ownerUnit: Nullable(Type.String()), publishedAt: DateTime() })),
});

export const UsageQuery = Type.Object({ from: Day, to: Day }, { additionalProperties: false });

export const UsageOut = Type.Object({
  from: Type.String(), to: Type.String(),
  registered: Type.Integer(), answeredDirectly: Type.Integer(), withArticle: Type.Integer(),
  directRate: Nullable(Type.Number({ description: '直接办理率: answered directly / registered, per cent' })),
  articleRate: Nullable(Type.Number({ description: 'answered with an article / answered directly, per cent' })),
  failureRate: Nullable(Type.Number({ description: 'answers with an article reopened or unsatisfied / answers with an article, per cent' })),
  articles: Type.Array(Type.Object({
    articleId: Uuid, title: Nullable(Type.String()), ownerUnit: Unit, uses: Type.Integer(), failed: Type.Integer(),
    reopened: Type.Integer(), unsatisfied: Type.Integer(), lastUsedAt: DateTime(),
  })),
});

export const ExpiryQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365, default: 30, description: 'also those expiring within this many days' })),
}, { additionalProperties: false });

export const ExpiryOut = Type.Array(Type.Object({
  articleId: Uuid, title: Type.String(), ownerUnit: Unit, validUntil: Type.String(), expired: Type.Boolean(),
  noticedAt: Nullable(DateTime()), revising: Type.Boolean({ description: 'a new version is being written or reviewed' }),
}));

export const ProposalQuery = Type.Object({ orderId: Uuid }, { additionalProperties: false });
export const ProposalOut = Type.Object({ ownerUnitId: Nullable(Uuid), content: ContentIn, sourceOrderId: Uuid });
