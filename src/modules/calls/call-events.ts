// The call events a call centre's telephony (PBX/ACD/CTI) posts to Minsheng (docs/telephony.md):
// one vocabulary whatever the PBX, each event a fact about one call at one moment. The same event
// posted twice is one event (its id); a call's record is derived from all its events sorted by
// time, so it is the same whatever order they arrived in.

export const CALL_EVENT_TYPES = [
  'offered', // the call entered a queue (or reached the hotline): the caller's number is known
  'ringing', // a seat is being rung
  'not_answered', // that seat did not answer (rang out, busy, rejected)
  'answered', // a seat answered: the caller and the agent are talking
  'held', // the agent put the caller on hold
  'unheld', // the caller is back from hold
  'transferred', // the call was passed on: to a seat, a queue, an outside number or an emergency desk
  'joined', // a third party joined the call (三方通话)
  'ended', // the call is over
  'abandoned', // the caller hung up (or was dropped) while waiting, before any seat answered
] as const;
export type CallEventType = (typeof CALL_EVENT_TYPES)[number];

/** Where a transfer sends the call; `desk`: the 110 police, 119 fire or 120 medical desk (一键转接). */
export const TRANSFER_KINDS = ['seat', 'queue', 'external', 'desk'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export interface CallEvent {
  /** the telephony's id of this event, unique per installation: posting it again changes nothing */
  id: string;
  /** the call's id at the telephony (Asterisk: the Linkedid), the same on every event of the call */
  callId: string;
  type: CallEventType;
  /** when it happened, ISO 8601 with an offset, to the millisecond */
  at: string;
  /** the caller's number, on `offered` at least */
  caller?: string;
  /** the number the caller dialled (the hotline's line) */
  callee?: string;
  /** the queue (skill group) the call waits in */
  queue?: string;
  /** the seat rung, answering, holding, transferring or ending (its extension at the telephony) */
  seat?: string;
  /** the agent at that seat as the telephony knows them (login or member name) */
  agent?: string;
  /** `transferred`: where to */
  target?: { kind: TransferKind; value: string };
  /** `joined`: the third party (a number or a desk such as 110) */
  party?: string;
  /** `ended`: who ended it (caller, agent, transfer, system); `not_answered`: why (timeout, busy, rejected) */
  reason?: string;
  /** the recording's reference at the telephony (a path or URL); the audio never enters the database */
  recording?: string;
}
