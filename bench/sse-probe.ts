// A client in its own process that measures how soon a committed change reaches a browser: it
// listens to the live stream of one server (`listen`), sends changes to another or the same
// (`write`), and times each from the moment the request is sent, and from the moment its answer
// arrives, to the moment the stream delivers the event. Or (`count`) it only counts what arrives.
// Reads a JSON job from stdin; prints one JSON line.
import http from 'node:http';
import { readEventStream } from '../src/testing/sse.js';

interface Job {
  mode: 'latency' | 'count';
  /** the server whose stream is read, and the one changes are sent to */
  listen: string;
  write: string;
  username: string;
  password: string;
  /** latency: how many changes, and the registration body to send */
  samples?: number;
  body?: unknown;
  /** count: stop after this many ms without an event */
  quietMs?: number;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job;
const agent = new http.Agent({ keepAlive: true });

function request(url: string, method: string, token: string | null, body?: unknown): Promise<{ status: number; json: any }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : { 'content-length': 0 }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const token = (await request(`${job.write}/api/v1/auth/login`, 'POST', null, { username: job.username, password: job.password })).json.token;
const ticket = (await request(`${job.listen}/api/v1/events/tickets`, 'POST', token)).json;

/** order id → when its registration event arrived (performance.now) */
const arrived = new Map<string, number>();
let events = 0;
let lastEventAt = performance.now();
const positions = new Set<number>();
let duplicates = 0;
const abort = new AbortController();
const ready = new Promise<void>((resolve) => {
  void readEventStream(`${job.listen}${ticket.url}`, { signal: abort.signal, onOpen: () => resolve(), onMessage: (m) => {
    const event = JSON.parse(m.data) as { position: number; type: string; orderId: string };
    events++;
    lastEventAt = performance.now();
    if (positions.has(event.position)) duplicates++;
    positions.add(event.position);
    if (event.type === 'order.registered' && !arrived.has(event.orderId)) arrived.set(event.orderId, performance.now());
  } }).catch(() => undefined);
});
await ready;
await new Promise((r) => setTimeout(r, 200));
process.stderr.write('ready\n');

if (job.mode === 'latency') {
  const fromSend: number[] = [];
  const fromAnswer: number[] = [];
  for (let i = 0; i < (job.samples ?? 100); i++) {
    const sent = performance.now();
    const { status, json } = await request(`${job.write}/api/v1/orders`, 'POST', token, job.body);
    const answered = performance.now();
    if (status !== 201) throw new Error(`register: ${status} ${JSON.stringify(json)}`);
    for (let waited = 0; !arrived.has(json.id); waited++) {
      if (waited > 5000) throw new Error('an event never arrived');
      await new Promise((r) => setTimeout(r, 1));
    }
    fromSend.push(arrived.get(json.id)! - sent);
    fromAnswer.push(arrived.get(json.id)! - answered);
    await new Promise((r) => setTimeout(r, 20));
  }
  abort.abort();
  console.log(JSON.stringify({ fromSend, fromAnswer, duplicates }));
} else {
  while (performance.now() - lastEventAt < (job.quietMs ?? 3000)) await new Promise((r) => setTimeout(r, 100));
  abort.abort();
  console.log(JSON.stringify({ events, distinct: positions.size, duplicates }));
}
agent.destroy();
