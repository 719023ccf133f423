// The long-running bridge from one Asterisk's Manager Interface to Minsheng: it logs in over TCP,
// turns the events into call events (translate.ts) and hands them to `deliver` in batches, in
// order. The PBX runs for months and Minsheng restarts, so every link is expected to fail: the
// socket is reconnected with backoff (AMI does not replay what was missed: the gap is logged), a
// failing `deliver` is retried with backoff on the same batch (no loss, no reordering, no
// duplicate from this side), and a full buffer stops reading from Asterisk, loudly, rather than
// dropping events. A refused login stops the connector: retrying a wrong secret only locks it out.
import { randomBytes } from 'node:crypto';
import { createConnection, type Socket } from 'node:net';
import { signBody } from '../../../shared/signed-body.js';
import { AmiParser, type AmiItem, type AmiMessage } from './parser.js';
import { AmiTranslator, isSeatState, type TelephonyEvent, type TranslatorOptions } from './translate.js';

/** Hands events to Minsheng. Resolve: done with (delivered, or refused for good and logged). Reject: try again later. */
export type Deliver = (events: TelephonyEvent[]) => Promise<void>;
export type LogLevel = 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string, detail?: Record<string, unknown>) => void;

export interface Backoff { firstMs: number; maxMs: number }

export interface AmiConnectorOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  deliver: Deliver;
  /** a translator, or options for a new one (it lives as long as the connector, across reconnects) */
  translator?: AmiTranslator | TranslatorOptions;
  /** deliver as soon as this many events wait (default 100) … */
  batchSize?: number;
  /** … or this long after the first of them arrived (default 500 ms) */
  flushMs?: number;
  /** above this many undelivered events, stop reading from Asterisk until half are delivered (default 50 000) */
  maxBuffered?: number;
  /** Ping period; a Ping unanswered by the next one means a dead link (default 20 s) */
  pingEveryMs?: number;
  /** banner and login must be done within this (default 10 s) */
  loginTimeoutMs?: number;
  reconnect?: Backoff;
  retry?: Backoff;
  /** how long `stop()` keeps trying to deliver what it holds (default 10 s) */
  stopTimeoutMs?: number;
  log?: Log;
}

/** Asterisk refused the login (wrong user or secret, or a host not permitted in manager.conf). */
export class AmiLoginError extends Error {
  override readonly name = 'AmiLoginError';
}

const DEFAULTS = {
  batchSize: 100, flushMs: 500, maxBuffered: 50_000, pingEveryMs: 20_000, loginTimeoutMs: 10_000, stopTimeoutMs: 10_000,
  reconnect: { firstMs: 500, maxMs: 30_000 }, retry: { firstMs: 500, maxMs: 30_000 },
};
const LOGIN_EVENT_CLASSES = 'call,agent,dialplan';

interface Session {
  socket: Socket;
  parser: AmiParser;
  loginActionId: string;
  loggedIn: boolean;
  pingActionId?: string;
  pingTimer?: NodeJS.Timeout;
  loginTimer?: NodeJS.Timeout;
}

export class AmiConnector {
  private readonly translator: AmiTranslator;
  private readonly log: Log;
  private readonly buffer: TelephonyEvent[] = [];
  private session?: Session;
  private actionCounter = 0;
  private reconnectAttempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private flushTimer?: NodeJS.Timeout;
  private pumping?: Promise<void>;
  private wake?: () => void;
  private stopping = false;
  private stopDeadline = Infinity;
  private paused = false;
  private started?: { resolve: () => void; reject: (error: Error) => void };
  /** counters for health checks and tests */
  readonly stats = { connections: 0, logins: 0, delivered: 0, deliverFailures: 0, parseErrors: 0 };

  constructor(private readonly options: AmiConnectorOptions) {
    this.translator = options.translator instanceof AmiTranslator ? options.translator : new AmiTranslator(options.translator);
    this.log = options.log ?? defaultLog;
  }

  /** Connects; resolves at the first successful login, rejects with AmiLoginError if Asterisk refuses it. */
  start(): Promise<void> {
    const first = new Promise<void>((resolve, reject) => { this.started = { resolve, reject }; });
    this.connect();
    return first;
  }

