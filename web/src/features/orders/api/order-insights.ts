// What is known around an order: its deadlines round by round, the classifier's suggestion and the
// agent's choice, the orders most like it, and its citizen's other requests across channels. The
// suggestion and the similar orders are asked for by the roles that may read them only; for the
// rest, a refusal is taken as "not for you" and the page leaves the panel out.
import { useQuery } from '@tanstack/react-query';
import { useHasRole } from '../../../app/session';
import { api, ApiError, data, type Answer } from '../../../shared/api/client';

export type Round = Answer<'/api/v1/orders/{id}/deadlines', 'get'>[number];
export type Suggestion = Answer<'/api/v1/orders/{id}/suggestion', 'get'>;
export type CitizenHistory = Answer<'/api/v1/orders/{id}/citizen-history', 'get'>;

/** A refusal that means "nothing here for this user" rather than a failure to show. */
export function isAbsent(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

export function useDeadlines(id: string) {
  return useQuery({ queryKey: ['order', id, 'deadlines'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/deadlines', { params: { path: { id } } })) });
}

/**
 * Who reads an order's suggestion and similar orders: the intake's roles, as the API says
 * (src/modules/classify/routes.ts). Others are not asked for them, rather than refused.
 */
const INTAKE_ROLES = ['agent', 'lead', 'dispatcher'];

export function useSuggestion(id: string) {
  return useQuery({ queryKey: ['order', id, 'suggestion'], enabled: useHasRole(...INTAKE_ROLES),
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/suggestion', { params: { path: { id } } })) });
}

export function useSimilar(id: string) {
  return useQuery({ queryKey: ['order', id, 'similar'], enabled: useHasRole(...INTAKE_ROLES),
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/similar', { params: { path: { id }, query: { limit: 8 } } })) });
}

export function useCitizenHistory(id: string) {
  return useQuery({ queryKey: ['order', id, 'citizen-history'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/citizen-history', { params: { path: { id }, query: { limit: 10 } } })) });
}
