// A load generator in its own process, so that the server under test keeps its core to itself.
// Reads a JSON job from stdin: { headers, concurrency, requests: [{ method, url, body?, raw? }] }
// (`raw`: a body sent as it is, such as WeChat's XML; `body` is sent as JSON).
// Prints one JSON line: { perSecond, seconds, statuses, ids } (ids: the `id` of each JSON answer).
// Uses node:http with keep-alive: lighter on the CPU than fetch, which the server shares.
import http from 'node:http';

interface Job {
  headers: Record<string, string>;
  concurrency: number;
  /** a request's own headers join the job's (a signed callback's signature) */
  requests: { method: string; url: string; body?: unknown; raw?: string; headers?: Record<string, string> }[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job;
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });

function send(r: Job['requests'][number]): Promise<{ status: number; body: string }> {
  const payload = r.raw !== undefined ? Buffer.from(r.raw) : r.body === undefined ? undefined : Buffer.from(JSON.stringify(r.body));
  return new Promise((resolve, reject) => {
    const req = http.request(r.url, { method: r.method, agent, headers: { ...job.headers, ...r.headers,
      ...(payload ? { 'content-length': payload.length } : { 'content-length': 0 }) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

const statuses: Record<number, number> = {};
const ids: (string | null)[] = new Array(job.requests.length).fill(null);
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, async () => {
  while (next < job.requests.length) {
    const i = next++;
    const { status, body } = await send(job.requests[i]!);
    statuses[status] = (statuses[status] ?? 0) + 1;
    try {
      ids[i] = (JSON.parse(body) as { id?: string }).id ?? null;
    } catch {
      ids[i] = null;
    }
  }
}));
const seconds = (performance.now() - started) / 1000;
agent.destroy();
const cpu = process.cpuUsage();
console.log(JSON.stringify({ perSecond: job.requests.length / seconds, seconds, statuses, ids, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
