// The team lead's wall, now: calls waiting by queue, every signed-in seat and the call it is on, the
// service level of the last 15 minutes and of the day. Its key is under ['calls']: the live stream
// reads it again on every call answered or ended (shared/live.ts); waits grow with no event, so it
// is read again every 5 s as well, while the page is open.
import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type Wall = Answer<'/api/v1/calls/wall', 'get'>;
export type WallSeat = Wall['seats'][number];
export type Figures = Wall['today'];

/** How often the wall is read again with no event (ms). */
export const WALL_REFRESH_MS = 5_000;

export function useWall() {
  return useQuery({
    queryKey: ['calls', 'wall'],
    refetchInterval: WALL_REFRESH_MS,
    queryFn: async () => data(await api.GET('/api/v1/calls/wall')),
  });
}
