// The analysis calls: a period's figures (with 环比 and 同比), a trend by one dimension, a ranking.
// The server scopes each by the reader: the city, or the reader's unit and those below it.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';
import { fileNameOf, saveFile } from '../../../shared/save-file';

export type Overview = Answer<'/api/v1/analytics/overview', 'get'>;
export type Figures = Overview['current'];
export type Trend = Answer<'/api/v1/analytics/trend', 'get'>;
export type Top = Answer<'/api/v1/analytics/top', 'get'>;
export type TopItem = Top['items'][number];
export type Dimension = Top['dim'];
export type RateName = keyof Figures['rates'];
export interface Span { from: string; to: string }
export type TopOrder = NonNullable<NonNullable<NonNullable<paths['/api/v1/analytics/top']['get']['parameters']['query']>['order']>>;

const cached = { staleTime: 60_000, placeholderData: keepPreviousData };

export function useOverview(span: Span) {
  return useQuery({ ...cached, queryKey: ['analytics', 'overview', span],
    queryFn: async () => data(await api.GET('/api/v1/analytics/overview', { params: { query: span } })) });
}

export function useTrend(span: Span, dim: Dimension, grain: 'day' | 'month' | 'year', limit = 8) {
  return useQuery({ ...cached, queryKey: ['analytics', 'trend', span, dim, grain, limit],
    queryFn: async () => data(await api.GET('/api/v1/analytics/trend', { params: { query: { ...span, dim, grain, limit } } })) });
}

export function useTop(span: Span, dim: Dimension, limit: number, order: TopOrder = 'orders') {
  return useQuery({ ...cached, queryKey: ['analytics', 'top', span, dim, limit, order],
    queryFn: async () => data(await api.GET('/api/v1/analytics/top', { params: { query: { ...span, dim, limit, order } } })) });
}

/** A trend's grain for a span: by day up to two months, by month beyond. */
export const grainOf = (span: Span) => ((Date.parse(span.to) - Date.parse(span.from)) / 86_400_000 < 62 ? 'day' : 'month');

export type Callers = Answer<'/api/v1/analytics/callers', 'get'>;
export type CallerGroup = Callers['groups'][number];

export function useCallers(span: Span) {
  return useQuery({ ...cached, queryKey: ['analytics', 'callers', span],
    queryFn: async () => data(await api.GET('/api/v1/analytics/callers', { params: { query: span } })) });
}

export type HotTopics = Answer<'/api/v1/analytics/hot-topics', 'get'>;
export type HotTopic = HotTopics['topics'][number];

/** The hot topics of the last `hours`, asked again each minute: the server clusters orders as they arrive. */
export function useHotTopics(hours: number, order: 'recent' | 'growth') {
  return useQuery({ queryKey: ['analytics', 'hot-topics', hours, order], refetchInterval: 60_000, placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/analytics/hot-topics', { params: { query: { hours, order, limit: 10 } } })) });
}

export type RisingWords = Answer<'/api/v1/analytics/rising-words', 'get'>;

/** The words of the last `days` used in the most orders more than before (the city's). */
export function useRisingWords(days: number, enabled: boolean) {
  return useQuery({ queryKey: ['analytics', 'rising-words', days], enabled, staleTime: 60_000, refetchInterval: 300_000,
    queryFn: async () => data(await api.GET('/api/v1/analytics/rising-words', { params: { query: { days, limit: 20 } } })) });
}

export type Report = Answer<'/api/v1/analytics/report', 'get'>;

/** The month's or quarter's report (its findings shown before it is downloaded). */
export function useReport(period: string) {
  return useQuery({ ...cached, queryKey: ['analytics', 'report', period],
    queryFn: async () => data(await api.GET('/api/v1/analytics/report', { params: { query: { period } } })) });
}

/** The report as a file (PDF or workbook) in a language, saved as the server names it. */
export async function downloadReport(period: string, format: 'pdf' | 'xlsx', lang: 'zh' | 'en'): Promise<void> {
  const query = { params: { query: { period, lang } }, parseAs: 'blob' } as const;
  const answer = format === 'pdf' ? await api.GET('/api/v1/analytics/report.pdf', query) : await api.GET('/api/v1/analytics/report.xlsx', query);
  saveFile(data(answer) as unknown as Blob, fileNameOf(answer.response, `report-${period}-${lang}.${format}`));
}
