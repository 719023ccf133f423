// The holiday calendar's calls: the years loaded, one year's days, loading a year, the working-day sum.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';

export type CalendarYear = Answer<'/api/v1/calendar/years/{year}', 'get'>;
export type YearBody = paths['/api/v1/calendar/years/{year}']['put']['requestBody']['content']['application/json'];

export function useCalendarYears() {
  return useQuery({ queryKey: ['calendar', 'years'], queryFn: async () => data(await api.GET('/api/v1/calendar/years')) });
}

export function useCalendarYear(year: number | undefined) {
  return useQuery({ queryKey: ['calendar', 'year', year], enabled: year !== undefined,
    queryFn: async () => data(await api.GET('/api/v1/calendar/years/{year}', { params: { path: { year: year! } } })) });
}

export function useLoadYear() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ year, body }: { year: number; body: YearBody }) =>
      data(await api.PUT('/api/v1/calendar/years/{year}', { params: { path: { year } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['calendar'] }),
  });
}

export function useWorkingDays(asked: { from: string; days: number } | null) {
  return useQuery({ queryKey: ['calendar', 'working-days', asked], enabled: asked !== null,
    queryFn: async () => data(await api.GET('/api/v1/calendar/working-days', { params: { query: asked! } })) });
}

/** Days as lines of "YYYY-MM-DD name", for editing; and back, with the first line not understood. */
export function daysToLines(days: { date: string; name: string }[]): string {
  return days.map((d) => `${d.date} ${d.name}`).join('\n');
}
export function linesToDays(text: string): { days: { date: string; name: string }[]; bad?: { line: number; text: string } } {
  const days: { date: string; name: string }[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\d{4}-\d{2}-\d{2})[\s,，]+(\S.*)$/.exec(line);
    if (!m || Number.isNaN(Date.parse(m[1]!))) return { days, bad: { line: i + 1, text: line } };
    days.push({ date: m[1]!, name: m[2]!.trim() });
  }
  return { days };
}
