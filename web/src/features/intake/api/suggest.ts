import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';

/** Whether a text is long enough to be suggested for (shorter ones get no suggestion). */
export const suggestible = (text: string) => text.trim().length >= 4;

export type Suggestion = Answer<'/api/v1/classify/suggest', 'post'>;

/**
 * The classifier's suggestion for the text as typed (nothing stored): asked at each change, the
 * question before aborted; the last suggestion stays until the next arrives (no flicker while typing).
 */
export function useSuggestion(title: string, text: string, areaCode: string | undefined) {
  return useQuery({ ...suggestionQuery(title, text, areaCode), enabled: suggestible(text), placeholderData: keepPreviousData });
}

/** The suggestion for exactly this text and place (the one a registration files under, not the last one drawn). */
export function suggestionQuery(title: string, text: string, areaCode: string | undefined) {
  return queryOptions({
    queryKey: ['suggestion', title, text, areaCode],
    queryFn: async ({ signal }) => data(await api.POST('/api/v1/classify/suggest', { body: { title, text, areaCode }, signal })),
    staleTime: 60_000,
  });
}
