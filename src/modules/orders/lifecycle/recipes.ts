// The order lifecycle, one recipe per action of the transition table (rules.ts), each read top to
// bottom: check (the rule: role, unit, state, reason; then what another module decides, such as the
// return window or the extension cap), change the order, call the other modules by name (deadlines,
// return visits, classification) in the same transaction, and say what the event records. The
// machinery that locks, checks and writes is in ./change.ts.
import { DomainError } from '../../../shared/errors.js';
import * as classify from '../../classify/index.js';
import * as feedback from '../../feedback/index.js';
import * as knowledge from '../../knowledge/index.js';
import * as sla from '../../sla/index.js';
import { MERGE_TARGET_STATES, type OrderAction } from '../rules.js';
import type { Change, Outcome } from './change.js';

type Recipe<A extends OrderAction> = (c: Change) => Promise<Outcome<A>>;

/** What deadlines need of the order. */
const roundOrder = (c: Change): sla.RoundOrder => ({
  cityCode: c.order.city_code, orderId: c.order.id, urgency: c.order.urgency,
  categoryId: c.order.category_id === null ? null : Number(c.order.category_id),
});

/** What a return visit needs of the order. */
const visitOrder = (c: Change, leadUnitId: string | null): feedback.VisitOrder => ({
  cityCode: c.order.city_code, orderId: c.order.id, trackingNo: c.order.tracking_no, title: c.order.title, leadUnitId,
  noCallback: c.order.no_callback,
});

/** The agent's choice against the classifier's suggestion, recorded when the order first leaves the hotline. */
async function recordChoice(c: Change): Promise<classify.Classification | null> {
  const choice = await classify.recordChoice(c.db, c.plan, c.held.suggestion, { cityCode: c.order.city_code,
    categoryId: c.order.category_id === null ? null : Number(c.order.category_id), requestType: c.order.request_type }, c.actor, c.now);
  c.held.suggestion = null;
  return choice;
}

/**
 * 直接办理: the agent answers on the spot and closes the order, from a published knowledge article
 * if they name one (its use is counted); a sample of such answers is visited.
 */
const answerDirectly: Recipe<'answer_directly'> = async (c) => {
  c.check();
  const text = c.requireText('text');
  const article = c.input.articleId ? await knowledge.articleForAnswer(c.db, c.order.city_code, c.input.articleId, c.now) : null;
  const classification = await recordChoice(c);
  const returnVisit = await feedback.queueVisit(c.db, c.plan, visitOrder(c, null), 'direct_answer_sample', text, c.now);
  return { payload: { text, returnVisit, classification, ...(article ? { article } : {}) } };
};

/** 派单: to a lead unit and co-handlers; any earlier assignment is withdrawn and a deadline round starts. */
const dispatch: Recipe<'dispatch'> = async (c) => {
  c.check();
  // the category decides the deadlines, the assessment and the statistics: no order leaves unclassified
  if (c.order.category_id === null) throw new DomainError('ORDER_CATEGORY_REQUIRED');
  const lead = await c.handlingUnit(c.input.unitId, 'unitId');
  const coIds = [...new Set(c.input.coUnitIds ?? [])];
  if (coIds.includes(lead.id)) throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '协办单位不能同时是主办单位', en: 'a co-handler cannot be the lead unit' } });
  const coUnits = [];
  for (const id of coIds) coUnits.push(await c.handlingUnit(id, 'coUnitIds'));
  c.endAssignments(c.active(), 'withdrawn');
  c.assign(lead, 'lead');
  for (const co of coUnits) c.assign(co, 'co');
  const deadlines = await sla.startRound(c.db, c.plan, c.held, roundOrder(c), lead.id, 'dispatch', c.now);
  const classification = await recordChoice(c);
  return { columns: { lead_unit_id: lead.id }, payload: { unitId: lead.id, coUnitIds: coIds, deadlines, classification } };
};

/** 签收. */
const sign: Recipe<'sign'> = async (c) => {
  c.check();
  sla.recordSigned(c.plan, c.held, c.now);
  return { payload: {} };
};

/**
 * 退单: back to the unit that passed it down, if one did (it had signed for the order and stays
 * answerable); otherwise to the hotline, within the return window, the round ending with its
 * return waiting for the hotline's decision.
 */
const returnOrder: Recipe<'return'> = async (c) => {
  c.check();
  const current = c.activeLead()!;
  const parent = c.assignments.find((a) => a.id === current.parent_assignment_id);
  if (!parent) await sla.recordReturn(c.db, c.plan, c.held, c.input.reason?.trim() ?? null, current.unit_id, c.now);
  c.endAssignments([current], 'returned');
  if (parent) {
    c.assign(await c.handlingUnit(parent.unit_id, 'unitId'), 'lead', parent.parent_assignment_id);
    return { toState: 'signed', columns: { lead_unit_id: parent.unit_id }, payload: { unitId: current.unit_id, backTo: parent.unit_id } };
  }
  return { columns: { clock_paused: false }, payload: { unitId: current.unit_id } };
};

