// The facts of rounds that assessment counts, defined once: the SQL that counts a figure is the SQL
// that lists the rounds behind it, so every number can be taken apart order by order.
//
// What is counted: each round (each time the hotline handed an order to the unit: dispatch, or a
// reopening after an unsatisfied return visit) that *started* in the period. The facts of a round
// are recorded when they happen (rounds.ts), so a period's figures never recompute history; a round
// still open counts what it has done so far.

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
