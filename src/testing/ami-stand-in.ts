// A local stand-in for an Asterisk Manager Interface server (TCP), for the AMI connector's tests:
// it greets with the banner, answers Login (Success with the right credentials, "Authentication
// failed" and a hang-up otherwise), Ping and Logoff as Asterisk does (ami-notes §1), then writes a
// recorded stream to the logged-in client, optionally in small random chunks (a fixed seed, so a
// failure can be replayed) and dropping the connection at given points. The stream continues on
// the next connection where it stopped, so a test can check that nothing is lost on this side.
// Client actions are read with its own minimal reader, not with the parser under test.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../shared/random.js';

export interface AmiStandInOptions {
  /** the recorded stream (wire text, "\r\n" line ends) */
  stream: string | Buffer;
  username?: string;
  secret?: string;
  /** write in chunks of 1..maxBytes bytes, sizes drawn from `seed` */
  chunks?: { seed: number; maxBytes: number };
  /** end the connection after writing this many messages of the stream in total (each point once) */
  dropAfterMessages?: number[];
  banner?: string;
  /** false: Ping goes unanswered, as on a link that died without TCP noticing */
  answerPings?: boolean;
}

export interface AmiStandIn {
  port: number;
  username: string;
  secret: string;
  /** every action received, keys lowercased, in order */
  actions: Array<Record<string, string>>;
  connections: number;
  logins: number;
  refusedLogins: number;
  /** messages of the stream written so far */
  written: number;
  /** ends every open connection now (the PBX restarting, a network cut) */
  dropConnections(): void;
  close(): Promise<void>;
}

export { seededRandom } from '../shared/random.js';

/** The stream cut into its messages, each with its blank line. */
function messagesOf(stream: string | Buffer): Buffer[] {
  const bytes = typeof stream === 'string' ? Buffer.from(stream, 'utf8') : stream;
  const messages: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf('\r\n\r\n', start); end !== -1; end = bytes.indexOf('\r\n\r\n', start)) {
    messages.push(bytes.subarray(start, end + 4));
    start = end + 4;
  }
  if (start < bytes.length) messages.push(bytes.subarray(start));
  return messages;
}

function readActions(pending: string): { actions: Array<Record<string, string>>; rest: string } {
  const blocks = pending.split('\r\n\r\n');
  const rest = blocks.pop() ?? '';
  const actions = blocks.filter((block) => block.trim() !== '').map((block) => {
    const action: Record<string, string> = {};
    for (const line of block.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) action[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return action;
  });
  return { actions, rest };
}

export async function startAmiStandIn(options: AmiStandInOptions): Promise<AmiStandIn> {
  const username = options.username ?? 'minsheng';
  const secret = options.secret ?? 'stand-in-secret';
  const messages = messagesOf(options.stream);
  const dropPoints = [...(options.dropAfterMessages ?? [])].sort((a, b) => a - b);
  const random = seededRandom(options.chunks?.seed ?? 1);
  const sockets = new Set<Socket>();

  const writeChunked = (socket: Socket, bytes: Buffer): void => {
    if (!options.chunks) {
      socket.write(bytes);
      return;
    }
    for (let at = 0; at < bytes.length;) {
      const size = 1 + Math.floor(random() * options.chunks.maxBytes);
      socket.write(bytes.subarray(at, at + size));
      at += size;
    }
  };

  /** Writes the stream from where the last connection stopped, up to the next drop point. */
  const writeStream = (socket: Socket): void => {
    const dropAt = dropPoints.find((point) => point > standIn.written);
    const until = dropAt ?? messages.length;
    writeChunked(socket, Buffer.concat(messages.slice(standIn.written, until)));
    standIn.written = until;
    if (dropAt !== undefined) socket.end();
  };

  const answer = (socket: Socket, action: Record<string, string>): void => {
    const id = action.actionid ? `ActionID: ${action.actionid}\r\n` : '';
    const name = (action.action ?? '').toLowerCase();
    if (name === 'login') {
      if (action.username === username && action.secret === secret) {
        standIn.logins += 1;
        socket.write(`Response: Success\r\n${id}Message: Authentication accepted\r\n\r\n`);
        socket.write('Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 86400\r\nLastReload: 3600\r\nStatus: Fully Booted\r\n\r\n');
        writeStream(socket);
      } else {
        standIn.refusedLogins += 1;
        socket.end(`Response: Error\r\n${id}Message: Authentication failed\r\n\r\n`);
      }
    } else if (name === 'ping') {
      if (options.answerPings === false) return;
      socket.write(`Response: Success\r\n${id}Ping: Pong\r\nTimestamp: ${(Date.now() / 1000).toFixed(6)}\r\n\r\n`);
    } else if (name === 'logoff') {
      socket.end(`Response: Goodbye\r\n${id}Message: Thanks for all the fish.\r\n\r\n`);
    } else {
      socket.write(`Response: Error\r\n${id}Message: Invalid/unknown command\r\n\r\n`);
    }
  };

  const server: Server = createServer((socket) => {
    standIn.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(options.banner ?? 'Asterisk Call Manager/7.0.3\r\n');
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      const read = readActions(pending + chunk.toString('utf8'));
      pending = read.rest;
      for (const action of read.actions) {
        standIn.actions.push(action);
        if (!socket.writableEnded) answer(socket, action);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const standIn: AmiStandIn = {
    port: (server.address() as AddressInfo).port,
    username, secret, actions: [], connections: 0, logins: 0, refusedLogins: 0, written: 0,
    dropConnections: () => { for (const socket of sockets) socket.destroy(); },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  return standIn;
}
