import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type MessageOfOrder = Answer<'/api/v1/orders/{id}/messages', 'get'>[number];

/** What the hotline told the citizen about the order by SMS, WeChat or Weibo (tracking number, answer notice, survey). */
export function useMessagesOfOrder(orderId: string) {
  return useQuery({
    queryKey: ['order', orderId, 'messages'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/messages', { params: { path: { id: orderId } } })),
  });
}
