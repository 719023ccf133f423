// Secrets the channels derive from, one per city and purpose, made at first use and kept in the
// database: every process of an installation agrees on them, and a restart keeps them.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { prepared } from '../../db/tx.js';

const cached = new WeakMap<pg.Pool, Map<string, Promise<Buffer>>>();

async function load(pool: pg.Pool, cityCode: string, name: string): Promise<Buffer> {
  // the first process to ask makes it; any other, at the same moment, reads the one that won
  await pool.query(prepared('INSERT INTO channel_secrets (city_code, name, secret) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [cityCode, name, randomBytes(32)]));
  const r = await pool.query(prepared('SELECT secret FROM channel_secrets WHERE city_code = $1 AND name = $2', [cityCode, name]));
  return Buffer.from(r.rows[0].secret);
}

/** The city's secret for `name` (32 random bytes). */
export function channelSecret(pool: pg.Pool, cityCode: string, name: 'portal.lookup' | 'portal.challenge'): Promise<Buffer> {
  if (!cached.has(pool)) cached.set(pool, new Map());
  const byName = cached.get(pool)!;
  const key = `${cityCode}:${name}`;
  let secret = byName.get(key);
  if (!secret) {
    secret = load(pool, cityCode, name);
    secret.catch(() => byName.delete(key));
    byName.set(key, secret);
  }
  return secret;
}
