import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import type { DrillFilter } from '../../../shared/orders/drill';
export interface OrderFilters extends DrillFilter {
  q?: string;
  phone?: string;
  stateGroup?: 'open' | 'closed';
  /** registered at or after, and before (ISO times) */
  createdFrom?: string;
  createdTo?: string;
  limit: number;
  offset: number;
}

export function useOrders(filters: OrderFilters, enabled = true) {
  return useQuery({
    queryKey: ['orders', filters], enabled,
    queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { ...filters, q: filters.q || undefined, phone: filters.phone || undefined } } })),
    placeholderData: keepPreviousData,
  });
}
