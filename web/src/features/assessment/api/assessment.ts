// The assessment's calls: a month's rankings (one or several months), the orders behind a figure,
// and the Excel workbook.
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import { fileNameOf, saveFile } from '../../../shared/save-file';

export type Assessment = Answer<'/api/v1/assessment', 'get'>;
export type UnitAssessment = Assessment['units'][number];
export type FigureName = keyof UnitAssessment['figures'];
export type RateName = keyof UnitAssessment['rates'];
export type FigureOrder = Answer<'/api/v1/assessment/units/{unitId}/orders', 'get'>['items'][number];

const monthQuery = (month: string) => ({
  queryKey: ['assessment', month],
  queryFn: async () => data(await api.GET('/api/v1/assessment', { params: { query: { month } } })),
  staleTime: 60_000,
});

export function useAssessment(month: string) {
  return useQuery({ ...monthQuery(month), placeholderData: keepPreviousData });
}

/** Several months at once, each cached on its own (the trend shares them with the ranking). */
export function useAssessments(months: readonly string[]) {
  return useQueries({ queries: months.map(monthQuery) });
}

export function useFigureOrders(month: string, unitId: string | null, figure: FigureName, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['assessment', month, 'orders', unitId, figure, page], enabled: unitId !== null, placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/assessment/units/{unitId}/orders',
      { params: { path: { unitId: unitId! }, query: { month, figure, ...page } } })),
  });
}

/** Downloads the month's workbook as the server names it. */
export async function downloadWorkbook(month: string): Promise<string> {
  const { data: blob, response } = await api.GET('/api/v1/assessment/export.xlsx', { params: { query: { month } }, parseAs: 'blob' });
  const file = fileNameOf(response, `assessment-${month}.xlsx`);
  saveFile(blob as Blob, file);
  return file;
}

