// The mobile app's citizens (docs/app.md): they sign in with their phone and a one-time code sent
// by SMS, submit requests with photos and their location, keep a list of their requests (those
// they submitted in the app, and any other they follow with its tracking number and lookup code),
// follow each one's public history and rate its answer. An app citizen reaches only the requests
// on their list; a submission is registered once however often the app retries it (its client
// reference, under the citizen's account, is the order's channel reference).
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import * as attachments from '../attachments/index.js';
import { citizenActor, requestSignInCode, type Actor, type CodeRequest } from '../auth/index.js';
import { citizenView, normalizePhone, orderIdByTrackingNo, orderSummaries, ordersOfIdentity, rateAnswer, registerOrder, type CitizenOrderView,
  type OrderState, type Satisfaction } from '../orders/index.js';
import { countMessage } from './counts.js';
import { titleOf } from './message-title.js';
import type { Messenger } from './messenger.js';
import { isMobile, SMS_CHANNEL } from './outbox.js';
import { claim, lookupCode, PORTAL_REQUEST_TYPES, type PortalReceipt } from './portal.js';

export const APP_CHANNEL = 'app';

/** An app citizen: the actor of a citizen session (requireCitizen). */
export type AppCitizen = Actor & { id: string; phone: string };

/**
 * Sends a sign-in code to the phone by SMS, unless the phone had one too recently. The number must
 * be a mainland mobile number (APP_PHONE_INVALID); no SMS provider: SMS_NOT_CONFIGURED; a send the
 * provider did not take: APP_CODE_NOT_SENT (the code counts all the same).
 */
export async function sendSignInCode(pool: pg.Pool, cityCode: string, sms: Messenger | null, phoneGiven: string, now = new Date()): Promise<CodeRequest> {
  const phone = normalizePhone(phoneGiven);
  if (!isMobile(phone)) throw new DomainError('APP_PHONE_INVALID');
  if (!sms) throw new DomainError('SMS_NOT_CONFIGURED');
  return requestSignInCode(pool, cityCode, phone, async (code) => {
    const outcome = await sms.send({ address: phone, kind: 'sign_in_code', params: { code }, outId: randomUUID() });
    await countMessage(pool, cityCode, SMS_CHANNEL, outcome.status === 'sent' ? 'sent' : 'failed', outcome.status === 'sent' ? 'sign_in_code' : outcome.code, now);
    if (outcome.status !== 'sent') throw new DomainError('APP_CODE_NOT_SENT');
  }, now);
}

export interface AppSubmission {
  /** made by the app once per request: a retry sends the same one */
  clientRef: string;
  requestType: (typeof PORTAL_REQUEST_TYPES)[number];
  /** when left out, the text's first words */
  title?: string | undefined;
  body: string;
  /** where: the phone's position (lat/lng), and what the citizen wrote of it */
  place?: { lat?: number | undefined; lng?: number | undefined; address?: string | undefined; areaCode?: string | undefined } | undefined;
  /** how the citizen wants to be addressed (the phone is the account's) */
  name?: string | undefined;
  confidential: boolean;
  /** photos uploaded for this submission first (POST /app/attachments with its clientRef) */
  attachmentIds?: string[] | undefined;
}

/** The upload reference of an app submission: the citizen's, so that no one else can name its files. */
const uploadRef = (citizen: AppCitizen, clientRef: string) => `app:${citizen.id}:${clientRef}`;

/** A photo uploaded for the submission `clientRef`, before it is submitted. */
export function uploadFromApp(pool: pg.Pool, files: attachments.FileStore, citizen: AppCitizen, clientRef: string,
  file: { name: string; bytes: Buffer }, now = new Date()): Promise<attachments.AttachmentInfo> {
  return attachments.acceptUpload(pool, files, citizen.cityCode, { uploadRef: uploadRef(citizen, clientRef), ...file }, now);
}

/** Registers the citizen's request (once, whatever the retries), on their list; its tracking number and lookup code. */
export async function submitFromApp(pool: pg.Pool, citizen: AppCitizen, input: AppSubmission, now = new Date()): Promise<PortalReceipt> {
  const ref = uploadRef(citizen, input.clientRef);
  const attachmentIds = input.attachmentIds ?? [];
  await attachments.assertUploads(pool, citizen.cityCode, ref, attachmentIds);
  const place = input.place && Object.values(input.place).some((v) => v !== undefined) ? input.place : undefined;
  const { order, created } = await registerOrder(pool, citizenActor(citizen.cityCode, [], citizen), {
    channel: APP_CHANNEL, channelRef: `${citizen.id}:${input.clientRef}`, requestType: input.requestType,
    title: input.title ?? titleOf(input.body), body: input.body, citizen: { name: input.name, phone: citizen.phone, identity: `${APP_CHANNEL}:${citizen.id}` },
    confidential: input.confidential, location: place,
  }, now);
  // after the order: a crash in between leaves it off the list (until the list is next read, which
  // adds it back) and the photos waiting (until the app's retry claims them, within the day uploads are kept)
  await keep(pool, citizen, order.id, true, now);
  await attachments.claimUploads(pool, citizen.cityCode, order.id, ref, attachmentIds);
  return { trackingNo: order.trackingNo, lookupCode: await lookupCode(pool, citizen.cityCode, order.trackingNo), createdAt: order.createdAt, created };
}

async function keep(pool: pg.Pool, citizen: AppCitizen, orderId: string, submitted: boolean, now: Date): Promise<void> {
  await pool.query(prepared(
    `INSERT INTO app_requests (city_code, citizen_id, order_id, submitted, added_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (city_code, citizen_id, order_id) DO UPDATE SET submitted = app_requests.submitted OR EXCLUDED.submitted`,
    [citizen.cityCode, citizen.id, orderId, submitted, now]));
}

