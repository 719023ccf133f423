// The call centre's service level (服务水平), from the call records: offered, answered, abandoned,
// answered within 15 s and its share, the connection rate (接通率), the average speed of answer and
// the average handling time, by hour, day, queue or agent; and the team lead's live wall: calls
// waiting, the longest wait, the seats by state, the service level of the last 15 minutes and of
// the day. GB/T 33358-2016 asks that a call be answered within 15 s and that at least 95 % of the
// calls of 24 hours be connected; local standards measure the share answered within 15 s (≥ 80 %).
import { beijingDate, beijingMidnight } from '../../shared/beijing.js';
import { prepared, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import * as orders from '../orders/index.js';
import { LOST_AFTER_MS } from './lost.js';
import type { Actor } from '../auth/index.js';
import { staffDisplayNames } from '../directory/index.js';

/** The threshold of "answered in time", in seconds (GB/T 33358-2016). */
export const ANSWER_WITHIN_SECONDS = 15;
export const SERVICE_LEVEL_BY = ['hour', 'day', 'queue', 'agent'] as const;
export type ServiceLevelBy = (typeof SERVICE_LEVEL_BY)[number];
/** The longest period one request covers: a quarter. */
const MAX_DAYS = 92;

/** Each figure, and its formula in words, as the web page and the workbook state them. */
export const SERVICE_LEVEL_DEFINITIONS = {
  offered: { zh: '呼入量：进入队列的来电数', en: 'Offered: calls that reached a queue' },
  answered: { zh: '接通量：坐席接听的来电数', en: 'Answered: calls a seat answered' },
  abandoned: { zh: '放弃量：来电人在接听前挂断的来电数（排队超时不计）', en: 'Abandoned: callers who hung up before an answer (queue timeouts not included)' },
  answeredInTime: { zh: '15 秒内接通量：等待不超过 15 秒即被接听的来电数', en: 'Answered within 15 s: calls answered after waiting 15 s at most' },
  serviceLevel: { zh: '15 秒接通率（服务水平）= 15 秒内接通量 ÷ 呼入量', en: 'Service level = answered within 15 s ÷ offered' },
  connectionRate: { zh: '接通率 = 接通量 ÷ 呼入量（GB/T 33358-2016：24 小时内不低于 95%）', en: 'Connection rate = answered ÷ offered (GB/T 33358-2016: at least 95 % over 24 hours)' },
  abandonRate: { zh: '放弃率 = 放弃量 ÷ 呼入量', en: 'Abandon rate = abandoned ÷ offered' },
  asaSeconds: { zh: '平均应答速度（秒）= 接通来电的等待时长之和 ÷ 接通量', en: 'Average speed of answer (s) = the answered calls\' waiting ÷ answered' },
  ahtSeconds: { zh: '平均处理时长（秒）=（已结束接通来电的通话时长 + 保持时长 + 话后处理时长）÷ 其数量；话后处理时长为坐席在通话结束后进入“话后处理”直至离开的时长', en: 'Average handling time (s) = (talk + hold + after-call work of the answered calls that ended) ÷ their number; after-call work: from the seat entering after-call work once the call ended until it left it' },
  transferredToDesk: { zh: '转 110/119/120：一键转接至应急平台的来电数', en: 'Transferred to 110/119/120: calls passed to an emergency desk' },
} as const;

export interface ServiceLevelFigures {
  offered: number;
  answered: number;
  abandoned: number;
  answeredInTime: number;
  /** shares, 0–1; null with nothing offered */
  serviceLevel: number | null;
  connectionRate: number | null;
  abandonRate: number | null;
  asaSeconds: number | null;
  ahtSeconds: number | null;
  transferredToDesk: number;
}

export interface ServiceLevel {
  from: string;
  to: string;
  by: ServiceLevelBy;
  total: ServiceLevelFigures;
  rows: ({ key: string; label: string } & ServiceLevelFigures)[];
  /** 12345 ↔ 110/119/120 both ways: calls transferred to each desk, orders the 110 desk handed over */
  linkage: { toDesks: { desk: string; calls: number }[]; fromPolice110: number };
}

interface FigureRow { offered: number; answered: number; abandoned: number; in_time: number; asa: string | null; aht: string | null; to_desk: number }

const FIGURES_SQL = `count(*)::int AS offered, count(answered_at)::int AS answered,
  count(*) FILTER (WHERE outcome = 'abandoned')::int AS abandoned,
  count(*) FILTER (WHERE answered_at IS NOT NULL AND wait_seconds <= ${ANSWER_WITHIN_SECONDS})::int AS in_time,
  avg(wait_seconds) FILTER (WHERE answered_at IS NOT NULL) AS asa,
  avg(talk_seconds + hold_seconds + coalesce(acw.seconds, 0)) FILTER (WHERE answered_at IS NOT NULL AND ended_at IS NOT NULL) AS aht,
  count(*) FILTER (WHERE transfers @> '[{"kind": "desk"}]')::int AS to_desk`;

/** Each call's after-call work: the seat's after_call_work periods that followed it, once over. */
const WITH_ACW = `LEFT JOIN LATERAL (SELECT sum(extract(epoch FROM s.ended_at - s.started_at)) AS seconds FROM seat_states s
  WHERE s.city_code = calls.city_code AND s.after_call = calls.call_id AND s.ended_at IS NOT NULL) acw ON true`;

const KEYS: Record<ServiceLevelBy, string> = {
  hour: "to_char(offered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:00')",
  day: "to_char(offered_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')",
  queue: "coalesce(queue, '')",
  agent: "coalesce(seat, '')",
};

const share = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);
const seconds = (v: string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);

