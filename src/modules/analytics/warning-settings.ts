// The early warning's thresholds, per city, changed by an admin. The defaults raise a warning for
// five or more reports of one matter from one community within an hour when the community's
// history makes that less likely than one in a million.
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';
import { memo } from '../../shared/memo.js';
import { DomainError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import type { Actor } from '../auth/index.js';

export interface WarningSettings {
  /** false: reports still build the history, but no warning is raised */
  enabled: boolean;
  /** the counting window: reports of one cell (area × category) within this many minutes */
  windowMinutes: number;
  /** the fewest reports in the window that may raise a warning, however rare the cell */
  minReports: number;
  /** a warning is raised when the window's count is less likely than this under the cell's history (Poisson) */
  maxProbability: number;
  /** the history's memory: the cell's rate is a moving average over about this many days */
  baselineDays: number;
  /** the busiest hour carries this many times an average hour's reports (the expectation is taken at the peak) */
  peakFactor: number;
  /** a report of the cell joins its warning while the warning's last report is this recent (one incident, one warning) */
  joinHours: number;
}

export const DEFAULT_WARNING_SETTINGS: WarningSettings = {
  enabled: true, windowMinutes: 60, minReports: 5, maxProbability: 1e-6, baselineDays: 28, peakFactor: 2, joinHours: 6,
};

const LIMITS: Record<Exclude<keyof WarningSettings, 'enabled'>, [number, number]> = {
  windowMinutes: [5, 1440], minReports: [2, 1000], maxProbability: [1e-12, 0.5], baselineDays: [1, 365], peakFactor: [1, 24], joinHours: [1, 168],
};

function check(settings: WarningSettings): void {
  for (const [key, [min, max]] of Object.entries(LIMITS)) {
    const value = settings[key as keyof typeof LIMITS];
    if (!(typeof value === 'number' && value >= min && value <= max)) {
      throw new DomainError('WARNING_INVALID_SETTINGS', { detail: { zh: `${key} 须在 ${min} 与 ${max} 之间`, en: `${key} must be between ${min} and ${max}` } });
    }
  }
  // a window longer than a warning takes reports would count one incident's reports into a second warning
  if (settings.joinHours * 60 < settings.windowMinutes) {
    throw new DomainError('WARNING_INVALID_SETTINGS', { detail: { zh: `并入时长（${settings.joinHours} 小时）不能短于计数窗口（${settings.windowMinutes} 分钟）`,
      en: `joinHours (${settings.joinHours} h) must not be shorter than windowMinutes (${settings.windowMinutes} min)` } });
  }
}

/** How long another process may use settings an admin has since changed. */
const held = memo<WarningSettings>(10_000, 100);

/** The city's thresholds (read at most every 10 s; a change made in this process is seen at once). */
export function getWarningSettings(db: Queryable, cityCode: string): Promise<WarningSettings> {
  return held.get(cityCode, async () => {
    const r = await db.query(prepared('SELECT settings FROM warning_settings WHERE city_code = $1', [cityCode]));
    return { ...DEFAULT_WARNING_SETTINGS, ...r.rows[0]?.settings };
  });
}

/** Changes some thresholds (admin); they apply to the reports that come from now on. */
export async function updateWarningSettings(db: Queryable, actor: Actor, patch: Partial<WarningSettings>): Promise<WarningSettings> {
  held.forget(actor.cityCode);
  const next = { ...await getWarningSettings(db, actor.cityCode), ...patch };
  check(next);
  await db.query(
    `INSERT INTO warning_settings (city_code, settings, updated_by) VALUES ($1, $2, $3)
     ON CONFLICT (city_code) DO UPDATE SET settings = EXCLUDED.settings, updated_at = now(), updated_by = EXCLUDED.updated_by`,
    [actor.cityCode, JSON.stringify(next), actor.name]);
  held.forget(actor.cityCode);
  await recordAudit(db, actor, { action: 'warnings.settings_updated', subjectType: 'warning_settings', subjectId: actor.cityCode, detail: patch });
  return next;
}
