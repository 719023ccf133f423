// Call traffic as a busy hotline's telephony reports it: most calls answered (some after a seat
// that rang out, some held), some abandoned, a few transferred to 110; 6–9 events a call. For the
// demo's call centre and the calls benchmark. Numbers and times are invented.
import type pg from 'pg';
import { absorbCallEvents, type CallEvent } from '../modules/calls/index.js';
import { seededRandom } from '../shared/random.js';
import { addDays, beijingDate, beijingMidnight, HOUR_MS } from '../shared/beijing.js';

export interface CallTraffic {
  calls: number;
  seed: number;
  /** call ids are `<prefix>-<n>` */
  prefix: string;
  /** the first call's offer (ms), the others spread evenly over `spanMs` */
  from: number;
  spanMs: number;
  /** seats 2001, 2002, …: how many */
  seats: number;
  /** the first seat's extension (default 2001) */
  firstSeat?: number;
}

export function generateCalls(o: CallTraffic): CallEvent[] {
  const random = seededRandom(o.seed);
  const events: CallEvent[] = [];
  for (let c = 0; c < o.calls; c++) {
    const callId = `${o.prefix}-${c}`;
    let t = o.from + Math.floor((c / o.calls) * o.spanMs);
    const push = (type: CallEvent['type'], extra: Partial<CallEvent> = {}) => {
      events.push({ id: `${callId}:${events.length}`, callId, type, at: new Date(t).toISOString(), ...extra });
    };
    const seat = () => String((o.firstSeat ?? 2001) + Math.floor(random() * o.seats));
    push('offered', { caller: `139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`, callee: '12345', queue: 'hotline' });
    let rung = seat();
    t += 1000 + random() * 4000;
    push('ringing', { seat: rung, queue: 'hotline' });
    if (random() < 0.2) {
      t += 15_000;
      push('not_answered', { seat: rung, reason: 'timeout' });
      rung = seat();
      push('ringing', { seat: rung, queue: 'hotline' });
    }
    if (random() < 0.08) {
      t += 5_000 + random() * 30_000;
      push('abandoned', { queue: 'hotline' });
      push('ended', { reason: 'caller' });
      continue;
    }
    t += 2_000 + random() * 6_000;
    push('answered', { seat: rung, agent: `agent-${rung}`, queue: 'hotline', recording: `/var/spool/asterisk/monitor/${callId}.wav` });
    if (random() < 0.3) {
      t += 20_000 + random() * 60_000;
      push('held', { seat: rung });
      t += 10_000 + random() * 40_000;
      push('unheld', { seat: rung });
    }
    t += 30_000 + random() * 240_000;
    if (random() < 0.02) push('transferred', { seat: rung, target: { kind: 'desk', value: '110' } });
    push('ended', { reason: random() < 0.6 ? 'caller' : 'agent' });
  }
  return events;
}

/**
 * The demo's calls: the last 7 days, 60 a day at 10 seats (8001–8010), each day's between 08:00 and
 * 20:00 Beijing time, as the telephony would have posted them; today's up to now.
 */
export async function seedDemoCalls(pool: pg.Pool, cityCode: string, now = Date.now()): Promise<number> {
  const today = beijingDate(now);
  let count = 0;
  for (let d = 6; d >= 0; d--) {
    const from = +beijingMidnight(addDays(today, -d)) + 8 * HOUR_MS;
    const spanMs = Math.min(12 * HOUR_MS, now - 600_000 - from);
    if (spanMs <= 0) continue;
    const calls = Math.max(1, Math.round(60 * (spanMs / (12 * HOUR_MS))));
    const events = generateCalls({ calls, seed: 100 + d, prefix: `demo-${d}`, from, spanMs, seats: 10, firstSeat: 8001 });
    for (let i = 0; i < events.length; i += 200) await absorbCallEvents(pool, cityCode, events.slice(i, i + 200), new Date(now));
    count += calls;
  }
  return count;
}
