import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type OrderDetail = Answer<'/api/v1/orders/{id}', 'get'>;

export function useOrder(id: string) {
  return useQuery({
    queryKey: ['order', id],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}', { params: { path: { id } } })),
  });
}
