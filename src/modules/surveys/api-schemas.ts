// Surveys as the API validates and documents them.
import { Type } from 'typebox';
import { Binary, Content, DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { QUESTION_KINDS } from './questions.js';
import { SURVEY_CHANNELS } from './surveys.js';

const Day = Type.String({ pattern: '^(19|20)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', description: 'YYYY-MM-DD (Beijing)' });
const Id = Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' });

export const QuestionIn = Type.Object({
  id: Id,
  kind: StringEnum(QUESTION_KINDS, { description: 'single or multiple choice, a scale, free text' }),
  text: Type.String({ minLength: 1, maxLength: 300 }),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.Object({ id: Id, label: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    { maxItems: 20 })),
  scale: Type.Optional(Type.Object({ min: Type.Integer({ minimum: 0, maximum: 10 }), max: Type.Integer({ minimum: 1, maximum: 10 }),
    minLabel: Type.Optional(Type.String({ maxLength: 20 })), maxLabel: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false })),
  showIf: Type.Optional(Type.Object({ question: Id, options: Type.Array(Id, { minItems: 1 }) },
    { additionalProperties: false, description: 'skip logic: shown only when the earlier choice question was answered with one of these' })),
}, { additionalProperties: false });

export const SurveyIn = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 120 }),
  intro: Type.String({ maxLength: 2000, description: 'what the respondent reads (or the agent says) first' }),
  questions: Type.Array(QuestionIn, { minItems: 1, maxItems: 50 }),
  channels: Type.Array(StringEnum(SURVEY_CHANNELS), { minItems: 1, uniqueItems: true,
    description: 'sms: a personal link sent to each respondent; portal: the public form; outbound: agents call and read the script' }),
  startsOn: Day,
  endsOn: Day,
}, { additionalProperties: false });

const QuestionOut = Type.Object({
  id: Type.String(), kind: StringEnum(QUESTION_KINDS), text: Type.String(), required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.Object({ id: Type.String(), label: Type.String() }))),
  scale: Type.Optional(Type.Object({ min: Type.Integer(), max: Type.Integer(), minLabel: Type.Optional(Type.String()), maxLabel: Type.Optional(Type.String()) })),
  showIf: Type.Optional(Type.Object({ question: Type.String(), options: Type.Array(Type.String()) })),
});

export const SurveyOut = Type.Object({
  id: Uuid, title: Type.String(), intro: Type.String(), questions: Type.Array(QuestionOut), channels: Type.Array(StringEnum(SURVEY_CHANNELS)),
  startsOn: Type.String(), endsOn: Type.String(), status: StringEnum(['draft', 'open', 'closed'] as const),
  createdAt: DateTime(), openedAt: Nullable(DateTime()), closedAt: Nullable(DateTime()),
  respondents: Type.Integer(), answered: Type.Integer(),
  invited: Type.Integer({ description: 'SMS invitations sent' }), inviteFailed: Type.Integer({ description: 'SMS invitations refused for good' }),
});

export const SurveyParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MoveIn = Type.Object({ to: StringEnum(['open', 'closed'] as const) }, { additionalProperties: false });

export const RespondentsIn = Type.Union([
  Type.Object({ kind: Type.Literal('callers'), from: Day, to: Day, categoryCode: Type.Optional(Type.String({ maxLength: 20 })),
    areaCode: Type.Optional(Type.String({ maxLength: 12 })), sample: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) },
  { additionalProperties: false, description: 'the callers of a period (about a category, in a place), all or a random sample' }),
  Type.Object({ kind: Type.Literal('list'), phones: Type.Array(Type.String({ maxLength: 20 }), { minItems: 1, maxItems: 20_000 }) },
    { additionalProperties: false, description: 'a list of mobile numbers (pasted; a file goes to /surveys/{id}/respondents/file)' }),
]);
export const RespondentsOut = Type.Object({
  added: Type.Integer(), matched: Type.Integer({ description: 'numbers found before the sample and those already asked' }),
  rows: Type.Optional(Type.Integer({ description: "a list's rows that gave a number" })),
  repeated: Type.Optional(Type.Integer({ description: 'numbers the list gives more than once, added once' })),
  refused: Type.Optional(Type.Object({
    count: Type.Integer({ description: 'rows with no mobile number (a first row without digits is a header, not counted)' }),
    rows: Type.Array(Type.Object({ row: Type.Integer({ description: 'row number, 1 the first' }), text: Type.String() }), { description: 'the first 50' }),
  })),
});

const AnswerValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 }), Type.Integer()]);
export const AnswersIn = Type.Object({ answers: Type.Record(Type.String({ maxLength: 20 }), AnswerValue) }, { additionalProperties: false });
export const PortalAnswersIn = Type.Object({
  phone: Type.String({ minLength: 11, maxLength: 20, description: 'the respondent\'s mobile number: one answer per number (kept as a hash)' }),
  areaCode: Type.Optional(Type.String({ maxLength: 12 })),
  code: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'the code sent to the number by /app/sign-in/code, when the surveys say phoneCode' })),
  answers: AnswersIn.properties.answers,
}, { additionalProperties: false });

export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 40 }) }, { additionalProperties: false });
export const RespondentParams = Type.Object({ id: Uuid, respondentId: Uuid }, { additionalProperties: false });

export const PublicSurveyOut = Type.Object({
  survey: Type.Object({ id: Uuid, title: Type.String(), intro: Type.String(), questions: Type.Array(QuestionOut), status: Type.String(), startsOn: Type.String(), endsOn: Type.String() }),
  answered: Type.Boolean(),
});

export const ToCallOut = Type.Array(Type.Object({ respondentId: Uuid, phone: Nullable(Type.String()), areaCode: Nullable(Type.String()), addedAt: DateTime() }));

const QuestionResultOut = Type.Object({
  id: Type.String(), text: Type.String(), kind: StringEnum(QUESTION_KINDS), asked: Type.Integer(), answered: Type.Integer(),
  options: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), count: Type.Integer(), share: Type.Number() })),
  scale: Type.Array(Type.Object({ value: Type.Integer(), count: Type.Integer(), share: Type.Number() })),
  mean: Nullable(Type.Number()), texts: Type.Array(Type.String()),
});

export const ResultsQuery = Type.Object({ by: Type.Optional(Type.String({ maxLength: 20, description: "cross-tabulate: 'area' (district) or a choice question's id" })) },
  { additionalProperties: false });

export const ResultsOut = Type.Object({
  surveyId: Uuid, title: Type.String(), respondents: Type.Integer(), answered: Type.Integer(), responseRate: Nullable(Type.Number()),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), answered: Type.Integer() })),
  questions: Type.Array(QuestionResultOut),
  crossTab: Nullable(Type.Object({ by: Type.String(), label: Type.String(),
    groups: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), answered: Type.Integer(), questions: Type.Array(QuestionResultOut) })) })),
});

export const ResultsWorkbookOut = Content("the survey's results: the summary per question, then every answer sheet (no personal data)", {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': Binary,
});
