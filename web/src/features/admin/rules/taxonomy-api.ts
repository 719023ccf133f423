// The category tree's calls: a version (the current one is the intake form's query), the versions,
// the edits and the import (each writes a version), and the export as a CSV file.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import { saveFile } from '../../../shared/save-file';
import type { paths } from '../../../shared/api/schema';
import { useCategories } from '../../../shared/api/directory';

export type Category = Exclude<Answer<'/api/v1/taxonomy', 'get'>, string>[number];
export type TreeVersion = Answer<'/api/v1/taxonomy/versions', 'get'>[number];
export type TreeEdit = paths['/api/v1/taxonomy/edits']['post']['requestBody']['content']['application/json']['edits'][number];

/** The tree of one version; `undefined`: the current one (the query the intake form shares). */
export function useTree(version: number | undefined) {
  const current = useCategories();
  const older = useQuery({ queryKey: ['taxonomy', 'version', version], enabled: version !== undefined, staleTime: Infinity,
    queryFn: async () => {
      const tree = data(await api.GET('/api/v1/taxonomy', { params: { query: { version } } }));
      return typeof tree === 'string' ? [] : tree;
    } });
  return version === undefined ? current : older;
}

export function useTreeVersions() {
  return useQuery({ queryKey: ['taxonomy', 'versions'], queryFn: async () => data(await api.GET('/api/v1/taxonomy/versions')) });
}

/** Every change writes a new version: the current tree, its versions and any view of them are asked again. */
export function useChangeTree() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (change: { note: string } & ({ edits: TreeEdit[] } | { csv: string })) => 'edits' in change
      ? data(await api.POST('/api/v1/taxonomy/edits', { body: change }))
      : data(await api.POST('/api/v1/taxonomy/import', { body: change })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['taxonomy'] }),
  });
}

/** Downloads the current version as CSV: asked through the client (the API needs the token), saved as a file. */
export async function downloadTreeCsv(version: number | undefined): Promise<void> {
  const csv = data(await api.GET('/api/v1/taxonomy', { params: { query: { format: 'csv', version } }, parseAs: 'text' })) as string;
  saveFile(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `categories-v${version ?? 'current'}.csv`);
}
