// Staff credentials (argon2id), sessions with lock-out, and hashed, scoped API keys.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type pg from 'pg';
import type { Queryable } from '../../db/tx.js';
import { prepared, withTransaction } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { activeStaffSelectedBy, createStaff, findStaffByUsername, getStaff, getUnit, unitIndex, type Staff, type StaffInput } from '../directory/index.js';
import type { Actor, ApiScope, Role } from './actor.js';

// OWASP's argon2id floor (19 MiB, 2 passes): a login costs ~20 ms, a guess as much.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const MIN_PASSWORD_LENGTH = 8;

export interface AuthPolicy {
  sessionHours: number;
  maxFailedLogins: number;
  lockoutMinutes: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const newSecret = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

export function hashPassword(password: string): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('VALIDATION_FAILED', { detail: { zh: `密码不能少于 ${MIN_PASSWORD_LENGTH} 个字符`, en: `password shorter than ${MIN_PASSWORD_LENGTH} characters` } });
  }
  return hash(password, ARGON2);
}

/** Creates a staff member and their password in one transaction. */
export async function createStaffAccount(pool: pg.Pool, actor: Actor, input: StaffInput & { password: string }): Promise<Staff> {
  const { password, ...staffInput } = input;
  return (await createStaffAccountsSharingPassword(pool, actor, [staffInput], password))[0]!;
}

/**
 * Creates staff members who start with one shared password, hashed once: a demo's unit accounts, or
 * a batch of accounts handed out together. One transaction.
 */
export async function createStaffAccountsSharingPassword(pool: pg.Pool, actor: Actor, inputs: readonly StaffInput[], password: string): Promise<Staff[]> {
  const passwordHash = await hashPassword(password);
  return withTransaction(pool, async (client) => {
    const created: Staff[] = [];
    for (const input of inputs) {
      const staff = await createStaff(client, actor, input);
      await client.query('INSERT INTO staff_credentials (staff_id, password_hash) VALUES ($1, $2)', [staff.id, passwordHash]);
      created.push(staff);
    }
    return created;
  });
}

/** Sets a new password, clears the lock-out and ends the staff member's sessions. */
export async function resetPassword(pool: pg.Pool, actor: Actor, staffId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await withTransaction(pool, async (client) => {
    await getStaff(client, actor.cityCode, staffId);
    await client.query(
      `INSERT INTO staff_credentials (staff_id, password_hash) VALUES ($1, $2)
       ON CONFLICT (staff_id) DO UPDATE SET password_hash = $2, failed_logins = 0, locked_until = NULL, changed_at = now()`,
      [staffId, passwordHash]);
    await client.query('UPDATE sessions SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL', [staffId]);
    await recordAudit(client, actor, { action: 'staff.password_reset', subjectType: 'staff', subjectId: staffId });
  });
}

// Verified against when the username is unknown, so that a miss costs as long as a wrong password.
const DUMMY_HASH = hash('minsheng-no-such-user', ARGON2);

export interface LoginResult {
  token: string;
  expiresAt: string;
  staff: Staff;
  /** who the session acts as */
  actor: Actor;
}

/**
 * Checks a password; after `maxFailedLogins` failures in a row the account locks for a while.
 *
 * Every attempt is counted as a failure when it arrives, before its password is verified, in one
 * statement that also refuses it unverified while the account is locked: attempts sent at once
 * are counted in the order they arrive, as if sent one by one, so no more than `maxFailedLogins`
 * passwords are tried before the lock. A right password then takes back the failures up to and
 * including its own; those that arrived after it stay counted and keep (or set) the lock, exactly
 * as they would have one by one. No row lock is held across argon2 (PGlite runs one transaction at a time).
 */
