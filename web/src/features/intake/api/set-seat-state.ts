import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';
import { mySeatQuery } from './get-my-seat';

export type SeatStateBody = paths['/api/v1/seats/mine']['patch']['requestBody']['content']['application/json'];

/** Ready, not ready (with a reason) or after-call work. */
export function useSetSeatState() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SeatStateBody) => data(await api.PATCH('/api/v1/seats/mine', { body })),
    onSuccess: (seat) => client.setQueryData(mySeatQuery.queryKey, seat),
  });
}
