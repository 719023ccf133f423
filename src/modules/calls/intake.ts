// Group commit for the telephony's posts: posts that arrive while a transaction is absorbing
// events wait and are absorbed together in the next one, each answered with its own results. A
// telephony that posts every event as it happens sends many small posts at once; on PGlite, which
// runs one transaction at a time, absorbing them one by one would cap the events per second at the
// transactions per second (bench calls).
import type pg from 'pg';
import type { CallEvent } from './call-events.js';
import { absorbCallEvents, type Absorbed } from './store.js';

/** Most events absorbed in one transaction (a post of more is absorbed alone). */
const MAX_EVENTS = 1000;

interface Waiting { events: readonly CallEvent[]; resolve: (absorbed: Absorbed) => void; reject: (error: unknown) => void }

export class CallEventIntake {
  private readonly waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly pool: pg.Pool, private readonly cityCode: string) {}

  /** Absorbs one post's events, with whatever other posts are waiting; its own results and calls. */
  absorb(events: readonly CallEvent[]): Promise<Absorbed> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length) await this.absorbNext(this.takeBatch());
    } finally {
      this.running = false;
    }
  }

  private takeBatch(): Waiting[] {
    const batch = [this.waiting.shift()!];
    let events = batch[0]!.events.length;
    while (this.waiting.length && events + this.waiting[0]!.events.length <= MAX_EVENTS) {
      events += this.waiting[0]!.events.length;
      batch.push(this.waiting.shift()!);
    }
    return batch;
  }

  private async absorbNext(batch: Waiting[]): Promise<void> {
    try {
      const all = await absorbCallEvents(this.pool, this.cityCode, batch.flatMap((w) => w.events));
      let offset = 0;
      for (const w of batch) {
        const results = all.results.slice(offset, offset += w.events.length);
        // the calls this post's own accepted events changed (another post's events may have changed others)
        const mine = new Set(w.events.filter((e, i) => results[i]!.outcome === 'accepted').map((e) => e.callId));
        w.resolve({ results, calls: all.calls.filter((c) => mine.has(c.callId)) });
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
