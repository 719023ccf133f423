// Seats (坐席): an agent signs in to the seat (extension) they sit at, so that the calls answered
// there pop up on their screen, and says whether they are ready for calls. One seat per person,
// one person per seat: signing in to a seat signs its previous occupant, and the person's previous
// seat, out.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';

export const SEAT_STATES = ['ready', 'not_ready', 'after_call_work'] as const;
export type SeatState = (typeof SEAT_STATES)[number];

export interface SeatView {
  seat: string;
  state: SeatState | 'signed_out';
  reason: string | null;
  since: string;
}

const viewOf = (r: { seat: string; state: SeatView['state']; reason: string | null; since: Date }): SeatView =>
  ({ seat: r.seat, state: r.state, reason: r.reason, since: r.since.toISOString() });

function staffOnly(actor: Actor): string {
  if (actor.kind !== 'staff' || !actor.id) throw new DomainError('AUTH_FORBIDDEN');
  return actor.id;
}

/** The seat the actor is signed in to, or null. */
export async function mySeat(db: Queryable, actor: Actor): Promise<SeatView | null> {
  const r = await db.query(prepared('SELECT seat, state, reason, since FROM seats WHERE city_code = $1 AND staff_id = $2', [actor.cityCode, staffOnly(actor)]));
  return r.rows[0] ? viewOf(r.rows[0]) : null;
}

/** Signs the actor in to `seat` (ready for calls), out of any other seat, and the seat's previous occupant out of it. */
export async function signInToSeat(pool: pg.Pool, actor: Actor, seat: string, now = new Date()): Promise<SeatView> {
  const staffId = staffOnly(actor);
  return withTransaction(pool, async (tx) => {
    await tx.query(prepared(
      `UPDATE seats SET staff_id = NULL, state = 'signed_out', reason = NULL, since = $3 WHERE city_code = $1 AND staff_id = $2 AND seat <> $4`,
      [actor.cityCode, staffId, now, seat]));
    const r = await tx.query(prepared(
      `INSERT INTO seats (city_code, seat, staff_id, state, since) VALUES ($1, $2, $3, 'ready', $4)
       ON CONFLICT (city_code, seat) DO UPDATE SET staff_id = EXCLUDED.staff_id, state = 'ready', reason = NULL, since = EXCLUDED.since
       RETURNING seat, state, reason, since`, [actor.cityCode, seat, staffId, now]));
    return viewOf(r.rows[0]);
  });
}

/** Sets the state of the actor's seat (a reason with not_ready); SEAT_NOT_SIGNED_IN when they have none. */
export async function setSeatState(db: Queryable, actor: Actor, state: SeatState, reason: string | null, now = new Date()): Promise<SeatView> {
  const r = await db.query(prepared(
    `UPDATE seats SET state = $3, reason = $4, since = CASE WHEN state = $3 AND reason IS NOT DISTINCT FROM $4 THEN since ELSE $5 END
      WHERE city_code = $1 AND staff_id = $2 RETURNING seat, state, reason, since`,
    [actor.cityCode, staffOnly(actor), state, state === 'not_ready' ? reason : null, now]));
  if (!r.rows[0]) throw new DomainError('SEAT_NOT_SIGNED_IN');
  return viewOf(r.rows[0]);
}

/** Signs the actor out of their seat (nothing when they have none). */
export async function signOutOfSeat(db: Queryable, actor: Actor, now = new Date()): Promise<void> {
  await db.query(prepared(`UPDATE seats SET staff_id = NULL, state = 'signed_out', reason = NULL, since = $3 WHERE city_code = $1 AND staff_id = $2`,
    [actor.cityCode, staffOnly(actor), now]));
}

/** Who is signed in to each of `seats` now. */
export async function staffAtSeats(db: Queryable, cityCode: string, seats: readonly string[]): Promise<Map<string, string>> {
  if (seats.length === 0) return new Map();
  const r = await db.query<{ seat: string; staff_id: string }>(prepared(
    'SELECT seat, staff_id FROM seats WHERE city_code = $1 AND seat = ANY($2::text[]) AND staff_id IS NOT NULL', [cityCode, seats]));
  return new Map(r.rows.map((row) => [row.seat, row.staff_id]));
}
