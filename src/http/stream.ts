// The live event stream (Server-Sent Events) and its tickets.
//
// GET /api/v1/events/stream sends every event of the log that the caller may see, as it is
// committed in any process of the deployment (each process reads the log when PostgreSQL's NOTIFY
// wakes it). Scoped as the REST reads are: the hotline sees its city, a unit the orders it or a
// unit under it was assigned. Events never carry a citizen's personal data. Each message's id is
// the event's position in the log: a client that reconnects with Last-Event-ID (or ?lastEventId=)
// gets what it missed from the log itself, then the live events. Heartbeats every
// STREAM_HEARTBEAT_SECONDS keep proxies from closing the connection, and re-check the caller: the
// stream ends when the session does.
//
// Authentication: a browser's EventSource cannot send headers, so it first exchanges its session
// for a ticket (POST /api/v1/events/tickets, 60 s, reusable by a reconnecting EventSource, never
// outliving the session) and opens the stream with ?ticket=…. Other clients may send the usual
// `Authorization: Bearer` or `X-API-Key` header instead.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from './context.js';
import { requireActor } from './auth.js';
import { responses, Secured } from './schemas.js';
import { DomainError } from '../shared/errors.js';
import {
  actorFromApiKey, actorFromSession, actorFromStreamTicket, sameRights, HOTLINE_ROLES, issueStreamTicket, STREAM_TICKET_SECONDS, UNIT_ROLES, type Actor,
} from '../modules/auth/index.js';
import { cursorAt, isAfter, LiveFeed, publicEvent, readAfter, type Cursor, type StoredEvent } from '../modules/events/index.js';
import { maySeeEvent } from '../modules/orders/index.js';
import { maySeeWarningEvent } from '../modules/analytics/index.js';
import { maySeeCallEvent } from '../modules/calls/index.js';

/** A client further behind than this gets `reset` (refetch what you show) instead of a replay. */
const MAX_REPLAY = 10_000;
/** A client that reads this slowly (bytes waiting in its socket) is cut off; it reconnects and catches up. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const READERS = { roles: [...HOTLINE_ROLES, ...UNIT_ROLES], scope: 'orders:read' as const };

/** An event as the stream sends it: an order's (orderId, order) or an early warning's (warningId, warning). */
function message(e: StoredEvent): string {
  return `id: ${e.position}\nevent: ${e.type}\ndata: ${JSON.stringify(publicEvent(e))}\n\n`;
}

const StreamQuery = Type.Object({
  ticket: Type.Optional(Type.String({ minLength: 10, maxLength: 100, description: 'from POST /events/tickets (browsers)' })),
  lastEventId: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'resume after this event (as the Last-Event-ID header)' })),
}, { additionalProperties: false });

const EventStreamOut = {
  description: 'text/event-stream: `id` (the event\'s position), `event` (its type, see docs/events.md) and `data` (JSON: position, type, ' +
    'at, stream, seq, fromState, toState, reason, actor, payload, and orderId with order (the snapshot) for an order\'s event, ' +
    'warningId with warning for an early warning\'s, callId with call for a call\'s (to the agent at its seat and team leads)); `event: reset` when the client is too far ' +
    'behind to catch up (refetch what you show); comments (`: ping`) as heartbeats.',
  content: { 'text/event-stream': { schema: Type.String() } },
};

/** Who the stream is for, and how to tell that they still may listen. */
async function streamCaller(ctx: AppContext, request: FastifyRequest, ticket: string | undefined):
  Promise<{ actor: Actor; stillValid: () => Promise<boolean> }> {
  if (!request.actor && ticket) {
    const found = await actorFromStreamTicket(ctx.db.pool, ticket);
    if (!found) throw new DomainError('AUTH_REQUIRED');
    request.actor = found.actor;
    requireActor(request, READERS);
    return found;
  }
  const actor = requireActor(request, READERS);
  const header = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  const stillValid = header?.startsWith('Bearer ')
    ? async () => sameRights(actor, await actorFromSession(ctx.db.pool, header.slice(7).trim()))
    : async () => typeof apiKey === 'string' && sameRights(actor, await actorFromApiKey(ctx.db.pool, apiKey.trim()));
  return { actor, stillValid };
}

/**
 * The stream's routes. `feed` is the process's live feed (started with the background work); an app
 * built without one (the CLI's, a test's) starts its own at the first connection and stops it on close.
 */
