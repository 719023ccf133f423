// The classifier's calls: the models and recent runs, starting a run and following it, the acceptance.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type Model = Answer<'/api/v1/classify/models', 'get'>['models'][number];
export type Run = Answer<'/api/v1/classify/training/{id}', 'get'>;
type Started = paths['/api/v1/classify/training']['post']['responses'][202]['content']['application/json'];

export function useModels() {
  return useQuery({ queryKey: ['classify', 'models'], queryFn: async () => data(await api.GET('/api/v1/classify/models')) });
}

export function useStartTraining() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => data(await api.POST('/api/v1/classify/training')) as Started,
    onSuccess: () => client.invalidateQueries({ queryKey: ['classify', 'models'] }),
  });
}

/** One run, asked again every second while it runs; once it ends, the models and runs are asked again. */
export function useRun(id: number | null) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ['classify', 'run', id], enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' ? 1_000 : false),
    queryFn: async () => {
      const run = data(await api.GET('/api/v1/classify/training/{id}', { params: { path: { id: id! } } }));
      if (run.status !== 'running') void client.invalidateQueries({ queryKey: ['classify', 'models'] });
      return run;
    },
  });
}

export function useAcceptance(period: { from: string; to: string }) {
  return useQuery({ queryKey: ['classify', 'acceptance', period],
    queryFn: async () => data(await api.GET('/api/v1/classify/acceptance', { params: { query: period } })) });
}
