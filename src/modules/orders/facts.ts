// What an order counts for in analytics, as SQL the analytics module embeds (it never names this
// module's tables): one row per order, its day in Beijing and its dimensions. `where` is a
// condition on `o` (orders) written by the caller with its own parameters.
export function orderFactsSql(where: string): string {
  return `SELECT o.city_code, o.id AS order_id, (o.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, o.category_id, o.area_code,
                 o.lead_unit_id, o.channel, o.request_type, o.state,
                 o.closed_at IS NOT NULL AS closed,
                 o.closed_at IS NOT NULL AND o.lead_unit_id IS NULL AS direct,
                 CASE WHEN o.closed_at IS NOT NULL THEN floor(extract(epoch FROM o.closed_at - o.created_at))::bigint END AS handling_seconds
            FROM orders o WHERE ${where}`;
}
