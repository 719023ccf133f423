// The citizen behind an order across channels and time: recognised by their phone number and by
// their identities on the channels that have their own (a WeChat openid, a Weibo user id, an app
// account), linked through any order that carries both (a WeChat message giving its sender's
// number, an app account's verified phone). What the agent sees of them is how often they contact
// the hotline, by which channels, and their other requests, each as the agent may see it.
import { prepared, type Queryable } from '../../db/tx.js';
import { WhereBuilder } from '../../db/where.js';
import { DomainError } from '../../shared/errors.js';
import type { Actor } from '../auth/index.js';
import type { OrderView } from './model.js';
import { presentRows } from './presentation.js';
import { maskPhone, personalDataVisibility } from './privacy.js';
import { visibleTo } from './reads.js';
import { ORDER_STATE_GROUP } from './rules.js';

/** The most identities one phone links: a number shared by more (a switchboard, a shop) links none, it is no one's. */
const MAX_IDENTITIES_PER_PHONE = 5;
/** The most phones and identities one citizen is linked through. */
const MAX_LINKS = 20;
/** The linked orders read to find the phones and identities (the newest first). */
const MAX_LINKING_ORDERS = 500;
/** Requests counted up to this many: a number behind more is counted as "at least". */
const COUNT_CAP = 1000;
const OPEN_STATES = Object.entries(ORDER_STATE_GROUP).filter(([, group]) => group === 'open').map(([state]) => state);

export interface CitizenHistory {
  /** true: the order's citizen is hidden from the reader (a confidential request), and so is their history */
  hidden: boolean;
  /** how the citizen is known: their phone, masked (the order shows it to those who may see it), and the channels they wrote from with an identity of their own */
  knownBy: { phone: string | null; channels: string[]; sharedPhone: boolean };
  /** their requests the reader may see, this one included: in the last 30, 90 and 365 days, and in all (counted to 1,000: `capped`) */
  counts: { days30: number; days90: number; days365: number; all: number; capped: boolean };
  byChannel: { channel: string; count: number }[];
  /** of those, the ones not yet closed */
  open: number;
  /** their other requests, newest first, `limit` of them; only for readers who see citizens in full */
  orders: OrderView[];
}

const nobody = (hidden: boolean): CitizenHistory => ({ hidden, knownBy: { phone: null, channels: [], sharedPhone: false },
  counts: { days30: 0, days90: 0, days365: 0, all: 0, capped: false }, byChannel: [], open: 0, orders: [] });

/**
 * The history of the citizen of order `orderId`, as `actor` may see it: only orders the actor may
 * see count, link or show (confidential ones only for those who see confidential citizens), the
 * other requests themselves only for readers who see citizens in full, and nothing at all when the
 * order's own citizen is hidden from the actor (the history would name them).
 */
