// The order lifecycle, as data: states, the transitions between them, who may make each.
// Pure: no I/O. service.ts applies these rules to a locked row inside a transaction.
import { DomainError } from '../../shared/errors.js';
import { hasRole, type Actor, type Role } from '../auth/actor.js';
import type { EventType } from '../events/index.js';

export const ORDER_STATES = [
  'registered', // 已受理: registered, not yet dispatched
  'dispatched', // 已派单: waiting for the lead unit to sign for it
  'signed', // 已签收: the lead unit is handling it
  'returned', // 已退单: the unit returned it as mis-routed; the hotline re-dispatches or rejects the return
  'replied', // 已答复: the unit replied; waiting for the return visit
  'visited', // 已回访: the citizen was asked; waiting for closure or reopening
  'closed', // 已办结
  'cancelled', // 已作废: invalid, with a reason (never deleted)
  'merged', // 已合并: a duplicate, merged into another order
  'archived', // 已归档
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** Coarse groups that supervision and analytics ask for, instead of listing states. */
export const ORDER_STATE_GROUP: Record<OrderState, 'open' | 'closed'> = {
  registered: 'open',
  dispatched: 'open',
  signed: 'open',
  returned: 'open',
  replied: 'open',
  visited: 'open',
  closed: 'closed',
  cancelled: 'closed',
  merged: 'closed',
  archived: 'closed',
};

export const ORDER_STATE_LABELS: Record<OrderState, { zh: string; en: string }> = {
  registered: { zh: '已受理', en: 'registered' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  signed: { zh: '已签收', en: 'signed for' },
  returned: { zh: '已退单', en: 'returned' },
  replied: { zh: '已答复', en: 'replied' },
  visited: { zh: '已回访', en: 'visited' },
  closed: { zh: '已办结', en: 'closed' },
  cancelled: { zh: '已作废', en: 'cancelled' },
  merged: { zh: '已合并', en: 'merged' },
  archived: { zh: '已归档', en: 'archived' },
};

/** Which unit the actor must belong to: the active lead unit, or an active co-handling unit. */
type UnitCheck = 'lead' | 'co';

export interface TransitionRule {
  from: readonly OrderState[];
  /** the state after the transition; 'same' leaves the state as it is (urge, extension…) */
  to: OrderState | 'same';
  roles: readonly Role[];
  /** the order's own citizen may take it too (rating the reply on their channel) */
  citizen?: true;
  unit?: UnitCheck;
  /** a reason is required and recorded */
  reason?: boolean;
  /** the event the action appends (events/catalog.ts) */
  event: EventType;
  label: { zh: string; en: string };
}

const HOTLINE_INTAKE: readonly Role[] = ['agent', 'lead'];
const HOTLINE_DISPATCH: readonly Role[] = ['agent', 'lead', 'dispatcher'];
const UNIT: readonly Role[] = ['unit_handler', 'unit_manager'];
const OPEN_AT_UNIT: readonly OrderState[] = ['dispatched', 'signed'];

export const TRANSITIONS = {
  answer_directly: {
    from: ['registered'], to: 'closed', roles: HOTLINE_INTAKE,
    event: 'order.answered_directly', label: { zh: '直接办理', en: 'answer directly' },
  },
  dispatch: {
    from: ['registered', 'returned'], to: 'dispatched', roles: HOTLINE_DISPATCH,
    event: 'order.dispatched', label: { zh: '派单', en: 'dispatch' },
  },
  sign: {
    from: ['dispatched'], to: 'signed', roles: UNIT, unit: 'lead',
    event: 'order.signed', label: { zh: '签收', en: 'sign for' },
  },
  return: {
    from: OPEN_AT_UNIT, to: 'returned', roles: UNIT, unit: 'lead', reason: true,
    event: 'order.returned', label: { zh: '退单', en: 'return' },
  },
  reject_return: {
    from: ['returned'], to: 'dispatched', roles: ['lead', 'supervisor'], reason: true,
    event: 'order.return_rejected', label: { zh: '驳回退单', en: 'reject the return' },
  },
  // a unit signs for an order before passing it down, so a return from below comes back signed
  pass_down: {
    from: ['signed'], to: 'dispatched', roles: ['unit_manager'], unit: 'lead',
    event: 'order.passed_down', label: { zh: '二级派单', en: 'pass down' },
  },
  request_extension: {
    from: ['signed'], to: 'same', roles: UNIT, unit: 'lead', reason: true,
    event: 'order.extension_requested', label: { zh: '申请延期', en: 'request an extension' },
  },
  approve_extension: {
    from: ['signed'], to: 'same', roles: ['lead', 'supervisor'],
    event: 'order.extension_approved', label: { zh: '批准延期', en: 'approve the extension' },
  },
  deny_extension: {
    from: ['signed'], to: 'same', roles: ['lead', 'supervisor'], reason: true,
    event: 'order.extension_denied', label: { zh: '驳回延期', en: 'deny the extension' },
  },
  // waiting for the citizen (材料, 现场): the deadlines stand still until the unit resumes
  pause_clock: {
    from: ['signed'], to: 'same', roles: UNIT, unit: 'lead', reason: true,
    event: 'order.clock_paused', label: { zh: '暂停计时', en: 'pause the clock' },
  },
  resume_clock: {
    from: ['signed'], to: 'same', roles: UNIT, unit: 'lead',
    event: 'order.clock_resumed', label: { zh: '恢复计时', en: 'resume the clock' },
  },
  co_reply: {
    from: OPEN_AT_UNIT, to: 'same', roles: UNIT, unit: 'co',
    event: 'order.co_replied', label: { zh: '协办答复', en: 'co-handler reply' },
  },
  reply: {
    from: ['signed'], to: 'replied', roles: UNIT, unit: 'lead',
    event: 'order.replied', label: { zh: '答复', en: 'reply' },
  },
  return_visit: {
    from: ['replied'], to: 'visited', roles: ['visitor', 'lead'], citizen: true,
    event: 'order.visited', label: { zh: '回访', en: 'return visit' },
  },
  close: {
    from: ['replied', 'visited'], to: 'closed', roles: ['visitor', 'lead', 'supervisor'], citizen: true,
    event: 'order.closed', label: { zh: '办结', en: 'close' },
  },
  reopen: {
    from: ['replied', 'visited', 'closed'], to: 'dispatched', roles: ['visitor', 'lead', 'supervisor'], reason: true,
    event: 'order.reopened', label: { zh: '重办', en: 'reopen' },
  },
  urge: {
    from: ['dispatched', 'signed', 'returned'], to: 'same', roles: ['supervisor', 'lead'],
    event: 'order.urged', label: { zh: '催办', en: 'urge' },
  },
  escalate: {
    from: ['dispatched', 'signed', 'returned'], to: 'same', roles: ['supervisor'], reason: true,
    event: 'order.escalated', label: { zh: '督办', en: 'escalate' },
  },
  merge: {
    from: ['registered', 'dispatched', 'signed', 'returned'], to: 'merged', roles: ['agent', 'lead'],
    event: 'order.merged', label: { zh: '合并', en: 'merge' },
  },
  cancel: {
    from: ['registered', 'returned'], to: 'cancelled', roles: ['lead'], reason: true,
    event: 'order.cancelled', label: { zh: '作废', en: 'cancel' },
  },
  archive: {
    from: ['closed', 'cancelled', 'merged'], to: 'archived', roles: ['lead', 'admin'],
    event: 'order.archived', label: { zh: '归档', en: 'archive' },
  },
} as const satisfies Record<string, TransitionRule>;

export type OrderAction = keyof typeof TRANSITIONS;
export const ORDER_ACTIONS = Object.keys(TRANSITIONS) as OrderAction[];

/** What the rules need to know of an order: its state and who holds it. */
export interface OrderSnapshot {
  state: OrderState;
  /** unit of the active lead assignment */
  leadUnitId: string | null;
  /** units of the active co-handling assignments */
  coUnitIds: readonly string[];
  extensionPending: boolean;
  clockPaused: boolean;
}

/**
 * The actions the actor may take on the order now, by the rules above (a reason, where one is
 * needed, taken as given). A recipe may still refuse one for what only it reads: the return
 * window, the extension cap, a category before dispatch.
 */
export function availableActions(order: OrderSnapshot, actor: Actor): OrderAction[] {
  return ORDER_ACTIONS.filter((action) => {
    try {
      checkTransition(action, order, actor, 'given');
      return true;
    } catch {
      return false;
    }
  });
}

/** The state after `action`, or a DomainError saying why the actor may not take it. */
export function checkTransition(
  action: OrderAction,
  order: OrderSnapshot,
  actor: Actor,
  reason: string | undefined,
): OrderState {
  const rule: TransitionRule = TRANSITIONS[action];
  const actionLabel = rule.label;
  // a citizen reaches only the orders they proved theirs (reads.ts, visibleTo)
  const allowed = actor.kind === 'citizen' ? rule.citizen === true : hasRole(actor, ...rule.roles);
  if (!allowed) {
    throw new DomainError('ORDER_ACTION_FORBIDDEN', { action: actionLabel });
  }
  // the state before the unit: a unit that just replied is no longer the order's lead, and the
  // loser of that race must hear that the order moved on (409), not that it may not act (403)
  if (!rule.from.includes(order.state)) {
    throw new DomainError('ORDER_TRANSITION_NOT_ALLOWED', { state: ORDER_STATE_LABELS[order.state], action: actionLabel });
  }
  if (rule.unit === 'lead' && (actor.unitId === null || actor.unitId !== order.leadUnitId)) {
    throw new DomainError('ORDER_ACTION_FORBIDDEN', { action: actionLabel });
  }
  if (rule.unit === 'co' && (actor.unitId === null || !order.coUnitIds.includes(actor.unitId))) {
    throw new DomainError('ORDER_ACTION_FORBIDDEN', { action: actionLabel });
  }
  if (rule.reason && !reason?.trim()) {
    throw new DomainError('ORDER_REASON_REQUIRED', { action: actionLabel });
  }
  if (action === 'request_extension' && order.extensionPending) {
    throw new DomainError('ORDER_EXTENSION_ALREADY_PENDING');
  }
  if ((action === 'approve_extension' || action === 'deny_extension') && !order.extensionPending) {
    throw new DomainError('ORDER_EXTENSION_NOT_PENDING');
  }
  if (action === 'pause_clock' && order.clockPaused) throw new DomainError('ORDER_CLOCK_ALREADY_PAUSED');
  if (action === 'resume_clock' && !order.clockPaused) throw new DomainError('ORDER_CLOCK_NOT_PAUSED');
  return rule.to === 'same' ? order.state : rule.to;
}

/** The states an order may be merged into: still being handled (the merge recipe's targets, and the likely duplicates offered). */
export const MERGE_TARGET_STATES: readonly OrderState[] = ['registered', 'dispatched', 'signed', 'returned', 'replied', 'visited'];
