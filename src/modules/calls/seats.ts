// Seats (坐席): an agent signs in to the seat (extension) they sit at, so that the calls answered
// there pop up on their screen, and says whether they are ready for calls. One seat per person,
// one person per seat: signing in to a seat signs its previous occupant, and the person's previous
// seat, out.
import type pg from 'pg';
import { prepared, withTransaction, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';
import { FUTURE_SLACK_MS } from './store.js';

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
    const left = await tx.query<{ seat: string }>(prepared(
      `UPDATE seats SET staff_id = NULL, state = 'signed_out', reason = NULL, source = 'agent', since = $3 WHERE city_code = $1 AND staff_id = $2 AND seat <> $4
       RETURNING seat`, [actor.cityCode, staffId, now, seat]));
    for (const row of left.rows) await recordSeatChange(tx, actor.cityCode, { seat: row.seat, staffId: null, state: 'signed_out', reason: null, source: 'agent', at: now });
    const r = await tx.query(prepared(
      `INSERT INTO seats (city_code, seat, staff_id, state, source, since) VALUES ($1, $2, $3, 'ready', 'agent', $4)
       ON CONFLICT (city_code, seat) DO UPDATE SET staff_id = EXCLUDED.staff_id, state = 'ready', reason = NULL, source = 'agent', since = EXCLUDED.since
       RETURNING seat, state, reason, since`, [actor.cityCode, seat, staffId, now]));
    await recordSeatChange(tx, actor.cityCode, { seat, staffId, state: 'ready', reason: null, source: 'agent', at: now });
    return viewOf(r.rows[0]);
  });
}

/** Sets the state of the actor's seat (a reason with not_ready); SEAT_NOT_SIGNED_IN when they have none. */
export async function setSeatState(pool: pg.Pool, actor: Actor, state: SeatState, reason: string | null, now = new Date()): Promise<SeatView> {
  const staffId = staffOnly(actor);
  return withTransaction(pool, async (tx) => {
    const current = (await tx.query<{ seat: string }>(prepared('SELECT seat FROM seats WHERE city_code = $1 AND staff_id = $2 FOR UPDATE',
      [actor.cityCode, staffId]))).rows[0];
    if (!current) throw new DomainError('SEAT_NOT_SIGNED_IN');
    return changeState(tx, actor.cityCode, { seat: current.seat, staffId, state, reason: state === 'not_ready' ? reason : null, source: 'agent', at: now });
  });
}

/** Signs the actor out of their seat (nothing when they have none). */
export async function signOutOfSeat(pool: pg.Pool, actor: Actor, now = new Date()): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const left = await tx.query<{ seat: string }>(prepared(
      `UPDATE seats SET staff_id = NULL, state = 'signed_out', reason = NULL, source = 'agent', since = $3 WHERE city_code = $1 AND staff_id = $2 RETURNING seat`,
      [actor.cityCode, staffOnly(actor), now]));
    for (const row of left.rows) await recordSeatChange(tx, actor.cityCode, { seat: row.seat, staffId: null, state: 'signed_out', reason: null, source: 'agent', at: now });
  });
}

/** A seat's state as the telephony tells it (its pause, its wrap-up): see docs/telephony.md. */
export interface SeatEvent {
  /** the telephony's id of the event: posted again, it changes nothing */
  id: string;
  seat: string;
  state: SeatState;
  reason?: string | undefined;
  at: string;
}

/**
 * accepted: the seat is in that state now; unchanged: it already was (a repeat); stale: a later
 * state was set already; in_future: its time is ahead of the server's clock (a wrong clock would
 * otherwise hold the seat in it), not applied.
 */
export type SeatEventOutcome = 'accepted' | 'unchanged' | 'stale' | 'in_future';

/**
 * The telephony's seat states, in the order they happened: each is the seat's state from its time
 * on, unless a later one was set already (by the agent or the telephony). The seat keeps whoever is
 * signed in to it; a seat nobody signed in to is kept with its state, for the wall.
 */
