// The orders behind a phone number, for the agent who has that caller on the line (the call
// centre's screen-pop): how often they have called, what is still open, whether they asked for
// confidentiality before, and their latest requests as the agent may see them.
import { type Queryable } from '../../db/tx.js';
import { WhereBuilder } from '../../db/where.js';
import type { Actor } from '../auth/index.js';
import type { OrderView } from './model.js';
import { presentRows } from './presentation.js';
import { personalDataVisibility } from './privacy.js';
import { normalizePhone, visibleTo } from './reads.js';
import { ORDER_STATE_GROUP } from './rules.js';

/** Requests counted up to this many: a number behind more (a switchboard) is counted as "at least". */
const COUNT_CAP = 1000;
const OPEN_STATES = Object.entries(ORDER_STATE_GROUP).filter(([, group]) => group === 'open').map(([state]) => state);

export interface CallerOrders {
  counts: { days30: number; days90: number; days365: number; all: number; capped: boolean };
  /** of those, the ones not yet closed */
  open: number;
  /** of those, the ones they asked to keep confidential (举报人保密) */
  confidential: number;
  /** the ids of all counted, for the other modules' figures (their return visits) */
  orderIds: string[];
  /** the latest `limit`, newest first */
  orders: OrderView[];
}

/** The orders of `phone` that the actor may see (confidential ones only by those who see their citizens). */
export async function ordersOfCaller(db: Queryable, actor: Actor, phone: string, options: { limit: number; now?: Date }): Promise<CallerOrders> {
  const where = visibleTo(actor, new WhereBuilder()).add('o.citizen_phone = ?', normalizePhone(phone));
  if (personalDataVisibility(actor, true) !== 'full') where.add('NOT o.confidential');
  const rows = (await db.query(`SELECT o.id, o.created_at, o.state, o.confidential FROM orders o ${where.sql}
    ORDER BY o.created_at DESC LIMIT ${where.param(COUNT_CAP)}`, where.params)).rows as
    { id: string; created_at: Date; state: string; confidential: boolean }[];
  const now = options.now ?? new Date();
  const within = (days: number) => rows.filter((r) => r.created_at.getTime() > now.getTime() - days * 86_400_000).length;
  const latest = rows.slice(0, options.limit).map((r) => r.id);
  const full = latest.length ? (await db.query('SELECT * FROM orders WHERE city_code = $1 AND id = ANY($2::uuid[]) ORDER BY created_at DESC',
    [actor.cityCode, latest])).rows : [];
  return {
    counts: { days30: within(30), days90: within(90), days365: within(365), all: rows.length, capped: rows.length >= COUNT_CAP },
    open: rows.filter((r) => OPEN_STATES.includes(r.state)).length,
    confidential: rows.filter((r) => r.confidential).length,
    orderIds: rows.map((r) => r.id),
    orders: await presentRows(db, actor, full, false),
  };
}
