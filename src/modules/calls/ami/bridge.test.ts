// From an Asterisk's Manager Interface to the call records, end to end: a local AMI stand-in plays
// recorded streams, the bridge translates them and posts them, signed, over HTTP to a real Minsheng.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../http/app.js';
import { startAmiStandIn, type AmiStandIn } from '../../../testing/ami-stand-in.js';
import { startTestPlatform, TELEPHONY_TEST_SECRET, type TestPlatform } from '../../../testing/harness.js';
import { bridgeSettings, startBridge } from '../index.js';
import type { AmiConnector } from './connector.js';

const stream = (name: string) => readFileSync(new URL(`./streams/${name}`, import.meta.url));
const RECORDED = Buffer.concat(['a-answered-held-recorded.ami', 'b-abandoned-after-no-answer.ami', 'd-blind-transfer-to-110.ami'].map(stream));

describe('the AMI bridge: recorded Asterisk streams become call records in Minsheng', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let base: string;
  const standIns: AmiStandIn[] = [];
  const bridges: AmiConnector[] = [];

  before(async () => {
    p = await startTestPlatform();
    app = await buildApp(p, {});
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    for (const b of bridges) await b.stop();
    for (const s of standIns) await s.close();
    await app.close();
    await p.close();
  });

  async function bridgeTo(standIn: AmiStandIn) {
    const settings = bridgeSettings({ AMI_HOST: '127.0.0.1', AMI_PORT: String(standIn.port), AMI_USERNAME: standIn.username,
      AMI_SECRET: standIn.secret, MINSHENG_URL: base, TELEPHONY_SECRET: TELEPHONY_TEST_SECRET });
    const bridge = await startBridge(settings, () => undefined);
    bridges.push(bridge);
    return bridge;
  }
  const calls = async () => (await p.db.pool.query(
    'SELECT call_id, state, outcome, caller_phone, seat, rings, wait_seconds::float8 AS wait, hold_seconds::float8 AS hold, transfers, recording, events FROM calls ORDER BY offered_at')).rows;

  test('gives each call its record; a second bridge on the same PBX adds nothing', async () => {
    const kept = async () => (await p.db.pool.query('SELECT count(*)::int AS n FROM call_events')).rows[0].n as number;
    const total = RECORDED.toString('utf8').split('\r\n\r\n').filter((m) => m.trim()).length;
    const counts: number[] = [];
    for (let i = 0; i < 2; i++) {
      const standIn = await startAmiStandIn({ stream: RECORDED, username: 'minsheng', secret: 'ami-secret', chunks: { seed: 7 + i, maxBytes: 700 } });
      standIns.push(standIn);
      const bridge = await bridgeTo(standIn);
      const end = Date.now() + 10_000;
      while (standIn.written < total && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      assert.equal(standIn.written, total, 'the whole stream was read');
      await new Promise((r) => setTimeout(r, 100)); // the last bytes reach the bridge
      await bridge.stop(); // delivers what it holds
      bridges.length = 0;
      counts.push(await kept());
    }
    assert.ok(counts[0]! > 10);
    assert.equal(counts[1], counts[0], "the second bridge's events were the same events (the same ids), kept once");
    const rows = await calls();
    assert.deepEqual(rows.map((c) => [c.outcome, c.caller_phone, c.seat]), [
      ['answered', '13905310001', '2001'],
      ['abandoned', '13905310002', null],
      ['transferred', '13905310004', '2001'],
    ]);
    const [answered, abandoned, transferred] = rows;
    assert.ok(answered.hold > 0, 'the hold is timed');
    assert.match(answered.recording, /monitor/, 'the recording is referenced');
    assert.equal(abandoned.rings, 2);
    assert.ok(abandoned.wait > 0);
    assert.deepEqual(transferred.transfers.map((t: { kind: string; value: string }) => [t.kind, t.value]), [['desk', '110']]);
    assert.equal(counts[0], rows.reduce((n, c) => n + c.events, 0));
  });
});
