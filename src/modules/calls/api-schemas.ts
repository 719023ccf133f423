// The call events the telephony posts and the calls staff read, as the API validates and documents them.
import { Type } from 'typebox';
import { Binary, Content, DateTime, Nullable, StringEnum } from '../../http/schemas.js';
import { CALL_EVENT_TYPES, TRANSFER_KINDS } from './call-events.js';
import { OrderOut } from '../orders/api-schemas.js';
import { CALL_OUTCOMES, CALL_STATES } from './record.js';
import { SEAT_STATES } from './seats.js';
import { SERVICE_LEVEL_BY, SERVICE_LEVEL_DEFINITIONS } from './service-level.js';
import { SEAT_TIME_DEFINITIONS } from './seat-time.js';

/** Most events a post may carry: a connector flushing a busy second's worth; at every field's longest, Chinese included, under 0.5 MiB (the body limit's default is 1 MiB). */
export const MAX_EVENTS_PER_POST = 200;

const Ref = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });
const Short = (description: string) => Type.Optional(Type.String({ minLength: 1, maxLength: 64, description }));

export const CallEventIn = Type.Object({
  id: Ref("the telephony's id of this event, unique per installation: the same id posted again is the same event"),
  callId: Ref("the call's id at the telephony, the same on all its events (Asterisk: Linkedid)"),
  type: StringEnum(CALL_EVENT_TYPES, { description: 'what happened (docs/telephony.md)' }),
  at: Type.String({ format: 'date-time', maxLength: 40, description: 'when it happened, ISO 8601 with an offset, to the millisecond' }),
  caller: Short("the caller's number (on offered at least)"),
  callee: Short('the number dialled'),
  queue: Short('the queue (skill group)'),
  seat: Short('the seat (extension) concerned'),
  agent: Short('the agent at that seat, as the telephony knows them'),
  target: Type.Optional(Type.Object({
    kind: StringEnum(TRANSFER_KINDS, { description: 'seat, queue, external number, or an emergency desk (110, 119, 120)' }),
    value: Type.String({ minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false, description: 'transferred: where to' })),
  party: Short('joined: the third party (a number or a desk)'),
  reason: Short('ended: who ended it (caller, agent, transfer, system); not_answered: why (timeout, busy, rejected)'),
  recording: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: "the recording's reference at the telephony (a path or URL)" })),
}, { additionalProperties: false });

export const CallEventsIn = Type.Object({
  events: Type.Array(CallEventIn, { minItems: 1, maxItems: MAX_EVENTS_PER_POST }),
}, { additionalProperties: false });

export const CallEventsOut = Type.Object({
  results: Type.Array(Type.Object({
    id: Type.String(),
    outcome: StringEnum(['accepted', 'duplicate', 'refused'] as const, { description: 'duplicate: already kept (or twice in this post); refused: see code' }),
    code: Type.Optional(Type.String({ description: 'why it was refused (docs/errors.md)' })),
  }), { description: 'per event, in the order posted' }),
  changed: Type.Integer({ minimum: 0, description: 'calls whose record changed' }),
});

const Transfer = Type.Object({ at: DateTime(), kind: Type.String(), value: Type.String(), seat: Nullable(Type.String()) });
export const CallOut = Type.Object({
  callId: Type.String(),
  state: StringEnum(CALL_STATES),
  outcome: Nullable(StringEnum(CALL_OUTCOMES), { description: 'null until the call has ended' }),
  callerPhone: Nullable(Type.String(), { description: 'masked in lists, and for readers who do not call citizens back' }),
  callee: Nullable(Type.String()),
  queue: Nullable(Type.String()),
  offeredAt: Nullable(DateTime()),
  answeredAt: Nullable(DateTime()),
  endedAt: Nullable(DateTime()),
  seat: Nullable(Type.String({ description: 'the seat that answered first' })),
  agent: Nullable(Type.String()),
  seats: Type.Array(Type.String(), { description: 'every seat that answered, in order' }),
  rings: Type.Integer({ description: 'ringing events before the first answer (a seat rung twice counts twice)' }),
  waitSeconds: Nullable(Type.Number({ description: 'offered → answered (or → abandoned)' })),
  ringSeconds: Nullable(Type.Number({ description: "the answering seat's ringing" })),
  talkSeconds: Nullable(Type.Number({ description: 'answered → ended, less the hold' })),
  holdSeconds: Type.Number(),
  transfers: Type.Array(Transfer),
  parties: Type.Array(Type.Object({ at: DateTime(), party: Type.String() })),
  endReason: Nullable(Type.String()),
  recording: Nullable(Type.String({ description: "the recording's reference at the telephony; the audio is not kept here" })),
  events: Type.Integer(),
  orders: Type.Array(Type.Object({ orderId: Type.String({ format: 'uuid' }), trackingNo: Type.String(), registeredAt: DateTime(),
    answeredDirectly: Type.Boolean() }), { description: 'the orders registered during the call' }),
  handling: Nullable(StringEnum(['registered', 'answered_directly'] as const), {
    description: 'registered: an order went to a unit; answered_directly: every order of the call was answered on the spot; null: none registered' }),
});

