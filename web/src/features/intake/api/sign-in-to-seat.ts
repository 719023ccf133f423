import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import { mySeatQuery } from './get-my-seat';

/** Signs in to a seat, ready for calls (and out of any other; its previous occupant out of it). */
export function useSignInToSeat() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (seat: string) => data(await api.PUT('/api/v1/seats/mine', { body: { seat } })),
    onSuccess: (seat) => client.setQueryData(mySeatQuery.queryKey, seat),
  });
}
