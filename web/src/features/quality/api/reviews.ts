// A month's samples and their reviews: the list, drawing more, scoring one; each agent's month; one's own reviews.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type ReviewQuery = NonNullable<paths['/api/v1/quality/reviews']['get']['parameters']['query']>;
export type Review = Answer<'/api/v1/quality/reviews', 'get'>['items'][number];
export type DrawBody = paths['/api/v1/quality/draws']['post']['requestBody']['content']['application/json'];
export type Drawn = Answer<'/api/v1/quality/draws', 'post'>;
export type ScoreBody = paths['/api/v1/quality/reviews/{reviewId}']['put']['requestBody']['content']['application/json'];
export type AgentScore = Answer<'/api/v1/quality/scores', 'get'>['agents'][number];

export function useReviews(query: ReviewQuery) {
  return useQuery({
    queryKey: ['quality', 'reviews', query],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/quality/reviews', { params: { query } })),
  });
}

/** Draws samples; the lists and the scores are read again. */
export function useDraw() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: DrawBody) => data(await api.POST('/api/v1/quality/draws', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['quality'] }),
  });
}

export function useScoreReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ reviewId, body }: { reviewId: string; body: ScoreBody }) =>
      data(await api.PUT('/api/v1/quality/reviews/{reviewId}', { params: { path: { reviewId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['quality'] }),
  });
}

export function useAgentScores(month: string) {
  return useQuery({
    queryKey: ['quality', 'scores', month],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/quality/scores', { params: { query: { month } } })),
  });
}

export function useMyReviews(month: string) {
  return useQuery({
    queryKey: ['quality', 'mine', month],
    placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/quality/reviews/mine', { params: { query: { month } } })),
  });
}
