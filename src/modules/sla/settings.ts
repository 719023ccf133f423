// Deadline and service-level settings, editable by an admin per city. Defaults follow the published
// rules that cover Jinan's 12345 hotline; see README "Deadlines".
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { memo } from '../../shared/memo.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';

/** The deadlines of one urgency, in working days or in clock hours. */
export interface DeadlinePolicy {
  unit: 'working_days' | 'hours';
  /** to sign for the order, from dispatch */
  sign: number;
  /** to reply, from dispatch (for normal orders, the category's time limit replaces it when set) */
  reply: number;
  /** to close (return visit done), after the reply deadline */
  closeAfterReply: number;
  /** the warning (yellow) comes this long before each deadline */
  warnBefore: number;
}

export interface SlaSettings {
  deadlines: { normal: DeadlinePolicy; urgent: DeadlinePolicy };
  /** a normal order's reply limit is its category's time limit, when the category has one */
  useCategoryTimeLimit: boolean;
  /** a unit may return a mis-routed order only within this many working days of its dispatch */
  returnWindowDays: number;
  /** extensions add at most this many working days to a round, in all */
  extensionMaxDays: number;
  visit: {
    /** calls before a citizen is recorded as unreachable */
    maxAttempts: number;
    /** wait between two calls */
    retryAfterHours: number;
    /** share of orders answered directly by an agent that get a return visit (sampled by order id) */
    directAnswerSamplePercent: number;
  };
  /** targets kept for the statistics: the phone answered within (GB/T 33358), the mailbox replied within */
  serviceLevels: { phoneAnswerSeconds: number; mailboxReplyHours: number };
  /** weights of the assessment score; a rate with no orders behind it is left out and the rest re-weighted */
  assessmentWeights: { response: number; onTimeReply: number; resolution: number; satisfaction: number };
}

export const DEFAULT_SLA_SETTINGS: SlaSettings = {
  deadlines: {
    normal: { unit: 'working_days', sign: 1, reply: 5, closeAfterReply: 2, warnBefore: 1 },
    urgent: { unit: 'hours', sign: 2, reply: 24, closeAfterReply: 24, warnBefore: 4 },
  },
  useCategoryTimeLimit: true,
  returnWindowDays: 2,
  extensionMaxDays: 10,
  visit: { maxAttempts: 3, retryAfterHours: 4, directAnswerSamplePercent: 10 },
  serviceLevels: { phoneAnswerSeconds: 15, mailboxReplyHours: 24 },
  assessmentWeights: { response: 20, onTimeReply: 30, resolution: 25, satisfaction: 25 },
};

type Plain = Record<string, unknown>;
function deepMerge<T>(base: T, patch: unknown): T {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return base;
  const out: Plain = { ...(base as Plain) };
  for (const [key, value] of Object.entries(patch as Plain)) {
    const current = out[key];
    out[key] = current && typeof current === 'object' && !Array.isArray(current) ? deepMerge(current, value) : value;
  }
  return out as T;
}

function check(settings: SlaSettings): void {
  for (const [urgency, p] of Object.entries(settings.deadlines)) {
    if (p.sign > p.reply) throw new DomainError('SLA_INVALID_SETTINGS', { detail: { zh: `${urgency}：签收时限（${p.sign}）晚于答复时限（${p.reply}）`, en: `${urgency}: sign (${p.sign}) is after reply (${p.reply})` } });
    if (p.warnBefore >= p.reply) {
      throw new DomainError('SLA_INVALID_SETTINGS', { detail: { zh: `${urgency}：预警（${p.warnBefore}）须在派单之后`, en: `${urgency}: the warning (${p.warnBefore}) must come after the dispatch` } });
    }
  }
  const w = settings.assessmentWeights;
  if (w.response + w.onTimeReply + w.resolution + w.satisfaction <= 0) {
    throw new DomainError('SLA_INVALID_SETTINGS', { detail: { zh: '考核权重之和为零', en: 'the assessment weights add up to nothing' } });
  }
}

/** How long another process may use settings an admin has since changed. */
const SETTINGS_TTL_MS = 10_000;
const held = memo<SlaSettings>(SETTINGS_TTL_MS, 100);

/** The city's settings (read at most every 10 s; a change made in this process is seen at once). */
export function getSlaSettings(db: Queryable, cityCode: string): Promise<SlaSettings> {
  return held.get(cityCode, async () => {
    const r = await db.query(prepared('SELECT settings FROM sla_settings WHERE city_code = $1', [cityCode]));
    return deepMerge(DEFAULT_SLA_SETTINGS, r.rows[0]?.settings);
  });
}

/** Changes some settings (admin); the rest keep their value. Applies to deadlines set from now on. */
export async function updateSlaSettings(db: Queryable, actor: Actor, patch: Partial<SlaSettings> | Plain): Promise<SlaSettings> {
  held.forget(actor.cityCode);
  const next = deepMerge(await getSlaSettings(db, actor.cityCode), patch);
  check(next);
  await db.query(
    `INSERT INTO sla_settings (city_code, settings, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (city_code) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [actor.cityCode, JSON.stringify(next), actor.name]);
  held.forget(actor.cityCode);
  await recordAudit(db, actor, { action: 'sla.settings_updated', subjectType: 'sla_settings', subjectId: actor.cityCode, detail: patch });
  return next;
}
