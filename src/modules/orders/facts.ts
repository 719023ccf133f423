// What an order counts for in analytics, as SQL the analytics module embeds (it never names this
// module's tables): one row per order, its day in Beijing and its dimensions. `where` is a
// condition on `o` (orders) written by the caller with its own parameters.
// 办结: closed (or archived after it) by handling it. A cancelled or merged order is closed without being
// handled; a reopened one keeps its earlier closed_at while open again. An archived order that had
// been cancelled or merged carries no mark of it here (counted as handled).
const HANDLED = `(o.state IN ('closed', 'archived') AND o.closed_at IS NOT NULL)`;

/**
 * Who contacted the hotline, as a pseudonym: the citizen's phone number, else their identity on a
 * channel (WeChat, Weibo), hashed with the city; null when the order names neither. Analytics
 * counts contacts by it and never sees the number.
 */
const CALLER = `md5(o.city_code || ':' || coalesce(o.citizen_phone, o.citizen_identity))`;

export function orderFactsSql(where: string): string {
  return `SELECT o.city_code, o.id AS order_id, (o.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day,
                 extract(hour FROM o.created_at AT TIME ZONE 'Asia/Shanghai')::smallint AS hour, o.category_id, o.area_code,
                 o.lead_unit_id, o.channel, o.request_type, o.state, ${CALLER} AS caller,
                 ${HANDLED} AS closed,
                 ${HANDLED} AND o.lead_unit_id IS NULL AS direct,
                 CASE WHEN ${HANDLED} THEN floor(extract(epoch FROM o.closed_at - o.created_at))::bigint END AS handling_seconds
            FROM orders o WHERE ${where}`;
}

/** Where and when each order was registered, and its category: the reports the early warning counts. */
export function orderPlacesSql(where: string): string {
  return `SELECT o.city_code, o.id AS order_id, o.created_at, o.area_code, o.category_id FROM orders o WHERE ${where}`;
}
