// The city's reference data every workspace picks from: the category tree, the request types, the areas.
import { useQuery } from '@tanstack/react-query';
import { api, data } from './client';

export function useCategories() {
  return useQuery({ queryKey: ['taxonomy'], staleTime: 600_000, queryFn: async () => {
    const tree = data(await api.GET('/api/v1/taxonomy', {}));
    return typeof tree === 'string' ? [] : tree; // the CSV form is asked for with ?format=csv only
  } });
}

export function useRequestTypes() {
  return useQuery({ queryKey: ['request-types'], staleTime: 600_000, queryFn: async () => data(await api.GET('/api/v1/request-types')) });
}

/** The areas under one (the city's districts when none), for the place picker. */
export async function childAreas(parent: string | undefined) {
  return data(await api.GET('/api/v1/areas', { params: { query: { parent } } }));
}