/** One request of the citizen's list. */
export interface AppRequestItem {
  trackingNo: string;
  title: string;
  channel: string;
  state: OrderState;
  createdAt: string;
  updatedAt: string;
  /** submitted in the app (false: followed by its number and code) */
  submitted: boolean;
}

/** How many of the citizen's own app requests the first page of their list makes sure are on it. */
const OWN_CHECKED = 200;

/**
 * The citizen's list, newest first, `limit` at a time; `before`: the `next` of the page before. The
 * first page first puts back any request of theirs a crash left off it (registered, then not kept).
 */
export async function myRequests(pool: pg.Pool, citizen: AppCitizen, page: { limit: number; before?: string | undefined }):
  Promise<{ items: AppRequestItem[]; next: string | null }> {
  if (!page.before) {
    const own = await ordersOfIdentity(pool, citizen.cityCode, `${APP_CHANNEL}:${citizen.id}`, OWN_CHECKED);
    await pool.query(prepared(
      `INSERT INTO app_requests (city_code, citizen_id, order_id, submitted, added_at)
       SELECT $1, $2, o.id, true, o.at FROM unnest($3::uuid[], $4::timestamptz[]) AS o (id, at)
       ON CONFLICT (city_code, citizen_id, order_id) DO NOTHING`,
      [citizen.cityCode, citizen.id, own.map((o) => o.id), own.map((o) => o.createdAt)]));
  }
  const [at, id] = page.before ? page.before.split('_') : [];
  const r = await pool.query(prepared(
    `SELECT order_id, submitted, added_at FROM app_requests WHERE city_code = $1 AND citizen_id = $2
        AND ($3::timestamptz IS NULL OR (added_at, order_id) < ($3::timestamptz, $4::uuid))
      ORDER BY added_at DESC, order_id DESC LIMIT $5`,
    [citizen.cityCode, citizen.id, at ?? null, id ?? null, page.limit + 1]));
  const rows = r.rows.slice(0, page.limit);
  const ids = rows.map((row) => row.order_id as string);
  const orders = await orderSummaries(pool, citizenActor(citizen.cityCode, ids, citizen), ids);
  const items = rows.flatMap((row) => {
    const o = orders.get(row.order_id);
    return o ? [{ trackingNo: o.trackingNo, title: o.title, channel: o.channel, state: o.state, createdAt: o.createdAt, updatedAt: o.updatedAt,
      submitted: row.submitted }] : [];
  });
  const last = rows.at(-1);
  return { items, next: r.rows.length > page.limit && last ? `${last.added_at.toISOString()}_${last.order_id}` : null };
}

/** The citizen as the owner of a request on their list; ORDER_NOT_FOUND for any other. */
async function onList(pool: pg.Pool, citizen: AppCitizen, trackingNo: string): Promise<{ actor: Actor; orderId: string; submitted: boolean }> {
  const orderId = await orderIdByTrackingNo(pool, citizen.cityCode, trackingNo);
  const r = orderId ? await pool.query(prepared('SELECT submitted FROM app_requests WHERE city_code = $1 AND citizen_id = $2 AND order_id = $3',
    [citizen.cityCode, citizen.id, orderId])) : null;
  if (!orderId || !r?.rowCount) throw new DomainError('ORDER_NOT_FOUND', { id: trackingNo });
  return { actor: citizenActor(citizen.cityCode, [orderId], citizen), orderId, submitted: r.rows[0].submitted };
}

/** A request on the citizen's list, as its citizen may see it: where it stands, its public history, the answer. */
export async function appRequest(pool: pg.Pool, citizen: AppCitizen, trackingNo: string): Promise<CitizenOrderView> {
  const { actor, orderId } = await onList(pool, citizen, trackingNo);
  return citizenView(pool, actor, orderId);
}

/** Adds a request made elsewhere (by phone, SMS, the portal…) to the list, proved by its tracking number and lookup code. */
export async function followRequest(pool: pg.Pool, citizen: AppCitizen, trackingNo: string, code: string, now = new Date()): Promise<CitizenOrderView> {
  const { orderId } = await claim(pool, citizen.cityCode, trackingNo, code);
  await keep(pool, citizen, orderId, false, now);
  return citizenView(pool, citizenActor(citizen.cityCode, [orderId], citizen), orderId);
}

/** Takes a followed request off the list; the citizen's own submissions stay (APP_REQUEST_OWN). */
export async function unfollowRequest(pool: pg.Pool, citizen: AppCitizen, trackingNo: string): Promise<void> {
  const { orderId, submitted } = await onList(pool, citizen, trackingNo);
  if (submitted) throw new DomainError('APP_REQUEST_OWN');
  await pool.query(prepared('DELETE FROM app_requests WHERE city_code = $1 AND citizen_id = $2 AND order_id = $3 AND NOT submitted',
    [citizen.cityCode, citizen.id, orderId]));
}

/** The citizen's rating of the answer: it is the return visit, as on the portal. */
export async function rateFromApp(pool: pg.Pool, citizen: AppCitizen, trackingNo: string,
  rating: { solved: boolean; satisfaction: Satisfaction; comment?: string | undefined }, now = new Date()): Promise<CitizenOrderView> {
  const { actor, orderId } = await onList(pool, citizen, trackingNo);
  await rateAnswer(pool, actor, orderId, rating, now);
  return citizenView(pool, actor, orderId);
}
