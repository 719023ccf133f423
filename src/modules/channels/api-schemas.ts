// The channels' request and answer shapes.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { CITIZEN_STEPS, ORDER_STATES, SATISFACTION } from '../orders/index.js';
import { Location, Phone } from '../orders/api-schemas.js';
import { PORTAL_REQUEST_TYPES } from './portal.js';
import { MESSAGE_KINDS } from './messenger.js';

export const ChannelOut = Type.Object({
  code: Type.String(),
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
  answersCitizen: Type.Boolean({ description: 'a citizen hears back on this channel' }),
  active: Type.Boolean(),
});

const Hex = (max: number) => Type.String({ pattern: '^[0-9a-f]*$', maxLength: max });

/** An ALTCHA challenge (v2), as GET /public/portal/challenge gave it. */
export const ChallengeOut = Type.Object({
  parameters: Type.Object({
    algorithm: Type.String({ maxLength: 16 }), nonce: Hex(64), salt: Hex(64), cost: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    keyLength: Type.Integer({ minimum: 1, maximum: 64 }), keyPrefix: Hex(128), expiresAt: Type.Optional(Type.Integer({ minimum: 0 })),
  }, { additionalProperties: false }),
  signature: Type.Optional(Type.String({ maxLength: 256 })),
}, { additionalProperties: false, description: 'solve with altcha-lib (solveChallenge, SHA-256) and send back with the submission' });

export const PortalChallengeOut = Type.Object({
  challenge: Nullable(ChallengeOut, { description: 'null: the proof of work is turned off here' }),
});

export const PortalSubmitBody = Type.Object({
  clientRef: Uuid,
  requestType: StringEnum(PORTAL_REQUEST_TYPES),
  title: Type.String({ minLength: 1, maxLength: 60 }),
  body: Type.String({ minLength: 5, maxLength: 3000 }),
  place: Type.Optional(Location),
  contact: Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), phone: Phone }, { additionalProperties: false }),
  confidential: Type.Boolean({ description: "the citizen's identity is shown only to the hotline's intake and call-back staff" }),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 9, uniqueItems: true,
    description: 'files uploaded for this submission first (POST /public/portal/attachments with the same clientRef)' })),
  proof: Type.Optional(Type.Object({
    challenge: ChallengeOut,
    solution: Type.Object({ counter: Type.Integer({ minimum: 0, maximum: 4_294_967_295 }), derivedKey: Hex(128),
      time: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
  }, { additionalProperties: false, description: 'the solved challenge; required unless the proof of work is off' })),
}, { additionalProperties: false });

export const PortalReceiptOut = Type.Object({
  trackingNo: Type.String(),
  lookupCode: Type.String({ description: 'with the tracking number, opens the request on the tracking page; shown once, kept by the citizen' }),
  createdAt: DateTime(),
  created: Type.Boolean({ description: 'false: a retry of a submission already registered, answered as the first time' }),
});

const LookupCode = Type.String({ minLength: 1, maxLength: 16 });
export const TrackingNo = Type.String({ pattern: '^\\d{8}-\\d{8,}$', maxLength: 32 });

export const TrackBody = Type.Object({ trackingNo: TrackingNo, code: LookupCode }, { additionalProperties: false });

