// Response schemas of the deadline, supervision and notice endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime, Nullable, StringEnum, Uuid } from '../../http/schemas.js';
import { UNIT_LEVELS } from '../directory/index.js';
import { ORDER_STATES, SATISFACTION, URGENCIES } from '../orders/index.js';
import { NOTICE_KINDS } from './index.js';

const UnitRef = Type.Object({ id: Uuid, name: Type.String() });
const Basis = StringEnum(['working_days', 'hours'] as const, { description: 'what the limits count: working days, or clock hours' });

const PolicyOut = Type.Object({
  unit: Basis,
  sign: Type.Number({ description: 'to sign for the order, from the dispatch' }),
  reply: Type.Number({ description: "to reply, from the dispatch (normal orders: the category's time limit instead, when it has one)" }),
  closeAfterReply: Type.Number({ description: 'to close (return visit done), after the reply deadline' }),
  warnBefore: Type.Number({ description: 'the warning (yellow) comes this long before each deadline' }),
}, { description: 'the deadlines of one urgency, in `unit`' });

export const SlaSettingsOut = Type.Object({
  deadlines: Type.Object({ normal: PolicyOut, urgent: PolicyOut }),
  useCategoryTimeLimit: Type.Boolean({ description: "a normal order's reply limit is its category's time limit, when it has one" }),
  returnWindowDays: Type.Integer({ description: 'a unit may return a mis-routed order within this many working days of its dispatch' }),
  extensionMaxDays: Type.Integer({ description: 'extensions add at most this many working days to a round, in all' }),
  visit: Type.Object({
    maxAttempts: Type.Integer({ description: 'calls before a citizen is recorded as unreachable' }),
    retryAfterHours: Type.Number({ description: 'hours between two calls' }),
    directAnswerSamplePercent: Type.Integer({ description: 'share (%) of orders answered directly at the hotline that get a return visit' }),
  }),
  serviceLevels: Type.Object({
    phoneAnswerSeconds: Type.Integer({ description: 'target: the phone answered within this many seconds (GB/T 33358)' }),
    mailboxReplyHours: Type.Integer({ description: 'target: the mailbox replied within this many hours' }),
  }),
  assessmentWeights: Type.Object({
    response: Type.Number(), onTimeReply: Type.Number(), resolution: Type.Number(), satisfaction: Type.Number(),
  }, { description: 'weights of the assessment score; a rate with no orders behind it is left out and the rest re-weighted' }),
});

const DeadlineOut = Type.Object({
  dueAt: DateTime('the deadline, as moved by extensions and paused clocks'),
  warnAt: DateTime('the warning (yellow) is due then'),
  metAt: Nullable(DateTime(), { description: 'when the unit signed, replied or the order closed; null: not yet' }),
  onTime: Nullable(Type.Boolean(), { description: 'met by the deadline; null: not met yet' }),
  warnedAt: Nullable(DateTime(), { description: 'when the warning was given; null: none given' }),
  overdueAt: Nullable(DateTime(), { description: 'when it became overdue (the deadline itself); null: not overdue' }),
});

