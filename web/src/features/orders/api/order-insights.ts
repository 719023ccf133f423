// What is known around an order: its deadlines round by round, the classifier's suggestion and the
// agent's choice, and the orders most like it. Roles that may not read one get a refusal, which the
// page takes as "not for you" and leaves the panel out.
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, data, type Answer } from '../../../shared/api/client';

export type Round = Answer<'/api/v1/orders/{id}/deadlines', 'get'>[number];
export type Suggestion = Answer<'/api/v1/orders/{id}/suggestion', 'get'>;

/** A refusal that means "nothing here for this user" rather than a failure to show. */
export function isAbsent(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

export function useDeadlines(id: string) {
  return useQuery({ queryKey: ['order', id, 'deadlines'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/deadlines', { params: { path: { id } } })) });
}

export function useSuggestion(id: string) {
  return useQuery({ queryKey: ['order', id, 'suggestion'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/suggestion', { params: { path: { id } } })) });
}

export function useSimilar(id: string) {
  return useQuery({ queryKey: ['order', id, 'similar'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/similar', { params: { path: { id }, query: { limit: 8 } } })) });
}