export async function absorbSeatEvents(pool: pg.Pool, cityCode: string, events: readonly SeatEvent[], now = new Date()):
  Promise<{ id: string; outcome: SeatEventOutcome }[]> {
  const outcomes = new Map<SeatEvent, SeatEventOutcome>();
  for (const e of events) if (Date.parse(e.at) > now.getTime() + FUTURE_SLACK_MS) outcomes.set(e, 'in_future');
  const inOrder = events.filter((e) => !outcomes.has(e)).sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
  await withTransaction(pool, async (tx) => {
    for (const e of inOrder) {
      // a clock ahead by up to the slack: the state starts now, never in the future (the history stays in order)
      const at = new Date(Math.min(Date.parse(e.at), now.getTime()));
      const reason = e.state === 'not_ready' ? e.reason ?? null : null;
      await tx.query(prepared(`INSERT INTO seats (city_code, seat, state, source, since) VALUES ($1, $2, 'signed_out', 'telephony', $3) ON CONFLICT DO NOTHING`,
        [cityCode, e.seat, at]));
      const current = (await tx.query<{ staff_id: string | null; state: string; reason: string | null; since: Date }>(prepared(
        'SELECT staff_id, state, reason, since FROM seats WHERE city_code = $1 AND seat = $2 FOR UPDATE', [cityCode, e.seat]))).rows[0]!;
      if (current.state === e.state && current.reason === reason) outcomes.set(e, 'unchanged');
      else if (current.since > at) outcomes.set(e, 'stale');
      else {
        await changeState(tx, cityCode, { seat: e.seat, staffId: current.staff_id, state: e.state, reason, source: 'telephony', at });
        outcomes.set(e, 'accepted');
      }
    }
  });
  return events.map((e) => ({ id: e.id, outcome: outcomes.get(e)! }));
}

interface SeatChange {
  seat: string;
  staffId: string | null;
  state: SeatState | 'signed_out';
  reason: string | null;
  source: 'agent' | 'telephony';
  at: Date;
}

/** Sets a seat's state (its time kept when nothing changed) and, when it changed, its history. */
async function changeState(tx: Queryable, cityCode: string, c: SeatChange): Promise<SeatView> {
  const r = await tx.query(prepared(
    `WITH before AS (SELECT state, reason FROM seats WHERE city_code = $1 AND seat = $2)
     UPDATE seats s SET state = $3, reason = $4, source = $5,
            since = CASE WHEN b.state = $3 AND b.reason IS NOT DISTINCT FROM $4 THEN s.since ELSE $6 END
       FROM before b WHERE s.city_code = $1 AND s.seat = $2
     RETURNING s.seat, s.state, s.reason, s.since, (b.state = $3 AND b.reason IS NOT DISTINCT FROM $4) AS same`,
    [cityCode, c.seat, c.state, c.reason, c.source, c.at]));
  const row = r.rows[0];
  if (!row.same) await recordSeatChange(tx, cityCode, c);
  return viewOf(row);
}

/**
 * The seat's history: the period in progress ends at the change and a new one starts (none when
 * signed out), never before the one it follows began. After-call work names the call it follows:
 * the call the seat took part in that was answered last (before the change, with a little slack for
 * the two clocks), ended within the half hour before or still going (a seat that transferred it
 * away wraps it up while the next seat talks).
 */
async function recordSeatChange(tx: Queryable, cityCode: string, c: SeatChange): Promise<void> {
  await tx.query(prepared('UPDATE seat_states SET ended_at = greatest(started_at, $3) WHERE city_code = $1 AND seat = $2 AND ended_at IS NULL',
    [cityCode, c.seat, c.at]));
  if (c.state === 'signed_out') return;
  await tx.query(prepared(
    `INSERT INTO seat_states (city_code, seat, started_at, staff_id, state, reason, source, after_call)
     VALUES ($1, $2, greatest($3::timestamptz, (SELECT max(started_at) FROM seat_states WHERE city_code = $1 AND seat = $2)), $4, $5, $6, $7,
       CASE WHEN $5 = 'after_call_work' THEN
         (SELECT call_id FROM calls WHERE city_code = $1 AND $2 = ANY(seats) AND answered_at <= $3::timestamptz + interval '5 seconds'
             AND offered_at > $3::timestamptz - interval '12 hours' AND (ended_at IS NULL OR ended_at > $3::timestamptz - interval '30 minutes')
           ORDER BY answered_at DESC LIMIT 1) END)
     ON CONFLICT (city_code, seat, started_at) DO UPDATE SET ended_at = NULL, staff_id = EXCLUDED.staff_id, state = EXCLUDED.state,
       reason = EXCLUDED.reason, source = EXCLUDED.source, after_call = EXCLUDED.after_call`,
    [cityCode, c.seat, c.at, c.staffId, c.state, c.reason, c.source]));
}

/** Who is signed in to each of `seats` now. */
export async function staffAtSeats(db: Queryable, cityCode: string, seats: readonly string[]): Promise<Map<string, string>> {
  if (seats.length === 0) return new Map();
  const r = await db.query<{ seat: string; staff_id: string }>(prepared(
    'SELECT seat, staff_id FROM seats WHERE city_code = $1 AND seat = ANY($2::text[]) AND staff_id IS NOT NULL', [cityCode, seats]));
  return new Map(r.rows.map((row) => [row.seat, row.staff_id]));
}
