// The Asterisk AMI adapter against recorded (assembled) AMI streams: the parser, the translation
// of each stream into call events, and the connector against a stand-in AMI server.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom, startAmiStandIn } from '../../../testing/ami-stand-in.js';
import type { CallEvent } from '../call-events.js';
import { AmiConnector, AmiLoginError, postTo, type AmiConnectorOptions, type Log, type LogLevel } from './connector.js';
import { AmiParser, parseAmiStream, type AmiItem, type AmiMessage } from './parser.js';
import { AmiTranslator, isSeatState, type TelephonyEvent, type TranslatorOptions } from './translate.js';

const STREAMS = new URL('./streams/', import.meta.url);
const stream = (name: string): Buffer => readFileSync(new URL(name, STREAMS));
const FIXED_NOW = new Date('2024-06-10T08:00:00.000Z');
const TRANSLATOR: TranslatorOptions = { now: () => FIXED_NOW, queueExtensions: ['12345'] };

function messagesOf(items: AmiItem[]): AmiMessage[] {
  return items.flatMap((item) => (item.kind === 'message' ? [item.message] : []));
}

/** The call events of a stream (its seats' states apart: seatStates). */
function translate(bytes: Buffer | string, options: TranslatorOptions = TRANSLATOR): CallEvent[] {
  return everything(bytes, options).filter((e): e is CallEvent => !isSeatState(e));
}

function everything(bytes: Buffer | string, options: TranslatorOptions = TRANSLATOR): TelephonyEvent[] {
  const translator = new AmiTranslator(options);
  return messagesOf(parseAmiStream(bytes)).flatMap((message) => translator.translate(message));
}

/** What a test checks of each event: type and the fields that vary by type. */
function summary(events: TelephonyEvent[]): string[] {
  return events.map((e) => isSeatState(e) ? ['seat_state', `seat=${e.seat}`, `state=${e.state}`, e.reason && `reason=${e.reason}`].filter(Boolean).join(' ') : [e.type, e.seat && `seat=${e.seat}`, e.agent && `agent=${e.agent}`, e.reason && `reason=${e.reason}`,
    e.target && `target=${e.target.kind}:${e.target.value}`, e.party && `party=${e.party}`, e.recording && `rec=${e.recording}`]
    .filter(Boolean).join(' '));
}