function figuresOf(r: FigureRow): ServiceLevelFigures {
  return { offered: r.offered, answered: r.answered, abandoned: r.abandoned, answeredInTime: r.in_time, serviceLevel: share(r.in_time, r.offered),
    connectionRate: share(r.answered, r.offered), abandonRate: share(r.abandoned, r.offered), asaSeconds: seconds(r.asa), ahtSeconds: seconds(r.aht),
    transferredToDesk: r.to_desk };
}

/** The figures of the calls offered in [from, to). */
async function figuresBetween(db: Queryable, cityCode: string, from: Date, to: Date): Promise<ServiceLevelFigures> {
  const r = await db.query<FigureRow>(prepared(`SELECT ${FIGURES_SQL} FROM calls ${WITH_ACW} WHERE city_code = $1 AND offered_at >= $2 AND offered_at < $3`,
    [cityCode, from, to]));
  return figuresOf(r.rows[0]!);
}

export interface Period { from: string; to: string; start: Date; end: Date }

/** The Beijing days `from` to `to` (both included; default today) as moments, refused beyond `maxDays`. */
export function periodOf(q: { from?: string | undefined; to?: string | undefined }, now: Date, maxDays = MAX_DAYS): Period {
  const from = q.from ?? beijingDate(now);
  const to = q.to ?? from;
  const start = beijingMidnight(from);
  const end = new Date(beijingMidnight(to).getTime() + 86_400_000);
  const days = (end.getTime() - start.getTime()) / 86_400_000;
  if (!(days >= 1 && days <= maxDays)) {
    throw new DomainError('VALIDATION_FAILED', { detail: { zh: `时间范围须为 1 至 ${maxDays} 天`, en: `the period must be 1 to ${maxDays} days` } });
  }
  return { from, to, start, end };
}

/**
 * The service level of the days `from` to `to` (Beijing dates, both included; default today), in
 * all and by `by`. By agent, the rows count the calls each seat answered first: offered and
 * abandoned belong to the queue, not to a seat.
 */
export async function serviceLevel(db: Queryable, actor: Actor, q: { from?: string | undefined; to?: string | undefined; by: ServiceLevelBy },
  now = new Date()): Promise<ServiceLevel> {
  const { from, to, start, end } = periodOf(q, now);
  const agentsOnly = q.by === 'agent' ? 'AND answered_at IS NOT NULL' : '';
  const rows = await db.query<FigureRow & { key: string; agent: string | null }>(
    `SELECT ${KEYS[q.by]} AS key, ${q.by === 'agent' ? 'max(agent)' : 'NULL'} AS agent, ${FIGURES_SQL}
       FROM calls ${WITH_ACW} WHERE city_code = $1 AND offered_at >= $2 AND offered_at < $3 ${agentsOnly}
      GROUP BY 1 ORDER BY 1`, [actor.cityCode, start, end]);
  return {
    from, to, by: q.by, total: await figuresBetween(db, actor.cityCode, start, end),
    rows: rows.rows.map((r) => ({ key: r.key, label: r.agent ? `${r.key} · ${r.agent}` : r.key, ...figuresOf(r) })),
    linkage: await deskLinkage(db, actor.cityCode, start, end),
  };
}

