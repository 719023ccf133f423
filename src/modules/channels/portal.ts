// The citizen portal (市长信箱, the mayor's mailbox): a citizen submits a request from a browser, gets
// a tracking number and a lookup code, follows it with both, and rates the answer.
//
// Abuse is kept out without any outside service: each submission carries a proof of work (ALTCHA:
// the browser finds the number behind a challenge the server signed; the server checks it at the
// cost of one hash), each challenge is spent on one submission, and the routes limit how often an
// address and a phone number may submit. A submission is registered exactly once: its client
// reference is the order's channel reference, and a retry (the same reference, the same challenge)
// gets the first answer.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { createChallenge, randomInt, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import { prepared } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import * as attachments from '../attachments/index.js';
import { citizenActor } from '../auth/index.js';
import { citizenView, orderIdByTrackingNo, rateAnswer, registerOrder, type CitizenOrderView, type Satisfaction } from '../orders/index.js';
import { channelSecret } from './secrets.js';

/** The portal's own channel: the mayor's mailbox on the web. */
export const PORTAL_CHANNEL = 'web';
/** How long a challenge may be solved and spent. */
const CHALLENGE_MINUTES = 15;
/** The request types a citizen chooses from (the hotline may correct it). */
export const PORTAL_REQUEST_TYPES = ['complaint', 'help', 'enquiry', 'suggestion', 'report', 'praise'] as const;

export interface PortalProof {
  challenge: Challenge;
  solution: Solution;
}

export interface PortalSubmission {
  /** made by the browser once per request: a retry sends the same one */
  clientRef: string;
  requestType: (typeof PORTAL_REQUEST_TYPES)[number];
  title: string;
  body: string;
  place?: { areaCode?: string | undefined; address?: string | undefined; lat?: number | undefined; lng?: number | undefined } | undefined;
  contact: { name: string; phone: string };
  /** the citizen's identity is shown only to the hotline's intake and call-back staff */
  confidential: boolean;
  /** files uploaded for this submission first, with its client reference */
  attachmentIds?: string[] | undefined;
  /** absent when the proof of work is turned off */
  proof?: PortalProof | undefined;
}

export interface PortalReceipt {
  trackingNo: string;
  lookupCode: string;
  createdAt: string;
  /** false: a retry of a submission already registered, answered as the first time */
  created: boolean;
}

/** A challenge for the browser to solve before submitting; null when the proof of work is off. */
export async function portalChallenge(pool: pg.Pool, cityCode: string, maxNumber: number, now = new Date()): Promise<Challenge | null> {
  if (maxNumber === 0) return null;
  return createChallenge({ algorithm: 'SHA-256', cost: 1, counter: randomInt(maxNumber), deriveKey,
    hmacSignatureSecret: (await channelSecret(pool, cityCode, 'portal.challenge')).toString('hex'),
    expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000) });
}

/**
 * Checks the proof and spends its challenge on this submission; true when it was spent on it
 * before (a retry of the same submission, which may spend it again).
 */
async function spendProof(pool: pg.Pool, cityCode: string, proof: PortalProof | undefined, clientRef: string): Promise<boolean> {
  if (!proof) throw new DomainError('PORTAL_CHALLENGE_FAILED');
  const result = await verifySolution({ challenge: proof.challenge, solution: proof.solution, deriveKey,
    hmacSignatureSecret: (await channelSecret(pool, cityCode, 'portal.challenge')).toString('hex') })
    .catch(() => ({ verified: false }));
  if (!result.verified) throw new DomainError('PORTAL_CHALLENGE_FAILED');
  const { nonce, expiresAt } = proof.challenge.parameters;
  const r = await pool.query(prepared(
    `WITH gone AS (DELETE FROM portal_spent_challenges WHERE expires_at < now())
     INSERT INTO portal_spent_challenges (nonce, client_ref, expires_at) VALUES ($1, $2, to_timestamp($3))
     ON CONFLICT (nonce) DO UPDATE SET nonce = EXCLUDED.nonce RETURNING client_ref, xmax <> 0 AS spent_before`,
    [nonce, clientRef, expiresAt ?? 0]));
  if (r.rows[0].client_ref !== clientRef) throw new DomainError('PORTAL_CHALLENGE_SPENT');
  return r.rows[0].spent_before;
}

/** Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * The lookup code of an order: eight characters (of 31 that cannot be mistaken for each other)
 * derived from its tracking number with the city's secret. Nothing is stored: a retry gets the
 * same code, and a code is checked by deriving it again.
 */
export async function lookupCode(pool: pg.Pool, cityCode: string, trackingNo: string): Promise<string> {
  const mac = createHmac('sha256', await channelSecret(pool, cityCode, 'portal.lookup')).update(`${cityCode}:${trackingNo}`).digest();
  return [...mac.subarray(0, 8)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** Registers the citizen's request (once, whatever the retries) and gives its tracking number and lookup code. */
export async function submitToPortal(pool: pg.Pool, cityCode: string, input: PortalSubmission,
  options: { proofRequired: boolean; limitFresh?: () => Promise<void> }, now = new Date()): Promise<PortalReceipt> {
  const retry = options.proofRequired ? await spendProof(pool, cityCode, input.proof, input.clientRef) : false;
  // limits that only a proven, new submission counts against (a phone's): refusals and retries do not use them up
  if (!retry) await options.limitFresh?.();
  const attachmentIds = input.attachmentIds ?? [];
  await attachments.assertUploads(pool, cityCode, input.clientRef, attachmentIds);
  const { order, created } = await registerOrder(pool, citizenActor(cityCode, []), {
    channel: PORTAL_CHANNEL, channelRef: input.clientRef, requestType: input.requestType, title: input.title, body: input.body,
    citizen: { name: input.contact.name, phone: input.contact.phone }, confidential: input.confidential,
    location: input.place && Object.values(input.place).some((v) => v !== undefined) ? input.place : undefined,
  }, now);
  // after the order: a crash in between leaves the files waiting, and the retry claims them
  await attachments.claimUploads(pool, cityCode, order.id, input.clientRef, attachmentIds);
  return { trackingNo: order.trackingNo, lookupCode: await lookupCode(pool, cityCode, order.trackingNo), createdAt: order.createdAt, created };
}

/** The citizen as the owner of the order behind this tracking number and code; PORTAL_LOOKUP_FAILED for a wrong pair. */
export async function claim(pool: pg.Pool, cityCode: string, trackingNo: string, code: string) {
  const expected = Buffer.from(await lookupCode(pool, cityCode, trackingNo));
  const given = Buffer.from(code.trim().toUpperCase());
  const orderId = given.length === expected.length && timingSafeEqual(given, expected) ? await orderIdByTrackingNo(pool, cityCode, trackingNo) : null;
  if (!orderId) throw new DomainError('PORTAL_LOOKUP_FAILED');
  return { actor: citizenActor(cityCode, [orderId]), orderId };
}

/** A file uploaded for the submission `clientRef`, before it is submitted. */
export function uploadForPortal(pool: pg.Pool, files: attachments.FileStore, cityCode: string, clientRef: string,
  file: { name: string; bytes: Buffer }, now = new Date()): Promise<attachments.AttachmentInfo> {
  return attachments.acceptUpload(pool, files, cityCode, { uploadRef: clientRef, ...file }, now);
}

/** Where the request stands, as its citizen may see it. */
export async function trackRequest(pool: pg.Pool, cityCode: string, trackingNo: string, code: string): Promise<CitizenOrderView> {
  const { actor, orderId } = await claim(pool, cityCode, trackingNo, code);
  return citizenView(pool, actor, orderId);
}

/** The citizen's rating of the answer: it is the return visit (solved and satisfied closes the request). */
export async function rateRequest(pool: pg.Pool, cityCode: string, trackingNo: string, code: string,
  rating: { solved: boolean; satisfaction: Satisfaction; comment?: string | undefined }, now = new Date()): Promise<CitizenOrderView> {
  const { actor, orderId } = await claim(pool, cityCode, trackingNo, code);
  await rateAnswer(pool, actor, orderId, rating, now);
  return citizenView(pool, actor, orderId);
}