export async function streamRoutes(fastify: FastifyInstance, ctx: AppContext & { feed: LiveFeed | undefined }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = ctx;
  let own: Promise<LiveFeed> | null = null;
  const liveFeed = (): Promise<LiveFeed> => (ctx.feed ? Promise.resolve(ctx.feed) : (own ??= LiveFeed.start(db.pool, {
    wake: (f) => db.listen('minsheng_events', f), pollMs: 1000, log: (error) => app.log.error(error) })));
  const open = new Set<FastifyReply>();
  app.addHook('onClose', async () => {
    for (const reply of open) reply.raw.end();
    if (own) await (await own).stop();
  });

  app.post('/events/tickets', {
    schema: { tags: ['events'], summary: 'A ticket to open the live event stream from a browser (EventSource cannot send headers)',
      description: `Good for ${STREAM_TICKET_SECONDS} s (a reconnecting EventSource may reuse it); it never outlives the session.`,
      security: Secured, response: responses({ 201: Type.Object({ ticket: Type.String(), expiresAt: Type.String({ format: 'date-time' }),
        url: Type.String({ description: 'the stream URL with the ticket' }) }) }) },
  }, async (req, reply) => {
    const actor = requireActor(req, READERS);
    const header = req.headers.authorization;
    if (actor.kind !== 'staff' || !header?.startsWith('Bearer ')) {
      throw new DomainError('AUTH_FORBIDDEN'); // API clients send their key to the stream itself
    }
    const issued = await issueStreamTicket(db.pool, header.slice(7).trim(), actor);
    return reply.status(201).send({ ...issued, url: `/api/v1/events/stream?ticket=${encodeURIComponent(issued.ticket)}` });
  });

  app.get('/events/stream', {
    schema: { tags: ['events'], summary: 'Live events the caller may see (Server-Sent Events), resumable with Last-Event-ID',
      description: 'Authenticate with ?ticket= (browsers; POST /events/tickets) or an Authorization / X-API-Key header. ' +
        'Scoped like the order lists: the hotline sees its city, a unit the orders it (or a unit under it) was assigned; early warnings go to the hotline (and city-wide API keys).',
      security: Secured, querystring: StreamQuery, response: { ...responses({}, 404), 200: EventStreamOut } },
  }, async (req, reply) => {
    const caller = await streamCaller(ctx, req, req.query.ticket);
    const feed = await liveFeed();
    const lastId = req.query.lastEventId ?? (req.headers['last-event-id'] as string | undefined);
    if (lastId !== undefined && !/^[0-9]{1,15}$/.test(lastId)) throw new DomainError('VALIDATION_FAILED', { detail: { zh: 'Last-Event-ID 须为事件位置（数字）', en: 'Last-Event-ID is a position' } });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no' });
    open.add(reply);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open.delete(reply);
      unsubscribe();
      clearInterval(heartbeat);
      res.end();
    };
    const send = (events: StoredEvent[], after: Cursor | null) => {
      let chunk = '';
      for (const e of events) if ((!after || isAfter(e, after)) && (maySeeEvent(caller.actor, e) || maySeeWarningEvent(caller.actor, e) || maySeeCallEvent(caller.actor, e))) chunk += message(e);
      if (chunk) res.write(chunk);
      if (res.writableLength > MAX_BUFFERED_BYTES) close();
    };
    // live events are held while the log is replayed, then sent after what the replay sent
    let replayed: Cursor | null = null;
    let held: StoredEvent[] | null = lastId !== undefined ? [] : null;
    const unsubscribe = feed.subscribe((events) => (held ? held.push(...events) : send(events, replayed)));
    const heartbeat = setInterval(() => {
      res.write(`: ping ${new Date().toISOString()}\n\n`);
      caller.stillValid().then((valid) => {
        if (!valid) {
          res.write('event: end\ndata: {"reason":"session ended"}\n\n');
          close();
        }
      }, () => undefined);
    }, ctx.config.streamHeartbeatSeconds * 1000);
    req.raw.on('close', close);
    res.write(`retry: 3000\n: connected at ${new Date().toISOString()}\n\n`);

    if (held) {
      try {
        replayed = await replay(lastId!, (events) => send(events, null));
      } catch (error) {
        req.log.error(error);
        close();
        return;
      }
      const pending = held;
      held = null;
      send(pending, replayed);
    }

    async function replay(position: string, deliver: (events: StoredEvent[]) => void): Promise<Cursor | null> {
      let cursor = await cursorAt(db.pool, Number(position));
      if (!cursor) {
        res.write('event: reset\ndata: {"reason":"unknown Last-Event-ID"}\n\n');
        return null;
      }
      for (let sent = 0; !closed;) {
        const events = await readAfter(db.pool, cursor, 1000);
        if (events.length === 0) break;
        sent += events.length;
        if (sent > MAX_REPLAY) {
          res.write(`event: reset\ndata: {"reason":"more than ${MAX_REPLAY} events behind"}\n\n`);
          return feed.position;
        }
        deliver(events);
        cursor = events.at(-1)!;
      }
      return cursor;
    }
  });
}
