// The accountability loop's benchmark: the timer sweep over N open orders (an empty sweep's time,
// and due timers fired per second), and a month's assessment of every unit over a year of rounds.
// Data is generated in SQL: open orders with an active round and their deadline timers, and a
// year of finished rounds with their facts (on time or not, visited, satisfied…).
import type { TestPlatform } from '../src/testing/harness.js';
import { makeStaff } from '../src/testing/harness.js';
import { sweepAllDue, sweepTimers } from '../src/modules/timers/index.js';
import { TIMER_HANDLERS } from '../src/platform.js';
import { assessUnits, assessmentWorkbook, periodOf } from '../src/modules/assessment/index.js';

export interface SlaBenchOptions {
  openOrders: number;
  yearRounds: number;
  report: (name: string, figures: Record<string, unknown>) => void;
  timed: (samples: number, task: (i: number) => Promise<void>) => Promise<{ median: number; p95: number }>;
}

/**
 * Open orders dispatched over the 5 days before `now`, each with an active round whose deadlines
 * lie ahead, and 4 timers (the reply's and the closure's warning and deadline).
 */
async function loadOpen(p: TestPlatform, n: number, now: Date, units: string[]): Promise<number> {
  const started = Date.now();
  const BATCH = 100_000;
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    const created = `$5::timestamptz - (i % 432000) * interval '1 second'`;
    await p.db.pool.query(
      `WITH o AS (
         INSERT INTO orders (city_code, tracking_no, channel, request_type, title, body, state, lead_unit_id, created_at, updated_at)
         SELECT '370100', 'OPEN-' || lpad(i::text, 10, '0'), 'phone', 'help', '基准工单', '基准', 'signed',
                ($1::uuid[])[1 + (i * 7) % cardinality($1::uuid[])], ${created}, ${created}
           FROM generate_series($2::int, $3::int) AS i
         RETURNING id, lead_unit_id, created_at),
       r AS (
         INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                                   reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete, signed_at, signed_on_time)
         SELECT '370100', id, lead_unit_id, 1, 'dispatch', 'normal', 'working_days', created_at, created_at + $4::interval,
                created_at + $4::interval, created_at + 7 * $4::interval, created_at + 6 * $4::interval, created_at + 9 * $4::interval,
                created_at + 8 * $4::interval, true, created_at + interval '1 hour', true
           FROM o RETURNING id, order_id, reply_due_at, reply_warn_at, close_due_at, close_warn_at)
       INSERT INTO timers (city_code, kind, subject_id, ref, detail, due_at)
       SELECT '370100', t.kind, r.order_id, r.id, t.detail, t.due_at FROM r, LATERAL (VALUES
         ('deadline.warn', 'reply', r.reply_warn_at), ('deadline.due', 'reply', r.reply_due_at),
         ('deadline.warn', 'close', r.close_warn_at), ('deadline.due', 'close', r.close_due_at)) AS t(kind, detail, due_at)`,
      [units, from, to, '1 day', now]);
  }
  return (Date.now() - started) / 1000;
}

