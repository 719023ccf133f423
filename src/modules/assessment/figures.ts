// The assessment's figures and rates, defined once: the SQL that counts a figure is the SQL that
// lists the orders behind it, so every number can be taken apart order by order.
//
// What is counted: each round (each time the hotline handed an order to the unit: dispatch, or a
// reopening after an unsatisfied return visit) that *started* in the period. The facts of a round
// are recorded when they happen (src/modules/sla), so a period's figures never recompute history;
// a round still open counts what it has done so far.

export interface Figure {
  /** SQL condition on `r` (order_rounds) */
  sql: string;
  zh: string;
  en: string;
}

/** A round whose return the hotline upheld was not the unit's order: it is not held against it. */
const ACCOUNTABLE = `r.return_outcome IS DISTINCT FROM 'upheld'`;

export const FIGURES = {
  received: { sql: 'true', zh: '派单数', en: 'received' },
  returnUpheld: { sql: `r.return_outcome = 'upheld'`, zh: '退单（成立）', en: 'returns upheld' },
  returnRejected: { sql: `r.return_outcome = 'rejected'`, zh: '退单（驳回）', en: 'returns rejected' },
  accountable: { sql: ACCOUNTABLE, zh: '考核件数', en: 'accountable' },
  signedOnTime: { sql: `${ACCOUNTABLE} AND r.signed_on_time IS TRUE`, zh: '按时签收', en: 'signed on time' },
  replied: { sql: `${ACCOUNTABLE} AND r.replied_at IS NOT NULL`, zh: '已答复', en: 'replied' },
  repliedOnTime: { sql: `${ACCOUNTABLE} AND r.replied_on_time IS TRUE`, zh: '按时答复', en: 'replied on time' },
  overdue: { sql: `${ACCOUNTABLE} AND (r.sign_overdue_at IS NOT NULL OR r.reply_overdue_at IS NOT NULL)`, zh: '超期', en: 'overdue' },
  extended: { sql: 'r.extension_days > 0', zh: '延期', en: 'extended' },
  paused: { sql: 'r.pauses > 0', zh: '暂停计时', en: 'paused' },
  urged: { sql: 'r.urged > 0', zh: '被催办', en: 'urged' },
  escalated: { sql: 'r.escalated_at IS NOT NULL', zh: '被督办', en: 'escalated' },
  reopened: { sql: 'r.reopened_at IS NOT NULL', zh: '重办', en: 'reopened' },
  visited: { sql: 'r.visit_reached IS TRUE', zh: '回访接通', en: 'visits (reached)' },
  unreachable: { sql: 'r.visit_reached IS FALSE', zh: '回访未接通', en: 'visits (not reached)' },
  solved: { sql: 'r.visit_reached IS TRUE AND r.visit_solved IS TRUE', zh: '已解决', en: 'solved' },
  satisfied: { sql: `r.visit_satisfaction = 'satisfied'`, zh: '满意', en: 'satisfied' },
  basicallySatisfied: { sql: `r.visit_satisfaction = 'basically_satisfied'`, zh: '基本满意', en: 'basically satisfied' },
  unsatisfied: { sql: `r.visit_satisfaction = 'unsatisfied'`, zh: '不满意', en: 'unsatisfied' },
} as const satisfies Record<string, Figure>;

export type FigureName = keyof typeof FIGURES;
export const FIGURE_NAMES = Object.keys(FIGURES) as FigureName[];
export type Figures = Record<FigureName, number>;

/** The three rates and the on-time reply rate: numerator figures over a denominator figure. */
export const RATES = {
  responseRate: { over: ['signedOnTime'], under: 'accountable', zh: '响应率', en: 'response rate',
    formula: { zh: '响应率 = 按时签收 ÷ 考核件数', en: 'response rate = signed on time ÷ accountable' } },
  onTimeReplyRate: { over: ['repliedOnTime'], under: 'accountable', zh: '按时答复率', en: 'on-time reply rate',
    formula: { zh: '按时答复率 = 按时答复 ÷ 考核件数', en: 'on-time reply rate = replied on time ÷ accountable' } },
  resolutionRate: { over: ['solved'], under: 'visited', zh: '解决率', en: 'resolution rate',
    formula: { zh: '解决率 = 已解决 ÷ 回访接通', en: 'resolution rate = solved ÷ visits reached' } },
  satisfactionRate: { over: ['satisfied', 'basicallySatisfied'], under: 'visited', zh: '满意率', en: 'satisfaction rate',
    formula: { zh: '满意率 = (满意 + 基本满意) ÷ 回访接通', en: 'satisfaction rate = (satisfied + basically satisfied) ÷ visits reached' } },
} as const satisfies Record<string, { over: readonly FigureName[]; under: FigureName; zh: string; en: string; formula: { zh: string; en: string } }>;

export type RateName = keyof typeof RATES;
export type Rates = Record<RateName, number | null>;

/** Which weight of the settings each rate takes. */
export const RATE_WEIGHT = {
  responseRate: 'response', onTimeReplyRate: 'onTimeReply', resolutionRate: 'resolution', satisfactionRate: 'satisfaction',
} as const satisfies Record<RateName, string>;

export type Weights = { response: number; onTimeReply: number; resolution: number; satisfaction: number };

export const SCORE_FORMULA = {
  zh: '得分 = 100 × Σ(权重 × 比率) ÷ Σ权重；没有件数的比率不计入，其余按权重重新折算',
  en: 'score = 100 × Σ(weight × rate) ÷ Σ weight, over the rates that have orders behind them',
};

/** A rate is null when nothing is under it: no orders is not 0 %, and not 100 %. */
export function rates(f: Figures): Rates {
  const out = {} as Rates;
  for (const [name, rate] of Object.entries(RATES) as [RateName, (typeof RATES)[RateName]][]) {
    const under = f[rate.under];
    out[name] = under === 0 ? null : rate.over.reduce((n, k) => n + f[k], 0) / under;
  }
  return out;
}

export function score(r: Rates, weights: Weights): number | null {
  let sum = 0;
  let weight = 0;
  for (const [name, key] of Object.entries(RATE_WEIGHT) as [RateName, keyof Weights][]) {
    const value = r[name];
    if (value === null || weights[key] <= 0) continue;
    sum += weights[key] * value;
    weight += weights[key];
  }
  return weight === 0 ? null : (100 * sum) / weight;
}
