// The citizen behind an order across channels and time: recognised by their phone number and by
// their identities on the channels that have their own (a WeChat openid, a Weibo user id, an app
// account), linked through any order that carries both (a WeChat message naming a mobile number,
// an app account's verified phone). What the agent sees of them is how often they contact the
// hotline, by which channels, and their other requests, each as the agent may see it.
import { prepared, type Queryable } from '../../db/tx.js';
import { WhereBuilder } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';
import type { OrderView } from './model.js';
import { presentRows } from './presentation.js';
import { personalDataVisibility, presentCitizen } from './privacy.js';
import { visibleTo } from './reads.js';
import { ORDER_STATE_GROUP } from './rules.js';

/** The most phones and identities one citizen is linked through: a shared phone (a switchboard) links no further. */
const MAX_LINKS = 20;
/** The linked orders read to find the phones and identities (the newest first). */
const MAX_LINKING_ORDERS = 500;
const OPEN_STATES = Object.entries(ORDER_STATE_GROUP).filter(([, group]) => group === 'open').map(([state]) => state);

export interface CitizenHistory {
  /** how the citizen is known: their phone as the reader may see it, and the channels they wrote from with an identity of their own */
  knownBy: { phone: string | null; channels: string[] };
  /** their requests the reader may see, this one included: in the last 30, 90 and 365 days, and in all */
  counts: { days30: number; days90: number; days365: number; all: number };
  byChannel: { channel: string; count: number }[];
  /** of those, the ones not yet closed */
  open: number;
  /** their other requests, newest first, `limit` of them */
  orders: OrderView[];
}

const EMPTY: CitizenHistory = { knownBy: { phone: null, channels: [] }, counts: { days30: 0, days90: 0, days365: 0, all: 0 }, byChannel: [], open: 0, orders: [] };

/**
 * The history of the citizen of order `orderId`, as `actor` may see it: only orders the actor may
 * see count or show, confidential ones only for those who see confidential citizens, and nothing at
 * all when the order's own citizen is hidden from the actor (the history would name them).
 */
export async function citizenHistory(db: Queryable, actor: Actor, orderId: string, options: { limit: number; now?: Date }): Promise<CitizenHistory> {
  const seedWhere = visibleTo(actor, new WhereBuilder()).add('o.id = ?', orderId);
  const seed = (await db.query(`SELECT o.citizen_phone, o.citizen_identity, o.confidential, o.citizen_name, o.citizen_address FROM orders o ${seedWhere.sql}`,
    seedWhere.params)).rows[0];
  if (!seed) throw new DomainError('ORDER_NOT_FOUND', { id: orderId });
  const visibility = personalDataVisibility(actor, seed.confidential);
  if (visibility === 'hidden' || (!seed.citizen_phone && !seed.citizen_identity)) return EMPTY;

  // one hop: the phones and identities of the orders that share the seed's phone or identity
  const linked = (await db.query(prepared(
    `SELECT citizen_phone, citizen_identity FROM orders
      WHERE city_code = $1 AND ((citizen_phone = $2) OR (citizen_identity = $3))
      ORDER BY created_at DESC LIMIT $4`,
    [actor.cityCode, seed.citizen_phone, seed.citizen_identity, MAX_LINKING_ORDERS]))).rows;
  const phones = [...new Set([seed.citizen_phone, ...linked.map((r) => r.citizen_phone)].filter(Boolean))].slice(0, MAX_LINKS) as string[];
  const identities = [...new Set([seed.citizen_identity, ...linked.map((r) => r.citizen_identity)].filter(Boolean))].slice(0, MAX_LINKS) as string[];

  const theirs = () => {
    const where = visibleTo(actor, new WhereBuilder()).add('(o.citizen_phone = ANY(?) OR o.citizen_identity = ANY(?))', phones, identities);
    // a confidential request's citizen is hidden from most readers: it must not be found through them either
    return personalDataVisibility(actor, true) === 'full' ? where : where.add('NOT o.confidential');
  };
  const now = options.now ?? new Date();
  const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const counted = theirs();
  const [d30, d90, d365, open] = [counted.param(since(30)), counted.param(since(90)), counted.param(since(365)), counted.param(OPEN_STATES)];
  const counts = (await db.query(
    `SELECT o.channel, count(*)::int AS n, count(*) FILTER (WHERE o.created_at > ${d30}::timestamptz)::int AS d30,
            count(*) FILTER (WHERE o.created_at > ${d90}::timestamptz)::int AS d90, count(*) FILTER (WHERE o.created_at > ${d365}::timestamptz)::int AS d365,
            count(*) FILTER (WHERE o.state = ANY(${open}::text[]))::int AS open, bool_or(o.citizen_identity IS NOT NULL) AS identified
       FROM orders o ${counted.sql} GROUP BY o.channel ORDER BY count(*) DESC, o.channel`, counted.params)).rows;
  const sum = (key: string) => counts.reduce((total, r) => total + r[key], 0);
  const others = theirs().add('o.id <> ?', orderId);
  const rows = (await db.query(`SELECT o.* FROM orders o ${others.sql} ORDER BY o.created_at DESC LIMIT ${others.param(options.limit)}`, others.params)).rows;
  return {
    knownBy: { phone: presentCitizen(seed, visibility).phone, channels: counts.filter((r) => r.identified).map((r) => r.channel as string).sort() },
    counts: { days30: sum('d30'), days90: sum('d90'), days365: sum('d365'), all: sum('n') },
    byChannel: counts.map((r) => ({ channel: r.channel, count: r.n })),
    open: sum('open'),
    orders: await presentRows(db, actor, rows, false),
  };
}

/**
 * The orders a citizen sent from one identity of theirs (app:<account id>, wechat:<openid>), newest
 * first, at most `limit`: for the channel that keeps their list, never shown to anyone else.
 */
export async function ordersOfIdentity(db: Queryable, cityCode: string, identity: string, limit: number): Promise<{ id: string; createdAt: Date }[]> {
  const r = await db.query(prepared(
    'SELECT id, created_at FROM orders WHERE city_code = $1 AND citizen_identity = $2 ORDER BY created_at DESC LIMIT $3', [cityCode, identity, limit]));
  return r.rows.map((row) => ({ id: row.id, createdAt: row.created_at }));
}
