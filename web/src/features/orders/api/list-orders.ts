import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
export interface OrderFilters {
  q?: string;
  phone?: string;
  stateGroup?: 'open' | 'closed';
  /** an area and everything in it (a district's code takes its streets and communities) */
  areaCode?: string;
  /** registered at or after, and before (ISO times) */
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  offset: number;
}

export function useOrders(filters: OrderFilters) {
  return useQuery({
    queryKey: ['orders', filters],
    queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { ...filters, q: filters.q || undefined, phone: filters.phone || undefined } } })),
    placeholderData: keepPreviousData,
  });
}
