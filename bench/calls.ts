// The call centre's telephony events, end to end through HTTP: call events absorbed per second,
// posted one per request (a telephony that posts each event as it happens) and in batches (the AMI
// bridge under load flushes up to 100 at a time), beside the same events absorbed in-process in the
// same run (the baseline); every event counted after, every call's record checked. Then the
// screen-pop: an `answered` event posted → `call.answered` on the agent's live stream, and the
// caller's profile read after it (what the workspace shows), medians of --samples.
// The bodies are signed before timing, as the telephony signs each as it sends it.
import { randomUUID } from 'node:crypto';
import { buildApp } from '../src/http/app.js';
import { absorbCallEvents, signInToSeat, type CallEvent } from '../src/modules/calls/index.js';
import { LiveFeed } from '../src/modules/events/index.js';
import { registerOrder } from '../src/modules/orders/index.js';
import { generateCalls } from '../src/seed/calls.js';
import { signedCallEvents } from '../src/testing/telephony.js';
import { makeStaff, orderInput, PASSWORD, type TestPlatform } from '../src/testing/harness.js';
import { readEventStream } from '../src/testing/sse.js';
import { median, quantile, round } from './stats.js';

type Report = (name: string, figures: Record<string, unknown>) => void;
type Load = (headers: Record<string, string>, requests: { method: string; url: string; raw?: string; headers?: Record<string, string> }[]) =>
  Promise<{ perSecond: number; statuses: Record<number, number>; cpuSeconds: number }>;
type Throughput = (total: number, concurrency: number, task: (i: number) => Promise<void>) => Promise<number>;

const SEATS = 500;

/** The events of `n` calls of the last hour at 500 seats (src/seed/calls.ts). */
export function callTraffic(n: number, seed: number, prefix = randomUUID().slice(0, 8)): CallEvent[] {
  return generateCalls({ calls: n, seed, prefix, from: Date.now() - 3_600_000, spanMs: 3_000_000, seats: SEATS });
}

/** `events` cut into signed POSTs of `perPost` events each, signed now. */
function signedPosts(base: string, events: CallEvent[], perPost: number) {
  const requests = [];
  for (let i = 0; i < events.length; i += perPost) {
    const { url, payload: raw, headers } = signedCallEvents(events.slice(i, i + perPost));
    requests.push({ method: 'POST', url: `${base}${url}`, raw, headers });
  }
  return requests;
}

export async function benchCalls(p: TestPlatform, opts: { calls: number; samples: number; concurrency: number; report: Report; load: Load;
  throughput: Throughput; cpuMs: (events: number, run: () => Promise<{ cpuSeconds: number }>) => Promise<Record<string, unknown>> }): Promise<void> {
  const { pool } = p.db;
  const count = async (prefix: string) => (await pool.query(
    `SELECT count(*)::int AS calls, count(*) FILTER (WHERE state = 'ended')::int AS ended, coalesce(sum(events), 0)::int AS events
       FROM calls WHERE call_id LIKE $1`, [`${prefix}-%`])).rows[0] as { calls: number; ended: number; events: number };

  // the baseline: the same events absorbed in-process, one at a time, with no HTTP and no signature
  const baseline = callTraffic(Math.ceil(opts.calls / 4), 1, 'direct');
  for (const e of callTraffic(20, 2, 'warm')) await absorbCallEvents(pool, p.config.cityCode, [e]);
  const inProcess = await opts.throughput(baseline.length, opts.concurrency, async (i) => { await absorbCallEvents(pool, p.config.cityCode, [baseline[i]!]); });

  const app = await buildApp(p);
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    for (const perPost of [1, 50]) {
      const prefix = `http${perPost}`;
      const events = callTraffic(opts.calls, 3 + perPost, prefix);
      const requests = signedPosts(base, events, perPost);
      let job!: Awaited<ReturnType<Load>>;
      const cpu = await opts.cpuMs(events.length, async () => (job = await opts.load({ 'content-type': 'application/json' }, requests)));
      if (job.statuses[200] !== requests.length) throw new Error(`telephony events: ${JSON.stringify(job.statuses)}`);
      const after = await count(prefix);
      const calls = new Set(events.map((e) => e.callId)).size;
      if (after.calls !== calls || after.ended !== calls || after.events !== events.length) {
        throw new Error(`calls kept ${JSON.stringify(after)}, expected ${calls} calls, all ended, ${events.length} events`);
      }
      const perSecond = job.perSecond * perPost;
      opts.report('call_events_http', { eventsPerSecond: round(perSecond), eventsPerPost: perPost, events: events.length, calls,
        concurrency: opts.concurrency, cpuMsPerEvent: cpu, inProcessOneAtATimePerSecond: round(inProcess), ratioToInProcess: round(perSecond / inProcess),
        checked: 'every call kept, ended, with all its events' });
    }
  } finally {
    await app.close();
  }
  await screenPop(p, opts);
}

