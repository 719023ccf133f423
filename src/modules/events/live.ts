// The live feed of one process: it reads the log as events are committed (woken by NOTIFY, from any
// process of the deployment) and hands every event, in the log's commit-safe order, to this
// process's subscribers (the SSE connections). It keeps no stored cursor: it starts at the head, and
// a client that reconnects catches up from the log itself (see readAfter).
import type pg from 'pg';
import { eventsAfter, headCursor, HELD_RETRY_MS, isAfter, readAfter, type Cursor, type StoredEvent } from './log.js';

const BATCH = 1000;

export class LiveFeed {
  private cursor: Cursor;
  private readonly listeners = new Set<(events: StoredEvent[]) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private heldDelay = HELD_RETRY_MS;
  private unlisten: (() => void) | null = null;

  private constructor(private readonly pool: pg.Pool, start: Cursor, private readonly log: (error: unknown) => void,
    private readonly pollMs: number) {
    this.cursor = start;
  }

  /** Starts at the head of the log; reads on every wake-up and every `pollMs`. */
  static async start(pool: pg.Pool, options: {
    wake: (listener: () => void) => Promise<() => void>; pollMs: number; log: (error: unknown) => void;
  }): Promise<LiveFeed> {
    const feed = new LiveFeed(pool, await headCursor(pool), options.log, options.pollMs);
    feed.unlisten = await options.wake(() => feed.read());
    feed.timer = setInterval(() => feed.read(), options.pollMs);
    feed.timer.unref();
    return feed;
  }

  /** The last event handed out: a subscriber that caught up to here misses nothing after it. */
  get position(): Cursor {
    return this.cursor;
  }

  /** Calls `listener` with every batch of events read from now on; returns the unsubscribe function. */
  subscribe(listener: (events: StoredEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** Reads what was committed since the last read (one read at a time; a wake-up meanwhile asks for another). */
  read(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.readAll().then(() => this.retryIfHeld()).catch(this.log).finally(() => {
      this.running = null;
      if (this.again) void this.read(); // a wake-up while the read was ending
    });
    return this.running;
  }

  private async readAll(): Promise<void> {
    do {
      this.again = false;
      for (;;) {
        const events = await readAfter(this.pool, this.cursor, BATCH);
        if (events.length === 0) break;
        const last = events.at(-1)!;
        if (isAfter(last, this.cursor)) this.cursor = { txId: last.txId, position: last.position };
        for (const listener of this.listeners) {
          try {
            listener(events);
          } catch (error) {
            this.log(error);
          }
        }
        if (events.length < BATCH) break;
      }
    } while (this.again && !this.stopped);
  }

  /**
   * Events a read left behind (committed behind a transaction that was running, which may have ended
   * since without a wake-up) go out soon, not at the next poll: read again after 100 ms, then twice
   * as long each time some are still left, up to the poll.
   */
  private async retryIfHeld(): Promise<void> {
    const held = await eventsAfter(this.pool, this.cursor);
    if (!held) this.heldDelay = HELD_RETRY_MS;
    if (!held || this.stopped || this.retry) return;
    this.retry = setTimeout(() => { this.retry = null; void this.read(); }, this.heldDelay);
    this.retry.unref();
    this.heldDelay = Math.min(this.heldDelay * 2, this.pollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.unlisten?.();
    await this.running;
    this.listeners.clear();
  }
}
