// The seat (extension) the agent is signed in to, as the server keeps it: a reload keeps it.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

/** The agent's seat: its extension, state (ready, not ready with a reason, after-call work) and since when. */
export type Seat = NonNullable<Answer<'/api/v1/seats/mine', 'get'>>;

export const mySeatQuery = queryOptions({
  queryKey: ['seat', 'mine'],
  queryFn: async () => data(await api.GET('/api/v1/seats/mine')) ?? null,
});

export const useMySeat = () => useQuery(mySeatQuery);
