// What the timer sweep does to orders: a deadline's warning or overdue mark, and closing a replied
// order whose citizen asked not to be called back. Each reads the order, decides from the facts as
// they are now (a deadline met since, a state moved on: nothing to do), and writes in the sweep's
// transaction.
import { systemActor } from '../../auth/index.js';
import * as sla from '../../sla/index.js';
import type { TimerHandler } from '../../timers/index.js';
import { change, recordFact, transitionIn } from './index.js';

/** The deadline timers' handler: marks the warning or the overdue on the round, and on the order as an event. */
export const deadlineTimer: TimerHandler = async (tx, timer, now) => {
  const actor = systemActor(timer.cityCode);
  await change(tx, now, async (session) => {
    const held = await session.load(actor, timer.subjectId);
    const mark = sla.markDeadline(session.plan, held, timer, now);
    if (!mark) return;
    const { kind, ...detail } = mark;
    await recordFact(session, actor, timer.subjectId, kind === 'warning' ? 'order.deadline_warning' : 'order.overdue', detail);
  });
};

/** Closes a replied order whose citizen asked not to be called back. */
export const closeWithoutCall: TimerHandler = async (tx, timer, now) => {
  const actor = { ...systemActor(timer.cityCode), roles: ['visitor' as const] };
  await change(tx, now, async (session) => {
    const held = await session.load(actor, timer.subjectId);
    if (held.order.state !== 'replied') return;
    await transitionIn(session, actor, timer.subjectId, 'close', { text: '市民表示无需回访 (the citizen asked not to be called back)' });
  });
};
