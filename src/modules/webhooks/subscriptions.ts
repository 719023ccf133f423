// Webhook subscriptions (数据接口的实时推送): a unit's, or the city's, URL that receives the events of
// the orders it may see. An admin subscribes any unit or the whole city; a unit's manager their own
// unit. The secret that signs each delivery is shown once, when the subscription is made (and when
// it is replaced). A replay moves the subscription's cursor back to a point in time.
import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { hasRole, type Actor } from '../auth/index.js';
import { unitIndex } from '../directory/index.js';
import { cursorBefore, EVENT_TYPE_NAMES, headCursor } from '../events/index.js';

export const ORDER_EVENT_TYPES: readonly string[] = EVENT_TYPE_NAMES.filter((t) => t.startsWith('order.'));

export interface Subscription {
  id: string;
  unit: { id: string; name: string } | null;
  name: string;
  url: string;
  types: string[] | null;
  active: boolean;
  /** the last event delivered (or passed over as not its own) */
  position: number;
  failures: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastDeliveredAt: string | null;
  createdAt: string;
  createdBy: string;
}

export interface SubscriptionInput { name: string; url: string; unitId?: string | null | undefined; types?: string[] | null | undefined }

const COLUMNS = `id, unit_id, name, url, types, active, cursor_position, failures, next_attempt_at, last_error, last_delivered_at, created_at, created_by`;

/** Who manages webhooks: an admin, any unit's or the city's; a unit's manager, their own unit's. */
function mayManage(actor: Actor, unitId: string | null): boolean {
  if (actor.kind !== 'staff') return false;
  if (hasRole(actor, 'admin')) return true;
  return hasRole(actor, 'unit_manager') && unitId !== null && unitId === actor.unitId;
}

const invalid = (zh: string, en: string) => new DomainError('WEBHOOK_INVALID', { detail: { zh, en } });

/**
 * A URL the hotline may post to: http(s), no credentials in it, and (unless the deployment allows
 * private addresses, as a test or an intranet does) a host that is not loopback, private or link-local:
 * a unit's manager must not make the server call into its own network.
 */
export async function checkUrl(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('推送地址不是有效的网址', 'the URL is not valid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('推送地址须以 https:// 或 http:// 开头', 'the URL must be http(s)');
  if (url.username || url.password) throw invalid('推送地址不能含用户名或密码', 'the URL must not hold credentials');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((a) => a.map((x) => x.address)).catch(() => {
      throw invalid(`无法解析主机名 ${host}`, `cannot resolve ${host}`);
    });
    if (addresses.some(isPrivateAddress)) throw invalid('推送地址不能指向内网或本机', 'the URL must not point to a private or local address');
  }
  return url;
}

/** Loopback, private (RFC 1918, unique local), link-local, unspecified and CGNAT addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
      || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

function checkTypes(types: string[] | null | undefined): string[] | null {
  if (!types || types.length === 0) return null;
  const unknown = types.filter((t) => !ORDER_EVENT_TYPES.includes(t));
  if (unknown.length > 0) throw invalid(`未知的事件类型：${unknown.join('、')}`, `unknown event types: ${unknown.join(', ')}`);
  return [...new Set(types)].sort();
}

async function present(db: Queryable, cityCode: string, rows: Record<string, any>[]): Promise<Subscription[]> {
  const units = await unitIndex(db, cityCode, rows.flatMap((r) => (r.unit_id ? [r.unit_id] : [])));
  return rows.map((r) => ({
    id: r.id, unit: r.unit_id ? { id: r.unit_id, name: units.get(r.unit_id)?.name ?? r.unit_id } : null, name: r.name, url: r.url,
    types: r.types, active: r.active, position: Number(r.cursor_position), failures: r.failures, nextAttemptAt: r.next_attempt_at.toISOString(),
    lastError: r.last_error, lastDeliveredAt: r.last_delivered_at?.toISOString() ?? null, createdAt: r.created_at.toISOString(), createdBy: r.created_by,
  }));
}

/** Subscribes a unit (or the city) from now on: it receives the events committed after this. Returns it with its secret. */
export async function createSubscription(db: Queryable, actor: Actor, input: SubscriptionInput, allowPrivate: boolean):
  Promise<Subscription & { secret: string }> {
  // absent: a unit's manager subscribes their unit, an admin the city; null: the city (admins only)
  const unitId = input.unitId !== undefined ? input.unitId : hasRole(actor, 'admin') ? null : actor.unitId;
  if (!mayManage(actor, unitId)) throw new DomainError('AUTH_FORBIDDEN');
  if (unitId && !(await unitIndex(db, actor.cityCode, [unitId])).get(unitId)) throw new DomainError('DIRECTORY_UNIT_NOT_FOUND', { id: unitId });
  const url = await checkUrl(input.url, allowPrivate);
  const types = checkTypes(input.types);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const head = await headCursor(db);
  const id = randomUUID();
  const result = await db.query(`INSERT INTO webhook_subscriptions (city_code, id, unit_id, name, url, secret, types, cursor_tx, cursor_position, created_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::xid8, $9, $10) RETURNING ${COLUMNS}`,
  [actor.cityCode, id, unitId, input.name.trim(), url.toString(), secret, types, head.txId, head.position, actor.name]);
  await recordAudit(db, actor, { action: 'webhook.created', subjectType: 'webhook', subjectId: id, detail: { unitId, url: url.origin } });
  return { ...(await present(db, actor.cityCode, result.rows))[0]!, secret };
}

