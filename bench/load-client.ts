// A load generator in its own process, so that the server under test keeps its core to itself.
// Reads a JSON job from stdin: { headers, concurrency, requests: [{ method, url, body? }] }.
// Prints one JSON line: { perSecond, seconds, statuses, ids } (ids: the `id` of each JSON answer).

interface Job {
  headers: Record<string, string>;
  concurrency: number;
  requests: { method: string; url: string; body?: unknown }[];
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job;

const statuses: Record<number, number> = {};
const ids: (string | null)[] = new Array(job.requests.length).fill(null);
let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: job.concurrency }, async () => {
  while (next < job.requests.length) {
    const i = next++;
    const r = job.requests[i]!;
    const res = await fetch(r.url, { method: r.method, headers: job.headers, body: r.body === undefined ? undefined : JSON.stringify(r.body) });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    const answer = await res.json().catch(() => null) as { id?: string } | null;
    ids[i] = answer?.id ?? null;
  }
}));
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ perSecond: job.requests.length / seconds, seconds, statuses, ids }));
