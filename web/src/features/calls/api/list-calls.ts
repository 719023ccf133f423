// The city's calls, newest first, filtered and paged; the live stream reads them again as calls change.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type CallFilters = NonNullable<paths['/api/v1/calls']['get']['parameters']['query']>;
export type CallRow = Answer<'/api/v1/calls', 'get'>['items'][number];

export function useCalls(filters: CallFilters) {
  return useQuery({
    queryKey: ['calls', 'list', filters],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/calls', { params: { query: filters } })),
  });
}
