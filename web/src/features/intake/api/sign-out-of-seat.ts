import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api/client';
import { mySeatQuery } from './get-my-seat';

/** Signs out of the seat: its calls no longer pop up here. */
export function useSignOutOfSeat() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => { await api.DELETE('/api/v1/seats/mine'); },
    onSuccess: () => client.setQueryData(mySeatQuery.queryKey, null),
  });
}
