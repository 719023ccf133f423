// The screen-pop (来电弹屏): who is calling, for the agent who answered: their number, how often they
// have called, what is still open, whether they were dissatisfied before or asked for confidentiality,
// and their latest requests. The number is shown in full only to those who call citizens back, and
// each such read is in the audit log.
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';
import { dissatisfiedOrders } from '../feedback/index.js';
import { maskPhone, ordersOfCaller, personalDataVisibility, type OrderView } from '../orders/index.js';
import { prepared, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';

export interface CallerProfile {
  callId: string;
  /** the caller's number (masked for readers who do not call citizens back); null: withheld */
  phone: string | null;
  counts: { days30: number; days90: number; days365: number; all: number; capped: boolean };
  open: number;
  /** earlier requests whose citizen said on the return visit it was unsolved, or was unsatisfied */
  dissatisfied: number;
  /** earlier requests they asked to keep confidential: handle this call with the same care */
  confidential: number;
  orders: OrderView[];
}

/** The profile of the caller of `callId`; CALL_NOT_FOUND outside the actor's city. */
export async function callerProfile(db: Queryable, actor: Actor, callId: string, limit = 5): Promise<CallerProfile> {
  const r = await db.query<{ caller_phone: string | null }>(prepared('SELECT caller_phone FROM calls WHERE city_code = $1 AND call_id = $2',
    [actor.cityCode, callId]));
  if (!r.rows[0]) throw new DomainError('CALL_NOT_FOUND', { id: callId });
  const phone = r.rows[0].caller_phone;
  if (!phone) return { callId, phone: null, counts: { days30: 0, days90: 0, days365: 0, all: 0, capped: false }, open: 0, dissatisfied: 0, confidential: 0, orders: [] };
  const full = personalDataVisibility(actor, false) === 'full';
  if (full) await recordAudit(db, actor, { action: 'call.read_unmasked', subjectType: 'call', subjectId: callId, detail: { fields: ['phone'], for: 'screen_pop' } });
  const theirs = await ordersOfCaller(db, actor, phone, { limit });
  const dissatisfied = await dissatisfiedOrders(db, actor.cityCode, theirs.orderIds);
  return { callId, phone: full ? phone : maskPhone(phone), counts: theirs.counts, open: theirs.open, dissatisfied: dissatisfied.size,
    confidential: theirs.confidential, orders: theirs.orders };
}
