// The one client of the API, typed by schema.d.ts (generated from /openapi.json). Every call sends
// the session's token and the interface language; every refusal becomes an ApiError whose message
// is the server's, in that language.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
/** The JSON answer of a route (its 200 or 201): `Answer<'/api/v1/auth/me', 'get'>`. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> =
  paths[P][M] extends { responses: infer R } ? (R extends { 200: infer A } ? Json<A> : R extends { 201: infer B } ? Json<B> : never) : never;

/** A refusal by the API: its stable code and its message in the user's language. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let token: string | null = null;
let language = 'zh';
let onUnauthorized: () => void = () => undefined;

export function setToken(next: string | null): void {
  token = next;
}
export function setLanguage(next: string): void {
  language = next;
}
/** What to do when the session has ended (a 401 on a call made with a token). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

const session: Middleware = {
  onRequest({ request }) {
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    request.headers.set('accept-language', language === 'en' ? 'en' : 'zh-CN');
    return request;
  },
  async onResponse({ response }) {
    if (response.ok) return response;
    const body = await response.clone().json().catch(() => null) as { error?: { code: string; message: string } } | null;
    if (response.status === 401 && token) onUnauthorized();
    throw new ApiError(response.status, body?.error?.code ?? 'HTTP_' + response.status, body?.error?.message ?? response.statusText);
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(session);

/** The data of a call that succeeded (a refusal has already thrown an ApiError). */
export function data<T>(result: { data?: T }): T {
  return result.data as T;
}
