// The service level's workbook (the definitions first, then the figures), saved as the server names it.
import { api } from '../../../shared/api/client';
import { fileNameOf, saveFile } from '../../../shared/save-file';
import type { ServiceLevelQuery } from './get-service-level';

/** Downloads the workbook of `query`; resolves with the file's name. */
export async function downloadServiceLevel(query: ServiceLevelQuery): Promise<string> {
  const { data: blob, response } = await api.GET('/api/v1/calls/service-level.xlsx', { params: { query }, parseAs: 'blob' });
  const file = fileNameOf(response, `service-level-${query.from ?? ''}-${query.to ?? ''}.xlsx`);
  saveFile(blob as Blob, file);
  return file;
}
