// The knowledge base's articles: one read, its versions, writing and the review's steps; the work lists and the reports.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type Article = Answer<'/api/v1/knowledge/articles/{id}', 'get'>;
export type Version = Answer<'/api/v1/knowledge/articles/{id}/versions', 'get'>[number];
export type Content = paths['/api/v1/knowledge/articles']['post']['requestBody']['content']['application/json']['content'];
export type CreateBody = paths['/api/v1/knowledge/articles']['post']['requestBody']['content']['application/json'];
export type WorkItem = Answer<'/api/v1/knowledge/work', 'get'>[number];
export type Usage = Answer<'/api/v1/knowledge/usage', 'get'>;
export type Expiring = Answer<'/api/v1/knowledge/expiry', 'get'>[number];

export function useArticle(id: string | null) {
  return useQuery({
    queryKey: ['knowledge', 'article', id],
    enabled: id !== null,
    queryFn: async () => data(await api.GET('/api/v1/knowledge/articles/{id}', { params: { path: { id: id! } } })),
  });
}

export function useVersions(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['knowledge', 'versions', id],
    enabled,
    queryFn: async () => data(await api.GET('/api/v1/knowledge/articles/{id}/versions', { params: { path: { id } } })),
  });
}

/** Every change reads the knowledge base again: the article, the lists, the search. */
function useKnowledgeChange<T>(change: (input: T) => Promise<Article>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => client.invalidateQueries({ queryKey: ['knowledge'] }) });
}

export const useCreateArticle = () => useKnowledgeChange(async (body: CreateBody) => data(await api.POST('/api/v1/knowledge/articles', { body })));

export const useWriteDraft = () => useKnowledgeChange(async ({ id, content }: { id: string; content: Content }) =>
  data(await api.PUT('/api/v1/knowledge/articles/{id}/draft', { params: { path: { id } }, body: content })));

export const useSubmit = () => useKnowledgeChange(async (id: string) =>
  data(await api.POST('/api/v1/knowledge/articles/{id}/submit', { params: { path: { id } } })));

export const useReview = () => useKnowledgeChange(async ({ id, decision, comment }: { id: string; decision: 'publish' | 'reject'; comment?: string }) =>
  data(await api.POST('/api/v1/knowledge/articles/{id}/review', { params: { path: { id } }, body: { decision, comment } })));

export const useWithdraw = () => useKnowledgeChange(async ({ id, reason }: { id: string; reason: string }) =>
  data(await api.POST('/api/v1/knowledge/articles/{id}/withdraw', { params: { path: { id } }, body: { reason } })));

export function useWork(status: 'in_review' | 'open') {
  return useQuery({
    queryKey: ['knowledge', 'work', status],
    queryFn: async () => data(await api.GET('/api/v1/knowledge/work', { params: { query: { status } } })),
  });
}

export function useUsage(from: string, to: string) {
  return useQuery({
    queryKey: ['knowledge', 'usage', from, to],
    queryFn: async () => data(await api.GET('/api/v1/knowledge/usage', { params: { query: { from, to } } })),
  });
}

export function useExpiry() {
  return useQuery({
    queryKey: ['knowledge', 'expiry'],
    queryFn: async () => data(await api.GET('/api/v1/knowledge/expiry', { params: { query: { days: 30 } } })),
  });
}

/** The draft an order's handling proposes (its title asked, the unit's last reply as the answer). */
export async function proposalFor(orderId: string) {
  return data(await api.GET('/api/v1/knowledge/proposal', { params: { query: { orderId } } }));
}