export const RateBody = Type.Object({
  trackingNo: TrackingNo, code: LookupCode,
  solved: Type.Boolean(), satisfaction: StringEnum(SATISFACTION),
  comment: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export const UploadQuery = Type.Object({ clientRef: Uuid }, { additionalProperties: false });

export const CitizenOrderOut = Type.Object({
  attachments: Type.Array(Type.Object({ name: Type.String(), contentType: Type.String(), size: Type.Integer() })),
  trackingNo: Type.String(), channel: Type.String(), title: Type.String(), body: Type.String(), state: StringEnum(ORDER_STATES),
  createdAt: DateTime(), closedAt: Nullable(DateTime()),
  steps: Type.Array(Type.Object({ at: DateTime(), step: StringEnum(CITIZEN_STEPS), unitName: Nullable(Type.String()), text: Nullable(Type.String()) })),
  answer: Nullable(Type.Object({ at: DateTime(), unitName: Nullable(Type.String()), text: Type.String() })),
  mergedAnswer: Nullable(Type.Object({ at: DateTime(), unitName: Nullable(Type.String()) }),
    { description: 'a request merged into another: when that one was answered, and by which unit (its words are the other citizen\'s)' }),
  rating: Type.Object({
    open: Type.Boolean({ description: 'the answer may be rated now' }),
    given: Nullable(Type.Object({ at: DateTime(), solved: Nullable(Type.Boolean()), satisfaction: Nullable(StringEnum(SATISFACTION)) })),
  }),
});

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD, a day in Beijing' });
export const CountsQuery = Type.Object({ from: Day, to: Day }, { additionalProperties: false });

export const ChannelCountsOut = Type.Object({
  channel: Type.String(),
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
  received: Type.Integer({ description: 'every message that reached the channel: accepted + duplicate + refused' }),
  accepted: Type.Integer({ description: 'made an order' }),
  duplicate: Type.Integer({ description: 'a delivery of a message already accepted: answered as the first time, no second order' }),
  refused: Type.Integer({ description: 'refused with an error (malformed, wrongly signed, stale, replayed, too many…)' }),
  sent: Type.Integer({ description: 'messages sent to citizens on this channel' }),
  failed: Type.Integer({ description: 'messages to citizens that could not be sent' }),
  refusals: Type.Array(Type.Object({ code: Type.String(), count: Type.Integer() }), { description: 'refusals by error code, the most frequent first' }),
});

/** One message a citizen sent, as Alibaba Cloud SMS's uplink push (SmsUp) gives it; unknown fields are kept out of the way. */
export const InboundSmsBody = Type.Array(Type.Object({
  phone_number: Phone,
  content: Type.String({ maxLength: 2000, description: 'the text as the citizen sent it (long messages arrive joined)' }),
  send_time: Type.Optional(Type.String({ maxLength: 32 })),
  dest_code: Type.Optional(Type.String({ maxLength: 32 })),
  sequence_id: Type.Union([Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' }), Type.Number({ minimum: 0 })],
    { description: "the provider's id of the message: a message delivered again makes no second order" }),
  sign_name: Type.Optional(Type.String({ maxLength: 64 })),
}), { minItems: 1, maxItems: 100 });

export const InboundSmsOut = Type.Object({
  code: Type.Integer({ description: '0: received (the answer Alibaba Cloud\'s push expects)' }),
  msg: Type.String(),
  results: Type.Array(Type.Object({
    kind: StringEnum(['order', 'rating', 'ignored'] as const),
    trackingNo: Type.Optional(Type.String()),
    created: Type.Optional(Type.Boolean({ description: 'order: false when the message had been delivered before' })),
    recorded: Type.Optional(Type.Boolean({ description: 'rating: false when it was a repeat, or came after the visit was made another way' })),
    reason: Type.Optional(StringEnum(['empty', 'no_open_survey', 'refused'] as const)),
    code: Type.Optional(Type.String({ description: 'refused: the error code (docs/errors.md), e.g. IDEMPOTENCY_CONFLICT for an id reused with another text' })),
  })),
});

export const MessageOfOrderOut = Type.Object({
  channel: Type.String({ description: 'sms (for requests by SMS, phone and the portal), wechat or weibo: where the citizen was told' }),
  kind: StringEnum(MESSAGE_KINDS, { description: 'intake: the tracking number; reply: the answer is there; survey: 回复 1/2/3' }),
  status: StringEnum(['pending', 'sending', 'sent', 'failed', 'unknown', 'expired'] as const,
    { description: 'unknown: no answer came from the provider, so it is never sent again (docs/sms.md)' }),
  attempts: Type.Integer(),
  createdAt: DateTime(),
  sentAt: Nullable(DateTime()),
  answeredAt: Nullable(DateTime(), { description: "a survey: when the citizen's answer came" }),
});

// The mobile app's citizens (docs/app.md)
const MobilePhone = Type.String({ minLength: 11, maxLength: 20, pattern: '^\\+?[0-9 -]+$', description: 'a mainland China mobile number (+86 allowed)' });

export const AppCodeBody = Type.Object({ phone: MobilePhone }, { additionalProperties: false });
export const AppCodeOut = Type.Object({
  expiresAt: DateTime('the code works until then, once'),
  resendAfterSeconds: Type.Integer({ description: 'a new code may be asked for after this many seconds' }),
});
export const AppSignInBody = Type.Object({ phone: MobilePhone, code: Type.String({ pattern: '^\\d{6}$' }) }, { additionalProperties: false });
export const AppSessionOut = Type.Object({
  token: Type.String({ description: 'the bearer token of the citizen session (Authorization: Bearer …); shown once' }),
  expiresAt: DateTime(),
  citizen: Type.Object({ id: Uuid, phone: Type.String(), createdAt: DateTime() }),
});
export const AppMeOut = Type.Object({ id: Uuid, phone: Type.String() });

export const AppSubmitBody = Type.Object({
  clientRef: Uuid,
  requestType: StringEnum(PORTAL_REQUEST_TYPES),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'left out: the text\'s first words' })),
  body: Type.String({ minLength: 5, maxLength: 3000 }),
  place: Type.Optional(Location),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'how the citizen wants to be addressed; the phone is the account\'s' })),
  confidential: Type.Boolean({ description: "the citizen's identity is shown only to the hotline's intake and call-back staff" }),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 9, uniqueItems: true,
    description: 'photos uploaded for this submission first (POST /app/attachments with the same clientRef)' })),
}, { additionalProperties: false });

export const AppRequestsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  before: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description: 'the `next` of the page before' })),
}, { additionalProperties: false });
export const AppRequestsOut = Type.Object({
  items: Type.Array(Type.Object({
    trackingNo: Type.String(), title: Type.String(), channel: Type.String(), state: StringEnum(ORDER_STATES),
    createdAt: DateTime(), updatedAt: DateTime(),
    submitted: Type.Boolean({ description: 'submitted in the app; false: followed by its tracking number and lookup code' }),
  })),
  next: Nullable(Type.String(), { description: 'the next page\'s `before`; null on the last' }),
});
export const AppTrackingParams = Type.Object({ trackingNo: TrackingNo }, { additionalProperties: false });
export const AppFollowBody = TrackBody;
export const AppRateBody = Type.Object({
  solved: Type.Boolean(), satisfaction: StringEnum(SATISFACTION), comment: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
