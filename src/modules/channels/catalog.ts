// The channels citizens reach the hotline by: rows of the channels table, never a list in code.
import type { Queryable } from '../../db/tx.js';
import { prepared } from '../../db/tx.js';

export interface ChannelInfo {
  code: string;
  name: { zh: string; en: string };
  /** a citizen hears back on it (the portal, SMS, WeChat…) */
  answersCitizen: boolean;
  active: boolean;
}

/** Every channel, in the order the hotline lists them. */
export async function listChannels(db: Queryable): Promise<ChannelInfo[]> {
  const r = await db.query(prepared('SELECT code, name_zh, name_en, answers_citizen, active FROM channels ORDER BY sort, code', []));
  return r.rows.map((c) => ({ code: c.code, name: { zh: c.name_zh, en: c.name_en }, answersCitizen: c.answers_citizen, active: c.active }));
}