export const CallDetailOut = Type.Intersect([CallOut, Type.Object({
  timeline: Type.Array(CallEventIn, { description: "the call's events in the order they happened" }),
})]);

export const CallsQuery = Type.Object({
  from: Type.Optional(DateTime('offered at or after')),
  to: Type.Optional(DateTime('offered before')),
  state: Type.Optional(StringEnum(CALL_STATES)),
  outcome: Type.Optional(StringEnum(CALL_OUTCOMES)),
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  seat: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });

const Counts = Type.Object({ days30: Type.Integer(), days90: Type.Integer(), days365: Type.Integer(), all: Type.Integer(),
  capped: Type.Boolean({ description: 'counted up to 1,000' }) });
export const CallerProfileOut = Type.Object({
  callId: Type.String(),
  phone: Nullable(Type.String(), { description: 'null: the number was withheld; masked for readers who do not call citizens back' }),
  counts: Counts,
  open: Type.Integer({ description: 'their requests not yet closed' }),
  dissatisfied: Type.Integer({ description: 'their requests found unsolved or unsatisfying on the return visit' }),
  confidential: Type.Integer({ description: 'their requests they asked to keep confidential' }),
  orders: Type.Array(OrderOut, { description: 'their latest requests, newest first' }),
});

export const SeatOut = Type.Object({
  seat: Type.String({ description: 'the extension at the telephony' }),
  state: StringEnum([...SEAT_STATES, 'signed_out'] as const),
  reason: Nullable(Type.String({ description: 'not_ready: why' })),
  since: DateTime(),
});
export const SeatIn = Type.Object({ seat: Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_.-]+$', description: 'the extension, as the telephony names it' }) },
  { additionalProperties: false });
export const SeatStateIn = Type.Object({
  state: StringEnum(SEAT_STATES),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'not_ready: why (a break, a meal, training, a meeting)' })),
}, { additionalProperties: false });

