// The leadership screen's reads. Every key starts with 'screen': the live stream refreshes them all
// a few seconds after orders change (src/shared/live.ts), and each is read again every minute besides.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../../shared/api/client';
import type { Span, TopOrder } from '../../api/analytics';

const live = { refetchInterval: 60_000, placeholderData: keepPreviousData, staleTime: 2_000 };

export type Today = Answer<'/api/v1/analytics/today', 'get'>;

export function useToday() {
  return useQuery({ ...live, queryKey: ['screen', 'today'], queryFn: async () => data(await api.GET('/api/v1/analytics/today')) });
}

export function useScreenOverview(span: Span) {
  return useQuery({ ...live, queryKey: ['screen', 'overview', span],
    queryFn: async () => data(await api.GET('/api/v1/analytics/overview', { params: { query: span } })) });
}

export function useScreenTop(span: Span, dim: 'district' | 'unit' | 'category1', limit: number, order: TopOrder = 'orders') {
  return useQuery({ ...live, queryKey: ['screen', 'top', span, dim, limit, order],
    queryFn: async () => data(await api.GET('/api/v1/analytics/top', { params: { query: { ...span, dim, limit, order } } })) });
}

export function useScreenTrend(span: Span) {
  return useQuery({ ...live, queryKey: ['screen', 'trend', span],
    queryFn: async () => data(await api.GET('/api/v1/analytics/trend', { params: { query: { ...span, dim: 'all', grain: 'day' } } })) });
}

export function useScreenTopics() {
  return useQuery({ ...live, queryKey: ['screen', 'hot-topics'],
    queryFn: async () => data(await api.GET('/api/v1/analytics/hot-topics', { params: { query: { hours: 24, order: 'recent', limit: 100 } } })) });
}

/** The surveys open now (民意调查), with how many have answered. */
export function useOpenSurveys() {
  return useQuery({ ...live, queryKey: ['screen', 'surveys'],
    queryFn: async () => data(await api.GET('/api/v1/surveys')).filter((s) => s.status === 'open') });
}

export type ScreenWarning = Answer<'/api/v1/warnings', 'get'>['items'][number];

/** The warnings not yet closed: open (待确认) and acknowledged (已确认). */
export function useActiveWarnings() {
  return useQuery({ ...live, queryKey: ['screen', 'warnings'],
    queryFn: async () => data(await api.GET('/api/v1/warnings', { params: { query: { status: ['open', 'acknowledged'], limit: 4 } } })) });
}

export type TopicOrders = Answer<'/api/v1/analytics/hot-topics/{id}/orders', 'get'>;

export function useTopicOrders(id: string | null) {
  return useQuery({ queryKey: ['screen', 'topic', id], enabled: id !== null,
    queryFn: async () => data(await api.GET('/api/v1/analytics/hot-topics/{id}/orders', { params: { path: { id: id! }, query: { limit: 100 } } })) });
}
