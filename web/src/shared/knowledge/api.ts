// Search of the knowledge base, shared by the knowledge workspace and the agents' form (which shows
// the articles for the caller's words beside the category suggestion).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../api/client';
import type { paths } from '../api/schema';

export type KnowledgeQuery = NonNullable<paths['/api/v1/knowledge/search']['get']['parameters']['query']>;
export type KnowledgeHit = Answer<'/api/v1/knowledge/search', 'get'>['items'][number];
/** A text and the ranges [start, end) of the words found in it. */
export interface Marked { text: string; marks: readonly (readonly number[])[] }

export function useKnowledgeSearch(query: KnowledgeQuery, enabled = true) {
  return useQuery({
    queryKey: ['knowledge', 'search', query],
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: async ({ signal }) => data(await api.GET('/api/v1/knowledge/search', { params: { query }, signal })),
  });
}
