// One page of a list, with how many rows match in all and where the next page starts.
import type { Queryable } from './tx.js';

/** Matches are counted up to this many: a count over millions of orders would cost more than the page itself. */
export const COUNT_CAP = 10_000;
/**
 * The cap of a count that reads a table's rows, not only an index (a filtered list of orders):
 * 10,000 of them cost 30–180 ms on PGlite with 200,000 orders, ten times the page (bench core).
 */
export const ROW_COUNT_CAP = 1_000;

export interface PageRequest {
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  /** rows matching in all: exact when `totalExact`, else at least this many */
  total: number;
  totalExact: boolean;
  limit: number;
  offset: number;
  /** the offset of the next page; null on the last */
  nextOffset: number | null;
}

/** How many rows match, counted up to COUNT_CAP. */
export interface Count {
  total: number;
  exact: boolean;
}

/** Counts the rows of a query's FROM and WHERE (`FROM t WHERE …`, its parameters numbered from $1), up to `cap`. */
export async function countUpTo(db: Queryable, fromWhere: { text: string; values: readonly unknown[] }, cap = COUNT_CAP): Promise<Count> {
  const result = await db.query(`SELECT count(*)::int AS n FROM (SELECT 1 ${fromWhere.text} LIMIT ${cap + 1}) matching`,
    [...fromWhere.values]);
  const n: number = result.rows[0].n;
  return n > cap ? { total: cap, exact: false } : { total: n, exact: true };
}

/** The sum of counts of two sources listed together. */
export function addCounts(a: Count, b: Count): Count {
  const total = a.total + b.total;
  return !a.exact || !b.exact ? { total, exact: false } : { total, exact: true };
}

/** A page of `items` taken at `request` from a list of `count` rows. */
export function pageOf<T>(items: T[], count: Count, request: PageRequest): Page<T> {
  const end = request.offset + items.length;
  // past the counted rows, a full page is as far as anyone knows there may be more
  const more = count.exact ? end < count.total : items.length === request.limit;
  return {
    items, total: count.exact ? count.total : Math.max(count.total, end), totalExact: count.exact,
    limit: request.limit, offset: request.offset, nextOffset: more && items.length > 0 ? end : null,
  };
}

/** The same page with its items changed (presented, filtered to what the reader may see). */
export async function mapPage<T, U>(page: Page<T>, present: (items: T[]) => Promise<U[]> | U[]): Promise<Page<U>> {
  return { ...page, items: await present(page.items) };
}
