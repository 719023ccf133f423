// One call with its events (the read of the caller's full number is audited: asked when a row is opened).
import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type CallDetail = Answer<'/api/v1/calls/{callId}', 'get'>;

export function useCall(callId: string | null) {
  return useQuery({
    queryKey: ['calls', 'one', callId],
    enabled: callId !== null,
    queryFn: async () => data(await api.GET('/api/v1/calls/{callId}', { params: { path: { callId: callId! } } })),
  });
}
