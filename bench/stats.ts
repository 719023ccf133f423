// The benchmarks' arithmetic: quantiles of samples, and a task timed one call after another.

/** The sample at quantile `q` (0–1) of `xs`, NaN for no samples. */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
}
export const median = (xs: number[]) => quantile(xs, 0.5);
export const round = (x: number) => Math.round(x * 100) / 100;

/** Runs `task` `samples` times, one after another; its median, p95 and worst in milliseconds. */
export async function timed(samples: number, task: (i: number) => Promise<unknown>): Promise<{ median: number; p95: number; worst: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await task(i);
    times.push(performance.now() - t);
  }
  return { median: round(median(times)), p95: round(quantile(times, 0.95)), worst: round(quantile(times, 1)) };
}