/** A year of finished rounds (2026), spread evenly, with facts drawn from fixed proportions. */
async function loadYear(p: TestPlatform, n: number, units: string[]): Promise<number> {
  const started = Date.now();
  const BATCH = 100_000;
  for (let from = 1; from <= n; from += BATCH) {
    const to = Math.min(n, from + BATCH - 1);
    const created = `timestamptz '2026-01-01 00:00+08' + (i::bigint * 31536 / $4) * interval '1000 second'`;
    await p.db.pool.query(
      `WITH o AS (
         INSERT INTO orders (city_code, tracking_no, channel, request_type, title, body, state, lead_unit_id, created_at, updated_at)
         SELECT '370100', 'YEAR-' || lpad(i::text, 10, '0'), 'phone', 'help', '基准工单', '基准', 'closed',
                ($1::uuid[])[1 + (i * 7) % cardinality($1::uuid[])], ${created}, ${created}
           FROM generate_series($2::int, $3::int) AS i
         RETURNING id, lead_unit_id, created_at, (substr(tracking_no, 6))::int AS i)
       INSERT INTO order_rounds (city_code, order_id, unit_id, round, cause, urgency, basis, started_at, sign_due_at, sign_warn_at,
                                 reply_due_at, reply_warn_at, close_due_at, close_warn_at, calendar_complete, status, ended_at, end_reason,
                                 signed_at, signed_on_time, replied_at, replied_on_time, closed_at, closed_on_time, sign_overdue_at,
                                 reply_overdue_at, extension_days, returned_at, return_outcome, visit_reached, visit_solved,
                                 visit_satisfaction, visited_at, reopened_at)
       SELECT '370100', id, lead_unit_id, 1, 'dispatch', 'normal', 'working_days', created_at, created_at + interval '1 day',
              created_at + interval '1 day', created_at + interval '7 day', created_at + interval '6 day', created_at + interval '9 day',
              created_at + interval '8 day', true, 'ended', created_at + interval '8 day', 'closed',
              created_at + interval '2 hour', i % 20 <> 0, created_at + interval '5 day', i % 9 <> 0, created_at + interval '8 day', true,
              CASE WHEN i % 20 = 0 THEN created_at + interval '1 day' END, CASE WHEN i % 9 = 0 THEN created_at + interval '7 day' END,
              CASE WHEN i % 13 = 0 THEN 3 ELSE 0 END, CASE WHEN i % 50 = 0 THEN created_at END,
              CASE WHEN i % 50 = 0 THEN (CASE WHEN i % 100 = 0 THEN 'upheld' ELSE 'rejected' END) END,
              i % 11 <> 0, i % 6 <> 0, (ARRAY['satisfied','satisfied','basically_satisfied','unsatisfied','satisfied'])[1 + i % 5],
              created_at + interval '6 day', CASE WHEN i % 30 = 0 THEN created_at + interval '7 day' END
         FROM o`,
      [units, from, to, n]);
  }
  await p.db.pool.query('ANALYZE');
  return (Date.now() - started) / 1000;
}

export async function benchSla(p: TestPlatform, o: SlaBenchOptions): Promise<void> {
  const units = (await p.db.pool.query(`SELECT id FROM units WHERE level IN ('department', 'district', 'street') ORDER BY code`))
    .rows.map((r) => r.id);
  // a unit's staff, so that deadline notices have someone to go to
  await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
  const now = new Date('2026-11-20T02:00:00Z');

  const openSeconds = await loadOpen(p, o.openOrders, now, units);
  await p.db.pool.query('ANALYZE');
  if (p.db.engine === 'pglite') await p.db.pool.query('CHECKPOINT');
  const timers = (await p.db.pool.query('SELECT count(*)::int AS n FROM timers')).rows[0].n;
  o.report('sla_load_open_orders', { openOrders: o.openOrders, timers, seconds: Math.round(openSeconds) });

  // nothing is due at `now`: the sweep finds that out and returns
  const empty = await o.timed(50, async () => {
    const r = await sweepTimers(p.db.pool, TIMER_HANDLERS, now);
    if (r.fired) throw new Error('the empty sweep fired');
  });
  o.report('sla_empty_sweep', { ...empty, targetMs: 50, openOrders: o.openOrders, timers });

  // the due timers of the earliest hours: each takes the order's lock, records the mark, appends an event, notifies
  const FIRE = Math.min(20_000, timers);
  const until = (await p.db.pool.query('SELECT due_at FROM timers ORDER BY due_at OFFSET $1 LIMIT 1', [FIRE - 1])).rows[0].due_at as Date;
  const t0 = performance.now();
  const fired = await sweepAllDue(p.db.pool, TIMER_HANDLERS, until);
  const seconds = (performance.now() - t0) / 1000;
  o.report('sla_due_timers_fired', { fired: fired.fired, failed: fired.failed, seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(fired.fired / seconds), batch: 50 });

  const yearSeconds = await loadYear(p, o.yearRounds, units);
  o.report('sla_load_year', { rounds: o.yearRounds, seconds: Math.round(yearSeconds) });
  const supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
  const period = periodOf({ month: '2026-06' });
  const monthRounds = (await p.db.pool.query('SELECT count(*)::int AS n FROM order_rounds WHERE started_at >= $1 AND started_at < $2',
    [period.from, period.to])).rows[0].n;
  let unitsAssessed = 0;
  const assess = await o.timed(7, async () => {
    unitsAssessed = (await assessUnits(p.db.pool, supervisor, period)).units.length;
  });
  o.report('sla_month_assessment', { ...assess, targetMs: p.db.engine === 'pglite' ? 2000 : undefined, monthRounds, unitsAssessed,
    yearRounds: o.yearRounds });
  const result = await assessUnits(p.db.pool, supervisor, period);
  const exportTime = await o.timed(3, async () => { await assessmentWorkbook(result, '济南市'); });
  o.report('sla_month_export_xlsx', { ...exportTime, units: result.units.length });
}
