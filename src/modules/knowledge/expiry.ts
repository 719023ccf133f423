// Articles past their validity: the owner unit's staff are told once (a notice), agents see the
// article marked expired in every search, and the expiry report lists what has expired and what
// expires soon, for the hotline to chase. A new version published clears the mark.
import type pg from 'pg';
import { prepared, type Queryable } from '../../db/tx.js';
import { ADVISORY_LOCKS } from '../../db/locks.js';
import { beijingDate } from '../../shared/beijing.js';
import type { Actor } from '../auth/index.js';
import { staffOfUnits, unitIndex } from '../directory/index.js';
import { unitsInSight } from './articles.js';
import { addNotices } from '../sla/index.js';
import { ensureTimer, NO_SUBJECT, scheduleTimers, type TimerHandler } from '../timers/index.js';

export const KNOWLEDGE_EXPIRY_TIMER = 'knowledge.expiry';
const CHECK_EVERY_MS = 3_600_000;

/** Tells the owners of the articles that expired and were not yet told; returns their ids. */
export async function noticeExpired(db: Queryable, cityCode: string, now = new Date()): Promise<string[]> {
  const r = await db.query<{ id: string; owner_unit_id: string; title: string; valid_until: string }>(prepared(
    `UPDATE knowledge_articles SET expiry_noticed_at = $3
      WHERE city_code = $1 AND version IS NOT NULL AND withdrawn_at IS NULL AND valid_until < $2::date AND expiry_noticed_at IS NULL
      RETURNING id, owner_unit_id, title, valid_until::text AS valid_until`, [cityCode, beijingDate(now), now]));
  for (const a of r.rows) {
    const staff = await staffOfUnits(db, [a.owner_unit_id], ['unit_handler', 'unit_manager']);
    await addNotices(db, cityCode, staff, 'knowledge_expired', { articleId: a.id, title: a.title, validUntil: a.valid_until }, now);
  }
  return r.rows.map((a) => a.id);
}

const nextCheck = (cityCode: string, now: Date) =>
  ({ cityCode, kind: KNOWLEDGE_EXPIRY_TIMER, subjectId: NO_SUBJECT, dueAt: new Date(now.getTime() + CHECK_EVERY_MS) });

/** Schedules the check if it is not (at start, by the processes that sweep timers). */
export const ensureExpiryCheck = (pool: pg.Pool, cityCode: string, now = new Date()): Promise<void> =>
  ensureTimer(pool, ADVISORY_LOCKS.knowledgeExpirySchedule, nextCheck(cityCode, now));

/** The timer: this hour's check in its transaction, and the next one scheduled. */
export const expiryTimer: TimerHandler = async (tx, timer, now) => {
  await noticeExpired(tx, timer.cityCode, now);
  await scheduleTimers(tx, [nextCheck(timer.cityCode, now)]);
};

export interface ExpiryItem {
  articleId: string;
  title: string;
  ownerUnit: { id: string; name: string | null };
  validUntil: string;
  expired: boolean;
  noticedAt: string | null;
  /** a new version is being written or reviewed */
  revising: boolean;
}

/** Published articles expired, or expiring within `days`, soonest first; a unit's staff see their units'. */
export async function expiryReport(db: Queryable, actor: Actor, days: number, now = new Date()): Promise<ExpiryItem[]> {
  const units = await unitIndex(db, actor.cityCode);
  const own = unitsInSight(actor, units);
  const today = beijingDate(now);
  const r = await db.query(prepared(
    `SELECT a.id, a.title, a.owner_unit_id, a.valid_until::text AS valid_until, a.valid_until < $2::date AS expired, a.expiry_noticed_at,
            EXISTS (SELECT 1 FROM knowledge_versions v WHERE v.city_code = a.city_code AND v.article_id = a.id
                       AND v.status IN ('draft', 'in_review', 'rejected')) AS revising
       FROM knowledge_articles a
      WHERE a.city_code = $1 AND a.version IS NOT NULL AND a.withdrawn_at IS NULL AND a.valid_until <= $2::date + $3::int
        AND ($4::uuid[] IS NULL OR a.owner_unit_id = ANY($4))
      ORDER BY a.valid_until, a.id LIMIT 1000`, [actor.cityCode, today, days, own]));
  return r.rows.map((row) => ({ articleId: row.id, title: row.title, ownerUnit: { id: row.owner_unit_id, name: units.get(row.owner_unit_id)?.name ?? null },
    validUntil: row.valid_until, expired: row.expired, noticedAt: row.expiry_noticed_at?.toISOString() ?? null, revising: row.revising }));
}
