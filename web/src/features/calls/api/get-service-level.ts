// The service level of a period (Beijing dates, both included), in all and by hour, day, queue or
// seat, with each figure's definition.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type ServiceLevelQuery = NonNullable<paths['/api/v1/calls/service-level']['get']['parameters']['query']>;
export type ServiceLevel = Answer<'/api/v1/calls/service-level', 'get'>;
export type ServiceLevelRow = ServiceLevel['rows'][number];
export type FigureName = keyof ServiceLevel['definitions'];

export function useServiceLevel(query: ServiceLevelQuery) {
  return useQuery({
    queryKey: ['calls', 'service-level', query],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/calls/service-level', { params: { query } })),
  });
}
