// The channels' request and answer shapes.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { CITIZEN_STEPS, ORDER_STATES, SATISFACTION } from '../orders/index.js';
import { Location, Phone } from '../orders/api-schemas.js';
import { PORTAL_REQUEST_TYPES } from './portal.js';

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
const TrackingNo = Type.String({ pattern: '^\\d{8}-\\d{8,}$', maxLength: 32 });

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
