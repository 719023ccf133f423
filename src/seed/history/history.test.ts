// The history generator: seeded (the same seed, the same history), shaped like a hotline's year
// (holidays quiet, heating in winter, repeat callers, incidents as planned), and written so that
// the modules read it as they read orders the lifecycle made.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beijingDate } from '../../shared/beijing.js';
import { CITY, makeStaff, registerTestOrder, startTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { systemActor } from '../../modules/auth/index.js';
import { applyTransition, getOrder, trainingOrders } from '../../modules/orders/index.js';
import { assessUnits, periodOf } from '../../modules/assessment/index.js';
import * as sla from '../../modules/sla/index.js';
import { sweepAllDue } from '../../modules/timers/index.js';
import { TIMER_HANDLERS } from '../../platform.js';
import { HistoryModel, type HistoryOptions, type PlannedOrder } from './model.js';
import { loadWorld, textsByLabel, type DatabaseWorld } from './world.js';
import { HISTORY_TABLES, writeHistory } from './write.js';
import { migrate } from '../../db/migrate.js';
import { loadHistory } from './load.js';
import { rebuildRollups } from '../../modules/analytics/index.js';
import { checkForeignKeys, mayCheckForeignKeysAtEnd } from '../../db/bulk-load.js';

const END = new Date('2026-11-30T16:00:00Z'); // midnight in Beijing, 1 December 2026
const YEAR: HistoryOptions = { orders: 60_000, years: 2, seed: 11, end: END };
const MESSAGES = fileURLToPath(new URL('../../../../shared/data/gov-messages/messages.csv', import.meta.url));

describe('history generator', () => {
  let p: TestPlatform;
  let world: DatabaseWorld;
  let orders: PlannedOrder[];
  let model: HistoryModel;

  before(async () => {
    p = await startTestPlatform();
    world = await loadWorld(p.db.pool, CITY);
    model = new HistoryModel(world, YEAR);
    orders = [...model.orders()];
  });
  after(() => p.db.close());

  /** a quarter up to now, written by the test below and read by the ones after it */
  const RECENT: HistoryOptions = { orders: 1_500, years: 0.25, seed: 5, end: new Date() };
  const digest = (xs: PlannedOrder[]) => createHash('sha256').update(JSON.stringify(xs)).digest('hex');

  it('gives the same history for the same seed, another for another seed, and exactly the orders asked for, in time order', () => {
    assert.equal(orders.length, YEAR.orders);
    const first = (options: HistoryOptions, n: number) => {
      const out: PlannedOrder[] = [];
      for (const o of new HistoryModel(world, options).orders()) if (out.push(o) === n) break;
      return out;
    };
    assert.equal(digest(first(YEAR, 5_000)), digest(orders.slice(0, 5_000)));
    assert.notEqual(digest(first({ ...YEAR, seed: 12 }, 5_000)), digest(orders.slice(0, 5_000)));
    for (let i = 1; i < orders.length; i++) assert.ok(orders[i]!.createdAt >= orders[i - 1]!.createdAt);
    assert.ok(orders[0]!.createdAt.getTime() >= END.getTime() - 2 * 366 * 86_400_000 && orders.at(-1)!.createdAt < END,
      'the history ends before its end (at midnight, the last day has no hours left)');
    assert.deepEqual(orders.map((o) => o.seq), orders.map((_, i) => i + 1));
  });

  it('grows over the years, and is quiet in the Spring Festival and National Day holidays', () => {
    const perDay = new Map<string, number>();
    for (const o of orders) perDay.set(beijingDate(o.createdAt), (perDay.get(beijingDate(o.createdAt)) ?? 0) + 1);
    const mean = (dates: string[]) => dates.reduce((n, d) => n + (perDay.get(d) ?? 0), 0) / dates.length;
    const yearOf = (y: string) => [...perDay.keys()].filter((d) => d.startsWith(y));
    assert.ok(mean(yearOf('2026')) > 2 * mean(yearOf('2025')), 'the second year is busier than the first');
    for (const [holiday, year] of [['春节', '2026'], ['国庆节', '2025']] as const) {
      const days = [...world.holidays].filter(([d, name]) => name === holiday && d.startsWith(year)).map(([d]) => d);
      const first = Date.parse(days[0]!);
      const around = [...Array(14).keys()].map((k) => new Date(first - (k + 1) * 86_400_000).toISOString().slice(0, 10))
        .filter((d) => !world.holidays.has(d));
      assert.ok(mean(days) < 0.8 * mean(around), `${holiday} ${year}: ${mean(days).toFixed(0)} a day against ${mean(around).toFixed(0)} before it`);
    }
  });

  it('brings heating in winter and keeps it out of summer', () => {
    const heating = world.categories.findIndex((c) => c.name === '冬季采暖');
    const share = (months: string[]) => {
      const of = orders.filter((o) => months.includes(beijingDate(o.createdAt).slice(5, 7)));
      return of.filter((o) => o.category === heating).length / of.length;
    };
    assert.ok(share(['12', '01']) > 10 * share(['05', '06', '07', '08', '09']), `winter ${share(['12', '01'])}, summer ${share(['06'])}`);
    assert.ok(share(['12', '01']) > 0.05);
  });

  it('has callers who call once, and a few who call again and again', () => {
    const contacts = new Map<number, number>();
    for (const o of orders) contacts.set(o.caller, (contacts.get(o.caller) ?? 0) + 1);
    const once = [...contacts.values()].filter((n) => n === 1).length;
    assert.ok(once / contacts.size > 0.6, `${once} of ${contacts.size} called once`);
    assert.ok(Math.max(...contacts.values()) >= 30, 'the most frequent caller called 30 times or more');
  });

  it('plans each incident as a burst of reports of one matter from one community within an hour', () => {
    assert.ok(model.incidents.length >= 40);
    const reportsOf = new Map<number, PlannedOrder[]>();
    for (const o of orders) if (o.incident >= 0) reportsOf.set(o.incident, [...(reportsOf.get(o.incident) ?? []), o]);
    for (const incident of model.incidents) {
      const reports = reportsOf.get(incident.id) ?? [];
      assert.equal(reports.length, incident.reports.length);
      assert.ok(reports.every((o) => o.community === incident.community && o.category === incident.category && o.urgency === 'urgent'));
      assert.ok(reports.at(-1)!.createdAt.getTime() - reports[0]!.createdAt.getTime() <= 60 * 60_000);
    }
  });

  it('takes no step after the end: recent orders are still open, old ones closed with every step in order', () => {
    const recent = orders.filter((o) => END.getTime() - o.createdAt.getTime() < 2 * 86_400_000 && !o.answeredDirectly);
    assert.ok(recent.some((o) => o.state !== 'closed'));
    for (const o of orders) {
      const steps = o.rounds.flatMap((r) => [r.startedAt, r.signedAt, r.returnedAt, r.repliedAt, r.visitedAt, r.endedAt]).filter((t): t is Date => !!t);
      assert.ok(steps.every((t, i) => t <= END && t >= o.createdAt && (i === 0 || t >= steps[i - 1]!)), `order ${o.seq}'s steps are in order`);
      assert.equal(o.state === 'closed', !!o.closedAt);
    }
  });

  it('stops registering where asked, handles its orders on up to the end, and keeps an even volume when asked for no growth', () => {
    const until = new Date(END.getTime() - 30 * 86_400_000);
    const even: HistoryOptions = { orders: 4_000, years: 1, seed: 7, end: END, registeredUntil: until, growth: 1 };
    const stopped = [...new HistoryModel(world, even).orders()];
    assert.equal(stopped.length, 4_000);
    assert.ok(stopped.every((o) => o.createdAt <= until), 'nothing registered after the history stops');
    const steps = stopped.flatMap((o) => o.rounds.flatMap((r) => [r.signedAt, r.repliedAt, r.visitedAt, r.endedAt])).filter((t): t is Date => !!t);
    assert.ok(steps.some((t) => t > until) && steps.every((t) => t <= END), 'the last orders handled after it, up to the end');
    const lastWeek = stopped.filter((o) => until.getTime() - o.createdAt.getTime() < 7 * 86_400_000 && !o.answeredDirectly);
    assert.ok(lastWeek.filter((o) => o.state === 'closed').length > 0.8 * lastWeek.length, 'a month on, most of its last week is closed');
    const registered = (from: number, to: number) => stopped.filter((o) => o.createdAt.getTime() >= from && o.createdAt.getTime() < to).length;
    const start = until.getTime() - 365 * 86_400_000;
    const [first, last] = [registered(start, start + 90 * 86_400_000), registered(until.getTime() - 90 * 86_400_000, until.getTime())];
    assert.ok(last < 1.5 * first && first < 1.5 * last, `the first quarter ${first}, the last ${last}`);
    const grown = [...new HistoryModel(world, { ...even, growth: undefined }).orders()];
    assert.ok(grown.filter((o) => o.createdAt.getTime() >= until.getTime() - 90 * 86_400_000).length
      > 4 * grown.filter((o) => o.createdAt.getTime() < start + 90 * 86_400_000).length, 'by default the volume grows');
  });

  it('words a request as its type has it: a praise thanks, an enquiry asks, a complaint or report finds fault', () => {
    const of = (type: string) => orders.filter((o) => o.requestType === type && o.incident < 0);
    assert.ok(of('praise').length > 100 && of('praise').every((o) => o.body.split('表扬').length === 2), 'a praise says 表扬, once');
    const fault = /没有解决|拖了很久|意见很大|混乱|隐患|严重|乱收费|态度恶劣/;
    const words = (o: PlannedOrder) => [world.categories[o.category]!.name, world.categories[o.category]!.parentName].reduce((b, m) => b.replaceAll(m, ''), o.body);
    assert.ok([...of('enquiry'), ...of('suggestion')].every((o) => !fault.test(words(o))), 'an enquiry or a suggestion finds no fault (but in the matter\'s own name: 乱收费)');
    assert.ok(of('enquiry').every((o) => /问|咨询|了解/.test(o.body)));
    assert.ok([...of('complaint'), ...of('report')].every((o) => !o.body.includes('表扬') && /投诉|举报|反映|查处|解决|处理/.test(o.body)));
  });

  it('draws texts from a labelled file, read in place, for the categories it has labels for (templates for the others)',
    { skip: existsSync(MESSAGES) ? false : `no ${MESSAGES}: the labelled messages are not on this machine` }, () => {
      const texts = textsByLabel(MESSAGES);
      const drawn: PlannedOrder[] = [];
      for (const o of new HistoryModel(world, { ...YEAR, texts }).orders()) if (drawn.push(o) === 5_000) break;
      const bodies = new Set([...texts.values()].flat().map((t) => t.body));
      const labelled = (o: PlannedOrder) => texts.has(world.categories[o.category]!.topName) && o.incident < 0;
      assert.ok(drawn.filter(labelled).length > 1_000);
      assert.ok(drawn.filter(labelled).every((o) => bodies.has(o.body)), 'a labelled category\'s order says what a citizen wrote');
      assert.ok(drawn.filter((o) => !labelled(o)).every((o) => !bodies.has(o.body)), 'the others say what the templates say');
    });

  it('writes orders the modules read: the order with its unit and rounds, the month\'s assessment, the tracking numbers going on after', async () => {
    const written = await writeHistory(p.db.pool, CITY, world, RECENT);
    assert.equal(written.orders, 1_500);
    assert.equal(written.incidents.reduce((n, x) => n + x.trackingNos.length, 0),
      Number((await p.db.pool.query(`SELECT count(*) FROM orders WHERE urgency = 'urgent' AND title ~ '(停水|燃气泄漏|停电|塌陷|污水外溢|管道爆裂)$'`)).rows[0].count));

    // assignments and visits as the lifecycle leaves them: work in hand is active, nothing else is
    const inHand = (await p.db.pool.query(`SELECT o.state, count(a.id) FILTER (WHERE a.status = 'active')::int AS active
      FROM orders o JOIN order_assignments a ON a.order_id = o.id GROUP BY o.id, o.state`)).rows;
    assert.ok(inHand.every((r) => r.active === (['dispatched', 'signed'].includes(r.state) ? 1 : 0)),
      'one active assignment for an order at its unit, none for one replied, returned, visited or closed');
    const visits = (await p.db.pool.query(`SELECT o.state, v.status, count(*)::int AS n FROM return_visits v JOIN orders o ON o.id = v.order_id
      GROUP BY 1, 2`)).rows as { state: string; status: string; n: number }[];
    assert.ok(visits.every((v) => (v.state === 'closed' ? ['done', 'closed', 'unreachable', 'reopened'] : ['pending', 'to_confirm', 'reopened']).includes(v.status)),
      JSON.stringify(visits));

    const admin = systemActor(CITY);
    const closed = (await p.db.pool.query(`SELECT id FROM orders WHERE state = 'closed' AND lead_unit_id IS NOT NULL LIMIT 1`)).rows[0].id;
    const detail = await getOrder(p.db.pool, admin, closed);
    assert.equal(detail.state, 'closed');
    assert.ok(detail.leadUnit && detail.assignments.length >= 1);

    const month = periodOf({ month: beijingDate(new Date(Date.now() - 40 * 86_400_000)).slice(0, 7) });
    const assessment = await assessUnits(p.db.pool, admin, month);
    const received = assessment.units.reduce((n, u) => n + u.figures.received, 0);
    const rounds = Number((await p.db.pool.query(`SELECT count(*) FROM order_rounds WHERE started_at >= $1 AND started_at < $2`,
      [month.from, month.to])).rows[0].count);
    assert.ok(received > 100 && received === rounds, `the month's assessment counts the generated rounds: ${received} of ${rounds}`);

    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const next = await registerTestOrder(p, agent);
    const highest = (await p.db.pool.query(`SELECT max(split_part(tracking_no, '-', 2)) AS n FROM orders WHERE id <> $1`, [next.id])).rows[0].n;
    assert.ok(next.trackingNo.split('-')[1]! > highest, `${next.trackingNo} comes after the history's ${highest}`);
  });

  it('marks the warnings given before the end, and arms the open rounds\' deadlines: they warn and turn overdue from there', async () => {
    const { pool } = p.db;
    // the history's rounds, marked as the sweep would have marked them: a deadline's warning given when its moment passed while the
    // round was active (up to the step, its return or reopening, or the history's end), if it comes before the deadline
    for (const [kind, met] of [['sign', 'signed_at'], ['reply', 'replied_at'], ['close', 'closed_at']]) {
      const marks = (await pool.query(`SELECT count(*) FILTER (WHERE r.${kind}_warned_at IS NOT NULL)::int AS warned,
          count(*) FILTER (WHERE r.${kind}_warned_at IS DISTINCT FROM
            CASE WHEN r.${kind}_warn_at < r.${kind}_due_at AND coalesce(r.${met}, r.ended_at, $1) > r.${kind}_warn_at THEN r.${kind}_warn_at END)::int AS wrong
        FROM order_rounds r JOIN orders o ON o.id = r.order_id WHERE o.generated`, [RECENT.end])).rows[0];
      assert.ok(marks.warned > 0 && marks.wrong === 0, `${kind}: ${JSON.stringify(marks)}`);
    }

    // each open round's deadline neither met nor overdue by the end has its timers; one crossed before the end has none
    const open = `FROM order_rounds r JOIN orders o ON o.id = r.order_id CROSS JOIN unnest(ARRAY['sign', 'reply', 'close']) AS k(kind)
      WHERE o.generated AND r.status = 'active' AND CASE k.kind WHEN 'sign' THEN r.signed_at IS NULL AND r.sign_overdue_at IS NULL
        WHEN 'reply' THEN r.replied_at IS NULL AND r.reply_overdue_at IS NULL ELSE r.closed_at IS NULL AND r.close_overdue_at IS NULL END`;
    const due = (await pool.query(`SELECT r.order_id, r.id AS round, k.kind ${open} ORDER BY 1, 3`)).rows;
    const timers = (await pool.query(`SELECT t.subject_id AS order_id, t.ref AS round, t.detail AS kind FROM timers t JOIN orders o ON o.id = t.subject_id
      WHERE o.generated AND t.kind = $1 ORDER BY 1, 3`, [sla.DUE_TIMER])).rows;
    assert.ok(due.length > 20, `open deadlines at the end: ${due.length}`);
    assert.deepEqual(timers, due);
    const overdueAtEnd = Number((await pool.query(`SELECT count(*) FROM order_rounds r JOIN orders o ON o.id = r.order_id
      WHERE o.generated AND r.status = 'active' AND r.replied_at IS NULL AND r.reply_overdue_at IS NOT NULL`)).rows[0].count);
    assert.ok(overdueAtEnd > 0, 'some open rounds were overdue before the end');

    // the sweep marks them as it marks the lifecycle's, with the order's events: at a reply's warning, then past every deadline
    const warning = (await pool.query(`SELECT t.subject_id, t.due_at FROM timers t JOIN orders o ON o.id = t.subject_id
      WHERE o.generated AND t.kind = $1 AND t.detail = 'reply' ORDER BY t.due_at LIMIT 1`, [sla.WARN_TIMER])).rows[0];
    await sweepAllDue(pool, TIMER_HANDLERS, new Date(warning.due_at.getTime() + 1000));
    await sweepAllDue(pool, TIMER_HANDLERS, new Date(Date.now() + 120 * 86_400_000));
    assert.equal(Number((await pool.query(`SELECT count(*) ${open}`)).rows[0].count), 0, 'every open deadline is overdue now');
    const events = (await getOrder(pool, systemActor(CITY), warning.subject_id)).events;
    assert.ok(events.some((e) => e.type === 'order.deadline_warning' && e.payload.deadline === 'reply'), events.map((e) => e.type).join());
    assert.ok(events.some((e) => e.type === 'order.overdue' && e.payload.deadline === 'reply'), events.map((e) => e.type).join());
  });

  it("lets a big load check its rows against the tables' thirteen foreign keys at the end, and they hold", async () => {
    // a trigger on these tables would turn the row-by-row checks back on for a load (and this test fails)
    assert.equal(await mayCheckForeignKeysAtEnd(p.db.pool, HISTORY_TABLES), true);
    const checks = await checkForeignKeys(p.db.pool, HISTORY_TABLES); // the orders written above, and the tests' own
    assert.equal(checks.length, 13);
  });

  it("trains the classifier on the hotline's own closed orders, never on the generated ones", async () => {
    assert.ok(Number((await p.db.pool.query(`SELECT count(*) FROM orders WHERE state = 'closed' AND generated`)).rows[0].count) > 500,
      'the history above has closed orders, all of them marked');
    const agent = await makeStaff(p, 'HOTLINE', ['agent']);
    const own = await registerTestOrder(p, agent, { title: '咨询公积金提取' });
    await applyTransition(p.db.pool, agent, own.id, 'answer_directly', { text: '已当场答复' });
    const examples = await trainingOrders(p.db.pool, CITY, 100_000);
    assert.deepEqual(examples.map((e) => e.title), ['咨询公积金提取']);
  });
});

describe('a big load of history', () => {
  let p: TestPlatform;
  let world: DatabaseWorld;
  before(async () => {
    p = await startTestPlatform();
    world = await loadWorld(p.db.pool, CITY);
  });
  after(() => p.db.close());
  const small: HistoryOptions = { orders: 4_000, years: 0.1, seed: 7, end: new Date() };
  const unchecked = async () => (await p.db.pool.query('SELECT table_name FROM unchecked_rows ORDER BY 1')).rows.map((r) => r.table_name);

  it('counts the rollups of a big load (on a server beside its index builds) as a rebuild after the load counts them', async () => {
    const loaded = await loadHistory(p.db.pool, CITY, world, { ...small, orders: 3_000, seed: 6 }, undefined,
      { bulkFrom: 1, sideBySide: p.db.engine === 'postgres' });
    assert.ok(loaded.builds.some((b) => b.name === 'orders_search'), 'a bulk load, its indexes built again');
    const rows = async () => Promise.all(['analytics_daily', 'analytics_unit_daily', 'analytics_unit_monthly', 'analytics_order_facts']
      .map(async (table) => (await p.db.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`)).rows));
    const beside = await rows();
    assert.ok(loaded.rollups.rows > 1_000 && beside[3]!.length === 3_000, `${loaded.rollups.rows} rollup rows, ${beside[3]!.length} facts`);
    await rebuildRollups(p.db.pool, CITY, { atOnce: true });
    assert.deepEqual(await rows(), beside);
  });

  it('writes its rows without the keys\' checks and checks every key at the end, the indexes built again', async () => {
    const written = await writeHistory(p.db.pool, CITY, world, small, undefined, { bulkFrom: 1 });
    assert.equal(written.orders, 4_000);
    const names = written.builds.map((b) => b.name);
    assert.equal(names.filter((n) => n.endsWith('_fkey')).length, 13, 'each of the five tables\' keys checked');
    assert.ok(names.includes('orders_search'), 'the indexes dropped for the load, built again');
    assert.deepEqual(await unchecked(), [], 'the mark the load made taken off by its check');
  });

  it('fails when rows it wrote break a key, naming the key, how many rows and one of them', async () => {
    const broken: DatabaseWorld = { ...world, categoryIds: world.categoryIds.map(() => 99_999_999) };
    await assert.rejects(writeHistory(p.db.pool, CITY, broken, { ...small, orders: 8_000, seed: 8 }, undefined, { bulkFrom: 1 }),
      /break 1 of them: orders_category_id_fkey: 8000 rows of orders reference no row of categories, such as \(category_id\)=\(99999999\)/);
    assert.deepEqual(await unchecked(), [...HISTORY_TABLES].sort(), 'still marked');
    await assert.rejects(migrate(p.db.pool), /a bulk load that did not finish .* orders_category_id_fkey: 8000 rows/, 'a start refuses them too');
  });
});
