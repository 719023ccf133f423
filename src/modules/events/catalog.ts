// Every event type the log holds: a closed list, one comment and one payload schema each, and the
// order snapshot every order event carries. The payloads are stored as JSON: a change to a schema
// must still read the events already written (add optional fields; never rename or retype one).
// docs/events.md describes each type; a test fails when one is missing there.
import { Type, type Static, type TSchema } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = Nullable(Type.String());
const Satisfaction = Type.Union([Type.Literal('satisfied'), Type.Literal('basically_satisfied'), Type.Literal('unsatisfied')]);

/** The deadlines of a round (a dispatch, a reopening), as set or moved. */
export const Deadlines = Type.Object({
  round: Type.Integer({ minimum: 1 }),
  basis: Type.Union([Type.Literal('working_days'), Type.Literal('hours')]),
  signDueAt: Time,
  replyDueAt: Time,
  closeDueAt: Time,
  /** false when a deadline crossed a year whose holiday calendar is not loaded */
  calendarComplete: Type.Boolean(),
}, { additionalProperties: false });

/** What became of the return visit when the order was answered. */
const ReturnVisit = Type.Union([
  Type.Literal('queued'), // in the visit queue
  Type.Literal('declined_by_citizen'), // the citizen asked not to be called back
  Type.Literal('not_sampled'), // a direct answer outside the visit sample
]);

/** The agent's choice against the classifier's suggestion, when the order first leaves the hotline. */
const Classification = Type.Object({
  suggestionId: Type.Integer(),
  categoryCode: Text,
  categoryOutcome: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('corrected')])),
  requestType: Type.String(),
  requestTypeOutcome: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('corrected')])),
}, { additionalProperties: false });

/** The fields an agent may correct while the order is at the hotline. */
const EditableFields = Type.Object({
  requestType: Type.Optional(Type.String()),
  categoryCode: Type.Optional(Text),
  title: Type.Optional(Type.String()),
  body: Type.Optional(Type.String()),
  urgency: Type.Optional(Type.String()),
  locationAddress: Type.Optional(Text),
  areaCode: Type.Optional(Text),
  lat: Type.Optional(Nullable(Type.Number())),
  lng: Type.Optional(Nullable(Type.Number())),
}, { additionalProperties: false });

const DeadlineMark = Type.Object({
  deadline: Type.Union([Type.Literal('sign'), Type.Literal('reply'), Type.Literal('close')]),
  dueAt: Time,
  round: Type.Integer({ minimum: 1 }),
  /** the unit answerable for the round */
  unitId: Uuid,
}, { additionalProperties: false });

const Empty = Type.Object({}, { additionalProperties: false });
const Note = Type.Object({ text: Text }, { additionalProperties: false });
/** An urge or an escalation, and the unit answerable for the round in progress (told with the lead unit). */
const Pressure = Type.Object({ text: Text, unitId: Nullable(Uuid) }, { additionalProperties: false });

/**
 * An order as consumers need it after the event: what rollups group by, what the live stream
 * scopes by. Never a citizen's name, phone or address: the stream sends it as it is.
 */
export const OrderSnapshot = Type.Object({
  trackingNo: Type.String(),
  channel: Type.String(),
  requestType: Type.String(),
  urgency: Type.String(),
  confidential: Type.Boolean(),
  /** the state after the event */
  state: Type.String(),
  categoryCode: Text,
  /** category codes from the top of the tree down to the order's category */
  categoryPath: Type.Array(Type.String()),
  areaCode: Text,
  /** area codes from the district down to the order's area */
  areaPath: Type.Array(Type.String()),
  leadUnitId: Nullable(Uuid),
  /** the lead unit's ancestry, the top of the network first, the lead unit last */
  leadUnitPath: Type.Array(Uuid),
  /** every unit that may see the order (it or a unit under it was assigned the order) */
  units: Type.Array(Uuid),
  reopenCount: Type.Integer({ minimum: 0 }),
  createdAt: Time,
}, { additionalProperties: false });
export type OrderSnapshot = Static<typeof OrderSnapshot>;

export type Deadlines = Static<typeof Deadlines>;

/** An early warning (突发事件预警) as consumers and the live stream need it after the event. */
export const WarningSnapshot = Type.Object({
  /** open → acknowledged → closed */
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('closed')]),
  /** the area of the burst (a community, or a street when the reports named no community) */
  areaCode: Type.String(),
  areaPath: Type.Array(Type.String()),
  /** the category the reports share, at the third level of the tree (or above, where the tree is shallower) */
  categoryCode: Type.String(),
  categoryPath: Type.Array(Type.String()),
  /** reports joined so far */
  reports: Type.Integer({ minimum: 1 }),
  firstReportAt: Time,
  raisedAt: Time,
}, { additionalProperties: false });
export type WarningSnapshot = Static<typeof WarningSnapshot>;

