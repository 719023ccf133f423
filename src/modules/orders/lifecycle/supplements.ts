// What a citizen adds to their request on their channel after sending it (a photo, the place, more
// words): recorded on the order as a fact, whatever its state until it is finished; the order stays
// where it is and its handlers read it in the history.
import type pg from 'pg';
import { DomainError } from '../../../shared/errors.js';
import type { Actor } from '../../auth/index.js';
import { streamHasEvent, type EventPayload } from '../../events/index.js';
import { ORDER_STATE_GROUP, type OrderState } from '../rules.js';
import { change, recordFact } from './index.js';

export type Supplement = Omit<EventPayload<'order.supplemented'>, 'channel' | 'ref'>;

/**
 * Adds the citizen's supplement to their order, once per channel message (`ref`): a message
 * delivered again adds nothing (false). ORDER_SUPPLEMENT_CLOSED once the order is finished.
 */
export async function supplementOrder(pool: pg.Pool, actor: Actor, orderId: string,
  message: { channel: string; ref: string }, supplement: Supplement, now = new Date()): Promise<boolean> {
  return change(pool, now, async (session) => {
    const held = await session.load(actor, orderId);
    if (ORDER_STATE_GROUP[held.order.state as OrderState] === 'closed') throw new DomainError('ORDER_SUPPLEMENT_CLOSED');
    // read under the order's version: a concurrent delivery of the same message is planned again and finds this one
    if (await streamHasEvent(session.db, actor.cityCode, orderId, 'order.supplemented', { channel: message.channel, ref: message.ref })) return false;
    await recordFact(session, actor, orderId, 'order.supplemented', { ...supplement, channel: message.channel, ref: message.ref });
    return true;
  });
}
