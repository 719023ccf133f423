import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type RegisterBody = paths['/api/v1/orders']['post']['requestBody']['content']['application/json'];

export function useRegisterOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: RegisterBody) => data(await api.POST('/api/v1/orders', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['orders'] }),
  });
}