/** 驳回退单: the order goes back to the unit that returned it, whose round resumes with its deadlines. */
const rejectReturn: Recipe<'reject_return'> = async (c) => {
  c.check();
  const returned = c.lastLead();
  if (!returned) throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '没有可退回的单位', en: 'no unit to send the order back to' } });
  c.assign(await c.handlingUnit(returned.unit_id, 'unitId'), 'lead');
  const deadlines = sla.resumeRejectedReturn(c.plan, c.held);
  return { columns: { lead_unit_id: returned.unit_id }, payload: { unitId: returned.unit_id, deadlines } };
};

/** 二级派单: to a unit beneath the lead unit, which stays answerable for the round. */
const passDown: Recipe<'pass_down'> = async (c) => {
  c.check();
  const target = await c.handlingUnit(c.input.unitId, 'unitId');
  const current = c.activeLead()!;
  if (target.id === current.unit_id || !target.path.includes(`/${current.unit_id}/`)) {
    throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '二级派单只能派给本单位的下级单位', en: 'an order can be passed down only to a sub-unit' } });
  }
  c.endAssignments([current], 'passed_down');
  c.assign(target, 'lead', current.id);
  return { columns: { lead_unit_id: target.id }, payload: { fromUnitId: current.unit_id, unitId: target.id } };
};

/** 申请延期: whole working days, within the round's cap on extensions. */
const requestExtension: Recipe<'request_extension'> = async (c) => {
  c.check();
  const days = c.input.days;
  if (!days || !Number.isInteger(days) || days < 1 || days > 30) {
    throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: '延期天数须为 1 至 30 个工作日的整数', en: 'days must be a whole number of working days, 1 to 30' } });
  }
  await sla.requestExtension(c.db, c.plan, c.held, days, c.input.reason?.trim() ?? null, c.actor.unitId!, c.now);
  return { columns: { extension_pending: true }, payload: { days } };
};

/** 批准延期: the days asked, or fewer; the reply and close deadlines move. */
const approveExtension: Recipe<'approve_extension'> = async (c) => {
  c.check();
  const granted = await sla.approveExtension(c.db, c.plan, c.held, c.input.days);
  return { columns: { extension_pending: false }, payload: granted };
};

/** 驳回延期. */
const denyExtension: Recipe<'deny_extension'> = async (c) => {
  c.check();
  sla.denyExtension(c.plan, c.held);
  return { columns: { extension_pending: false }, payload: {} };
};

/** 暂停计时: waiting for the citizen; the deadlines stand still. */
const pauseClock: Recipe<'pause_clock'> = async (c) => {
  c.check();
  sla.pauseClock(c.plan, c.held, c.now);
  return { columns: { clock_paused: true }, payload: {} };
};

/** 恢复计时: the deadlines run again with the working time they had left. */
const resumeClock: Recipe<'resume_clock'> = async (c) => {
  c.check();
  const resumed = await sla.resumeClock(c.db, c.plan, c.held, c.now);
  return { columns: { clock_paused: false }, payload: resumed };
};

/** 协办答复: a co-handler's opinion; its part is done. */
const coReply: Recipe<'co_reply'> = async (c) => {
  c.check();
  const text = c.requireText('text');
  c.endAssignments(c.active('co').filter((a) => a.unit_id === c.actor.unitId), 'done');
  return { payload: { text, unitId: c.actor.unitId! } };
};

/** 答复: the reply deadline is met and the citizen is to be called back (unless they asked not to be). */
const reply: Recipe<'reply'> = async (c) => {
  c.check();
  const text = c.requireText('text');
  c.endAssignments(c.active('lead'), 'done');
  sla.recordReply(c.plan, c.held, c.now);
  const returnVisit = await feedback.queueVisit(c.db, c.plan, visitOrder(c, c.order.lead_unit_id), 'reply', text, c.now);
  return { columns: { clock_paused: false }, payload: { text, unitId: c.actor.unitId!, returnVisit } };
};

/** 回访: the citizen's answer (or that they could not be reached after the last call), on the round it judges. */
const returnVisit: Recipe<'return_visit'> = async (c) => {
  c.check();
  const { solved, satisfaction, reached } = c.input;
  const comment = c.input.text ?? null;
  if (reached !== false && (solved === undefined || !satisfaction)) {
    throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: '回访须记录是否解决与满意度', en: 'a return visit records solved and satisfaction' } });
  }
  // a citizen not reached is recorded as such, never as satisfied
  const result = reached === false ? { reached: false, comment } : { reached: true, solved: solved!, satisfaction: satisfaction!, comment };
  sla.recordVisit(c.plan, c.held, result, c.now);
  feedback.settleVisitFromAction(c.plan, c.order.id, result, c.actor, c.now);
  return { payload: result };
};

