// An open-loop load generator in its own process: each request fires at its scheduled moment
// whatever the server's pace, as people do (a closed loop would slow down with the server and hide
// its queueing). A request's latency runs from its scheduled moment to the end of its answer.
// Reads a JSON job from stdin: { tokens: { name: token }, requests: [{ at (ms), kind, auth, method, url, body? }] }.
// Prints one JSON line: { seconds, byKind: { kind: { n, statuses, latencies } }, ids: { index: id } }.
import http from 'node:http';

export interface Scheduled {
  /** ms after the start */
  at: number;
  /** what the request is, for the report (register, dispatch, inbox…) */
  kind: string;
  /** whose token */
  auth: string;
  method: string;
  url: string;
  body?: unknown;
  /** keep the `id` of the answer (registrations) */
  keepId?: boolean;
}

interface Job {
  tokens: Record<string, string>;
  requests: Scheduled[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

function send(r: Scheduled): Promise<{ status: number; body: string }> {
  const payload = r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
  return new Promise((resolve) => {
    const req = http.request(r.url, { method: r.method, agent, headers: { authorization: `Bearer ${job.tokens[r.auth]}`,
      ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : { 'content-length': 0 }) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.end(payload);
  });
}

const byKind: Record<string, { n: number; statuses: Record<number, number>; latencies: number[]; errors: string[] }> = {};
const ids: Record<number, string> = {};
const requests = job.requests.map((r, i) => ({ ...r, i })).sort((a, b) => a.at - b.at);
const started = performance.now();
const inFlight: Promise<void>[] = [];
for (const r of requests) {
  const wait = started + r.at - performance.now();
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
  inFlight.push(send(r).then(({ status, body }) => {
    const done = performance.now();
    const k = (byKind[r.kind] ??= { n: 0, statuses: {}, latencies: [], errors: [] });
    k.n++;
    k.statuses[status] = (k.statuses[status] ?? 0) + 1;
    k.latencies.push(Math.round((done - started - r.at) * 10) / 10);
    if ((status < 200 || status >= 300) && k.errors.length < 5) k.errors.push(`${status} ${r.method} ${r.url} ${body.slice(0, 300)}`);
    if (r.keepId && status < 300) {
      try {
        ids[r.i] = (JSON.parse(body) as { id: string }).id;
      } catch { /* not JSON: counted by its status */ }
    }
  }));
}
await Promise.all(inFlight);
agent.destroy();
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, byKind, ids }));
