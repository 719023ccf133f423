// A call's record, derived from all its events at once: sorted by time (ties by the order a call
// goes through, then by id), so repeated, late and out-of-order events give the same record as
// events that came once and in order. Pure: the store calls it under the call's lock.
import type { CallEvent, CallEventType, TransferKind } from './call-events.js';

export const CALL_STATES = ['queued', 'ringing', 'talking', 'held', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];
export const CALL_OUTCOMES = ['answered', 'transferred', 'abandoned', 'unanswered'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface CallRecord {
  callId: string;
  state: CallState;
  /** set when the call has ended */
  outcome: CallOutcome | null;
  callerPhone: string | null;
  callee: string | null;
  queue: string | null;
  offeredAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  seat: string | null;
  agent: string | null;
  seats: string[];
  rings: number;
  waitSeconds: number | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  holdSeconds: number;
  transfers: { at: string; kind: TransferKind; value: string; seat: string | null }[];
  parties: { at: string; party: string }[];
  endReason: string | null;
  recording: string | null;
  events: number;
}

/** The order a call goes through: breaks ties between events stamped the same millisecond. */
const STEP: Record<CallEventType, number> = {
  offered: 0, ringing: 1, not_answered: 2, answered: 3, held: 4, unheld: 5, transferred: 6, joined: 7, abandoned: 8, ended: 9,
};

const ms = (e: CallEvent) => Date.parse(e.at);
const seconds = (from: number, to: number) => Math.max(0, to - from) / 1000;

export function inCallOrder(events: readonly CallEvent[]): CallEvent[] {
  return [...events].sort((a, b) => ms(a) - ms(b) || STEP[a.type] - STEP[b.type] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The record of one call from its events (any order, duplicates by id counted once). */
export function deriveCall(callId: string, events: readonly CallEvent[]): CallRecord {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const r: CallRecord = {
    callId, state: 'queued', outcome: null, callerPhone: null, callee: null, queue: null, offeredAt: null, answeredAt: null, endedAt: null,
    seat: null, agent: null, seats: [], rings: 0, waitSeconds: null, ringSeconds: null, talkSeconds: null, holdSeconds: 0,
    transfers: [], parties: [], endReason: null, recording: null, events: unique.length,
  };
  const rungAt = new Map<string, number>();
  let heldSince: number | null = null;
  let holdMs = 0;
  let abandonedAt: number | null = null;
  let firstAt: number | null = null;
  for (const e of inCallOrder(unique)) {
    const at = ms(e);
    firstAt ??= at;
    r.callerPhone ??= e.caller ?? null;
    r.callee ??= e.callee ?? null;
    if (e.recording) r.recording = e.recording;
    switch (e.type) {
      case 'offered':
        r.offeredAt ??= new Date(at);
        r.queue ??= e.queue ?? null;
        break;
      case 'ringing':
        if (r.answeredAt === null && abandonedAt === null) r.rings += 1;
        if (e.seat) rungAt.set(e.seat, at);
        break;
      case 'answered':
        if (e.seat && !r.seats.includes(e.seat)) r.seats.push(e.seat);
        if (r.answeredAt !== null) break;
        r.answeredAt = new Date(at);
        r.seat = e.seat ?? null;
        r.agent = e.agent ?? null;
        r.queue ??= e.queue ?? null;
        if (e.seat && rungAt.has(e.seat)) r.ringSeconds = seconds(rungAt.get(e.seat)!, at);
        break;
      case 'held':
        heldSince ??= at;
        break;
      case 'unheld':
        if (heldSince !== null) holdMs += at - heldSince;
        heldSince = null;
        break;
      case 'transferred':
        // the caller is passed on: off the hold the transferring agent put them on
        if (heldSince !== null) holdMs += at - heldSince;
        heldSince = null;
        if (e.target) r.transfers.push({ at: e.at, kind: e.target.kind, value: e.target.value, seat: e.seat ?? null });
        break;
      case 'joined':
        if (e.party && !r.parties.some((p) => p.party === e.party)) r.parties.push({ at: e.at, party: e.party });
        break;
      case 'abandoned':
        if (r.answeredAt === null) abandonedAt ??= at;
        break;
      case 'ended':
        r.endedAt = new Date(at);
        r.endReason = e.reason ?? r.endReason;
        break;
      case 'not_answered':
        break;
    }
  }
  if (!r.endedAt && abandonedAt !== null) r.endedAt = new Date(abandonedAt);
  const ended = r.endedAt?.getTime() ?? null;
  if (heldSince !== null && ended !== null) holdMs += ended - heldSince;
  r.holdSeconds = holdMs / 1000;
  const offered = r.offeredAt?.getTime() ?? firstAt;
  const answered = r.answeredAt?.getTime() ?? null;
  const stopped = answered ?? abandonedAt ?? ended;
  if (offered !== null && stopped !== null) r.waitSeconds = seconds(offered, stopped);
  if (answered !== null && ended !== null) r.talkSeconds = Math.max(0, seconds(answered, ended) - r.holdSeconds);
  r.state = stateOf(r, heldSince !== null, abandonedAt !== null);
  if (r.state === 'ended') r.outcome = outcomeOf(r, abandonedAt !== null);
  return r;
}

function stateOf(r: CallRecord, holding: boolean, abandoned: boolean): CallState {
  if (r.endedAt || (abandoned && !r.answeredAt)) return 'ended';
  if (r.answeredAt) return holding ? 'held' : 'talking';
  return r.rings > 0 ? 'ringing' : 'queued';
}

function outcomeOf(r: CallRecord, abandoned: boolean): CallOutcome {
  if (r.answeredAt) return r.transfers.length ? 'transferred' : 'answered';
  if (r.transfers.length) return 'transferred';
  return abandoned ? 'abandoned' : 'unanswered';
}