function chunksOf(bytes: Buffer, random: () => number, maxBytes: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * maxBytes);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('AMI parser', () => {
  test('gives the same messages whether a stream comes whole or in 1–7 byte chunks (split inside UTF-8 and \\r\\n)', () => {
    const bytes = Buffer.concat([Buffer.from('Asterisk Call Manager/7.0.3\r\n'), stream('g-interleaved-with-noise.ami'), stream('e-attended-transfer-to-seat.ami')]);
    const whole = parseAmiStream(bytes);
    const random = seededRandom(12345);
    for (let round = 0; round < 5; round += 1) {
      const parser = new AmiParser();
      const pieces = chunksOf(bytes, random, 7).flatMap((chunk) => parser.push(chunk));
      assert.deepEqual([...pieces, ...parser.end()].map(asPlain), whole.map(asPlain));
    }
    assert.equal(whole[0]?.kind, 'banner');
    assert.ok(whole.every((item) => item.kind !== 'error'));
    const agentNames = messagesOf(whole).map((m) => m.get('MemberName')).filter(Boolean);
    assert.ok(agentNames.includes('王丽') && agentNames.includes('李强'));
  });

  test('reads bare \\n line ends, empty values, values holding ": ", repeated keys and any key case', () => {
    const [message] = messagesOf(parseAmiStream('EVENT: Test\nAccountCode: \nDetail: mos: 4.3; note: a: b\nChanVariable: A=1\nchanvariable: B=2\n\n'));
    assert.ok(message);
    assert.equal(message.event, 'Test');
    assert.equal(message.get('accountcode'), '');
    assert.equal(message.get('Detail'), 'mos: 4.3; note: a: b');
    assert.deepEqual(message.all('ChanVariable'), ['A=1', 'B=2']);
    assert.equal(message.get('ChanVariable'), 'A=1');
    assert.deepEqual(message.fields.map(([key]) => key), ['EVENT', 'AccountCode', 'Detail', 'ChanVariable', 'chanvariable']);
    const [response] = messagesOf(parseAmiStream('Response: Success\r\nActionID: x1\r\nPing: Pong\r\n\r\n'));
    assert.equal(response?.response, 'Success');
    assert.equal(response?.event, undefined);
  });

  test('reports a line without a colon and an oversized message as errors, and reads on after them', () => {
    const items = parseAmiStream(`Event: A\r\nno colon here\r\nMore: x\r\n\r\nEvent: B\r\nBig: ${'x'.repeat(70_000)}\r\n\r\nEvent: C\r\n\r\n`);
    assert.deepEqual(items.map((item) => (item.kind === 'message' ? item.message.event : item.kind === 'error' ? item.error : item.kind)),
      ['line_without_colon', 'message_too_large', 'C']);
    const parser = new AmiParser();
    const endless = parser.push(`Event: D\r\nValue: ${'y'.repeat(70_000)}`);
    assert.equal(endless[0]?.kind === 'error' && endless[0].error, 'message_too_large');
    assert.deepEqual(messagesOf([...parser.push('yyy\r\n\r\nEvent: E\r\n\r\n'), ...parser.end()]).map((m) => m.event), ['E']);
    const open = new AmiParser();
    assert.deepEqual(open.push('Event: F\r\n'), []);
    assert.deepEqual(open.end().map((item) => item.kind === 'error' && item.error), ['truncated']);
  });
});

function asPlain(item: AmiItem): unknown {
  return item.kind === 'message' ? { fields: item.message.fields } : item;
}

