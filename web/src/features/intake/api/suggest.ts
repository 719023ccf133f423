import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../../shared/api/client';

/** The classifier's suggestion for the text as typed (nothing stored): asked as the text changes (React defers it behind the typing), the question before aborted. */
export function useSuggestion(title: string, text: string, areaCode: string | undefined) {
  return useQuery({
    queryKey: ['suggestion', title, text, areaCode],
    enabled: text.trim().length >= 4,
    queryFn: async ({ signal }) => data(await api.POST('/api/v1/classify/suggest', { body: { title, text, areaCode }, signal })),
    staleTime: 60_000,
  });
}