export async function login(pool: pg.Pool, cityCode: string, username: string, password: string, policy: AuthPolicy,
  ip: string | null, now = new Date()): Promise<LoginResult> {
  const staff = await findStaffByUsername(pool, cityCode, username);
  const lockUntil = new Date(now.getTime() + policy.lockoutMinutes * 60_000);
  const claim = staff && await countLoginAttempt(pool, staff.id, policy.maxFailedLogins, now, lockUntil);
  if (!staff || !claim) {
    await verify(await DUMMY_HASH, password).catch(() => false);
    throw new DomainError('AUTH_INVALID_CREDENTIALS');
  }
  const actor: Actor = { kind: 'staff', id: staff.id, name: staff.username, cityCode, roles: staff.roles,
    unitId: staff.unitId, unitPath: null, scopes: [] };
  if (!claim.verify) throw new DomainError('AUTH_ACCOUNT_LOCKED', { until: claim.lockedUntil!.toISOString() });
  const ok = await verify(claim.passwordHash, password).catch(() => false);
  if (!ok) {
    await recordAudit(pool, actor, { action: claim.lockedUntil ? 'auth.locked' : 'auth.login_failed', subjectType: 'staff',
      subjectId: staff.id, ip, detail: { failures: claim.failures } });
    if (claim.lockedUntil) throw new DomainError('AUTH_ACCOUNT_LOCKED', { until: claim.lockedUntil.toISOString() });
    throw new DomainError('AUTH_INVALID_CREDENTIALS');
  }
  const token = newSecret('mss');
  const expiresAt = new Date(now.getTime() + policy.sessionHours * 3_600_000);
  await withTransaction(pool, async (client) => {
    const after = await client.query(
      `UPDATE staff_credentials SET failed_logins = greatest(failed_logins - $2, 0),
              locked_until = CASE WHEN failed_logins - $2 >= $3 THEN coalesce(locked_until, $4) END
        WHERE staff_id = $1 RETURNING failed_logins, locked_until`, [staff.id, claim.failures, policy.maxFailedLogins, lockUntil]);
    if (claim.lockedUntil && after.rows[0].locked_until) {
      // this attempt's count set the lock; the failures that came after it keep it
      await recordAudit(client, actor, { action: 'auth.locked', subjectType: 'staff', subjectId: staff.id, ip,
        detail: { failures: after.rows[0].failed_logins } });
    }
    if (!staff.active) {
      // the right password for a closed account: refused, and on the record (someone still holds it)
      await recordAudit(client, actor, { action: 'auth.login_refused', subjectType: 'staff', subjectId: staff.id, ip, detail: { reason: 'disabled' } });
      return;
    }
    await client.query('INSERT INTO sessions (city_code, token_hash, staff_id, expires_at) VALUES ($1, $2, $3, $4)',
      [cityCode, sha256(token), staff.id, expiresAt]);
    await recordAudit(client, actor, { action: 'auth.login', subjectType: 'staff', subjectId: staff.id, ip });
  });
  if (!staff.active) throw new DomainError('AUTH_ACCOUNT_DISABLED');
  return { token, expiresAt: expiresAt.toISOString(), staff, actor };
}

interface LoginAttempt {
  /** false: the account was locked when the attempt arrived, and its password is not to be tried */
  verify: boolean;
  /** failures in a row, this attempt counted as one */
  failures: number;
  /** when the account is locked: by this attempt, or before it when not to be verified */
  lockedUntil: Date | null;
  passwordHash: string;
}

/**
 * Counts an attempt as a failure until its password proves right, in one statement so that
 * attempts in parallel each see the count of those before them. The attempt that makes the count
 * reach `max` locks the account; attempts while it is locked are counted too (they came after it)
 * but not verified. An expired lock starts a new count. Null: the staff member has no password.
 */
async function countLoginAttempt(db: Queryable, staffId: string, max: number, now: Date, lockUntil: Date): Promise<LoginAttempt | null> {
  const result = await db.query(
    `UPDATE staff_credentials c
        SET failed_logins = CASE WHEN c.locked_until <= $2 THEN 1 ELSE c.failed_logins + 1 END,
            locked_until = CASE WHEN c.locked_until > $2 THEN c.locked_until
                                WHEN (CASE WHEN c.locked_until <= $2 THEN 1 ELSE c.failed_logins + 1 END) >= $3 THEN $4::timestamptz END
      WHERE c.staff_id = $1
      RETURNING c.password_hash, c.failed_logins, c.locked_until`,
    [staffId, now, max, lockUntil]);
  const r = result.rows[0];
  if (!r) return null;
  // the attempt that reached max locked the account and is verified; those after it are not
  return { verify: r.failed_logins <= max, failures: r.failed_logins, lockedUntil: r.locked_until, passwordHash: r.password_hash };
}

export async function logout(db: Queryable, token: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [sha256(token)]);
}

/**
 * The actor behind a session token, or null when it is unknown, expired, revoked or disabled.
 * Asked of the database on every request, in one round trip (the session and its staff member
 * together), and never cached: a role change, a password reset, a deactivation or a logout made in
 * any process takes effect on the next request in every process.
 */
export function actorFromSession(db: Queryable, token: string, now = new Date()): Promise<Actor | null> {
  return actorFromSessionHash(db, sha256(token), now);
}

async function actorFromSessionHash(db: Queryable, hash: string, now: Date): Promise<Actor | null> {
  const s = await activeStaffSelectedBy(db,
    '(SELECT staff_id FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2)', [hash, now]);
  return s && { kind: 'staff', id: s.id, name: s.username, cityCode: s.cityCode, roles: s.roles, unitId: s.unitId,
    unitPath: s.unitPath, scopes: [] };
}

