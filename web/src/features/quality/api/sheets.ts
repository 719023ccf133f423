// The scoring sheets (质检评分表): the active ones first; a new one (retiring the one it replaces); retiring one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type Sheet = Answer<'/api/v1/quality/sheets', 'get'>[number];
export type SheetBody = paths['/api/v1/quality/sheets']['post']['requestBody']['content']['application/json'];

export function useSheets() {
  return useQuery({ queryKey: ['quality', 'sheets'], queryFn: async () => data(await api.GET('/api/v1/quality/sheets')) });
}

export function useCreateSheet() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: SheetBody) => data(await api.POST('/api/v1/quality/sheets', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['quality', 'sheets'] }),
  });
}

export function useRetireSheet() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (sheetId: string) => data(await api.POST('/api/v1/quality/sheets/{sheetId}/retire', { params: { path: { sheetId } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['quality', 'sheets'] }),
  });
}