describe('AMI translation of the recorded streams', () => {
  const REC_A = 'rec=/var/spool/asterisk/monitor/pbx1-1718000000.41.wav';

  test('(a) an answered call held once and ended by the caller carries its recording from the answer on', () => {
    const events = translate(stream('a-answered-held-recorded.ami'));
    assert.deepEqual(summary(events), [
      'offered', 'ringing seat=2001 agent=王丽', `answered seat=2001 agent=王丽 ${REC_A}`, `held seat=2001 agent=王丽 ${REC_A}`,
      `unheld seat=2001 agent=王丽 ${REC_A}`, `ended seat=2001 agent=王丽 reason=caller ${REC_A}`]);
    const [offered] = events;
    assert.deepEqual(offered, { id: 'ami:pbx1:pbx1-1718000000.41:offered:1718000000.264511', callId: 'pbx1-1718000000.41', type: 'offered',
      at: '2024-06-10T06:13:20.264Z', caller: '13905310001', callee: '12345', queue: 'hotline' });
    assert.ok(events.every((e) => e.callId === 'pbx1-1718000000.41'));
  });

  test('(b) a seat busy, a seat ringing out, then the caller hanging up is abandoned', () => {
    assert.deepEqual(summary(translate(stream('b-abandoned-after-no-answer.ami'))), [
      'offered', 'ringing seat=2001 agent=王丽', 'not_answered seat=2001 agent=王丽 reason=busy', 'ringing seat=2002 agent=李强',
      'not_answered seat=2002 agent=李强 reason=timeout', 'abandoned', 'ended reason=caller']);
  });

  test('(c) a queue timeout (QueueCallerAbandon then QUEUESTATUS=TIMEOUT) is not abandoned; without timestamps the clock and ordinals stand in', () => {
    const events = translate(stream('c-queue-timeout.ami'));
    assert.deepEqual(summary(events), ['offered', 'ringing seat=2001 agent=王丽', 'not_answered seat=2001 agent=王丽 reason=timeout', 'ended reason=system']);
    assert.ok(events.every((e) => e.at === FIXED_NOW.toISOString()));
    assert.deepEqual(events.map((e) => e.id), ['ami:asterisk:1718007200.91:offered:n1', 'ami:asterisk:1718007200.92:ringing:n1',
      'ami:asterisk:1718007200.92:not_answered:n1', 'ami:asterisk:1718007200.91:ended:n1']);
  });

  test('(d) a blind transfer to 110 is a transfer to a desk; the call ends when the caller hangs up', () => {
    assert.deepEqual(summary(translate(stream('d-blind-transfer-to-110.ami'))), [
      'offered', 'ringing seat=2001 agent=王丽', 'answered seat=2001 agent=王丽', 'transferred seat=2001 agent=王丽 target=desk:110', 'ended reason=caller']);
  });

  test('(h) a blind transfer to a seat is a transfer to that seat, which answers once the caller is bridged with it', () => {
    const events = translate(stream('h-blind-transfer-to-seat.ami'));
    assert.deepEqual(summary(events), [
      'offered', 'ringing seat=2001 agent=王丽', 'answered seat=2001 agent=王丽', 'transferred seat=2001 agent=王丽 target=seat:2002', 'answered seat=2002',
      'ended seat=2002 reason=caller']);
    assert.equal(events.find((e) => e.type === 'answered' && e.seat === '2002')?.at, new Date(1718010894230).toISOString(), "at the seat's BridgeEnter");
  });

  test("(h') a blind transfer whose seat never answers is over once the queue answers: that seat joining later is a third party, no answer", () => {
    const text = stream('h-blind-transfer-to-seat.ami').toString('utf8');
    // up to the transferring seat's hang-up; then the caller goes back to the queue, 2003 answers, and adds 2002 to the call
    const cut = text.indexOf('Event: Newchannel', text.indexOf('Uniqueid: pbx1-1718030800.68\r\nLinkedid: pbx1-1718030800.67\r\nCause: 16'));
    const msg = (fields: string) => `${fields.trim().split('\n').map((l) => l.trim()).join('\r\n')}\r\n\r\n`;
    const caller = 'Channel: PJSIP/trunk-00000050\nCallerIDNum: 13905310008\nUniqueid: pbx1-1718030800.67\nLinkedid: pbx1-1718030800.67';
    const rest = [
      msg(`Event: AgentConnect\nTimestamp: 1718010900.000100\nSystemName: pbx1\n${caller}\nDestChannel: PJSIP/2003-00000060\nDestUniqueid: pbx1-1718030900.70
        DestLinkedid: pbx1-1718030800.67\nQueue: hotline\nInterface: PJSIP/2003\nMemberName: 张敏\nHoldTime: 12\nRingTime: 3`),
      msg(`Event: BridgeEnter\nTimestamp: 1718010900.010100\nSystemName: pbx1\nBridgeUniqueid: b3\nBridgeNumChannels: 1\n${caller}`),
      msg(`Event: BridgeEnter\nTimestamp: 1718010900.020100\nSystemName: pbx1\nBridgeUniqueid: b3\nBridgeNumChannels: 2\nChannel: PJSIP/2003-00000060
        CallerIDNum: 2003\nUniqueid: pbx1-1718030900.70\nLinkedid: pbx1-1718030800.67`),
      msg(`Event: BridgeEnter\nTimestamp: 1718010960.000100\nSystemName: pbx1\nBridgeUniqueid: b3\nBridgeNumChannels: 3\nChannel: PJSIP/2002-00000061
        CallerIDNum: 2002\nUniqueid: pbx1-1718030960.71\nLinkedid: pbx1-1718030800.67`),
    ].join('');
    const events = translate(text.slice(0, cut) + rest);
    assert.deepEqual(summary(events).slice(3), ['transferred seat=2001 agent=王丽 target=seat:2002', 'answered seat=2003 agent=张敏', 'joined seat=2003 agent=张敏 party=2002']);
  });

  test('the desk list is configurable: a desk taken off it becomes an outside number', () => {
    const events = translate(stream('d-blind-transfer-to-110.ami'), { ...TRANSLATOR, deskExtensions: ['119', '120'] });
    assert.deepEqual(events.find((e) => e.type === 'transferred')?.target, { kind: 'external', value: '110' });
  });

  test('(e) an attended transfer is stitched to the original call (the consultation call adds none), and the seat consulted answers it', () => {
    const events = translate(stream('e-attended-transfer-to-seat.ami'));
    assert.deepEqual(summary(events), [
      'offered', 'ringing seat=2001 agent=王丽', 'answered seat=2001 agent=王丽', 'held seat=2001 agent=王丽',
      'transferred seat=2001 agent=王丽 target=seat:2002', 'answered seat=2002', 'held seat=2002', 'unheld seat=2002', 'ended seat=2002 reason=agent']);
    assert.deepEqual(new Set(events.map((e) => e.callId)), new Set(['pbx1-1718014400.61']));
  });

  test('(f) a three-way call (AttendedTransfer DestType Threeway) joins the third party once, and is no transfer', () => {
    assert.deepEqual(summary(translate(stream('f-three-way.ami'))), [
      'offered', 'ringing seat=2001 agent=王丽', 'answered seat=2001 agent=王丽', 'held seat=2001 agent=王丽',
      'joined seat=2001 agent=王丽 party=2002', 'unheld seat=2001 agent=王丽', 'ended seat=2001 agent=王丽 reason=caller']);
  });

  test('(g) two interleaved calls are kept apart; dialplan noise, a response and an unknown event change nothing', () => {
    const events = translate(stream('g-interleaved-with-noise.ami'));
    const rec = 'rec=/var/spool/asterisk/monitor/pbx1-1718021600.81.wav';
    assert.deepEqual(summary(events.filter((e) => e.callId === 'pbx1-1718021600.81')), [
      'offered', 'ringing seat=2001 agent=王丽', `answered seat=2001 agent=王丽 ${rec}`, `ended seat=2001 agent=王丽 reason=agent ${rec}`]);
    assert.deepEqual(summary(events.filter((e) => e.callId === 'pbx1-1718021602.83')), [
      'offered', 'ringing seat=2002 agent=李强', 'answered seat=2002 agent=李强', 'held seat=2002 agent=李强', 'unheld seat=2002 agent=李强',
      'ended seat=2002 agent=李强 reason=caller']);
    assert.equal(events.length, 10);
    assert.deepEqual(translate('Event: constructor\r\n\r\nEvent: __proto__\r\n\r\nEvent: toString\r\n\r\n'), []);
    assert.equal(events.find((e) => e.type === 'offered' && e.callId === 'pbx1-1718021602.83')?.caller, '13905310008');
  });

  test('duplicated events, or the same stream seen by two adapters, give the same ids', () => {
    const bytes = stream('g-interleaved-with-noise.ami');
    const once = translate(bytes);
    assert.deepEqual(translate(bytes), once);
    const doubled = messagesOf(parseAmiStream(bytes)).flatMap((m) => [m, m]);
    const translator = new AmiTranslator(TRANSLATOR);
    const twice = doubled.flatMap((m) => translator.translate(m));
    assert.deepEqual([...new Set(twice.map((e) => e.id))], once.map((e) => e.id));
    assert.equal(new Set(once.map((e) => e.id)).size, once.length);
  });

  test('forgets ended calls after the grace period and keeps at most maxCalls', () => {
    const translator = new AmiTranslator({ ...TRANSLATOR, endedGraceMs: 60_000, maxCalls: 3 });
    for (const message of messagesOf(parseAmiStream(stream('a-answered-held-recorded.ami')))) translator.translate(message);
    assert.equal(translator.rememberedCalls, 1);
    translator.translate(messagesOf(parseAmiStream('Event: DeviceStateChange\r\nTimestamp: 1718000300.000000\r\nDevice: PJSIP/2001\r\nState: NOT_INUSE\r\n\r\n'))[0]!);
    assert.equal(translator.rememberedCalls, 0);
    for (let n = 0; n < 10; n += 1) {
      translator.translate(messagesOf(parseAmiStream(`Event: QueueCallerJoin\r\nTimestamp: 1718000400.00000${n}\r\nChannel: PJSIP/trunk-0000009${n}\r\n`
        + `CallerIDNum: 1390531009${n}\r\nExten: 12345\r\nUniqueid: 1718000400.${n}\r\nLinkedid: 1718000400.${n}\r\nQueue: hotline\r\n\r\n`))[0]!);
    }
    assert.equal(translator.rememberedCalls, 3);
  });
});