/** True when `now` is the same caller with the same rights as `then` (null: the credential has ended). */
export function sameRights(then: Actor, now: Actor | null): boolean {
  return now !== null && now.id === then.id && now.unitId === then.unitId && now.unitPath === then.unitPath &&
    now.roles.join() === then.roles.join() && now.scopes.join() === then.scopes.join();
}

/** How long a stream ticket may be used to (re)connect. */
export const STREAM_TICKET_SECONDS = 60;

/**
 * A ticket for the live event stream, for the session of `token`: a browser's EventSource cannot
 * send the session's header, so it puts the ticket in the stream's URL instead of the token itself.
 */
export async function issueStreamTicket(db: Queryable, token: string, actor: Actor, now = new Date()): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = newSecret('mst');
  const expiresAt = new Date(now.getTime() + STREAM_TICKET_SECONDS * 1000);
  await db.query(prepared(
    `WITH gone AS (DELETE FROM stream_tickets WHERE expires_at < $4::timestamptz - interval '1 hour')
     INSERT INTO stream_tickets (ticket_hash, city_code, session_hash, expires_at) VALUES ($1, $2, $3, $5)`,
    [sha256(ticket), actor.cityCode, sha256(token), now, expiresAt]));
  return { ticket, expiresAt: expiresAt.toISOString() };
}

/**
 * The actor behind a stream ticket (null when unknown, expired, or its session has ended), and the
 * check to repeat while the stream is open: false once the session has ended or its rights changed.
 */
export async function actorFromStreamTicket(db: Queryable, ticket: string, now = new Date()):
  Promise<{ actor: Actor; stillValid: () => Promise<boolean> } | null> {
  const r = await db.query(prepared('SELECT session_hash FROM stream_tickets WHERE ticket_hash = $1 AND expires_at > $2', [sha256(ticket), now]));
  const hash: string | undefined = r.rows[0]?.session_hash;
  const actor = hash ? await actorFromSessionHash(db, hash, now) : null;
  if (!hash || !actor) return null;
  return { actor, stillValid: async () => sameRights(actor, await actorFromSessionHash(db, hash, new Date())) };
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  unitId: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Creates an API key; the key itself is returned once and stored only as a hash. */
export async function createApiKey(db: Queryable, actor: Actor, input: { name: string; scopes: ApiScope[]; unitId?: string | null | undefined }):
  Promise<{ key: string; info: ApiKeyInfo }> {
  if (input.unitId) await getUnit(db, actor.cityCode, input.unitId);
  const key = newSecret('msk');
  const result = await db.query(
    `INSERT INTO api_keys (city_code, name, prefix, key_hash, scopes, unit_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [actor.cityCode, input.name, key.slice(0, 10), sha256(key), input.scopes, input.unitId ?? null,
      actor.kind === 'staff' ? actor.id : null]);
  const info = toApiKey(result.rows[0]);
  await recordAudit(db, actor, { action: 'api_key.created', subjectType: 'api_key', subjectId: info.id,
    detail: { name: info.name, scopes: info.scopes, unitId: info.unitId } });
  return { key, info };
}

export async function revokeApiKey(db: Queryable, actor: Actor, id: string): Promise<void> {
  const result = await db.query(
    'UPDATE api_keys SET revoked_at = now() WHERE city_code = $1 AND id = $2 AND revoked_at IS NULL', [actor.cityCode, id]);
  if (!result.rowCount) throw new DomainError('AUTH_API_KEY_NOT_FOUND');
  await recordAudit(db, actor, { action: 'api_key.revoked', subjectType: 'api_key', subjectId: id });
}

export async function listApiKeys(db: Queryable, cityCode: string): Promise<ApiKeyInfo[]> {
  const result = await db.query('SELECT * FROM api_keys WHERE city_code = $1 ORDER BY created_at DESC', [cityCode]);
  return result.rows.map(toApiKey);
}

function toApiKey(r: Record<string, any>): ApiKeyInfo {
  return { id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, unitId: r.unit_id,
    createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null };
}

/** The actor behind an API key. A unit-bound key with orders:write acts as a unit handler. */
export async function actorFromApiKey(db: Queryable, key: string): Promise<Actor | null> {
  const result = await db.query(
    `UPDATE api_keys k SET last_used_at = now() FROM (SELECT id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL) f
      WHERE k.id = f.id
      RETURNING k.id, k.city_code, k.name, k.scopes, k.unit_id`,
    [sha256(key)]);
  const r = result.rows[0];
  if (!r) return null;
  const roles: Role[] = r.unit_id && r.scopes.includes('orders:write') ? ['unit_handler'] : [];
  const unitPath = r.unit_id ? (await unitIndex(db, r.city_code, [r.unit_id])).get(r.unit_id)?.path ?? null : null;
  return { kind: 'api_key', id: r.id, name: r.name, cityCode: r.city_code, roles, unitId: r.unit_id, unitPath, scopes: r.scopes };
}
