// The citizens' channels, end to end through HTTP: messages accepted per second on each channel
// (so far the portal), beside the same registrations called in-process in the same run (the
// baseline), then the same messages delivered again (each answered as the first time, no order
// made), with the orders counted after: exactly one per message.
// The portal's proofs of work are solved before timing, as browsers solve them before submitting.
import { randomUUID } from 'node:crypto';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { buildApp } from '../src/http/app.js';
import { citizenActor } from '../src/modules/auth/index.js';
import { portalChallenge } from '../src/modules/channels/index.js';
import { registerOrder } from '../src/modules/orders/index.js';
import type { TestPlatform } from '../src/testing/harness.js';

type Report = (name: string, figures: Record<string, unknown>) => void;
type Load = (headers: Record<string, string>, requests: { method: string; url: string; body?: unknown }[]) =>
  Promise<{ perSecond: number; statuses: Record<number, number>; cpuSeconds: number }>;
type Throughput = (total: number, concurrency: number, task: (i: number) => Promise<void>) => Promise<number>;

const round = (x: number) => Math.round(x * 10) / 10;

/** A portal submission as the browser sends it: a fresh reference, a solved proof, a text among a few. */
async function submission(p: TestPlatform, i: number) {
  const challenge = await portalChallenge(p.db.pool, p.config.cityCode, p.config.portalProofOfWork);
  const solution = challenge ? await solveChallenge({ challenge, deriveKey }) : null;
  const texts = ['小区停水两天，没有任何通知', '路灯坏了一个月，晚上很黑', '楼下饭店油烟太大，影响休息', '公司拖欠工资三个月', '暖气不热，室温只有十五度'];
  return {
    clientRef: randomUUID(), requestType: 'complaint', title: texts[i % texts.length]!.slice(0, 8),
    body: `${texts[i % texts.length]}，地址在历下区解放路${i}号，请尽快处理。`, place: { areaCode: '370102001' },
    contact: { name: '市民', phone: `139${String(i).padStart(8, '0')}` }, confidential: false,
    ...(challenge && solution ? { proof: { challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } } } : {}),
  };
}

export async function benchChannels(p: TestPlatform, opts: { messages: number; concurrency: number; report: Report; load: Load;
  throughput: Throughput; cpuMs: (run: () => Promise<{ cpuSeconds: number }>) => Promise<Record<string, unknown>> }): Promise<void> {
  const { messages, concurrency } = opts;
  const solving = performance.now();
  const bodies: Awaited<ReturnType<typeof submission>>[] = [];
  for (let i = 0; i < messages; i++) bodies.push(await submission(p, i));
  const solveMs = (performance.now() - solving) / messages;

  // the baseline: the same registrations in-process, with no HTTP, no proof, no counters (after a warm-up)
  const citizen = citizenActor(p.config.cityCode, []);
  const direct = (b: Awaited<ReturnType<typeof submission>>, ref: string) => registerOrder(p.db.pool, citizen, {
    channel: 'web', channelRef: ref, requestType: 'complaint', title: b.title, body: b.body, citizen: b.contact, location: b.place });
  for (let i = 0; i < 20; i++) await direct(bodies[i % messages]!, `warm-${i}`);
  const inProcess = await opts.throughput(Math.min(1000, messages), concurrency, async (i) => { await direct(bodies[i]!, `direct-${randomUUID()}`); });

  const app = await buildApp(p);
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const requests = bodies.map((body) => ({ method: 'POST', url: `${base}/api/v1/public/portal/requests`, body }));
    const headers = { 'content-type': 'application/json' };
    let first!: Awaited<ReturnType<Load>>;
    const cpu = await opts.cpuMs(async () => (first = await opts.load(headers, requests)));
    if (first.statuses[201] !== messages) throw new Error(`portal: ${JSON.stringify(first.statuses)}`);
    const again = await opts.load(headers, requests);
    if (again.statuses[200] !== messages) throw new Error(`portal again: ${JSON.stringify(again.statuses)}`);
    const orders = Number((await p.db.pool.query(`SELECT count(*) AS n FROM orders WHERE channel = 'web' AND channel_ref = ANY($1)`,
      [bodies.map((b) => b.clientRef)])).rows[0].n);
    if (orders !== messages) throw new Error(`portal: ${orders} orders for ${messages} messages`);
    opts.report('channel_portal', {
      acceptedPerSecond: round(first.perSecond), inProcessPerSecond: round(inProcess), ratioToInProcess: round(first.perSecond / inProcess),
      deliveredAgainPerSecond: round(again.perSecond), messages, concurrency, ordersMade: orders, cpuMsPerMessage: cpu,
      proofOfWork: { maxNumber: p.config.portalProofOfWork, solveMsPerMessage: round(solveMs), note: 'solved before timing, as a browser does' },
    });
  } finally {
    await app.close();
  }
}