export async function citizenHistory(db: Queryable, actor: Actor, orderId: string, options: { limit: number; now?: Date }): Promise<CitizenHistory> {
  const seedWhere = visibleTo(actor, new WhereBuilder()).add('o.id = ?', orderId);
  const seed = (await db.query(`SELECT o.citizen_phone, o.citizen_identity, o.confidential FROM orders o ${seedWhere.sql}`, seedWhere.params)).rows[0];
  if (!seed) throw new DomainError('ORDER_NOT_FOUND', { id: orderId });
  const visibility = personalDataVisibility(actor, seed.confidential);
  if (visibility === 'hidden') return nobody(true);
  if (!seed.citizen_phone && !seed.citizen_identity) return nobody(false);

  /** Orders the actor may see and find through a citizen (a confidential one only by those who see its citizen). */
  const seen = () => {
    const where = visibleTo(actor, new WhereBuilder());
    return personalDataVisibility(actor, true) === 'full' ? where : where.add('NOT o.confidential');
  };
  // one hop: the identities of the orders with the seed's phone, the phones of those with its identity
  const linking = seen().add('(o.citizen_phone = ? OR o.citizen_identity = ?)', seed.citizen_phone, seed.citizen_identity);
  const linked = (await db.query(`SELECT o.citizen_phone, o.citizen_identity FROM orders o ${linking.sql}
    ORDER BY o.created_at DESC LIMIT ${linking.param(MAX_LINKING_ORDERS)}`, linking.params)).rows;
  const candidates = [...new Set([seed.citizen_phone, ...linked.map((r) => r.citizen_phone)].filter(Boolean))].slice(0, MAX_LINKS) as string[];
  // a number written by more accounts than one person has (a switchboard, a shop) is no one's: it links nobody
  const shared = await sharedPhones(db, actor.cityCode, candidates);
  const sharedPhone = shared.has(seed.citizen_phone);
  const phones = candidates.filter((p) => !shared.has(p) || (p === seed.citizen_phone && !seed.citizen_identity));
  const identities = [...new Set([seed.citizen_identity, ...linked.filter((r) => !shared.has(r.citizen_phone)).map((r) => r.citizen_identity)]
    .filter(Boolean))].slice(0, MAX_LINKS) as string[];

  // theirs: one scan per index (phone, identity), each stopped at the cap, joined without repeats
  const theirs = (columns: string, limit: number) => {
    const byPhone = seen().add('o.citizen_phone = ANY(?)', phones);
    // a caller on a shared number: the calls and texts from it, not the accounts that wrote it down
    if (sharedPhone) byPhone.add('o.citizen_identity IS NULL');
    const byIdentity = seen().add('o.citizen_identity = ANY(?)', identities);
    const offset = byPhone.params.length;
    const identitySql = byIdentity.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    const values = [...byPhone.params, ...byIdentity.params, limit];
    const cap = `$${values.length}`;
    return { text: `SELECT ${columns} FROM orders o WHERE o.id IN (
        (SELECT o.id FROM orders o ${byPhone.sql} ORDER BY o.created_at DESC LIMIT ${cap})
        UNION (SELECT o.id FROM orders o ${identitySql} ORDER BY o.created_at DESC LIMIT ${cap}))`, values };
  };
  const now = options.now ?? new Date();
  const since = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const counted = theirs('o.channel, o.created_at, o.state, o.citizen_identity IS NOT NULL AS identified', COUNT_CAP);
  const rows = (await db.query(counted.text, counted.values)).rows as { channel: string; created_at: Date; state: string; identified: boolean }[];
  const byChannel = new Map<string, number>();
  for (const r of rows) byChannel.set(r.channel, (byChannel.get(r.channel) ?? 0) + 1);
  const within = (days: number) => rows.filter((r) => r.created_at > since(days)).length;
  const listed = visibility === 'full' ? theirs('o.*', options.limit + 1) : null;
  const others = listed ? (await db.query(`${listed.text} AND o.id <> $${listed.values.length + 1} ORDER BY o.created_at DESC LIMIT ${options.limit}`,
    [...listed.values, orderId])).rows : [];
  return {
    hidden: false,
    knownBy: { phone: maskPhone(seed.citizen_phone), channels: [...new Set(rows.filter((r) => r.identified).map((r) => r.channel))].sort(), sharedPhone },
    counts: { days30: within(30), days90: within(90), days365: within(365), all: rows.length, capped: rows.length >= COUNT_CAP },
    byChannel: [...byChannel].map(([channel, count]) => ({ channel, count })).sort((a, b) => b.count - a.count || a.channel.localeCompare(b.channel)),
    open: rows.filter((r) => OPEN_STATES.includes(r.state)).length,
    orders: await presentRows(db, actor, others, false),
  };
}

/** Of `phones`, those written by more than MAX_IDENTITIES_PER_PHONE channel accounts (among their newest orders). */
async function sharedPhones(db: Queryable, cityCode: string, phones: string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const r = await db.query(prepared(
    `SELECT p.phone FROM unnest($2::text[]) AS p (phone)
      WHERE (SELECT count(DISTINCT o.citizen_identity) FROM (SELECT citizen_identity FROM orders
              WHERE city_code = $1 AND citizen_phone = p.phone AND citizen_identity IS NOT NULL ORDER BY created_at DESC LIMIT 200) o) > $3`,
    [cityCode, phones, MAX_IDENTITIES_PER_PHONE]));
  return new Set(r.rows.map((row) => row.phone as string));
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
