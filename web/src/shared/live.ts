// The live stream (Server-Sent Events) feeding the cache: a change to an order the user may see
// makes the lists and that order read again, so an inbox fills without a reload or polling; an
// early warning raised, joined or handled makes the warnings read again. The leadership screen's
// figures follow too, at most once every few seconds: they come from rollups the server updates
// just after the change, and a busy hour brings several orders a second. A call answered at the
// agent's seat becomes their current call (calls/current-call.ts), its caller's profile fetched at once.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, data } from './api/client';
import { callAnswered, callEnded, callerQuery, popsFor, type CallEventData } from './calls/current-call';

/** `staffId`: the signed-in user, whose calls (answered at the seat they are signed in to) pop up. */
export function useLiveOrders(enabled = true, staffId?: string | null): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let closed = false;
    let screenDue: ReturnType<typeof setTimeout> | null = null;
    const refreshScreen = () => {
      screenDue ??= setTimeout(() => {
        screenDue = null;
        void client.invalidateQueries({ queryKey: ['screen'] });
      }, SCREEN_DELAY_MS);
    };
    const open = async () => {
      // EventSource cannot send a header: a short-lived ticket stands for the session
      const { url } = data(await api.POST('/api/v1/events/tickets'));
      if (closed) return;
      source = new EventSource(url);
      // what changed before the stream opened is read again: on the first open, what changed between
      // the lists' first read and now (an order dispatched meanwhile); on a new ticket, what changed
      // while the stream was down (a reconnection of its own resumes by Last-Event-ID, and reads
      // again only what is on screen)
      source.onopen = () => void client.invalidateQueries({ queryKey: ['orders'] }).then(() => client.invalidateQueries({ queryKey: ['inbox'] }));
      // EventSource reconnects by itself with the same URL, but a ticket lasts 60 s: once the stream is
      // closed for good (the server refused the old ticket), ask for a new ticket and open it again
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED && !closed) setTimeout(() => void open().catch(() => undefined), 2_000);
      };
      const changed = (event: MessageEvent<string>) => {
        const { orderId } = JSON.parse(event.data) as { orderId?: string };
        void client.invalidateQueries({ queryKey: ['inbox'] });
        void client.invalidateQueries({ queryKey: ['orders'] });
        if (orderId) void client.invalidateQueries({ queryKey: ['order', orderId] });
        refreshScreen();
      };
      // every event type of the log arrives under its own name (order.dispatched…)
      for (const type of EVENT_TYPES) source.addEventListener(type, changed);
      const warned = () => {
        void client.invalidateQueries({ queryKey: ['warnings'] });
        refreshScreen();
      };
      for (const type of WARNING_EVENT_TYPES) source.addEventListener(type, warned);
      source.addEventListener('call.answered', (event: MessageEvent<string>) => {
        const arrivedAt = performance.now(); // the screen-pop's clock starts as the event arrives
        const call = JSON.parse(event.data) as CallEventData;
        if (popsFor(call, staffId)) {
          performance.mark('call.answered', { startTime: arrivedAt, detail: call.callId });
          void client.prefetchQuery(callerQuery(call.callId)); // asked before anything draws
          callAnswered(call, arrivedAt);
        }
        void client.invalidateQueries({ queryKey: ['calls'] });
      });
      source.addEventListener('call.ended', (event: MessageEvent<string>) => {
        callEnded(JSON.parse(event.data) as CallEventData);
        void client.invalidateQueries({ queryKey: ['calls'] });
      });
    };
    open().catch(() => undefined);
    return () => {
      closed = true;
      if (screenDue) clearTimeout(screenDue);
      source?.close();
    };
  }, [client, enabled, staffId]);
}

/** How long after a change the screen reads its figures again (what comes meanwhile waits with it). */
const SCREEN_DELAY_MS = 2_000;

// the order events of the log (src/modules/events/catalog.ts; src/http/web.test.ts checks the two agree)
export const EVENT_TYPES = ['order.answered_directly', 'order.archived', 'order.cancelled', 'order.clock_paused', 'order.clock_resumed',
  'order.closed', 'order.co_replied', 'order.deadline_warning', 'order.dispatched', 'order.duplicate_merged', 'order.escalated',
  'order.extension_approved', 'order.extension_denied', 'order.extension_requested', 'order.merged', 'order.overdue', 'order.passed_down',
  'order.registered', 'order.reopened', 'order.replied', 'order.return_rejected', 'order.returned', 'order.signed', 'order.supplemented',
  'order.updated', 'order.urged', 'order.visit_attempted', 'order.visit_recorded', 'order.visited'];

// the early warnings' events of the log (the same test checks them)
export const WARNING_EVENT_TYPES = ['warning.acknowledged', 'warning.closed', 'warning.raised', 'warning.report_joined'];
