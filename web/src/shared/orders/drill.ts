// The orders behind a figure: a link from a chart (the analysis' rankings, the screen's map) to the
// order list, filtered by the place, matter, channel or request type of the figure and its days
// (Beijing), and read back by the list. A link whose filter cannot be read is said to be so, never
// taken for the whole list.
import dayjs from 'dayjs';
import type { paths } from '../api/schema';

type ListQuery = NonNullable<paths['/api/v1/orders']['get']['parameters']['query']>;
/**
 * What a figure is of: the list's filters it opens with (one of them, as a ranking is by one
 * dimension). An area or a category takes everything in it or under it.
 */
export type DrillFilter = Pick<ListQuery, 'areaCode' | 'categoryCode' | 'channel' | 'requestType'>;
const KEYS = ['areaCode', 'categoryCode', 'channel', 'requestType'] as const;
/** Each filter's form, as the server takes it (a wrong one would be refused there, less plainly). */
const FORMS: Record<(typeof KEYS)[number], RegExp> = {
  areaCode: /^\d{6,12}$/, categoryCode: /^[0-9A-Za-z_-]{1,32}$/, channel: /^[a-z][a-z0-9_]{1,31}$/, requestType: /^[a-z_]{1,32}$/,
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The list's address for the orders behind a figure: `label` names it (a district's, a matter's name). */
export function drillLink(filter: DrillFilter, label: string, span: { from: string; to: string }): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filter[key]) params.set(key, filter[key]);
  params.set('from', span.from);
  params.set('to', span.to);
  params.set('label', label);
  return `/orders?${params}`;
}

export interface Drill {
  label: string;
  from: string;
  to: string;
  filters: DrillFilter & { createdFrom: string; createdTo: string };
}

/** The figure a list was opened from; `invalid` names what cannot be read; null when opened from no figure. */
export function drillOf(params: URLSearchParams): { drill: Drill } | { invalid: string[] } | null {
  const present = KEYS.filter((key) => params.has(key));
  if (present.length === 0 && !params.has('from') && !params.has('to')) return null;
  const invalid = present.filter((key) => !FORMS[key].test(params.get(key)!)).map((key) => `${key}=${params.get(key)}`);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const day = (d: string) => DAY.test(d) && dayjs(d).isValid() && dayjs(d).format('YYYY-MM-DD') === d;
  if (!day(from)) invalid.push(`from=${from}`);
  if (!day(to)) invalid.push(`to=${to}`);
  if (day(from) && day(to) && from > to) invalid.push(`from=${from} > to=${to}`);
  if (present.length === 0) invalid.push('areaCode | categoryCode | channel | requestType');
  if (invalid.length > 0) return { invalid };
  const filters: Drill['filters'] = { createdFrom: `${from}T00:00:00+08:00`, createdTo: `${dayjs(to).add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` };
  // their forms checked above; a value the server does not know it refuses, said by the list
  for (const key of present) Object.assign(filters, { [key]: params.get(key)! });
  // `place`: the screen's links before `label`
  return { drill: { label: params.get('label') ?? params.get('place') ?? present.map((key) => params.get(key)).join(' · '), from, to, filters } };
}