/** A round: each time the hotline handed the order to a unit (a dispatch, or a reopening). */
const roundFields = {
  round: Type.Integer({ description: '1 for the first dispatch, one more for each later dispatch or reopening' }),
  cause: StringEnum(['dispatch', 'reopen'] as const),
  unit: UnitRef,
  basis: Basis,
  startedAt: DateTime(),
  status: StringEnum(['active', 'ended'] as const),
  endReason: Nullable(Type.String(), { description: 'why it ended: redispatched, reopened, returned, closed, cancel or merge; null while active' }),
  calendarComplete: Type.Boolean({ description: 'false: a deadline crosses a year with no calendar loaded, counted Monday to Friday' }),
  deadlines: Type.Object({ sign: DeadlineOut, reply: DeadlineOut, close: DeadlineOut },
    { description: 'sign for (签收), reply (答复), close (办结)' }),
  extensionDays: Type.Integer({ description: 'working days granted by extensions in this round' }),
  pausedAt: Nullable(DateTime(), { description: 'the clock is paused since then; null: running' }),
  pausedMs: Type.Integer({ description: 'milliseconds the clock stood still in the pauses that ended' }),
  returnedAt: Nullable(DateTime(), { description: 'when the unit returned the order; null: not returned' }),
  returnOutcome: Nullable(StringEnum(['upheld', 'rejected'] as const),
    { description: 'the return upheld (not held against the unit) or rejected; null: no return, or not decided yet' }),
  urged: Type.Integer({ description: 'times the hotline urged (催办)' }),
  escalatedAt: Nullable(DateTime(), { description: 'when it was escalated (督办); null: not escalated' }),
  visit: Type.Object({
    reached: Nullable(Type.Boolean()), solved: Nullable(Type.Boolean()), satisfaction: Nullable(StringEnum(SATISFACTION)),
    at: Nullable(DateTime()),
  }, { description: 'the return visit after this round; nulls: none yet' }),
  reopenedAt: Nullable(DateTime(), { description: 'when the order was reopened after this round; null: it was not' }),
};

export const RoundOut = Type.Object(roundFields);

export const AlertOut = Type.Object({
  ...roundFields,
  orderId: Uuid, trackingNo: Type.String(), title: Type.String(), state: StringEnum(ORDER_STATES), urgency: StringEnum(URGENCIES),
});

export const UnitAlertCountOut = Type.Object({
  unit: Type.Object({ id: Uuid, name: Type.String(), level: StringEnum(UNIT_LEVELS) }),
  active: Type.Integer({ description: 'rounds in hand' }),
  warning: Type.Integer({ description: 'warned of a deadline, not yet overdue' }),
  overdue: Type.Integer({ description: 'a deadline passed and not met' }),
  paused: Type.Integer({ description: 'clock paused' }),
  extensionPending: Type.Integer({ description: 'an extension request waiting for the hotline' }),
});

export const PendingDecisionOut = Type.Object({
  orderId: Uuid, trackingNo: Type.String(), title: Type.String(),
  unit: Nullable(UnitRef, { description: 'the unit that asked for the extension or returned the order' }),
  requestedAt: DateTime(),
  reason: Nullable(Type.String()),
  days: Nullable(Type.Integer(), { description: 'extension: working days asked for; null for a return' }),
  extensionDays: Nullable(Type.Integer(), { description: 'extension: working days already granted in this round' }),
  replyDueAt: Nullable(DateTime(), { description: 'extension: the reply deadline now' }),
});

export const TimerBacklogOut = Type.Object({
  pending: Type.Integer({ description: 'timers waiting' }),
  due: Type.Integer({ description: 'due now and not yet fired: near 0 when the sweep keeps up' }),
  failing: Type.Integer({ description: 'whose handler failed at least once (retried later each time)' }),
});

export const SweepOut = Type.Object({
  fired: Type.Integer({ description: 'timers fired' }),
  failed: Type.Integer({ description: 'handlers that failed: their timer is kept and retried a minute later' }),
});

export const NoticeOut = Type.Object({
  id: Type.Integer(),
  orderId: Nullable(Uuid, { description: 'null: a notice about no order (report_ready, knowledge_expired, quality_reviewed)' }), trackingNo: Nullable(Type.String()),
  kind: StringEnum(NOTICE_KINDS),
  message: Type.String({ description: 'the notice as a sentence, in Chinese or English by Accept-Language' }),
  // free-form by kind: a deadline's {deadline, dueAt, round, unitId}, an urge's or escalation's {text, reason},
  // a report's {period, title: {zh, en}}
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'what the message says, as data; its shape depends on the kind' }),
  createdAt: DateTime(),
  readAt: Nullable(DateTime(), { description: 'null: unread' }),
});