// --- the connector against the stand-in -------------------------------------------------------------

const CONNECTED_STREAMS = ['a-answered-held-recorded.ami', 'b-abandoned-after-no-answer.ami', 'd-blind-transfer-to-110.ami',
  'e-attended-transfer-to-seat.ami', 'f-three-way.ami', 'g-interleaved-with-noise.ami', 'h-blind-transfer-to-seat.ami'];
const LONG_STREAM = Buffer.concat(CONNECTED_STREAMS.map(stream));
const EXPECTED = translate(LONG_STREAM);

interface Logged { level: LogLevel; message: string }
function recordingLog(): { log: Log; lines: Logged[] } {
  const lines: Logged[] = [];
  return { lines, log: (level, message) => { lines.push({ level, message }); } };
}

function connectorFor(port: number, secret: string, deliver: AmiConnectorOptions['deliver'], extra: Partial<AmiConnectorOptions> = {}): AmiConnector {
  return new AmiConnector({
    host: '127.0.0.1', port, username: 'minsheng', secret, deliver, translator: TRANSLATOR, batchSize: 7, flushMs: 20,
    reconnect: { firstMs: 10, maxMs: 50 }, retry: { firstMs: 5, maxMs: 20 }, log: recordingLog().log, ...extra,
  });
}

async function until(condition: () => boolean, what: string, ms = 4_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('AMI connector against a stand-in Asterisk', () => {
  test('logs in with call,agent,dialplan events and delivers all events of a chunked stream in order, in batches', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM, chunks: { seed: 7, maxBytes: 50 } });
    const batches: TelephonyEvent[][] = [];
    const connector = connectorFor(standIn.port, standIn.secret, async (events) => { batches.push(events); });
    try {
      await connector.start();
      await until(() => batches.flat().length >= EXPECTED.length, 'all events');
      assert.deepEqual(batches.flat(), EXPECTED);
      assert.ok(batches.every((batch) => batch.length >= 1 && batch.length <= 7));
      const login = standIn.actions[0];
      assert.equal(login?.action, 'Login');
      assert.equal(login?.username, 'minsheng');
      assert.equal(login?.events, 'call,agent,dialplan');
      assert.ok(login?.actionid);
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });

  test('survives dropped connections: reconnects, logs in again and continues, nothing lost or repeated', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM, chunks: { seed: 11, maxBytes: 30 }, dropAfterMessages: [60, 200] });
    const delivered: TelephonyEvent[] = [];
    const { log, lines } = recordingLog();
    const connector = connectorFor(standIn.port, standIn.secret, async (events) => { delivered.push(...events); }, { log });
    try {
      await connector.start();
      await until(() => delivered.length >= EXPECTED.length, 'all events after reconnects');
      assert.deepEqual(delivered, EXPECTED);
      assert.equal(standIn.connections, 3);
      assert.equal(standIn.logins, 3);
      assert.ok(lines.some((line) => /reconnecting/.test(line.message)));
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });

  test('retries a failing deliver with the same batch: in order, without loss or duplicates', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM });
    const delivered: TelephonyEvent[] = [];
    let calls = 0;
    const connector = connectorFor(standIn.port, standIn.secret, async (events) => {
      calls += 1;
      if (calls <= 3 || calls % 4 === 0) throw new Error('Minsheng unavailable');
      delivered.push(...events);
    });
    try {
      await connector.start();
      await until(() => delivered.length >= EXPECTED.length, 'all events despite failures');
      assert.deepEqual(delivered, EXPECTED);
      assert.ok(connector.stats.deliverFailures >= 3);
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });

  test('stop() delivers what it still holds', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM });
    const delivered: TelephonyEvent[] = [];
    const connector = connectorFor(standIn.port, standIn.secret, async (events) => { delivered.push(...events); },
      { batchSize: 10_000, flushMs: 60_000 });
    try {
      await connector.start();
      await until(() => connector.buffered >= EXPECTED.length, 'all events buffered');
      assert.equal(delivered.length, 0);
      await connector.stop();
      assert.deepEqual(delivered, EXPECTED);
      assert.ok(standIn.actions.some((action) => action.action === 'Logoff'));
    } finally {
      await standIn.close();
    }
  });

  test('over its bound it stops reading from Asterisk and says so, then catches up without loss', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM });
    const delivered: TelephonyEvent[] = [];
    const { log, lines } = recordingLog();
    const connector = connectorFor(standIn.port, standIn.secret, async (events) => { await sleep(2); delivered.push(...events); },
      { log, maxBuffered: 10, batchSize: 2 });
    try {
      await connector.start();
      await until(() => delivered.length >= EXPECTED.length, 'all events through a small buffer');
      assert.deepEqual(delivered, EXPECTED);
      assert.ok(lines.some((line) => line.level === 'error' && /PAUSED/.test(line.message)));
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });

  test('a wrong secret gives a clear error and no retrying', async () => {
    const standIn = await startAmiStandIn({ stream: LONG_STREAM });
    const connector = connectorFor(standIn.port, 'wrong-secret', async () => {});
    try {
      await assert.rejects(connector.start(), (error: unknown) => error instanceof AmiLoginError && /Authentication failed/.test(error.message));
      await sleep(60);
      assert.equal(standIn.connections, 1);
      assert.equal(standIn.refusedLogins, 1);
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });

  test('sends Ping periodically and reconnects when a Ping goes unanswered', async () => {
    const standIn = await startAmiStandIn({ stream: stream('a-answered-held-recorded.ami'), answerPings: false });
    const connector = connectorFor(standIn.port, standIn.secret, async () => {}, { pingEveryMs: 30 });
    try {
      await connector.start();
      await until(() => standIn.logins >= 2, 'a new login after an unanswered Ping');
      assert.ok(standIn.actions.filter((action) => action.action === 'Ping').length >= 1);
    } finally {
      await connector.stop();
      await standIn.close();
    }
  });
});

