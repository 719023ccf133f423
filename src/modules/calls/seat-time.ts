// Each agent's time at their seat (坐席工时), from the seats' kept states: signed in, ready, not
// ready (by reason), after-call work; the calls they answered and their talk; and how busy they were
// (occupancy). For the team lead's fine management of seats (受理坐席精细化管理).
import { prepared, type Queryable } from '../../db/tx.js';
import type { Actor } from '../auth/index.js';
import { staffDisplayNames } from '../directory/index.js';
import { periodOf, type Period } from './service-level.js';

/** A month: the longest period one request covers. */
const MAX_DAYS = 31;

export const SEAT_TIME_DEFINITIONS = {
  signedInSeconds: { zh: '签入时长：坐席签入（就绪、未就绪、话后处理）的时长之和', en: 'Signed in: time at a seat (ready, not ready, after-call work)' },
  readySeconds: { zh: '就绪时长（含通话）：可接来电的时长', en: 'Ready (calls included): time available for calls' },
  notReadySeconds: { zh: '未就绪时长：暂停接听的时长，按原因分列', en: 'Not ready: time paused, by reason' },
  afterCallWorkSeconds: { zh: '话后处理时长：通话结束后整理记录的时长', en: 'After-call work: wrap-up time after calls' },
  answered: { zh: '接听量：本人签入坐席时接听的来电数', en: 'Answered: calls answered at the seat while signed in' },
  talkSeconds: { zh: '通话时长：接听来电的通话与保持时长之和', en: 'Talk: talk and hold of the calls answered' },
  occupancy: { zh: '利用率 =（通话时长 + 话后处理时长）÷（签入时长 − 未就绪时长）', en: 'Occupancy = (talk + after-call work) ÷ (signed in − not ready)' },
} as const;

export interface AgentSeatTime {
  staffId: string;
  name: string | null;
  signedInSeconds: number;
  readySeconds: number;
  notReadySeconds: number;
  notReadyByReason: { reason: string | null; seconds: number }[];
  afterCallWorkSeconds: number;
  answered: number;
  talkSeconds: number;
  /** 0–1; null with no time available */
  occupancy: number | null;
}

export interface SeatTime { from: string; to: string; agents: AgentSeatTime[] }

/** The agents' seat time over the Beijing days `from` to `to` (a period still open counts up to now). */
export async function seatTime(db: Queryable, actor: Actor, q: { from?: string | undefined; to?: string | undefined }, now = new Date()): Promise<SeatTime> {
  const period = periodOf(q, now, MAX_DAYS);
  const [states, calls] = await Promise.all([statesOf(db, actor.cityCode, period, now), callsOf(db, actor.cityCode, period, now)]);
  const ids = [...new Set([...states.map((s) => s.staff_id), ...calls.keys()])];
  const names = await staffDisplayNames(db, actor.cityCode, ids);
  const agents = ids.map((staffId): AgentSeatTime => {
    const mine = states.filter((s) => s.staff_id === staffId);
    const sum = (state: string) => mine.filter((s) => s.state === state).reduce((total, s) => total + s.seconds, 0);
    const [ready, notReady, acw] = [sum('ready'), sum('not_ready'), sum('after_call_work')];
    const call = calls.get(staffId) ?? { answered: 0, talk: 0 };
    const available = ready + acw;
    return {
      staffId, name: names.get(staffId) ?? null, signedInSeconds: Math.round(ready + notReady + acw), readySeconds: Math.round(ready),
      notReadySeconds: Math.round(notReady),
      notReadyByReason: mine.filter((s) => s.state === 'not_ready').map((s) => ({ reason: s.reason, seconds: Math.round(s.seconds) }))
        .sort((a, b) => b.seconds - a.seconds),
      afterCallWorkSeconds: Math.round(acw), answered: call.answered, talkSeconds: Math.round(call.talk),
      occupancy: available > 0 ? Math.min(1, Math.round(((call.talk + acw) / available) * 10_000) / 10_000) : null,
    };
  });
  agents.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', 'zh') || a.staffId.localeCompare(b.staffId));
  return { from: period.from, to: period.to, agents };
}

/** Each agent's seconds in each state (and reason) within the period, an open state counted up to now. */
async function statesOf(db: Queryable, cityCode: string, p: Period, now: Date) {
  const r = await db.query<{ staff_id: string; state: string; reason: string | null; seconds: string }>(prepared(
    `SELECT staff_id, state, reason,
            sum(extract(epoch FROM least(coalesce(ended_at, $4), $3) - greatest(started_at, $2))) AS seconds
       FROM seat_states
      WHERE city_code = $1 AND staff_id IS NOT NULL AND started_at < $3 AND coalesce(ended_at, $4) > $2
      GROUP BY 1, 2, 3`, [cityCode, p.start, p.end, now]));
  return r.rows.map((row) => ({ ...row, seconds: Math.max(0, Number(row.seconds)) }));
}

/**
 * The calls each agent answered in the period: at a seat, while signed in to it; a call still going
 * counts its talk (hold inside) up to now, or the period's end.
 */
async function callsOf(db: Queryable, cityCode: string, p: Period, now: Date): Promise<Map<string, { answered: number; talk: number }>> {
  const r = await db.query<{ staff_id: string; answered: number; talk: string | null }>(prepared(
    `SELECT s.staff_id, count(*)::int AS answered,
            sum(CASE WHEN c.ended_at IS NULL THEN greatest(0, extract(epoch FROM least($4::timestamptz, $3) - c.answered_at))
                     ELSE coalesce(c.talk_seconds, 0) + c.hold_seconds END) AS talk
       FROM calls c JOIN seat_states s ON s.city_code = c.city_code AND s.seat = c.seat
        AND c.answered_at >= s.started_at AND c.answered_at < coalesce(s.ended_at, 'infinity')
      WHERE c.city_code = $1 AND c.answered_at >= $2 AND c.answered_at < $3 AND s.staff_id IS NOT NULL
      GROUP BY 1`, [cityCode, p.start, p.end, now]));
  return new Map(r.rows.map((row) => [row.staff_id, { answered: row.answered, talk: Number(row.talk ?? 0) }]));
}
