// Per-channel counters, by day: what each channel received and what became of it (accepted,
// a duplicate delivery, refused and why), and, for the channels that answer citizens, the messages
// sent and failed. Kept as counters, not counted from orders: a refused or duplicate message makes
// no order.
import { prepared, type Queryable } from '../../db/tx.js';
import { beijingDate } from '../../shared/beijing.js';
import { DomainError } from '../../shared/errors.js';
import { hasRole, type Actor } from '../auth/index.js';

export const OUTCOMES = ['accepted', 'duplicate', 'refused', 'sent', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Counts `n` messages (one by default) of `channel`: their outcome, and for a refusal the error code it got. */
export async function countMessage(db: Queryable, cityCode: string, channel: string, outcome: Outcome, detail = '', at = new Date(), n = 1):
  Promise<void> {
  await db.query(prepared(
    `INSERT INTO channel_counts (city_code, channel, day, outcome, detail, n)
     SELECT $1, $2, $3::date, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM channels WHERE code = $2)
     ON CONFLICT (city_code, channel, day, outcome, detail) DO UPDATE SET n = channel_counts.n + EXCLUDED.n`,
    [cityCode, channel, beijingDate(at), outcome, detail, n]));
}

export interface ChannelCounts {
  channel: string;
  name: { zh: string; en: string };
  /** every message that reached the channel: accepted + duplicate + refused */
  received: number;
  accepted: number;
  duplicate: number;
  refused: number;
  sent: number;
  failed: number;
  /** refusals by error code, the most frequent first */
  refusals: { code: string; count: number }[];
}

const READERS = ['admin', 'supervisor', 'leader', 'lead'] as const;

/**
 * Each citizens' channel's counts over the days `from`…`to` (Beijing days, both included): the
 * channels whose messages come in on their own endpoints and are answered there (answers_citizen).
 * Orders registered by agents (phone) or external systems (API) are counted in the statistics.
 */
export async function channelCounts(db: Queryable, actor: Actor, period: { from: string; to: string }): Promise<ChannelCounts[]> {
  if (!hasRole(actor, ...READERS)) throw new DomainError('AUTH_FORBIDDEN');
  const r = await db.query(prepared(
    `SELECT c.code, c.name_zh, c.name_en, k.outcome, k.detail, sum(k.n)::bigint AS n
       FROM channels c LEFT JOIN channel_counts k ON k.channel = c.code AND k.city_code = $1 AND k.day BETWEEN $2::date AND $3::date
      WHERE c.answers_citizen
      GROUP BY c.code, c.name_zh, c.name_en, c.sort, k.outcome, k.detail ORDER BY c.sort, c.code`,
    [actor.cityCode, period.from, period.to]));
  const byChannel = new Map<string, ChannelCounts>();
  for (const row of r.rows) {
    const counts: ChannelCounts = byChannel.get(row.code) ?? { channel: row.code, name: { zh: row.name_zh, en: row.name_en }, received: 0, accepted: 0,
      duplicate: 0, refused: 0, sent: 0, failed: 0, refusals: [] };
    byChannel.set(row.code, counts);
    if (!row.outcome) continue;
    const n = Number(row.n);
    counts[row.outcome as Outcome] += n;
    if (row.outcome !== 'sent' && row.outcome !== 'failed') counts.received += n;
    if (row.outcome === 'refused') counts.refusals.push({ code: row.detail, count: n });
  }
  for (const counts of byChannel.values()) counts.refusals.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return [...byChannel.values()];
}
