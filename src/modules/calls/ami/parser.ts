// An incremental parser for the Asterisk Manager Interface's wire format (ami-notes §1): the TCP
// stream is cut wherever the network cuts it, so lines are assembled from bytes (a UTF-8 character
// or a "\r\n" split across two chunks stays whole) and a message is complete only at its blank
// line. A stream from outside is not trusted: an oversized message or a malformed line becomes an
// error item the caller can log, and parsing resumes at the next message instead of throwing.

/** Asterisk's first line on a connection: `Asterisk Call Manager/<version>` (no blank line after it). */
const BANNER_PREFIX = 'Asterisk Call Manager/';
/** No real AMI message comes near this; a longer one is garbage or an attack, not worth buffering. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const LF = 0x0a;

/** One AMI message (event, response or action): its fields in wire order, looked up case-insensitively. */
export class AmiMessage {
  private readonly byKey = new Map<string, string[]>();

  /** `fields`: [key as sent, value] in wire order; keys may repeat (ChanVariable). */
  constructor(readonly fields: ReadonlyArray<readonly [string, string]>) {
    for (const [key, value] of fields) {
      const lower = key.toLowerCase();
      const values = this.byKey.get(lower);
      if (values) values.push(value);
      else this.byKey.set(lower, [value]);
    }
  }

  /** The first value of `key` (any case), or undefined when absent. */
  get(key: string): string | undefined {
    return this.byKey.get(key.toLowerCase())?.[0];
  }

  /** Every value of `key` (any case), in wire order. */
  all(key: string): string[] {
    return [...(this.byKey.get(key.toLowerCase()) ?? [])];
  }

  /** The event's name when this is an event (`Event:`), else undefined. */
  get event(): string | undefined {
    return this.get('Event');
  }

  /** The response's status when this is a response (`Response:`), else undefined. */
  get response(): string | undefined {
    return this.get('Response');
  }

  /** `{ lowercased key: first value }`, handy for logs and assertions. */
  toRecord(): Record<string, string> {
    return Object.fromEntries([...this.byKey].map(([key, values]) => [key, values[0] ?? '']));
  }
}

export type AmiItem =
  | { kind: 'banner'; version: string }
  | { kind: 'message'; message: AmiMessage }
  | { kind: 'error'; error: 'line_without_colon' | 'message_too_large' | 'truncated'; detail: string };

/** Feed it chunks as they arrive; each `push` returns the items the chunk completed. */
export class AmiParser {
  private pending: Buffer = Buffer.alloc(0);
  private fields: Array<readonly [string, string]> = [];
  private messageBytes = 0;
  /** after an error, the rest of the broken message is skipped up to its blank line */
  private skipping = false;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer | string): AmiItem[] {
    const items: AmiItem[] = [];
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes;
    let start = 0;
    for (let end = this.pending.indexOf(LF, start); end !== -1; end = this.pending.indexOf(LF, start)) {
      this.takeLine(this.pending.subarray(start, end), items);
      start = end + 1;
    }
    this.pending = this.pending.subarray(start);
    this.guardPartialLine(items);
    return items;
  }

  /** The stream closed: a message still open is reported as truncated. */
  end(): AmiItem[] {
    const open = this.fields.length > 0 || this.pending.length > 0;
    const detail = `${this.fields.length} field(s) and ${this.pending.length} byte(s) without their end`;
    this.reset();
    this.pending = Buffer.alloc(0);
    return open ? [{ kind: 'error', error: 'truncated', detail }] : [];
  }

  private takeLine(raw: Buffer, items: AmiItem[]): void {
    const withoutCr = raw.length && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    const line = withoutCr.toString('utf8');
    if (line === '') return this.finishMessage(items);
    if (this.skipping) return;
    if (this.fields.length === 0 && line.startsWith(BANNER_PREFIX)) {
      items.push({ kind: 'banner', version: line.slice(BANNER_PREFIX.length) });
      return;
    }
    this.messageBytes += raw.length + 1;
    if (this.messageBytes > this.maxMessageBytes) return this.fail(items, 'message_too_large', `over ${this.maxMessageBytes} bytes`);
    const colon = line.indexOf(':');
    if (colon <= 0) return this.fail(items, 'line_without_colon', line.slice(0, 200));
    // Split on the first colon only: values may contain ": " (and URLs); one space follows the colon.
    const value = line.slice(colon + 1);
    this.fields.push([line.slice(0, colon), value.startsWith(' ') ? value.slice(1) : value]);
  }

  /** A line still without its end counts against the bound too, or one endless line would grow forever. */
  private guardPartialLine(items: AmiItem[]): void {
    if (!this.skipping && this.messageBytes + this.pending.length > this.maxMessageBytes) {
      this.fail(items, 'message_too_large', `over ${this.maxMessageBytes} bytes`);
    }
    if (this.skipping) this.shrinkSkippedPartialLine();
  }

  /**
   * While skipping, a partial line's text is useless: keep one placeholder byte so that its end is
   * not mistaken for the blank line; a lone "\r" is kept as is, it may be half of the blank line.
   */
  private shrinkSkippedPartialLine(): void {
    const loneCr = this.pending.length === 1 && this.pending[0] === 0x0d;
    if (this.pending.length > 0 && !loneCr) this.pending = Buffer.from('x');
  }

  private fail(items: AmiItem[], error: 'line_without_colon' | 'message_too_large', detail: string): void {
    items.push({ kind: 'error', error, detail });
    this.fields = [];
    this.skipping = true;
  }

  private finishMessage(items: AmiItem[]): void {
    if (!this.skipping && this.fields.length > 0) items.push({ kind: 'message', message: new AmiMessage(this.fields) });
    this.reset();
  }

  private reset(): void {
    this.fields = [];
    this.messageBytes = 0;
    this.skipping = false;
  }
}

/** Parses a whole recorded stream at once (tests, tools). */
export function parseAmiStream(stream: Buffer | string): AmiItem[] {
  const parser = new AmiParser();
  return [...parser.push(stream), ...parser.end()];
}