  /** Logs off, stops reading, and delivers what it holds (trying for `stopTimeoutMs`). */
  async stop(): Promise<void> {
    if (this.stopping) return this.pumping;
    this.stopping = true;
    this.stopDeadline = Date.now() + (this.options.stopTimeoutMs ?? DEFAULTS.stopTimeoutMs);
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.flushTimer);
    this.started?.reject(new Error('the AMI connector was stopped before it logged in'));
    this.started = undefined;
    const closed = this.session ? this.closeSession(this.session, true) : Promise.resolve();
    this.wake?.();
    await Promise.all([this.pump(), closed]);
    if (this.buffer.length > 0) {
      this.log('error', `AMI connector stopped with ${this.buffer.length} call event(s) NOT delivered`, { firstId: this.buffer[0]?.id });
    }
  }

  /** Events waiting for delivery. */
  get buffered(): number {
    return this.buffer.length;
  }

  // --- the AMI link ---------------------------------------------------------------------------

  private connect(): void {
    const { host, port } = this.options;
    const socket = createConnection({ host, port });
    const session: Session = { socket, parser: new AmiParser(), loginActionId: this.actionId('login'), loggedIn: false };
    this.session = session;
    this.stats.connections += 1;
    socket.setKeepAlive(true, 30_000);
    session.loginTimer = setTimeout(() => this.dropSession(session, 'no banner or login answer in time'),
      this.options.loginTimeoutMs ?? DEFAULTS.loginTimeoutMs);
    socket.on('data', (chunk: Buffer) => this.onData(session, chunk));
    socket.on('error', (error) => this.log('warn', `AMI connection to ${host}:${port} failed: ${error.message}`));
    socket.on('close', () => this.onClose(session));
  }

  private onData(session: Session, chunk: Buffer): void {
    if (session !== this.session) return;
    for (const item of session.parser.push(chunk)) this.onItem(session, item);
  }

  private onItem(session: Session, item: AmiItem): void {
    if (this.stopping) return;
    if (item.kind === 'banner') return this.sendLogin(session);
    if (item.kind === 'error') {
      this.stats.parseErrors += 1;
      return this.log('warn', `AMI sent something unreadable (${item.error}); skipped`, { detail: item.detail });
    }
    const message = item.message;
    if (message.response !== undefined) return this.onResponse(session, message);
    if (session.loggedIn && message.event !== undefined) this.enqueue(this.translator.translate(message));
  }

  private sendLogin(session: Session): void {
    const { username, secret } = this.options;
    this.send(session, { Action: 'Login', ActionID: session.loginActionId, Username: username, Secret: secret, Events: LOGIN_EVENT_CLASSES });
  }

  /** Responses are matched by ActionID, never by position: events interleave with them. */
  private onResponse(session: Session, message: AmiMessage): void {
    const actionId = message.get('ActionID');
    if (actionId === session.pingActionId) session.pingActionId = undefined;
    if (actionId !== session.loginActionId || session.loggedIn) return;
    if (message.response?.toLowerCase() === 'success') return this.onLoggedIn(session);
    const reason = message.get('Message') ?? message.response ?? 'refused';
    const error = new AmiLoginError(`Asterisk refused the AMI login of "${this.options.username}" at ${this.options.host}:${this.options.port}: ${reason}`);
    this.log('error', `${error.message}; the connector stops (fix manager.conf or the secret, then restart it)`);
    this.stopping = true;
    void this.closeSession(session, false);
    this.started?.reject(error);
    this.started = undefined;
  }

  private onLoggedIn(session: Session): void {
    session.loggedIn = true;
    clearTimeout(session.loginTimer);
    this.stats.logins += 1;
    if (this.reconnectAttempt > 0) this.log('warn', 'AMI reconnected: events during the gap were not replayed by Asterisk');
    this.reconnectAttempt = 0;
    const every = this.options.pingEveryMs ?? DEFAULTS.pingEveryMs;
    session.pingTimer = setInterval(() => this.ping(session), every);
    this.started?.resolve();
    this.started = undefined;
  }

  /** A Ping still unanswered when the next is due means the link is dead though TCP has not noticed. */
  private ping(session: Session): void {
    if (this.paused) return; // its answer sits unread behind the pause
    if (session.pingActionId) return this.dropSession(session, 'Ping unanswered');
    session.pingActionId = this.actionId('ping');
    this.send(session, { Action: 'Ping', ActionID: session.pingActionId });
  }

  private send(session: Session, fields: Record<string, string>): void {
    const text = Object.entries(fields).map(([key, value]) => `${key}: ${value}\r\n`).join('');
    session.socket.write(`${text}\r\n`);
  }

  private dropSession(session: Session, why: string): void {
    this.log('warn', `AMI link dropped: ${why}`);
    session.socket.destroy();
  }

  /** Resolves once the socket is closed: Asterisk answers Logoff and hangs up, or it is cut after a second. */
  private closeSession(session: Session, logoff: boolean): Promise<void> {
    clearInterval(session.pingTimer);
    clearTimeout(session.loginTimer);
    const { socket } = session;
    if (socket.closed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume(); // a paused socket would never read the answer to Logoff
    if (logoff && session.loggedIn && socket.writable) this.send(session, { Action: 'Logoff', ActionID: this.actionId('logoff') });
    socket.end();
    const cut = setTimeout(() => socket.destroy(), 1_000);
    return closed.finally(() => clearTimeout(cut));
  }

  private onClose(session: Session): void {
    clearInterval(session.pingTimer);
    clearTimeout(session.loginTimer);
    for (const item of session.parser.end()) this.onItem(session, item);
    if (session !== this.session || this.stopping) return;
    const delay = backoff(this.options.reconnect ?? DEFAULTS.reconnect, this.reconnectAttempt);
    this.reconnectAttempt += 1;
    this.log('warn', `AMI connection closed; reconnecting in ${delay} ms (attempt ${this.reconnectAttempt})`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private actionId(kind: string): string {
    this.actionCounter += 1;
    return `minsheng-${kind}-${this.actionCounter}-${randomBytes(4).toString('hex')}`;
  }

  // --- delivery ------------------------------------------------------------------------------

  private enqueue(events: TelephonyEvent[]): void {
    if (events.length === 0) return;
    this.buffer.push(...events);
    const max = this.options.maxBuffered ?? DEFAULTS.maxBuffered;
    if (this.buffer.length > max && !this.paused) this.pauseReading(max);
    if (this.buffer.length >= (this.options.batchSize ?? DEFAULTS.batchSize)) this.flushNow();
    else this.flushTimer ??= setTimeout(() => this.flushNow(), this.options.flushMs ?? DEFAULTS.flushMs);
  }

  private flushNow(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    void this.pump();
  }

  /** One delivery loop at a time: batches leave the buffer only once delivered, so order holds. */
  private pump(): Promise<void> {
    this.pumping ??= this.drain().finally(() => { this.pumping = undefined; });
    return this.pumping;
  }

  private async drain(): Promise<void> {
    const size = this.options.batchSize ?? DEFAULTS.batchSize;
    while (this.buffer.length > 0) {
      const batch = this.buffer.slice(0, size);
      if (!(await this.deliverWithRetry(batch))) return;
      this.buffer.splice(0, batch.length);
      this.stats.delivered += batch.length;
      this.resumeReadingIfRoom();
    }
  }

  private async deliverWithRetry(batch: TelephonyEvent[]): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.options.deliver(batch);
        return true;
      } catch (error) {
        this.stats.deliverFailures += 1;
        const delay = Math.min(backoff(this.options.retry ?? DEFAULTS.retry, attempt), this.stopDeadline - Date.now());
        if (delay <= 0) return false;
        this.log('warn', `delivering ${batch.length} call event(s) failed; retrying in ${delay} ms`, { error: errorText(error), attempt: attempt + 1 });
        await this.sleep(delay);
      }
    }
  }

  /** A sleep `stop()` can cut short, so that it retries at once within its own deadline. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => { clearTimeout(timer); resolve(); };
    });
  }

  private pauseReading(max: number): void {
    this.paused = true;
    this.session?.socket.pause();
    this.log('error', `call events are not being delivered: ${this.buffer.length} waiting (bound ${max}); reading from Asterisk is PAUSED until half are delivered — Asterisk may drop the link and events will be lost`);
  }

  private resumeReadingIfRoom(): void {
    const max = this.options.maxBuffered ?? DEFAULTS.maxBuffered;
    if (!this.paused || this.buffer.length > max / 2) return;
    this.paused = false;
    this.session?.socket.resume();
    this.log('warn', `call event delivery caught up (${this.buffer.length} waiting); reading from Asterisk again`);
  }
}

export function startAmiConnector(options: AmiConnectorOptions): { connector: AmiConnector; started: Promise<void> } {
  const connector = new AmiConnector(options);
  return { connector, started: connector.start() };
}

// --- posting to Minsheng ------------------------------------------------------------------------

const EVENTS_PATH = '/api/v1/telephony/events';
const SEATS_PATH = '/api/v1/telephony/seats';

export interface PostOptions { log?: Log; timeoutMs?: number }

/**
 * A `deliver` that POSTs `{ events }` to Minsheng (`url`: its base URL, or the call events' endpoint
 * itself): the call events to /telephony/events, then the seats' states to /telephony/seats (a retry
 * posts both again: Minsheng keeps each event once),
 * signed as Minsheng checks callbacks: hex HMAC-SHA256 of "timestamp\nnonce\nbody" under the
 * shared secret. 2xx: done. 4xx other than 401/403/408/429: Minsheng refuses this batch for good
 * (logged with its error code, then dropped: resending it would be refused again and block the
 * rest). Anything else (5xx, 401 and 403 until the secret or the clock is put right, 408, 429,
 * network): rejected, so the connector retries.
 */
