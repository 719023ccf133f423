// Drawing a month's samples for review (抽样): every order that was mis-routed (a unit's return the
// hotline accepted) or reopened, plus a random sample of each agent's orders and of the calls they
// answered without registering an order. A draw tops up: drawn again, it adds the month's new
// mis-routed and reopened orders, and random samples up to the number asked, never the same twice.
import type pg from 'pg';
import { ADVISORY_LOCKS } from '../../db/locks.js';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { beijingMidnight } from '../../shared/beijing.js';
import type { Actor } from '../auth/index.js';

export const SAMPLE_REASONS = ['random', 'misrouted', 'reopened'] as const;
export type SampleReason = (typeof SAMPLE_REASONS)[number];

export interface DrawRequest {
  /** YYYY-MM, Beijing time */
  month: string;
  /** random orders per agent (in all, counting those drawn before) */
  ordersPerAgent: number;
  /** random calls answered without an order, per agent */
  callsPerAgent: number;
  /** orders the random draw the same way each time (tests); default: a new draw */
  seed?: string | undefined;
}

export interface Drawn {
  month: string;
  /** samples added by this draw, by why they were drawn */
  added: { random: number; calls: number; misrouted: number; reopened: number };
  /** the agents whose work the month holds */
  agents: number;
}

/** The first moment of a Beijing month and of the next. */
export function monthSpan(month: string): { from: Date; to: Date; first: string } {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { from: beijingMidnight(`${month}-01`), to: beijingMidnight(`${next}-01`), first: `${month}-01` };
}

export async function drawSamples(pool: pg.Pool, actor: Actor, request: DrawRequest): Promise<Drawn> {
  const span = monthSpan(request.month);
  const seed = request.seed ?? crypto.randomUUID();
  return withTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.qualityDraw]);
    const misrouted = await drawMarked(tx, actor, span, 'misrouted');
    const reopened = await drawMarked(tx, actor, span, 'reopened');
    const random = await drawRandom(tx, actor, span, 'order', request.ordersPerAgent, seed);
    const calls = await drawRandom(tx, actor, span, 'call', request.callsPerAgent, seed);
    const agents = await tx.query<{ n: string }>(prepared(
      'SELECT count(DISTINCT agent_id) AS n FROM quality_work WHERE city_code = $1 AND at >= $2 AND at < $3', [actor.cityCode, span.from, span.to]));
    return { month: request.month, added: { random, calls, misrouted, reopened }, agents: Number(agents.rows[0]!.n) };
  });
}

/**
 * Every mark of the month (an order mis-routed, for the agent of the dispatch returned; reopened,
 * for the agent whose work it is), one sample per order and agent; a sample already drawn that
 * month gains the reason.
 */
async function drawMarked(tx: Queryable, actor: Actor, span: ReturnType<typeof monthSpan>, reason: 'misrouted' | 'reopened'): Promise<number> {
  const r = await tx.query(prepared(
    `INSERT INTO quality_reviews AS q (city_code, month, agent_id, kind, subject_id, tracking_no, work_at, reasons, drawn_by)
     SELECT m.city_code, $4::date, m.agent_id, 'order', m.order_id, w.tracking_no, max(m.at), ARRAY[$5::text], $6
       FROM quality_marks m LEFT JOIN quality_work w ON w.city_code = m.city_code AND w.kind = 'order' AND w.subject_id = m.order_id
      WHERE m.city_code = $1 AND m.reason = $5 AND m.at >= $2 AND m.at < $3
      GROUP BY m.city_code, m.agent_id, m.order_id, w.tracking_no
     ON CONFLICT (city_code, kind, subject_id, agent_id, month) DO UPDATE SET reasons = q.reasons || EXCLUDED.reasons
      WHERE NOT EXCLUDED.reasons <@ q.reasons`,
    [actor.cityCode, span.from, span.to, span.first, reason, actor.id]));
  return r.rowCount ?? 0;
}

/**
 * Random work of each agent in the month, up to `perAgent` random samples in all: orders, or calls
 * during which no order was registered. The order is a hash of the subject and the seed.
 */
async function drawRandom(tx: Queryable, actor: Actor, span: ReturnType<typeof monthSpan>, kind: 'order' | 'call', perAgent: number, seed: string): Promise<number> {
  if (perAgent <= 0) return 0;
  const r = await tx.query(prepared(
    `WITH drawn AS (
       SELECT agent_id, count(*) AS n FROM quality_reviews
        WHERE city_code = $1 AND month = $4::date AND kind = $5 AND 'random' = ANY(reasons) GROUP BY agent_id),
     candidates AS (
       SELECT w.*, row_number() OVER (PARTITION BY w.agent_id ORDER BY md5(w.subject_id || $6)) AS place
         FROM quality_work w
        WHERE w.city_code = $1 AND w.kind = $5 AND w.at >= $2 AND w.at < $3 AND (w.kind = 'order' OR NOT w.has_order)
          AND NOT EXISTS (SELECT 1 FROM quality_reviews q
                           WHERE q.city_code = w.city_code AND q.kind = w.kind AND q.subject_id = w.subject_id AND q.agent_id = w.agent_id))
     INSERT INTO quality_reviews (city_code, month, agent_id, kind, subject_id, tracking_no, work_at, reasons, drawn_by)
     SELECT c.city_code, $4::date, c.agent_id, c.kind, c.subject_id, c.tracking_no, c.at, ARRAY['random'], $7
       FROM candidates c LEFT JOIN drawn d ON d.agent_id = c.agent_id
      WHERE c.place <= $8 - coalesce(d.n, 0)
     ON CONFLICT DO NOTHING`,
    [actor.cityCode, span.from, span.to, span.first, kind, seed, actor.id, perAgent]));
  return r.rowCount ?? 0;
}
