// Each agent's seat time (坐席工时) over Beijing days, with each figure's definition.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type SeatTime = Answer<'/api/v1/calls/seat-time', 'get'>;
export type AgentSeatTime = SeatTime['agents'][number];

export function useSeatTime(query: { from: string; to: string }) {
  return useQuery({
    queryKey: ['calls', 'seat-time', query],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/calls/seat-time', { params: { query } })),
  });
}
