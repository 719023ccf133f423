// npm run bench -- mix: an hour of the hotline as it lives, replayed open loop (requests fire on
// schedule, as people do, whatever the server's pace), in multiples of Jinan's busiest hour.
//
// 1× is 10 % of 20,000 daily requests in an hour: about 2,000 orders, some 5.5 requests a second of
// this mix. Per second at 1×: 0.56 registrations, each preceded by a caller look-up and two typing
// suggestions; 0.45 dispatches and 0.11 direct answers; units signing (0.45) and replying (0.45),
// ten unit clients polling their inboxes every 10 s; return-visit results (0.36) and queue reads;
// supervisors polling warnings; leaders reading the assessment; seats refreshing their lists.
// The orders each action needs (registered ones to dispatch, dispatched ones to sign…) are prepared
// before the run, so that the load is steady from its first second.
import os from 'node:os';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { startBackground } from '../src/platform.js';
import { consumerStatus } from '../src/modules/events/index.js';
import { applyTransition, registerOrder } from '../src/modules/orders/index.js';
import { visitQueue } from '../src/modules/feedback/index.js';
import type { Actor } from '../src/modules/auth/index.js';
import { makeStaff, orderInput, PASSWORD, type TestPlatform } from '../src/testing/harness.js';
import { child } from './events.js';
import type { Scheduled } from './open-loop.js';
import { cpuSeconds } from './cpu.js';
import { quantile } from './stats.js';

export interface MixOptions {
  report: (name: string, figures: Record<string, unknown>) => void;
  multiples: number[];
  seconds: number;
}

/** The mix at 1×: requests per second of each kind. */
const RATES = {
  lookup: 0.56, suggest: 1.11, register: 0.56, dispatch: 0.45, answer: 0.11, sign: 0.45, reply: 0.45, inbox: 1.0,
  visitQueue: 0.2, visitResult: 0.36, warnings: 0.07, assessment: 0.017, seatList: 0.5,
} as const;
type Kind = keyof typeof RATES;
/** The writes, held to the p99 target. */
const WRITES: Kind[] = ['register', 'dispatch', 'answer', 'sign', 'reply', 'visitResult'];
const WRITE_P99_TARGET_MS = 200;
/** Units that take the dispatches, each with a handler polling its inbox. */
const UNIT_CODES = ['UTIL-WATER', 'UTIL-POWER', 'UTIL-GAS', 'UTIL-HEAT', 'UTIL-BUS', 'D370102', 'D370103', 'D370104', 'D370105', 'D370112'];

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Deterministic Poisson arrivals of `rate` per second over `seconds`, in ms. */
function arrivals(rate: number, seconds: number, seed: number): number[] {
  let s = seed >>> 0;
  const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 2 ** 32;
  const out: number[] = [];
  for (let t = -Math.log(random()) / rate; t < seconds; t += -Math.log(random()) / rate) out.push(t * 1000);
  return out;
}

/** Runs `n` tasks with `concurrency` in flight. */
async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}

