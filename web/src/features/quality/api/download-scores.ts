// The month's quality review as a workbook (the agents' scores, then every scored review), saved as the server names it.
import { api } from '../../../shared/api/client';
import { fileNameOf, saveFile } from '../../../shared/save-file';

/** Downloads the workbook of `month`; resolves with the file's name. */
export async function downloadScores(month: string): Promise<string> {
  const { data: blob, response } = await api.GET('/api/v1/quality/scores.xlsx', { params: { query: { month } }, parseAs: 'blob' });
  const file = fileNameOf(response, `quality-${month}.xlsx`);
  saveFile(blob as Blob, file);
  return file;
}