describe('postTo: delivery to Minsheng', () => {
  test('signs the exact body; 2xx is done, a 4xx is dropped with its code logged, a 5xx, 429 or 401 (a wrong secret, a clock off) is retried', async () => {
    const secret = 'shared-secret';
    const answers: Array<[number, string]> = [[202, '{}'], [400, '{"error":{"code":"VALIDATION_FAILED","message":"x"}}'], [503, ''], [429, ''],
      [401, '{"error":{"code":"TELEPHONY_STALE","message":"x"}}']];
    const received: Array<{ valid: boolean; events: number }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const timestamp = String(req.headers['x-minsheng-timestamp']);
        const nonce = String(req.headers['x-minsheng-nonce']);
        const expected = createHmac('sha256', secret).update(`${timestamp}\n${nonce}\n`).update(body).digest('hex');
        received.push({ valid: expected === req.headers['x-minsheng-signature'] && req.url === '/api/v1/telephony/events'
          && /^[0-9a-f]{16,}$/.test(nonce) && Math.abs(Number(timestamp) - Date.now() / 1000) < 5,
        events: (JSON.parse(body.toString('utf8')) as { events: TelephonyEvent[] }).events.length });
        const [status, text] = answers.shift() ?? [500, ''];
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { log, lines } = recordingLog();
    const deliver = postTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, secret, { log });
    try {
      const batch = EXPECTED.slice(0, 3);
      await deliver(batch);
      await deliver(batch);
      assert.ok(lines.some((line) => line.level === 'error' && /HTTP 400 VALIDATION_FAILED/.test(line.message)));
      await assert.rejects(deliver(batch), /HTTP 503/);
      await assert.rejects(deliver(batch), /HTTP 429/);
      await assert.rejects(deliver(batch), /HTTP 401 TELEPHONY_STALE/);
      assert.deepEqual(received, Array(5).fill({ valid: true, events: 3 }));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("seats' states from Asterisk: a queue member paused or unpaused", () => {
  const pause = (fields: string) => `Event: QueueMemberPause\r\nPrivilege: agent,all\r\nSystemName: pbx1\r\n${fields}\r\n`;
  test('a pause is the seat not ready with its reason, once however many queues it paused; an unpause is ready; a member that is no seat says nothing', () => {
    const events = everything([
      pause('Timestamp: 1718000500.000100\r\nQueue: hotline\r\nMemberName: Agent 2001\r\nInterface: PJSIP/2001\r\nPaused: 1\r\nPausedReason: 用餐\r\n'),
      pause('Timestamp: 1718000500.000100\r\nQueue: elderly\r\nMemberName: Agent 2001\r\nInterface: PJSIP/2001\r\nPaused: 1\r\nPausedReason: 用餐\r\n'),
      // Asterisk 16 and before: Reason
      pause('Timestamp: 1718000510.000000\r\nQueue: hotline\r\nInterface: SIP/2002\r\nPaused: 1\r\nReason: meeting\r\n'),
      pause('Timestamp: 1718002300.000000\r\nQueue: hotline\r\nInterface: PJSIP/2001\r\nPaused: 0\r\nPausedReason: \r\n'),
      pause('Timestamp: 1718002400.000000\r\nQueue: hotline\r\nInterface: Local/99@from-queue\r\nPaused: 1\r\n'),
    ].join(''));
    assert.deepEqual(events, [
      { type: 'seat_state', id: 'ami:pbx1:seat:2001:paused:1718000500.000100', seat: '2001', state: 'not_ready', reason: '用餐', at: '2024-06-10T06:21:40.000Z' },
      { type: 'seat_state', id: 'ami:pbx1:seat:2001:paused:1718000500.000100', seat: '2001', state: 'not_ready', reason: '用餐', at: '2024-06-10T06:21:40.000Z' },
      { type: 'seat_state', id: 'ami:pbx1:seat:2002:paused:1718000510.000000', seat: '2002', state: 'not_ready', reason: 'meeting', at: '2024-06-10T06:21:50.000Z' },
      { type: 'seat_state', id: 'ami:pbx1:seat:2001:unpaused:1718002300.000000', seat: '2001', state: 'ready', at: '2024-06-10T06:51:40.000Z' },
    ]);
  });

  test('postTo posts the call events to /telephony/events and the seats\' states to /telephony/seats', async () => {
    const received: Array<{ url: string; events: Record<string, unknown>[] }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ url: req.url ?? '', events: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: Record<string, unknown>[] }).events });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const deliver = postTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/telephony/events`, 'shared-secret');
      const seat = { type: 'seat_state' as const, id: 'ami:pbx1:seat:2001:paused:1', seat: '2001', state: 'not_ready' as const, reason: '用餐', at: '2024-06-10T06:21:40.000Z' };
      await deliver([EXPECTED[0]!, seat, EXPECTED[1]!]);
      assert.deepEqual(received.map((r) => [r.url, r.events.map((e) => e.id)]), [
        ['/api/v1/telephony/events', [EXPECTED[0]!.id, EXPECTED[1]!.id]], ['/api/v1/telephony/seats', [seat.id]]]);
      assert.equal(received[1]!.events[0]!.type, undefined, 'a seat state is posted as the seats endpoint takes it');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