/** An `answered` event posted → `call.answered` on the agent's stream → the caller's profile read. */
async function screenPop(p: TestPlatform, opts: { samples: number; report: Report }): Promise<void> {
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  await signInToSeat(p.db.pool, agent, '1999');
  const caller = '13905319999';
  for (let i = 0; i < 5; i++) await registerOrder(p.db.pool, agent, orderInput({ citizen: { phone: caller } }));
  const feed = await LiveFeed.start(p.db.pool, { wake: (f) => p.db.listen('minsheng_events', f), pollMs: 60_000, log: (e) => console.error(e) });
  const app = await buildApp(p, { feed });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const controller = new AbortController();
  try {
    const token = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: agent.username, password: PASSWORD }) })).json()).token as string;
    const waiting = new Map<string, (at: number) => void>();
    void readEventStream(`${base}/api/v1/events/stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal,
      onMessage: (m) => { if (m.event === 'call.answered') waiting.get(JSON.parse(m.data).callId)?.(performance.now()); } });
    await new Promise((r) => setTimeout(r, 300));
    const post = async (events: CallEvent[]) => {
      const [request] = signedPosts(base, events, events.length);
      const res = await fetch(request!.url, { method: 'POST', body: request!.raw, headers: { 'content-type': 'application/json', ...request!.headers } });
      if (res.status !== 200) throw new Error(`post: ${res.status} ${await res.text()}`);
    };
    const toStream: number[] = [];
    const toProfile: number[] = [];
    for (let i = 0; i < opts.samples + 3; i++) {
      const callId = `pop-${randomUUID()}`;
      const at = (s: number) => new Date(Date.now() - 10_000 + s * 1000).toISOString();
      await post([{ id: `${callId}:o`, callId, type: 'offered', at: at(0), caller, queue: 'hotline' },
        { id: `${callId}:r`, callId, type: 'ringing', at: at(2), seat: '1999' }]);
      const arrived = new Promise<number>((resolve) => waiting.set(callId, resolve));
      const sent = performance.now();
      await post([{ id: `${callId}:a`, callId, type: 'answered', at: at(5), seat: '1999', agent: 'bench' }]);
      const streamed = await arrived;
      const profile = await fetch(`${base}/api/v1/calls/${callId}/caller`, { headers: { authorization: `Bearer ${token}` } });
      if (profile.status !== 200 || (await profile.json()).counts.all < 5) throw new Error('profile');
      if (i >= 3) { // the first few warm the statements up
        toStream.push(streamed - sent);
        toProfile.push(performance.now() - sent);
      }
      waiting.delete(callId);
    }
    opts.report('screen_pop', { samples: opts.samples,
      eventToStreamMs: { median: round(median(toStream)), p95: round(quantile(toStream, 0.95)) },
      eventToProfileMs: { median: round(median(toProfile)), p95: round(quantile(toProfile, 0.95)) },
      target: 'event → screen-pop ≤ 100 ms (median)',
      note: "from the telephony's POST of `answered` to the event on the agent's stream, and to the caller's profile read after it (a Node client; the browser's own part is in the web suite's e2e test)" });
  } finally {
    controller.abort();
    await app.close();
    await feed.stop();
  }
}
