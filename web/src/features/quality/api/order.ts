// The order a sample is about, as the reviewer reads it beside the scores (its whole history opens in a tab of its own).
import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type ReviewedOrder = Answer<'/api/v1/orders/{id}', 'get'>;

export function useReviewedOrder(orderId: string | null) {
  return useQuery({
    queryKey: ['order', orderId], // the order page's key: one read serves both
    enabled: orderId !== null,
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}', { params: { path: { id: orderId! } } })),
  });
}
