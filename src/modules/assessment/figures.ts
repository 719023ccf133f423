// The assessment's rates and score over the figures of rounds (src/modules/sla/figures.ts).
import { type FigureName, type Figures } from '../sla/index.js';

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
