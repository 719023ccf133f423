// How times and pages are shown, the same on every workspace.
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

/** Times are shown in Beijing time, the hotline's, whatever zone the browser's clock is set to. */
export const BEIJING_TIME = { timeZone: 'Asia/Shanghai' } as const;

/** The locale the user's language writes dates and times in. */
export const localeOf = (language: string): string => (language === 'en' ? 'en-GB' : 'zh-CN');

/** A moment as the user's language writes it, in Beijing time; '—' for none. */
export function useFormatTime(): (at: string | null | undefined) => string {
  const { i18n } = useTranslation();
  // in English as the dates beside it are written (2026-12-05 16:54:54): the British 05/12/2026 reads as May to many
  const locale = i18n.language === 'en' ? 'sv-SE' : localeOf(i18n.language);
  return (at) => (at ? new Date(at).toLocaleString(locale, BEIJING_TIME) : '—');
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

/** Beijing's date `back` days ago (0: today), YYYY-MM-DD: the hotline's days and months (assessment, quality review,
 *  every report's period) are Beijing's, whatever zone the browser's clock is set to. */
export const beijingDate = (back = 0): string => new Date(Date.now() + 8 * 3_600_000 - back * 86_400_000).toISOString().slice(0, 10);

/** Today in Beijing as a date picker's day (the browser's midnight of that date). */
export const beijingToday = (): Dayjs => dayjs(beijingDate());

/** This month in Beijing time, YYYY-MM. */
export const thisMonth = (): string => beijingDate().slice(0, 7);

/** The time now in Beijing, YYYY-MM-DD HH:mm:ss (the leadership screen's clock). */
export const beijingClock = (): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(new Date());

/** Now in Beijing as a date picker's moment (its day and time of day read as Beijing's). */
export const beijingNow = (): Dayjs => dayjs(beijingClock());

/** The instant (ISO) of a picked day and time read in Beijing time: what staff type is Beijing's clock. */
export const beijingInstant = (picked: Dayjs): string => new Date(`${picked.format('YYYY-MM-DDTHH:mm:ss')}+08:00`).toISOString();

/** The `count` months up to `month` (YYYY-MM), oldest first. */
export function monthsUpTo(month: string, count: number): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, m - 1 - (count - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}
