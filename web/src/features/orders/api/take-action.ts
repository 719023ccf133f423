import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

type ActionRoute = paths['/api/v1/orders/{id}/actions/{action}']['post'];
export type OrderAction = ActionRoute['parameters']['path']['action'];
export type ActionBody = NonNullable<ActionRoute['requestBody']>['content']['application/json'];

/** Takes a lifecycle action; the order, the lists and the inbox are read again. */
export function useTakeAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, body }: { action: OrderAction; body: ActionBody }) =>
      data(await api.POST('/api/v1/orders/{id}/actions/{action}', { params: { path: { id, action } }, body })),
    onSuccess: async () => {
      await Promise.all([client.invalidateQueries({ queryKey: ['order', id] }), client.invalidateQueries({ queryKey: ['orders'] }),
        client.invalidateQueries({ queryKey: ['inbox'] })]);
    },
  });
}
