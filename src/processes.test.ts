// Two real server processes on one PostgreSQL server: they share the timers, the consumers and the
// live stream without doing anything twice or missing anything.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeStaff, orderInput, PASSWORD, startTestPlatform, unitId, type TestPlatform } from './testing/harness.js';
import { applyTransition, registerOrder } from './modules/orders/index.js';
import type { Actor } from './modules/auth/index.js';
import { readEventStream } from './testing/sse.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

/** A server process (`npm start`'s entry point) on the test's database; resolves with its address. */
function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', SEED_DEMO: 'false', LOG_LEVEL: 'warn', TIMER_SWEEP_SECONDS: '1',
      STREAM_HEARTBEAT_SECONDS: '1', CLASSIFY_RETRAIN_DAYS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/[^\s]+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** Reads an SSE stream into a list of { id, event, data } as it arrives. */
function collect(url: string): { events: { id: string; event: string; data: any; at: number }[]; stop: () => void } {
  const events: { id: string; event: string; data: any; at: number }[] = [];
  const abort = new AbortController();
  void readEventStream(url, { signal: abort.signal,
    onMessage: (m) => events.push({ id: m.id!, event: m.event, data: JSON.parse(m.data), at: Date.now() }) }).catch(() => undefined);
  return { events, stop: () => abort.abort() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  for (const started = Date.now(); Date.now() - started < ms; await new Promise((r) => setTimeout(r, 20))) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('two server processes on one PostgreSQL server', { skip: process.env.DATABASE_URL ? false
  : 'needs a PostgreSQL server (DATABASE_URL): one PGlite data folder belongs to one process' }, () => {
  let p: TestPlatform;
  const servers: { child: ChildProcess; url: string }[] = [];
  let agent: Actor & { username: string };
  let water: Actor & { username: string };
  let waterUnit: string;

  before(async () => {
    p = await startTestPlatform();
    agent = await makeStaff(p, 'HOTLINE', ['agent', 'supervisor']);
    water = await makeStaff(p, 'UTIL-WATER', ['unit_handler']);
    waterUnit = await unitId(p, 'UTIL-WATER');
    servers.push(...await Promise.all([startServer(p.config.databaseUrl!), startServer(p.config.databaseUrl!)]));
  });
  after(async () => {
    await Promise.all(servers.map(({ child }) => new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })));
    await p.close();
  });

  const login = async (server: string, who: { username: string }) =>
    (await (await fetch(`${server}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: who.username, password: PASSWORD }) })).json()).token as string;
  const post = async (server: string, token: string, path: string, body: unknown) => {
    const res = await fetch(`${server}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body) });
    assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };

  it('sends an event committed in one process to the SSE clients of the other, each event once', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const token = await login(a, agent);
    const waterToken = await login(b, water);
    // a ticket from one process opens a stream on the other: tickets live in the database
    const ticket = await post(a, token, '/events/tickets', {});
    const hotlineOnB = collect(`${b}${ticket.url}`);
    const waterOnA = collect(`${a}${(await post(b, waterToken, '/events/tickets', {})).url}`);
    await new Promise((r) => setTimeout(r, 300));
    try {
      const orders: { id: string; sent: number }[] = [];
      for (let i = 0; i < 5; i++) {
        const order = await post(i % 2 ? a : b, token, '/orders', orderInput({ title: `多进程 ${i}` }));
        const sent = Date.now();
        await post(i % 2 ? b : a, token, `/orders/${order.id}/actions/dispatch`, { unitId: waterUnit });
        orders.push({ id: order.id, sent });
      }
      for (const order of orders) {
        const seen = await until('the dispatch on the other process', () =>
          hotlineOnB.events.find((e) => e.data.orderId === order.id && e.event === 'order.dispatched'));
        console.log(`# dispatch sent to one process → received on the other's stream in ${seen.at - order.sent} ms`);
        await until('the unit sees its order', () => waterOnA.events.find((e) => e.data.orderId === order.id && e.event === 'order.dispatched'));
      }
      const ids = hotlineOnB.events.map((e) => Number(e.id));
      assert.deepEqual(ids, [...new Set(ids)], 'no event twice');
      assert.equal(hotlineOnB.events.filter((e) => orders.some((o) => o.id === e.data.orderId)).length, 10);
      assert.ok(waterOnA.events.every((e) => e.event !== 'order.registered'), 'a unit sees orders from their dispatch on');
    } finally {
      hotlineOnB.stop();
      waterOnA.stop();
    }
  });

  it("takes a staff member's demotion made in one process on the very next request to the other", async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const admin = await makeStaff(p, 'HOTLINE', ['admin']);
    const lead = await makeStaff(p, 'HOTLINE', ['agent', 'lead']);
    const [adminToken, leadToken] = [await login(a, admin), await login(b, lead)];
    const me = async () => (await fetch(`${b}/api/v1/auth/me`, { headers: { authorization: `Bearer ${leadToken}` } }));
    assert.deepEqual((await (await me()).json()).roles, ['agent', 'lead']);
    for (const [body, expected] of [[{ roles: ['leader'] }, 200], [{ active: false }, 401], [{ active: true, roles: ['agent'] }, 200]] as const) {
      const changed = await fetch(`${a}/api/v1/staff/${lead.id}`, { method: 'PATCH', body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` } });
      assert.equal(changed.status, 200);
      const answer = await me();
      assert.equal(answer.status, expected, JSON.stringify(body));
      if ('roles' in body && expected === 200) assert.deepEqual((await answer.json()).roles, body.roles);
    }
  });

  it('fires each due timer once and gives each urge its notices once, with both processes at work', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    // orders dispatched three days ago: their sign-for deadlines have passed; the servers' sweeps find them
    const ids: string[] = [];
    const past = new Date(Date.now() - 3 * 86_400_000);
    for (let i = 0; i < 20; i++) {
      const { order } = await registerOrder(p.db.pool, agent, orderInput(), new Date(past.getTime() - 60_000));
      await applyTransition(p.db.pool, agent, order.id, 'dispatch', { unitId: waterUnit }, past);
      ids.push(order.id);
    }
    const token = await login(a, agent);
    for (const [i, id] of ids.slice(0, 6).entries()) await post(i % 2 ? a : b, token, `/orders/${id}/actions/urge`, { text: '请加快' });
    await until('every sign-for deadline marked overdue', async () => {
      const r = await p.db.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = ANY($1::uuid[]) AND type = 'order.overdue'`, [ids]);
      return r.rows[0].n >= 20 ? true : undefined;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 2_500)); // two more sweeps by each process
    const marks = await p.db.pool.query(
      `SELECT stream_id, payload->>'deadline' AS deadline, count(*)::int AS n FROM events
        WHERE stream_id = ANY($1::uuid[]) AND type = 'order.overdue' GROUP BY 1, 2`, [ids]);
    assert.ok(marks.rows.every((r) => r.n === 1), 'each deadline marked once');
    assert.equal(marks.rows.filter((r) => r.deadline === 'sign').length, 20);
    const notices = await until('the notices of the urges and marks', async () => {
      const r = await p.db.pool.query(
        `SELECT order_id, kind, detail->>'deadline' AS deadline, count(*)::int AS n FROM notices
          WHERE staff_id = $1 AND order_id = ANY($2::uuid[]) GROUP BY 1, 2, 3`, [water.id, ids]);
      return r.rows.filter((n) => n.kind === 'urged').length === 6
        && r.rows.filter((n) => n.kind === 'overdue' && n.deadline === 'sign').length === 20 ? r.rows : undefined;
    });
    assert.ok(notices.every((n) => n.n === 1), `one notice per event (an urge, a deadline passed) for the unit's handler: ${
      JSON.stringify(notices.filter((n) => n.n !== 1))}`);
  });
});
