// Surveys: the list, one, writing and moving it, respondents, the outbound list and answers, results and the workbook.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';
import { fileNameOf, saveFile } from '../../../shared/save-file';

export type Survey = Answer<'/api/v1/surveys', 'get'>[number];
export type SurveyBody = paths['/api/v1/surveys']['post']['requestBody']['content']['application/json'];
export type Question = SurveyBody['questions'][number];
export type RespondentsBody = paths['/api/v1/surveys/{id}/respondents']['post']['requestBody']['content']['application/json'];
export type Results = Answer<'/api/v1/surveys/{id}/results', 'get'>;
export type QuestionResult = Results['questions'][number];
export type AnswersBody = paths['/api/v1/surveys/{id}/respondents/{respondentId}/answers']['post']['requestBody']['content']['application/json']['answers'];

export const useSurveys = () => useQuery({ queryKey: ['surveys'], queryFn: async () => data(await api.GET('/api/v1/surveys')) });

function useSurveyChange<T, R>(change: (input: T) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => client.invalidateQueries({ queryKey: ['surveys'] }) });
}

export const useSaveSurvey = () => useSurveyChange(async ({ id, body }: { id?: string; body: SurveyBody }) => (id
  ? data(await api.PUT('/api/v1/surveys/{id}', { params: { path: { id } }, body }))
  : data(await api.POST('/api/v1/surveys', { body }))));

export const useMoveSurvey = () => useSurveyChange(async ({ id, to }: { id: string; to: 'open' | 'closed' }) =>
  data(await api.POST('/api/v1/surveys/{id}/status', { params: { path: { id } }, body: { to } })));

export const useInvite = () => useSurveyChange(async (id: string) =>
  data(await api.POST('/api/v1/surveys/{id}/invitations', { params: { path: { id } } })));

export const useAddRespondents = () => useSurveyChange(async ({ id, body }: { id: string; body: RespondentsBody }) =>
  data(await api.POST('/api/v1/surveys/{id}/respondents', { params: { path: { id } }, body })));

/** A list of respondents from a file (an Excel workbook, a CSV or text file), read by the server. */
export const useUploadRespondents = () => useSurveyChange(async ({ id, file }: { id: string; file: File }) => {
  const form = new FormData();
  form.append('file', file);
  return data(await api.POST('/api/v1/surveys/{id}/respondents/file', { params: { path: { id } },
    body: form as never, bodySerializer: (body: unknown) => body as FormData }));
});

export function useToCall(id: string) {
  return useQuery({ queryKey: ['surveys', 'calls', id], queryFn: async () => data(await api.GET('/api/v1/surveys/{id}/calls', { params: { path: { id }, query: { limit: 20 } } })) });
}

export const useAnswerOutbound = () => useSurveyChange(async ({ id, respondentId, answers }: { id: string; respondentId: string; answers: AnswersBody }) => {
  await api.POST('/api/v1/surveys/{id}/respondents/{respondentId}/answers', { params: { path: { id, respondentId } }, body: { answers } });
});

export function useResults(id: string, by: string | undefined) {
  return useQuery({ queryKey: ['surveys', 'results', id, by], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/surveys/{id}/results', { params: { path: { id }, query: { by } } })) });
}

export async function downloadResults(id: string): Promise<string> {
  const { data: blob, response } = await api.GET('/api/v1/surveys/{id}/results.xlsx', { params: { path: { id } }, parseAs: 'blob' });
  const file = fileNameOf(response, `survey-${id.slice(0, 8)}.xlsx`);
  saveFile(blob as Blob, file);
  return file;
}
