// How times and pages are shown, the same on every workspace.
import { useTranslation } from 'react-i18next';

/** A moment as the user's language writes it; '—' for none. */
export function useFormatTime(): (at: string | null | undefined) => string {
  const { i18n } = useTranslation();
  return (at) => (at ? new Date(at).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'zh-CN') : '—');
}

/** A rate (0–1) as a percentage with one decimal; '—' when there is none (nothing under it is not 0 %). */
export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** A table's pager over a page of the API (`{ limit, offset, total }`), telling the offset and size asked for. */
export function pagerOf(page: { limit: number; offset: number; total: number } | undefined, onPage: (offset: number, limit: number) => void) {
  return page && {
    current: Math.floor(page.offset / page.limit) + 1, pageSize: page.limit, total: page.total,
    onChange: (n: number, size: number) => onPage((n - 1) * size, size),
  };
}

/** This month in Beijing time, YYYY-MM: the hotline's months (assessment, quality review) are Beijing's. */
export const thisMonth = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

/** The `count` months up to `month` (YYYY-MM), oldest first. */
export function monthsUpTo(month: string, count: number): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}
