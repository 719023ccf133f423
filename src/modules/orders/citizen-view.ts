// What a citizen sees of their own request (the portal's tracking page, later the app): the request
// as they gave it, where it stands, the public steps of its history and the answer. Never a staff
// member's name, an internal note, a deadline, or anything of another citizen.
import type pg from 'pg';
import { prepared, type Queryable } from '../../db/tx.js';
import { DomainError } from '../../shared/errors.js';
import { attachmentsOf } from '../attachments/index.js';
import type { Actor } from '../auth/index.js';
import { unitIndex } from '../directory/index.js';
import { readStream, type StoredEvent } from '../events/index.js';
import * as feedback from '../feedback/index.js';
import type { Satisfaction } from './model.js';
import { readOrder } from './reads.js';
import type { OrderState } from './rules.js';

export const CITIZEN_STEPS = ['registered', 'answered', 'dispatched', 'signed', 'extended', 'replied', 'rated', 'reopened', 'closed',
  'merged', 'cancelled'] as const;
export type CitizenStep = (typeof CITIZEN_STEPS)[number];

export interface CitizenOrderView {
  /** the files the citizen sent, by name (not served back: the citizen has them) */
  attachments: { name: string; contentType: string; size: number }[];
  trackingNo: string;
  channel: string;
  title: string;
  body: string;
  state: OrderState;
  createdAt: string;
  closedAt: string | null;
  steps: { at: string; step: CitizenStep; unitName: string | null; text: string | null }[];
  /** the latest answer (a unit's reply, or the hotline's direct answer); a merged request has none of its own */
  answer: { at: string; unitName: string | null; text: string } | null;
  /** a merged request: the latest answer of the request it joined, when and by whom (its words are that citizen's) */
  mergedAnswer: { at: string; unitName: string | null } | null;
  rating: { open: boolean; given: { at: string; solved: boolean | null; satisfaction: Satisfaction | null } | null };
}

/** The public step an event is, if it is one; the unit it names, if any. */
function stepOf(e: StoredEvent): { step: CitizenStep; unitId: string | null; text: string | null } | null {
  const p = e.payload as Record<string, unknown>;
  switch (e.type) {
    case 'order.registered': return { step: 'registered', unitId: null, text: null };
    case 'order.answered_directly': return { step: 'answered', unitId: null, text: String(p.text) };
    case 'order.dispatched': return { step: 'dispatched', unitId: String(p.unitId), text: null };
    case 'order.signed': return { step: 'signed', unitId: e.actor.unitId, text: null };
    case 'order.extension_approved': return { step: 'extended', unitId: null, text: null };
    case 'order.replied': return { step: 'replied', unitId: String(p.unitId), text: String(p.text) };
    case 'order.visited': return p.reached ? { step: 'rated', unitId: null, text: null } : null;
    case 'order.reopened': return { step: 'reopened', unitId: String(p.unitId), text: null };
    case 'order.closed': return { step: 'closed', unitId: null, text: null };
    case 'order.merged': return { step: 'merged', unitId: null, text: null };
    // the hotline's stated reason for not taking the request up is the citizen's to read
    case 'order.cancelled': return { step: 'cancelled', unitId: null, text: e.reason };
    default: return null;
  }
}

const isAnswer = (s: { step: CitizenStep }) => s.step === 'replied' || s.step === 'answered';

/** The id of the order with this tracking number, for a channel that has proved the citizen's claim to it. */
export async function orderIdByTrackingNo(db: Queryable, cityCode: string, trackingNo: string): Promise<string | null> {
  const r = await db.query(prepared('SELECT id FROM orders WHERE city_code = $1 AND tracking_no = $2', [cityCode, trackingNo]));
  return r.rows[0]?.id ?? null;
}

/** The citizen's view of one of their orders (a citizen actor reaches only theirs: ORDER_NOT_FOUND otherwise). */
export async function citizenView(pool: pg.Pool, actor: Actor, orderId: string): Promise<CitizenOrderView> {
  if (actor.kind !== 'citizen') throw new DomainError('AUTH_FORBIDDEN');
  const order = await readOrder(pool, actor, orderId, false);
  const [events, files, pendingVisit] = await Promise.all([readStream(pool, actor.cityCode, orderId),
    attachmentsOf(pool, actor.cityCode, orderId), feedback.pendingVisitOf(pool, actor.cityCode, orderId)]);
  // only this request's own steps: a merged request's answer is written to the citizen of the request
  // it joined, and may name them; this citizen sees that it was merged, never that answer's words
  const own = events.flatMap((e) => { const s = stepOf(e); return s ? [{ ...s, at: e.at }] : []; });
  // a merged request: when the one it joined was answered, and by whom, never the words
  const joined = order.mergedInto ? (await readStream(pool, actor.cityCode, order.mergedInto)).flatMap((e) => {
    const s = stepOf(e);
    return s && isAnswer(s) ? [{ at: e.at, unitId: s.unitId }] : [];
  }).at(-1) ?? null : null;
  const units = await unitIndex(pool, actor.cityCode, [...own.map((s) => s.unitId), ...(joined ? [joined.unitId] : [])]);
  const unitName = (id: string | null) => (id ? units.get(id)?.name ?? null : null);
  const latest = own.filter(isAnswer).at(-1);
  const rated = [...events].reverse().find((e) => e.type === 'order.visited' || e.type === 'order.visit_recorded');
  const ratedPayload = rated?.payload as { reached?: boolean; solved?: boolean; satisfaction?: Satisfaction } | undefined;
  return {
    attachments: files.map((f) => ({ name: f.name, contentType: f.contentType, size: f.size })),
    trackingNo: order.trackingNo, channel: order.channel, title: order.title, body: order.body, state: order.state,
    createdAt: order.createdAt, closedAt: order.closedAt,
    steps: own.map((s) => ({ at: s.at, step: s.step, unitName: unitName(s.unitId), text: s.text })),
    answer: latest ? { at: latest.at, unitName: unitName(latest.unitId), text: latest.text! } : null,
    mergedAnswer: joined ? { at: joined.at, unitName: unitName(joined.unitId) } : null,
    rating: {
      open: pendingVisit !== null,
      given: rated && ratedPayload?.reached ? { at: rated.at, solved: ratedPayload.solved ?? null, satisfaction: ratedPayload.satisfaction ?? null } : null,
    },
  };
}