async function loadRow(db: Queryable, actor: Actor, id: string): Promise<Record<string, any>> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(id);
  const row = isUuid ? (await db.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE city_code = $1 AND id = $2`, [actor.cityCode, id])).rows[0] : undefined;
  // another unit's subscription is as unknown as one that does not exist
  if (!row || !mayManage(actor, row.unit_id)) throw new DomainError('WEBHOOK_NOT_FOUND', { id });
  return row;
}

export async function getSubscription(db: Queryable, actor: Actor, id: string): Promise<Subscription> {
  return (await present(db, actor.cityCode, [await loadRow(db, actor, id)]))[0]!;
}

/** The subscriptions the actor manages: all of the city's for an admin, their unit's for a unit's manager. */
export async function listSubscriptions(db: Queryable, actor: Actor): Promise<Subscription[]> {
  if (actor.kind !== 'staff' || !hasRole(actor, 'admin', 'unit_manager')) throw new DomainError('AUTH_FORBIDDEN');
  const all = hasRole(actor, 'admin');
  const result = await db.query(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE city_code = $1 ${all ? '' : 'AND unit_id = $2'} ORDER BY created_at, id`,
    all ? [actor.cityCode] : [actor.cityCode, actor.unitId]);
  return present(db, actor.cityCode, result.rows);
}

export interface SubscriptionPatch { name?: string | undefined; url?: string | undefined; types?: string[] | null | undefined; active?: boolean | undefined }

/** Changes a subscription; resumed (active again), it is tried at once. */
export async function updateSubscription(db: Queryable, actor: Actor, id: string, patch: SubscriptionPatch, allowPrivate: boolean): Promise<Subscription> {
  const row = await loadRow(db, actor, id);
  const url = patch.url === undefined ? row.url : (await checkUrl(patch.url, allowPrivate)).toString();
  const types = patch.types === undefined ? row.types : checkTypes(patch.types);
  const result = await db.query(`UPDATE webhook_subscriptions SET name = $3, url = $4, types = $5, active = $6,
      next_attempt_at = CASE WHEN $6 AND NOT active THEN now() ELSE next_attempt_at END, failures = CASE WHEN $6 AND NOT active THEN 0 ELSE failures END
    WHERE city_code = $1 AND id = $2 RETURNING ${COLUMNS}`, [actor.cityCode, id, patch.name?.trim() ?? row.name, url, types, patch.active ?? row.active]);
  await recordAudit(db, actor, { action: 'webhook.updated', subjectType: 'webhook', subjectId: id, detail: { ...patch, url: patch.url ? new URL(url).origin : undefined } });
  return (await present(db, actor.cityCode, result.rows))[0]!;
}

export async function deleteSubscription(db: Queryable, actor: Actor, id: string): Promise<void> {
  await loadRow(db, actor, id);
  await db.query('DELETE FROM webhook_subscriptions WHERE city_code = $1 AND id = $2', [actor.cityCode, id]);
  await db.query('DELETE FROM webhook_attempts WHERE city_code = $1 AND subscription_id = $2', [actor.cityCode, id]);
  await recordAudit(db, actor, { action: 'webhook.deleted', subjectType: 'webhook', subjectId: id });
}

/** Sends again every event from `from` on (the receiver dedupes by position); tried at once. */
export async function replaySubscription(db: Queryable, actor: Actor, id: string, from: Date): Promise<Subscription> {
  await loadRow(db, actor, id);
  const cursor = await cursorBefore(db, from);
  const result = await db.query(`UPDATE webhook_subscriptions SET cursor_tx = $3::xid8, cursor_position = $4, next_attempt_at = now(), failures = 0
    WHERE city_code = $1 AND id = $2 RETURNING ${COLUMNS}`, [actor.cityCode, id, cursor.txId, cursor.position]);
  await recordAudit(db, actor, { action: 'webhook.replayed', subjectType: 'webhook', subjectId: id, detail: { from: from.toISOString() } });
  return (await present(db, actor.cityCode, result.rows))[0]!;
}

/** A new secret (the old one stops signing at once); shown once. */
export async function rotateSecret(db: Queryable, actor: Actor, id: string): Promise<{ secret: string }> {
  await loadRow(db, actor, id);
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  await db.query('UPDATE webhook_subscriptions SET secret = $3 WHERE city_code = $1 AND id = $2', [actor.cityCode, id, secret]);
  await recordAudit(db, actor, { action: 'webhook.secret_rotated', subjectType: 'webhook', subjectId: id });
  return { secret };
}

export interface Attempt { at: string; firstPosition: number; lastPosition: number; events: number; status: number | null; ms: number; error: string | null }

/** The subscription's latest tries, the latest first. */
export async function listAttempts(db: Queryable, actor: Actor, id: string, limit: number): Promise<Attempt[]> {
  await loadRow(db, actor, id);
  const result = await db.query(`SELECT at, first_position, last_position, events, status, ms, error FROM webhook_attempts
    WHERE city_code = $1 AND subscription_id = $2 ORDER BY id DESC LIMIT $3`, [actor.cityCode, id, limit]);
  return result.rows.map((r) => ({ at: r.at.toISOString(), firstPosition: Number(r.first_position), lastPosition: Number(r.last_position), events: r.events,
    status: r.status, ms: r.ms, error: r.error }));
}
