// Authentication (bearer session token or API key) and the route-level checks of who may call.
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { DomainError } from '../shared/errors.js';
import { actorFromApiKey, actorFromCitizenSession, actorFromSession, CITIZEN_TOKEN_PREFIX, hasRole, type Actor, type ApiScope, type Role } from '../modules/auth/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** set for authenticated requests by the onRequest hook */
    actor: Actor | null;
  }
}

/**
 * Reads the caller from `Authorization: Bearer <token>` (a staff session, or an app citizen's by its
 * prefix) or `X-API-Key: <key>`; null if neither.
 */
export async function authenticate(pool: pg.Pool, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  const apiKey = request.headers['x-api-key'];
  if (header?.startsWith('Bearer ')) {
    const token = header.slice(7).trim();
    const actor = token.startsWith(CITIZEN_TOKEN_PREFIX) ? await actorFromCitizenSession(pool, token) : await actorFromSession(pool, token);
    if (!actor) throw new DomainError('AUTH_REQUIRED');
    return actor;
  }
  if (typeof apiKey === 'string' && apiKey) {
    const actor = await actorFromApiKey(pool, apiKey.trim());
    if (!actor) throw new DomainError('AUTH_REQUIRED');
    return actor;
  }
  return null;
}

/** Who may call a route: staff with one of `roles`, or an API key with `scope` (one of them, when several). */
export interface Access {
  roles?: readonly Role[];
  scope?: ApiScope | readonly ApiScope[];
}

/** The request's actor, checked against `access`; throws AUTH_REQUIRED or AUTH_FORBIDDEN. */
export function requireActor(request: FastifyRequest, access: Access = {}): Actor {
  const actor = request.actor;
  if (!actor) throw new DomainError('AUTH_REQUIRED');
  // citizens act through their channels' own routes, never through staff routes
  if (actor.kind === 'citizen') throw new DomainError('AUTH_FORBIDDEN');
  if (actor.kind === 'api_key') {
    if (![access.scope ?? []].flat().some((scope) => actor.scopes.includes(scope))) throw new DomainError('AUTH_FORBIDDEN');
  } else if (access.roles && !hasRole(actor, ...access.roles)) {
    throw new DomainError('AUTH_FORBIDDEN');
  }
  return actor;
}

/** The app citizen making the request; AUTH_FORBIDDEN for staff and API keys (they act through their own routes). */
export function requireCitizen(request: FastifyRequest): Actor & { id: string; phone: string } {
  const actor = request.actor;
  if (!actor) throw new DomainError('AUTH_REQUIRED');
  if (actor.kind !== 'citizen' || !actor.id || !actor.phone) throw new DomainError('AUTH_FORBIDDEN');
  return actor as Actor & { id: string; phone: string };
}