export function postTo(url: string, secret: string, options: PostOptions = {}): Deliver {
  const trimmed = url.replace(/\/+$/, '');
  const base = trimmed.endsWith(EVENTS_PATH) ? trimmed.slice(0, -EVENTS_PATH.length) : trimmed;
  return async (events) => {
    const calls = events.filter((event) => !isSeatState(event));
    const seats = events.filter(isSeatState).map(({ type: _seatState, ...seat }) => seat);
    if (calls.length) await postSigned(`${base}${EVENTS_PATH}`, secret, calls, 'call', options);
    if (seats.length) await postSigned(`${base}${SEATS_PATH}`, secret, seats, 'seat state', options);
  };
}

/** POSTs `{ events }` to an endpoint, signed; resolves when done with them, rejects when they must be retried. */
async function postSigned(endpoint: string, secret: string, events: { id: string }[], what: string, options: PostOptions): Promise<void> {
  const log = options.log ?? defaultLog;
  const body = JSON.stringify({ events });
  const response = await fetch(endpoint, {
    method: 'POST', body, headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body) },
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const code = await errorCodeOf(response);
  if (response.ok) return;
  const status = response.status;
  // 401/403: a wrong secret or a clock off by minutes, fixed by a person: kept and retried meanwhile, never dropped
  if (status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status)) {
    log('error', `Minsheng refused ${events.length} ${what} event(s): HTTP ${status} ${code}; the batch is dropped`,
      { status, code, ids: events.map((event) => event.id) });
    return;
  }
  throw new Error(`Minsheng answered HTTP ${status} ${code}`);
}

/** The three headers Minsheng checks; `body` must be exactly the bytes sent. */
export function signatureHeaders(secret: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  return { 'x-minsheng-timestamp': timestamp, 'x-minsheng-nonce': nonce, 'x-minsheng-signature': signBody(secret, timestamp, nonce, body) };
}

/** Minsheng's errors are `{ "error": { "code": … } }` (docs/errors.md); anything else is shown by its status. */
async function errorCodeOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    const error = typeof parsed === 'object' && parsed !== null && 'error' in parsed ? parsed.error : undefined;
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    return typeof code === 'string' ? code : '';
  } catch {
    return '';
  }
}

function backoff({ firstMs, maxMs }: Backoff, attempt: number): number {
  const exponential = Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 20));
  return Math.round(exponential * (0.8 + Math.random() * 0.4)); // jitter: many adapters must not retry in step
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultLog(level: LogLevel, message: string, detail?: Record<string, unknown>): void {
  const line = `[ami] ${message}${detail ? ` ${JSON.stringify(detail)}` : ''}`;
  if (level === 'info') console.log(line);
  else console.error(line);
}