export async function benchMix(p: TestPlatform, engine: string, o: MixOptions): Promise<void> {
  const agent = await makeStaff(p, 'HOTLINE', ['agent']);
  const supervisor = await makeStaff(p, 'HOTLINE', ['supervisor']);
  const visitor = await makeStaff(p, 'HOTLINE', ['visitor']);
  const leader = await makeStaff(p, 'LEADERS', ['leader']);
  const handlers: (Actor & { username: string })[] = [];
  for (const code of UNIT_CODES) handlers.push(await makeStaff(p, code, ['unit_handler']));
  const background = await startBackground(p, (error) => console.error(error));
  // the history loaded in bulk reaches the consumers first, as a running hotline's are caught up
  for (const until = Date.now() + 600_000; ; await new Promise((r) => setTimeout(r, 200))) {
    const behind = (await consumerStatus(p.db.pool)).filter((c) => c.behind > 0);
    if (behind.length === 0) break;
    if (Date.now() > until) throw new Error(`consumers still behind after 10 minutes: ${JSON.stringify(behind)}`);
  }
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(p, { feed: background.feed });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const tokens: Record<string, string> = {};
    for (const who of [agent, supervisor, visitor, leader, ...handlers]) {
      tokens[who.username] = (await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: who.username, password: PASSWORD }) })).json()).token;
    }
    const phones = (await p.db.pool.query('SELECT citizen_phone FROM orders WHERE citizen_phone IS NOT NULL LIMIT 500')).rows.map((r) => r.citizen_phone);
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    let held = 0;
    for (const multiple of o.multiples) {
      const S = o.seconds;
      const need = (kind: Kind) => Math.ceil(RATES[kind] * multiple * S * 1.3) + 5;
      // the orders the run acts on, prepared in the states each action needs
      const prepStarted = Date.now();
      const register = (i: number) => registerOrder(p.db.pool, agent, orderInput({ channel: 'phone', title: `备用工单 ${i}` })).then((r) => r.order.id);
      const toDispatch = await pool(need('dispatch'), 8, register);
      const toAnswer = await pool(need('answer'), 8, register);
      const unitOf = (i: number) => handlers[i % handlers.length]!;
      /** an order dispatched to a unit, and that unit's handler */
      const dispatched = async (i: number) => {
        const id = await register(i);
        await applyTransition(p.db.pool, agent, id, 'dispatch', { unitId: unitOf(i).unitId! });
        return { id, handler: unitOf(i) };
      };
      const toSign = await pool(need('sign'), 8, dispatched);
      const toReply = await pool(need('reply'), 8, async (i) => {
        const order = await dispatched(i);
        await applyTransition(p.db.pool, order.handler, order.id, 'sign');
        return order;
      });
      await pool(need('visitResult'), 8, async (i) => {
        const order = await dispatched(i);
        await applyTransition(p.db.pool, order.handler, order.id, 'sign');
        await applyTransition(p.db.pool, order.handler, order.id, 'reply', { text: '已处理完毕' });
      });
      const visits = (await visitQueue(p.db.pool, visitor, { limit: 100_000, offset: 0 })).items.map((v) => v.id);
      const prepSeconds = (Date.now() - prepStarted) / 1000;

      // the schedule
      const requests: Scheduled[] = [];
      const take = <T>(list: T[], kind: string): T => {
        const item = list.shift();
        if (item === undefined) throw new Error(`not enough prepared orders for ${kind}`);
        return item;
      };
      const texts = ['小区停水两天了', '楼道有燃气味', '路灯坏了半个月', '暖气不热室温只有十四度', '工地夜间施工噪音扰民', '公司拖欠工资三个月'];
      let seed = multiple * 1000;
      for (const [kind, rate] of Object.entries(RATES) as [Kind, number][]) {
        const times = arrivals(rate * multiple, S, ++seed);
        times.forEach((at, i) => {
          const text = texts[i % texts.length]!;
          const r = (auth: string, method: string, url: string, body?: unknown): Scheduled => ({ at, kind, auth, method, url: `${base}/api/v1${url}`, body });
          switch (kind) {
            case 'lookup': requests.push(r(agent.username, 'GET', `/orders?phone=${phones[i % phones.length]}&limit=10`)); break;
            case 'suggest': requests.push(r(agent.username, 'POST', '/classify/suggest', { text: i % 2 ? text : text.slice(0, 4), areaCode: '370102001' })); break;
            case 'register': requests.push(r(agent.username, 'POST', '/orders', orderInput({ channel: 'phone', title: text, body: `${text}，请尽快处理。` }))); break;
            case 'dispatch': requests.push(r(agent.username, 'POST', `/orders/${take(toDispatch, kind)}/actions/dispatch`, { unitId: unitOf(i).unitId })); break;
            case 'answer': requests.push(r(agent.username, 'POST', `/orders/${take(toAnswer, kind)}/actions/answer_directly`, { text: '已依据知识库答复' })); break;
            case 'sign': {
              const order = take(toSign, kind);
              requests.push(r(order.handler.username, 'POST', `/orders/${order.id}/actions/sign`, {}));
              break;
            }
            case 'reply': {
              const order = take(toReply, kind);
              requests.push(r(order.handler.username, 'POST', `/orders/${order.id}/actions/reply`, { text: '已处理完毕' }));
              break;
            }
            case 'inbox': requests.push(r(unitOf(i).username, 'GET', '/orders/inbox?limit=20')); break;
            case 'visitQueue': requests.push(r(visitor.username, 'GET', '/visits/queue?limit=20')); break;
            case 'visitResult': requests.push(r(visitor.username, 'POST', `/visits/${take(visits, kind)}/result`,
              { solved: true, satisfaction: i % 5 ? 'satisfied' : 'basically_satisfied' })); break;
            case 'warnings': requests.push(r(supervisor.username, 'GET', '/supervision/alerts?level=warning&limit=50')); break;
            case 'assessment': requests.push(r(leader.username, 'GET', `/assessment?month=${month}`)); break;
            case 'seatList': requests.push(r(agent.username, 'GET', '/orders?limit=20')); break;
          }
        });
      }
      const cpuBefore = cpuSeconds(engine);
      const load = await child<{ seconds: number; byKind: Record<string, { n: number; statuses: Record<number, number>; latencies: number[]; errors: string[] }> }>(
        './open-loop.ts', { tokens, requests });
      const cpuAfter = cpuSeconds(engine);
      const byKind = Object.fromEntries(Object.entries(load.byKind).map(([kind, k]) => [kind, {
        n: k.n, errors: k.n - Object.entries(k.statuses).filter(([s]) => Number(s) >= 200 && Number(s) < 300).reduce((a, [, c]) => a + c, 0),
        p50: r1(quantile(k.latencies, 0.5)), p99: r1(quantile(k.latencies, 0.99)), max: r1(Math.max(...k.latencies)),
      }]));
      const errors = Object.values(byKind).reduce((a, k) => a + k.errors, 0);
      const writeLatencies = WRITES.flatMap((kind) => load.byKind[kind]?.latencies ?? []);
      const allLatencies = Object.values(load.byKind).flatMap((k) => k.latencies);
      const writesP99 = r1(quantile(writeLatencies, 0.99));
      const holds = errors === 0 && writesP99 <= WRITE_P99_TARGET_MS;
      if (holds) held = multiple;
      o.report('mix', {
        multiple, seconds: S, requests: requests.length, answersPerSecond: r1(requests.length / load.seconds), errors,
        writesP99Ms: writesP99, allP50Ms: r1(quantile(allLatencies, 0.5)), allP99Ms: r1(quantile(allLatencies, 0.99)), holds,
        cpuSeconds: { server: r1(cpuAfter.server - cpuBefore.server),
          postgres: cpuAfter.postgres === null || cpuBefore.postgres === null ? null : r1(cpuAfter.postgres - cpuBefore.postgres) },
        cores: os.cpus().length, prepareSeconds: r1(prepSeconds), byKind,
        firstErrors: Object.values(load.byKind).flatMap((k) => k.errors).slice(0, 3),
      });
      if (!holds && multiple !== o.multiples[0]) break;
    }
    o.report('mix_highest_multiple', { highestMultipleHeld: held, target: engine === 'postgres' ? 50 : 25,
      rule: `no error, writes p99 ≤ ${WRITE_P99_TARGET_MS} ms` });
  } finally {
    await app?.close();
    await background.stop();
  }
}
