// The call the signed-in agent is on: set the moment the live stream says a call was answered at
// their seat (call.answered with their id), marked ended by call.ended. Kept outside React so that
// the stream, the shell (which brings the agent to the form) and the form (which pops the caller's
// profile and links the order to the call) read one value; kept in the tab's session storage, so a
// reload in the middle of a call still links the order to it.
import { queryOptions } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api, data, type Answer } from '../api/client';

export interface CurrentCall {
  /** the telephony's id of the call: sent with the order registered during it */
  callId: string;
  seat: string | null;
  queue: string | null;
  answeredAt: string | null;
  /** true once call.ended arrived: the form stays, so the agent can finish */
  ended: boolean;
  /** performance.now() when call.answered arrived in this page (null: restored after a reload, not timed) */
  arrivedAt: number | null;
}

/** What the stream sends with a call's event (docs/events.md: stream `call`). */
export interface CallEventData {
  callId: string;
  call: { callId: string; state: string; outcome: string | null; queue: string | null; seat: string | null; staffId: string | null;
    offeredAt: string | null; answeredAt: string | null };
}

export type CallerProfile = Answer<'/api/v1/calls/{callId}/caller', 'get'>;

const STORED = 'minsheng.call';
let current: CurrentCall | null = restore();
const listeners = new Set<() => void>();

function restore(): CurrentCall | null {
  try {
    const stored = sessionStorage.getItem(STORED);
    return stored ? { ...(JSON.parse(stored) as CurrentCall), arrivedAt: null } : null;
  } catch {
    return null;
  }
}

function set(next: CurrentCall | null): void {
  current = next;
  if (next) sessionStorage.setItem(STORED, JSON.stringify(next));
  else sessionStorage.removeItem(STORED);
  for (const listener of listeners) listener();
}

/**
 * The caller's profile (the screen-pop): read once per call, as each read of the full number is in
 * the audit log; fetched by the stream the moment the call arrives, before any page draws it.
 */
export const callerQuery = (callId: string) => queryOptions({
  queryKey: ['call-caller', callId],
  staleTime: Infinity,
  queryFn: async () => data(await api.GET('/api/v1/calls/{callId}/caller', { params: { path: { callId } } })),
});

/**
 * Whether a call.answered pops up for `staffId`: answered at their seat (the team leads receive every
 * seat's events: only their own pop), not ended, not the call already popped (answered again there).
 */
export function popsFor(event: CallEventData, staffId: string | null | undefined): boolean {
  if (!staffId || event.call.staffId !== staffId || event.call.state === 'ended') return false;
  return !(current?.callId === event.callId && !current.ended);
}

/** call.answered at the agent's seat (popsFor): the call becomes their current call. */
export function callAnswered(event: CallEventData, arrivedAt: number): void {
  set({ callId: event.callId, seat: event.call.seat, queue: event.call.queue, answeredAt: event.call.answeredAt, ended: false, arrivedAt });
}

/** call.ended: the current call, if it is this one, says so. */
export function callEnded(event: CallEventData): void {
  if (current?.callId === event.callId && !current.ended) set({ ...current, ended: true });
}

/** The agent is done with the call (closed the panel, or registered its order after it ended). */
export function dismissCall(callId: string): void {
  if (current?.callId === callId) set(null);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The agent's current call now (outside React: read when the order is registered). */
export const currentCall = (): CurrentCall | null => current;

/** The agent's current call, or null; draws again when it changes. */
export function useCurrentCall(): CurrentCall | null {
  return useSyncExternalStore(subscribe, () => current);
}

/** Calls `listener` with each call that pops (not with one restored after a reload). */
export function onCallPopped(listener: (call: CurrentCall) => void): () => void {
  let last = current?.callId ?? null;
  return subscribe(() => {
    if (current && !current.ended && current.callId !== last && current.arrivedAt !== null) listener(current);
    last = current?.callId ?? null;
  });
}
