// The hook that counts each message a route takes in for a channel (counts.ts), by what became of it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { countMessage } from './counts.js';

/** Refusals answered in another format than the API's (Open311's), by request: their error code. */
const noted = new WeakMap<FastifyRequest, string>();

/** Records the error code of a refusal whose body does not carry it, for the channel's counters. */
export function noteRefusal(request: FastifyRequest, code: string): void {
  noted.set(request, code);
}

/** The error code of a refusal's body ({ error: { code } }), or INTERNAL. */
function refusalCode(payload: unknown): string {
  try {
    return (JSON.parse(String(payload)) as { error?: { code?: string } }).error?.code ?? 'INTERNAL';
  } catch {
    return 'INTERNAL';
  }
}

/**
 * An onSend hook counting each answer of the route for the channel `channelOf` names (201 accepted,
 * another 2xx a duplicate delivery, else refused with its error code; a request naming no valid
 * channel is not counted), as the answer is sent. A refusal is logged; a failure to count is logged
 * and never fails the answer.
 */
export function countedAs(pool: pg.Pool, cityCode: string, channelOf: (request: FastifyRequest) => unknown) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const channel = channelOf(request);
    if (typeof channel !== 'string' || !/^[a-z][a-z0-9_]{1,31}$/.test(channel)) return payload;
    const status = reply.statusCode;
    const outcome = status === 201 ? 'accepted' : status < 300 ? 'duplicate' : 'refused';
    const code = outcome === 'refused' ? noted.get(request) ?? refusalCode(payload) : '';
    if (outcome === 'refused') request.log.warn({ channel, status, code }, 'channel message refused');
    await countMessage(pool, cityCode, channel, outcome, code).catch((error: unknown) => request.log.error({ err: error, channel }, 'channel count failed'));
    return payload;
  };
}