/** 办结: the close deadline is met; a visit still waiting is withdrawn. */
const close: Recipe<'close'> = async (c) => {
  c.check();
  sla.recordClose(c.plan, c.held, c.now);
  feedback.withdrawVisits(c.plan, c.order.id);
  return { payload: { text: c.input.text ?? null } };
};

/** 重办: back to a unit (the last lead unit unless another is named), with a new round. */
const reopen: Recipe<'reopen'> = async (c) => {
  c.check();
  const unitId = c.input.unitId ?? c.lastLead()?.unit_id;
  if (!unitId) throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: '须指定承办单位（unitId）：该工单从未派单', en: 'unitId is required: the order was never dispatched' } });
  const unit = await c.handlingUnit(unitId, 'unitId');
  c.endAssignments(c.active(), 'withdrawn');
  c.assign(unit, 'lead');
  const deadlines = await sla.startRound(c.db, c.plan, c.held, roundOrder(c), unit.id, 'reopen', c.now);
  feedback.withdrawVisits(c.plan, c.order.id);
  return { columns: { lead_unit_id: unit.id, reopen_count: c.order.reopen_count + 1, closed_at: null }, payload: { unitId: unit.id, deadlines } };
};

/** 催办: counted on the round; the unit's staff are told (the notices consumer). */
const urge: Recipe<'urge'> = async (c) => {
  c.check();
  const unitId = sla.recordUrge(c.plan, c.held, 'urge', c.now);
  return { columns: { urge_count: c.order.urge_count + 1 }, payload: { text: c.input.text ?? null, unitId } };
};

/** 督办: marked on the round; the unit's staff are told (the notices consumer). */
const escalate: Recipe<'escalate'> = async (c) => {
  c.check();
  const unitId = sla.recordUrge(c.plan, c.held, 'escalate', c.now);
  return { columns: { escalated: true }, payload: { text: c.input.text ?? null, unitId } };
};

/** 合并: a duplicate of an open order; it leaves the units, and the target records the merge. */
const merge: Recipe<'merge'> = async (c) => {
  c.check();
  const targetId = c.input.targetOrderId;
  if (!targetId) throw new DomainError('ORDER_INVALID_FIELD', { detail: { zh: '须指定合并到的工单（targetOrderId）', en: 'targetOrderId is required' } });
  if (targetId === c.order.id) throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '工单不能合并到自身', en: 'an order cannot be merged into itself' } });
  const target = await c.session.load(c.actor, targetId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'ORDER_NOT_FOUND') {
      throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: `没有编号为 ${targetId} 的工单`, en: `no such order ${targetId}` } });
    }
    throw error;
  });
  if (!MERGE_TARGET_STATES.includes(target.order.state)) {
    throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '目标工单已办结，不能再合并', en: 'the target order is no longer open' } });
  }
  // Its own duplicates would be left under an order that is itself merged. The check is safe in a
  // race: a merge into this order writes it at the version read here, so one of the two re-plans.
  if (await c.session.hasDuplicates(c.order)) {
    throw new DomainError('ORDER_INVALID_TARGET', { detail: { zh: '已有其他工单合并到本工单：请把目标工单合并到本工单', en: 'other orders were merged into this one: merge the other order into it instead' } });
  }
  c.endAssignments(c.active(), 'withdrawn');
  sla.endRounds(c.plan, c.held, 'merge', c.now);
  feedback.withdrawVisits(c.plan, c.order.id);
  await c.also(target, 'order.duplicate_merged', { sourceOrderId: c.order.id });
  return { columns: { merged_into: targetId }, payload: { targetOrderId: targetId } };
};

/** 作废: invalid (with a reason); it leaves the units, a pending return standing. Nothing is deleted. */
const cancel: Recipe<'cancel'> = async (c) => {
  c.check();
  c.endAssignments(c.active(), 'withdrawn');
  sla.endRounds(c.plan, c.held, 'cancel', c.now);
  feedback.withdrawVisits(c.plan, c.order.id);
  return { payload: {} };
};

/** 归档. */
const archive: Recipe<'archive'> = async (c) => {
  c.check();
  return { payload: {} };
};

/** Every action's recipe: the table the lifecycle runs (./index.ts). */
export const RECIPES: { [A in OrderAction]: Recipe<A> } = {
  answer_directly: answerDirectly, dispatch, sign, return: returnOrder, reject_return: rejectReturn, pass_down: passDown,
  request_extension: requestExtension, approve_extension: approveExtension, deny_extension: denyExtension,
  pause_clock: pauseClock, resume_clock: resumeClock, co_reply: coReply, reply, return_visit: returnVisit, close, reopen,
  urge, escalate, merge, cancel, archive,
};
