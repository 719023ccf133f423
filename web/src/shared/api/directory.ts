// The city's reference data every workspace picks from: the category tree, the request types, the areas.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, data } from './client';

/** The category tree, as a query a page may also start before it is drawn. */
export const categoriesQuery = queryOptions({ queryKey: ['taxonomy'], staleTime: 600_000, queryFn: async () => {
  const tree = data(await api.GET('/api/v1/taxonomy', {}));
  return typeof tree === 'string' ? [] : tree; // the CSV form is asked for with ?format=csv only
} });

export const requestTypesQuery = queryOptions({ queryKey: ['request-types'], staleTime: 600_000,
  queryFn: async () => data(await api.GET('/api/v1/request-types')) });

export const useCategories = () => useQuery(categoriesQuery);
export const useRequestTypes = () => useQuery(requestTypesQuery);

/** The areas under one (the city's districts when none), for the place picker. */
export async function childAreas(parent: string | undefined) {
  return data(await api.GET('/api/v1/areas', { params: { query: { parent } } }));
}
