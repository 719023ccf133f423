import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

export type SmsOfOrder = Answer<'/api/v1/orders/{id}/sms', 'get'>[number];

/** What the hotline told the citizen by SMS about the order (tracking number, reply notice, survey). */
export function useSmsOfOrder(orderId: string) {
  return useQuery({
    queryKey: ['order', orderId, 'sms'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/sms', { params: { path: { id: orderId } } })),
  });
}