/** The calls of [from, to) transferred to each emergency desk (110, 119, 120), and the orders the 110 desk handed over. */
async function deskLinkage(db: Queryable, cityCode: string, from: Date, to: Date): Promise<ServiceLevel['linkage']> {
  const desks = await db.query<{ desk: string; calls: number }>(prepared(
    `SELECT t->>'value' AS desk, count(DISTINCT c.call_id)::int AS calls FROM calls c, jsonb_array_elements(c.transfers) t
      WHERE c.city_code = $1 AND c.offered_at >= $2 AND c.offered_at < $3 AND t->>'kind' = 'desk' GROUP BY 1 ORDER BY 1`, [cityCode, from, to]));
  const counted = new Map(desks.rows.map((r) => [r.desk, r.calls]));
  const toDesks = [...new Set(['110', '119', '120', ...counted.keys()])].map((desk) => ({ desk, calls: counted.get(desk) ?? 0 }));
  return { toDesks, fromPolice110: await orders.handoversFrom110(db, cityCode, from, to) };
}

export interface Wall {
  at: string;
  queues: { queue: string; waiting: number; longestWaitSeconds: number }[];
  seats: { seat: string; staff: { id: string; name: string } | null; state: string; reason: string | null; since: string;
    call: { callId: string; state: string; answeredAt: string | null } | null }[];
  /** seats by state, on_call counted apart from the state the agent set */
  seatCounts: Record<string, number>;
  last15Minutes: ServiceLevelFigures;
  today: ServiceLevelFigures;
}


/** The team lead's wall, now. */
export async function liveWall(db: Queryable, actor: Actor, now = new Date()): Promise<Wall> {
  // a call whose end was missed stops counting as live when the sweep would end it (lost.ts)
  const since = new Date(now.getTime() - LOST_AFTER_MS);
  const live = (await db.query<{ call_id: string; state: string; queue: string | null; offered_at: Date; answered_at: Date | null; seats: string[] }>(prepared(
    `SELECT call_id, state, queue, offered_at, answered_at, seats FROM calls
      WHERE city_code = $1 AND state <> 'ended' AND offered_at >= $2 ORDER BY offered_at`, [actor.cityCode, since]))).rows;
  const queues = new Map<string, { waiting: number; oldest: number }>();
  for (const c of live.filter((c) => c.state === 'queued' || c.state === 'ringing')) {
    const q = queues.get(c.queue ?? '') ?? { waiting: 0, oldest: c.offered_at.getTime() };
    queues.set(c.queue ?? '', { waiting: q.waiting + 1, oldest: Math.min(q.oldest, c.offered_at.getTime()) });
  }
  const onCall = new Map(live.filter((c) => c.seats.length && (c.state === 'talking' || c.state === 'held')).map((c) => [c.seats.at(-1)!, c]));
  const seats = (await db.query<{ seat: string; staff_id: string | null; state: string; reason: string | null; since: Date }>(prepared(
    `SELECT seat, staff_id, state, reason, since FROM seats WHERE city_code = $1 AND (staff_id IS NOT NULL OR seat = ANY($2::text[])) ORDER BY seat`,
    [actor.cityCode, [...onCall.keys()]]))).rows;
  const names = await staffDisplayNames(db, actor.cityCode, seats.map((s) => s.staff_id).filter((id): id is string => id !== null));
  const seatCounts: Record<string, number> = { ready: 0, not_ready: 0, after_call_work: 0, on_call: 0 };
  const wallSeats = seats.map((s) => {
    const call = onCall.get(s.seat);
    const counted = call ? 'on_call' : s.state;
    if (counted in seatCounts) seatCounts[counted]! += 1;
    return { seat: s.seat, staff: s.staff_id ? { id: s.staff_id, name: names.get(s.staff_id) ?? '' } : null, state: s.state, reason: s.reason,
      since: s.since.toISOString(), call: call ? { callId: call.call_id, state: call.state, answeredAt: call.answered_at?.toISOString() ?? null } : null };
  });
  return {
    at: now.toISOString(),
    queues: [...queues].map(([queue, q]) => ({ queue, waiting: q.waiting, longestWaitSeconds: Math.round((now.getTime() - q.oldest) / 1000) }))
      .sort((a, b) => b.longestWaitSeconds - a.longestWaitSeconds),
    seats: wallSeats, seatCounts,
    last15Minutes: await figuresBetween(db, actor.cityCode, new Date(now.getTime() - 15 * 60_000), now),
    today: await figuresBetween(db, actor.cityCode, beijingMidnight(beijingDate(now)), now),
  };
}
