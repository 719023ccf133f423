// An event as it leaves the platform (the live stream, webhooks): its place in the log, what
// happened and who did it, and the subject's snapshot. Events never carry a citizen's personal data.
import type { StoredEvent } from './log.js';

export function publicEvent(e: StoredEvent) {
  const subject = e.stream === 'order' ? { orderId: e.streamId, order: e.snapshot }
    : e.stream === 'warning' ? { warningId: e.streamId, warning: e.snapshot } : { callId: e.snapshot.callId, call: e.snapshot };
  return {
    position: e.position, type: e.type, at: e.at, stream: e.stream, seq: e.seq, fromState: e.fromState, toState: e.toState,
    reason: e.reason, actor: { kind: e.actor.kind, id: e.actor.id, role: e.actor.role, unitId: e.actor.unitId }, payload: e.payload,
    ...subject,
  };
}