/**
 * A call at the call centre as the live stream needs it after the event: which seat and agent it is
 * at, never the caller's number (the agent's workspace reads that through GET /calls/{callId}/caller).
 */
export const CallSnapshot = Type.Object({
  /** the telephony's id of the call */
  callId: Type.String(),
  /** queued, ringing, talking, held, ended */
  state: Type.String(),
  /** when ended: answered, transferred, abandoned, unanswered */
  outcome: Text,
  queue: Text,
  /** the seat (extension) the call is at, and the staff member signed in to that seat */
  seat: Text,
  staffId: Nullable(Uuid),
  offeredAt: Nullable(Time),
  answeredAt: Nullable(Time),
}, { additionalProperties: false });
export type CallSnapshot = Static<typeof CallSnapshot>;

const event = <P extends TSchema>(doc: string, payload: P) => ({ doc, payload });

/** The closed list of event types: what each records, and its payload's schema. */
export const EVENT_TYPES = {
  'order.registered': event('受理: an order was registered, from any channel; `callId`: during that call at the call centre.',
    Type.Object({ channel: Type.String(), channelRef: Text, callId: Type.Optional(Type.String()) }, { additionalProperties: false })),
  'order.updated': event('修改: an agent corrected the classification, text, urgency or place while the order was at the hotline.',
    Type.Object({ before: EditableFields, after: EditableFields }, { additionalProperties: false })),
  'order.answered_directly': event('直接办理: an agent answered the citizen on the spot and closed the order; `article`: the knowledge article the answer rests on.',
    Type.Object({ text: Type.String(), returnVisit: ReturnVisit, classification: Nullable(Classification),
      article: Type.Optional(Type.Object({ id: Uuid, version: Type.Integer({ minimum: 1 }), title: Type.String() }, { additionalProperties: false })) },
    { additionalProperties: false })),
  'order.dispatched': event('派单: the hotline handed the order to a lead unit (and co-handlers); a deadline round started.',
    Type.Object({ unitId: Uuid, coUnitIds: Type.Array(Uuid), deadlines: Deadlines, classification: Nullable(Classification) },
      { additionalProperties: false })),
  'order.signed': event('签收: the lead unit signed for the order.', Empty),
  'order.returned': event('退单: the lead unit returned the order as not theirs; backTo is set when it went back to the unit that passed it down.',
    Type.Object({ unitId: Uuid, backTo: Type.Optional(Uuid) }, { additionalProperties: false })),
  'order.return_rejected': event('驳回退单: the hotline found the return unjustified; the unit\'s round resumes with its deadlines.',
    Type.Object({ unitId: Uuid, deadlines: Nullable(Deadlines) }, { additionalProperties: false })),
  'order.passed_down': event('二级派单: the lead unit passed the order to a unit under it, and stays answerable for the round.',
    Type.Object({ fromUnitId: Uuid, unitId: Uuid }, { additionalProperties: false })),
  'order.extension_requested': event('申请延期: the lead unit asked for more working days.',
    Type.Object({ days: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
  'order.extension_approved': event('批准延期: the hotline granted working days (up to those asked); the reply and close deadlines moved.',
    Type.Object({ days: Type.Integer({ minimum: 1 }), requestedDays: Type.Integer({ minimum: 1 }), deadlines: Nullable(Deadlines) },
      { additionalProperties: false })),
  'order.extension_denied': event('驳回延期: the hotline refused the extension.', Empty),
  'order.clock_paused': event('暂停计时: the unit is waiting for the citizen; the deadlines stand still.', Empty),
  'order.clock_resumed': event('恢复计时: the deadlines run again, with the working time they had left.',
    Type.Object({ deadlines: Nullable(Deadlines), pausedMs: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false })),
  'order.co_replied': event('协办答复: a co-handling unit gave its opinion.',
    Type.Object({ text: Type.String(), unitId: Uuid }, { additionalProperties: false })),
  'order.replied': event('答复: the lead unit replied with the result.',
    Type.Object({ text: Type.String(), unitId: Uuid, returnVisit: ReturnVisit }, { additionalProperties: false })),
  'order.visited': event('回访: the citizen was asked (or could not be reached after the last call).',
    Type.Object({ reached: Type.Boolean(), solved: Type.Optional(Type.Boolean()), satisfaction: Type.Optional(Satisfaction), comment: Text },
      { additionalProperties: false })),
  'order.closed': event('办结: the order is closed.', Note),
  'order.reopened': event('重办: the order went back to a unit (unsolved or unsatisfied); a new round started.',
    Type.Object({ unitId: Uuid, deadlines: Deadlines }, { additionalProperties: false })),
  'order.urged': event('催办: the hotline urged the unit; the unit\'s staff are notified.', Pressure),
  'order.escalated': event('督办: the supervisor escalated the order (a reason is recorded); the unit\'s staff are notified.', Pressure),
  'order.merged': event('合并: the order was a duplicate and was merged into another.',
    Type.Object({ targetOrderId: Uuid }, { additionalProperties: false })),
  'order.duplicate_merged': event('A duplicate was merged into this order.',
    Type.Object({ sourceOrderId: Uuid }, { additionalProperties: false })),
  'order.cancelled': event('作废: the order was invalid (a reason is recorded); nothing is deleted.', Empty),
  'order.archived': event('归档: the closed order was archived.', Empty),
  'order.deadline_warning': event('A deadline is near (yellow warning); the unit\'s staff are notified.', DeadlineMark),
  'order.overdue': event('A deadline passed unmet; the mark records the deadline itself, however late the sweep. The unit\'s staff are notified.',
    DeadlineMark),
  'order.visit_attempted': event('A return-visit call did not reach the citizen; another call is due later.',
    Type.Object({ visitId: Type.Integer(), attempt: Type.Integer({ minimum: 1 }), reached: Type.Literal(false), note: Text, nextAttemptAt: Time },
      { additionalProperties: false })),
  'order.visit_recorded': event('A return visit of a directly answered order (a sample) was recorded; the order stays closed.',
    Type.Object({ visitId: Type.Integer(), reached: Type.Boolean(), solved: Type.Optional(Type.Boolean()), satisfaction: Type.Optional(Satisfaction),
      comment: Text }, { additionalProperties: false })),
  'order.supplemented': event('补充: the citizen added to their request on their channel (a photo, the place, more words); the order stays where it is. `ref` is the channel message, recorded once.',
    Type.Object({ channel: Type.String(), ref: Type.String(), kind: Type.Union([Type.Literal('text'), Type.Literal('image'), Type.Literal('location')]),
      text: Text, imageUrl: Type.Optional(Type.String({ pattern: '^https?://' })), mediaId: Type.Optional(Type.String()),
      lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
      label: Type.Optional(Type.String()) }, { additionalProperties: false })),

  'warning.raised': event('突发事件预警: a burst of similar reports in one area went beyond what its history predicts; the reports so far are joined.',
    Type.Object({ orderIds: Type.Array(Uuid, { minItems: 1 }), expected: Type.Number({ minimum: 0 }), probability: Type.Number({ minimum: 0, maximum: 1 }),
      windowMinutes: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
  'warning.report_joined': event('A later report of the same burst joined the warning (one incident, one warning).',
    Type.Object({ orderId: Uuid }, { additionalProperties: false })),
  'warning.acknowledged': event('确认: a supervisor or leader took the warning in hand.', Note),
  'warning.closed': event('关闭: a person closed the warning, with its outcome.',
    Type.Object({ outcome: Type.Union([Type.Literal('confirmed'), Type.Literal('false_alarm')]), text: Text }, { additionalProperties: false })),

  'call.answered': event('接听: a seat answered a call (first, or after a transfer): the agent signed in to it gets the screen-pop.',
    Type.Object({ seat: Type.String(), agent: Text, staffId: Nullable(Uuid) }, { additionalProperties: false })),
  'call.ended': event('挂机: the call ended (answered, transferred, abandoned or unanswered).',
    Type.Object({ outcome: Type.String() }, { additionalProperties: false })),
} as const;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
/** What the log's subjects are, by the prefix of their events' types: orders, early warnings, and calls. */
export type Stream = 'order' | 'warning' | 'call';
export const streamOf = (type: EventType): Stream => (type.startsWith('warning.') ? 'warning' : type.startsWith('call.') ? 'call' : 'order');
/** The snapshot each stream's events carry. */
export const SNAPSHOTS = { order: OrderSnapshot, warning: WarningSnapshot, call: CallSnapshot } as const;
/** The payload of an event type. */
export type EventPayload<T extends EventType> = Static<(typeof EVENT_TYPES)[T]['payload']>;
