// What the agents' form reads before it can be used, fetchable without the form's code: the app
// starts it the moment a session opening on the form is known, before anything is drawn.
import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import { categoriesQuery, requestTypesQuery } from '../../../shared/api/directory';

/** The agent's own latest orders, beside the form. */
export const myRecentOrdersQuery = queryOptions({
  queryKey: ['orders', 'mine'],
  queryFn: async () => data(await api.GET('/api/v1/orders', { params: { query: { registeredBy: 'me', limit: 8 } } })),
});

/** Starts what the form reads before it is drawn: an agent just signed in has it the moment the form shows. */
export function prefetchIntake(client: QueryClient) {
  void client.prefetchQuery(categoriesQuery);
  void client.prefetchQuery(requestTypesQuery);
  void client.prefetchQuery(myRecentOrdersQuery);
}
