// In-process publication of order events, after their transaction commits: later modules
// (deadlines, analytics, real-time dashboards) subscribe here.
import { EventEmitter } from 'node:events';

export interface PublishedOrderEvent {
  type: string;
  orderId: string;
  cityCode: string;
  seq: number;
  at: string;
  fromState: string | null;
  toState: string;
}

const bus = new EventEmitter();
bus.setMaxListeners(100);

/** Calls `listener` for every committed order event; returns the unsubscribe function. */
export function onOrderEvent(listener: (event: PublishedOrderEvent) => void): () => void {
  bus.on('event', listener);
  return () => bus.off('event', listener);
}

export function publishOrderEvents(events: PublishedOrderEvent[]): void {
  for (const event of events) bus.emit('event', event);
}