const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }), { description: 'a share, 0–1; null with nothing offered' });
const Seconds = Nullable(Type.Number({ minimum: 0 }), { description: 'seconds; null with nothing to average' });
export const ServiceLevelFiguresOut = Type.Object({
  offered: Type.Integer(), answered: Type.Integer(), abandoned: Type.Integer(), answeredInTime: Type.Integer(),
  serviceLevel: Share, connectionRate: Share, abandonRate: Share, asaSeconds: Seconds, ahtSeconds: Seconds, transferredToDesk: Type.Integer(),
});
const Definition = Type.Object({ zh: Type.String(), en: Type.String() });
export const ServiceLevelOut = Type.Object({
  from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), by: StringEnum(SERVICE_LEVEL_BY),
  total: ServiceLevelFiguresOut,
  rows: Type.Array(Type.Intersect([Type.Object({ key: Type.String(), label: Type.String() }), ServiceLevelFiguresOut])),
  linkage: Type.Object({
    toDesks: Type.Array(Type.Object({ desk: Type.String(), calls: Type.Integer() }), { description: 'calls transferred to each emergency desk (110, 119, 120 always listed)' }),
    fromPolice110: Type.Integer({ description: 'orders the 110 desk handed over (channel police_110) registered in the period' }),
  }, { description: '12345 ↔ 110/119/120 (国办发〔2022〕12号), both ways' }),
  definitions: Type.Object(Object.fromEntries(Object.keys(SERVICE_LEVEL_DEFINITIONS).map((k) => [k, Definition])),
    { description: "each figure's definition, the standard's words beside the formula" }),
});
export const ServiceLevelQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'first day (Beijing), default today' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last day, included; at most 92 days after from' })),
  by: Type.Optional(StringEnum(SERVICE_LEVEL_BY, { description: 'rows by hour, day, queue or agent (the seat that answered); default hour' })),
}, { additionalProperties: false });
export const ServiceLevelWorkbookOut = Content('the service level as an Excel workbook, definitions first', {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': Binary,
});
export const WallOut = Type.Object({
  at: DateTime(),
  queues: Type.Array(Type.Object({ queue: Type.String(), waiting: Type.Integer(), longestWaitSeconds: Type.Integer() }),
    { description: 'queues with calls waiting, the longest wait first' }),
  seats: Type.Array(Type.Object({
    seat: Type.String(), staff: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
    state: Type.String({ description: 'what the agent set: ready, not_ready, after_call_work, signed_out' }), reason: Nullable(Type.String()), since: DateTime(),
    call: Nullable(Type.Object({ callId: Type.String(), state: Type.String(), answeredAt: Nullable(DateTime()) }), { description: 'the call the seat is on' }),
  })),
  seatCounts: Type.Record(Type.String(), Type.Integer(), { description: 'seats by state: ready, not_ready, after_call_work, and on_call (on a call, whatever state was set)' }),
  last15Minutes: ServiceLevelFiguresOut,
  today: ServiceLevelFiguresOut,
});

export const SeatEventsIn = Type.Object({
  events: Type.Array(Type.Object({
    id: Ref("the telephony's id of this event: the same id posted again changes nothing"),
    seat: Type.String({ minLength: 1, maxLength: 64, description: 'the seat (extension), as agents sign in to it' }),
    state: StringEnum(SEAT_STATES, { description: 'ready, not_ready (paused, with a reason), after_call_work (wrap-up)' }),
    reason: Short('not_ready: why (a meal, a meeting, training…)'),
    at: Type.String({ format: 'date-time', maxLength: 40, description: 'when the seat went into the state, ISO 8601 with an offset' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: MAX_EVENTS_PER_POST }),
}, { additionalProperties: false });

export const SeatEventsOut = Type.Object({
  results: Type.Array(Type.Object({
    id: Type.String(),
    outcome: StringEnum(['accepted', 'unchanged', 'stale', 'in_future'] as const, { description:
      'accepted: the seat is in that state now; unchanged: it already was; stale: a later state was set already; in_future: ahead of the server clock by more than 5 minutes, not applied' }),
  }), { description: "one per event, in the post's order" }),
});

export const SeatTimeQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'first day (Beijing), default today' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last day, included; at most 31 days after from' })),
}, { additionalProperties: false });

const SecondsIn = (description: string) => Type.Integer({ minimum: 0, description });
export const SeatTimeOut = Type.Object({
  from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }),
  agents: Type.Array(Type.Object({
    staffId: Type.String(), name: Nullable(Type.String()),
    signedInSeconds: SecondsIn('at a seat: ready, not ready, after-call work'), readySeconds: SecondsIn('ready, calls included'),
    notReadySeconds: SecondsIn('paused'), notReadyByReason: Type.Array(Type.Object({ reason: Nullable(Type.String()), seconds: Type.Integer() })),
    afterCallWorkSeconds: SecondsIn('wrap-up'), answered: Type.Integer({ minimum: 0 }), talkSeconds: SecondsIn('talk and hold of the calls answered'),
    occupancy: Nullable(Type.Number({ minimum: 0, maximum: 1, description: '(talk + after-call work) ÷ (signed in − not ready)' })),
  })),
  definitions: Type.Object(Object.fromEntries(Object.keys(SEAT_TIME_DEFINITIONS).map((k) => [k, Definition])),
    { description: "each figure's definition" }),
});
