// What an order's rounds count for in analytics, one row per order that has rounds, as SQL the
// analytics module embeds (it never names this module's tables). Overdue is assessment's figure
// (a round whose return was upheld is not held against it); the satisfaction is the latest visit's.
import { FIGURES } from './figures.js';

/** `where` is a condition on `r` (order_rounds) written by the caller with its own parameters. */
export function roundFactsSql(where: string): string {
  return `SELECT r.city_code, r.order_id,
                 bool_or(${FIGURES.overdue.sql}) AS overdue,
                 bool_or(${FIGURES.reopened.sql}) AS reopened,
                 bool_or(${FIGURES.extended.sql}) AS extended,
                 bool_or(${FIGURES.visited.sql}) AS visited,
                 (array_agg(r.visit_satisfaction ORDER BY r.round DESC) FILTER (WHERE r.visit_satisfaction IS NOT NULL))[1] AS satisfaction
            FROM order_rounds r WHERE ${where}
           GROUP BY r.city_code, r.order_id`;
}
