// Request and response schemas of the order endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { Page, StringEnum, Uuid } from '../../http/schemas.js';
import { PRESSING_STATUSES } from '../sla/index.js';
import { REQUEST_TYPES } from '../taxonomy/index.js';
import { SuggestionOut } from '../classify/api-schemas.js';
import { UNIT_LEVELS } from '../directory/index.js';
import { SATISFACTION, URGENCIES } from './model.js';
import { ORDER_ACTIONS, ORDER_STATES } from './rules.js';

const literals = StringEnum;
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const RequestTypeSchema = literals(Object.keys(REQUEST_TYPES) as (keyof typeof REQUEST_TYPES)[]);
export const Phone = Type.String({ pattern: '^\\+?[0-9(][0-9 ().-]{2,24}$',
  description: 'digits, optionally +86 (or 0086), spaces, dashes, dots or brackets; in a search, also the last four digits (for those who see phone numbers)' });
const AreaCode = Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' });
const CategoryCode = Type.String({ minLength: 1, maxLength: 32 });
/** Channels are data (GET /channels): a code of lower-case letters, digits and underscores. */
export const ChannelCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$', description: 'a channel code, as GET /channels lists them' });
export const Location = Type.Object({
  address: Type.Optional(Type.String({ maxLength: 300 })),
  areaCode: Type.Optional(AreaCode),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
}, { additionalProperties: false });

export const RegisterBody = Type.Object({
  channel: ChannelCode,
  channelRef: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "the message's id on its channel: retries with it make no second order" })),
  callId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "the call (the telephony's id) the agent registered it during: the call's record links to it" })),
  requestType: RequestTypeSchema,
  categoryCode: Type.Optional(CategoryCode),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  citizen: Type.Optional(Type.Object({
    name: Type.Optional(Type.String({ maxLength: 64 })),
    phone: Type.Optional(Phone),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    noCallback: Type.Optional(Type.Boolean({ description: 'the citizen asked not to be called back: no return visit' })),
  }, { additionalProperties: false })),
  confidential: Type.Optional(Type.Boolean({ description: 'whistle-blower: contact details hidden from all but intake and return-visit staff' })),
  location: Type.Optional(Location),
  urgency: Type.Optional(literals(URGENCIES)),
  attachments: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    contentType: Type.String({ minLength: 1, maxLength: 100 }),
    size: Type.Integer({ minimum: 0, maximum: 100 * 1024 * 1024 }),
    url: Type.Optional(Type.String({ maxLength: 1000 })),
  }, { additionalProperties: false }), { maxItems: 20 })),
}, { additionalProperties: false });

export const UpdateBody = Type.Object({
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  requestType: Type.Optional(RequestTypeSchema),
  categoryCode: Type.Optional(CategoryCode),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  body: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
  urgency: Type.Optional(literals(URGENCIES)),
  location: Type.Optional(Location),
}, { additionalProperties: false, minProperties: 1 });

export const TransitionBody = Type.Object({
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'the version you saw; refused with 409 if stale' })),
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  text: Type.Optional(Type.String({ maxLength: 20_000, description: 'reply, direct answer, co-handler opinion, note' })),
  articleId: Type.Optional(Type.String({ format: 'uuid', description: 'answer_directly: the knowledge article the answer rests on (counted as its use)' })),
  unitId: Type.Optional(Uuid),
  coUnitIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
  targetOrderId: Type.Optional(Uuid),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: 'working days (extension)' })),
  reached: Type.Optional(Type.Boolean({ description: 'return visit: false when the citizen could not be reached' })),
  solved: Type.Optional(Type.Boolean()),
  satisfaction: Type.Optional(literals(SATISFACTION)),
}, { additionalProperties: false });

export const ActionParams = Type.Object({ id: Uuid, action: literals(ORDER_ACTIONS) });
export const IdParams = Type.Object({ id: Uuid });

const SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at'] as const;
export const ListQuery = Type.Object({
  state: Type.Optional(Type.Array(literals(ORDER_STATES), { maxItems: 10 })),
  stateGroup: Type.Optional(literals(['open', 'closed'] as const)),
  unitId: Type.Optional(Uuid),
  categoryCode: Type.Optional(CategoryCode),
  areaCode: Type.Optional(AreaCode),
  channel: Type.Optional(ChannelCode),
  requestType: Type.Optional(RequestTypeSchema),
  urgency: Type.Optional(literals(URGENCIES)),
  phone: Type.Optional(Phone),
  trackingNo: Type.Optional(Type.String({ maxLength: 32 })),
  registeredBy: Type.Optional(literals(['me'] as const, { description: 'me: the orders the caller registered (an agent\'s own recent orders)' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
  createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  sort: Type.Optional(literals(SORTS)),
  ...Page,
}, { additionalProperties: false });

export const InboxQuery = Type.Object({
  deadline: Type.Optional(literals(PRESSING_STATUSES, { description: 'only orders whose pressing deadline is in this status now, the most pressing first' })),
  ...Page,
}, { additionalProperties: false });

export const Citizen = Type.Object({
  name: Nullable(Type.String()), phone: Nullable(Type.String()), address: Nullable(Type.String()),
  visibility: literals(['full', 'masked', 'hidden'] as const),
});
const AttachmentOut = Type.Object({
  name: Type.String(), contentType: Type.String(), size: Type.Integer({ description: 'bytes' }),
  url: Type.Optional(Type.String({ description: 'where the file is kept; the files themselves are not stored here' })),
});
export const OrderOut = Type.Object({
  id: Type.String(), trackingNo: Type.String(), cityCode: Type.String(), channel: ChannelCode, requestType: RequestTypeSchema,
  requestTypeLabel: Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'the request type by name: 投诉 / complaint' }),
  category: Type.Union([Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), version: Type.Integer() }), Type.Null()]),
  title: Type.String(), body: Type.String(), citizen: Citizen, confidential: Type.Boolean(),
  location: Type.Object({ address: Nullable(Type.String()), areaCode: Nullable(Type.String()), areaName: Nullable(Type.String()),
    lat: Type.Union([Type.Number(), Type.Null()]), lng: Type.Union([Type.Number(), Type.Null()]) }),
  urgency: literals(URGENCIES), attachments: Type.Array(AttachmentOut), state: literals(ORDER_STATES),
  stateGroup: literals(['open', 'closed'] as const), version: Type.Integer(),
  leadUnit: Type.Union([Type.Object({ id: Type.String(), code: Type.String({ description: 'the unit code' }), name: Type.String() }), Type.Null()]),
  extensionPending: Type.Boolean(), clockPaused: Type.Boolean(), noCallback: Type.Boolean(), reopenCount: Type.Integer(), urgeCount: Type.Integer(), escalated: Type.Boolean(),
  mergedInto: Nullable(Type.String()), createdAt: Type.String(), updatedAt: Type.String(), closedAt: Nullable(Type.String()),
  suggestions: Type.Optional({ ...SuggestionOut,
    description: 'on registration and when the text changes: what the classifier suggests (see POST /classify/suggest)' }),
});
export const EventOut = Type.Object({
  seq: Type.Integer(), type: Type.String(), at: Type.String(),
  actor: Type.Object({ kind: literals(['staff', 'api_key', 'system', 'citizen'] as const), id: Nullable(Type.String()),
    name: Nullable(Type.String({ description: "the staff member's display name (their username if they are gone), the API key's name, or system" })),
    role: Nullable(Type.String()), unitId: Nullable(Type.String()), unitName: Nullable(Type.String({ description: 'the name of unitId' })) }),
  fromState: Nullable(Type.String()), toState: Type.String(), reason: Nullable(Type.String()),
  payload: Type.Record(Type.String(), Type.Unknown()),
});
export const OrderDetailOut = Type.Intersect([OrderOut, Type.Object({
  assignments: Type.Array(Type.Object({ id: Type.Integer(), unitId: Type.String(), unitName: Type.String(),
    role: literals(['lead', 'co'] as const), status: literals(['active', 'returned', 'passed_down', 'done', 'withdrawn'] as const),
    parentAssignmentId: Type.Union([Type.Integer(), Type.Null()]), assignedAt: Type.String(), endedAt: Nullable(Type.String()) })),
  events: Type.Array(EventOut),
  actions: Type.Array(literals(ORDER_ACTIONS), { description: 'the actions the caller may take now; a recipe may still refuse one for the return window, the extension cap or a missing category' }),
})]);

export const InboxOrderOut = Type.Intersect([OrderOut, Type.Object({
  deadline: Type.Union([Type.Object({
    kind: literals(['sign', 'reply', 'close'] as const, { description: 'the first deadline not met: sign for (签收), reply (答复), close (办结)' }),
    dueAt: Type.String({ format: 'date-time' }), warnAt: Type.String({ format: 'date-time' }),
    status: literals(PRESSING_STATUSES, { description: 'at the time of the answer; paused: the clock stands still' }),
  }), Type.Null()], { description: 'the deadline that presses now; null: no active round' }),
})]);

export const InboxCountsOut = Type.Object({
  all: Type.Integer({ minimum: 0, description: 'orders assigned to the unit now' }),
  ...Object.fromEntries(PRESSING_STATUSES.map((s) => [s, Type.Integer({ minimum: 0 })])) as Record<(typeof PRESSING_STATUSES)[number], ReturnType<typeof Type.Integer>>,
}, { description: "the unit's orders by the status of their pressing deadline now" });

export const SuggestedUnitOut = Type.Object({
  unit: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), level: literals(UNIT_LEVELS), kind: Type.String() }),
  reason: literals(['category_and_area', 'area_government'] as const,
    { description: "the category's unit kind serving the order's area, or the area's own government" }),
});

export const CitizenHistoryOut = Type.Object({
  hidden: Type.Boolean({ description: "the order's citizen is hidden from the caller (a confidential request), and so is their history" }),
  knownBy: Type.Object({
    phone: Type.Union([Type.String(), Type.Null()], { description: 'masked (the order itself shows it to those who may see it); null: no phone' }),
    channels: Type.Array(Type.String(), { description: 'channels the citizen wrote from with an identity of their own (wechat, weibo, app)' }),
    sharedPhone: Type.Boolean({ description: 'the number is shared by more than five channel identities (a switchboard, a shop): it links no one' }),
  }),
  counts: Type.Object({ days30: Type.Integer(), days90: Type.Integer(), days365: Type.Integer(), all: Type.Integer(),
    capped: Type.Boolean({ description: 'counted to 1,000: at least these many' }) },
  { description: 'their requests the caller may see, this one included' }),
  byChannel: Type.Array(Type.Object({ channel: Type.String(), count: Type.Integer() })),
  open: Type.Integer({ description: 'of those, not yet closed' }),
  orders: Type.Array(OrderOut, { description: 'their other requests, newest first; only for callers who see citizens in full (else empty)' }),
});
