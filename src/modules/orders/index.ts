// The orders module's public interface: other modules and the HTTP layer import from here only.
export type {
  OrderView, OrderDetail, OrderEvent, Assignment, RegisterOrderInput, UpdateOrderInput, TransitionInput, Channel, Urgency,
  Satisfaction, Attachment, PersonalDataVisibility,
} from './model.js';
export { CHANNELS, URGENCIES, SATISFACTION } from './model.js';
export type { OrderState, OrderAction, TransitionRule, OrderSnapshot } from './rules.js';
export { ORDER_STATES, ORDER_STATE_GROUP, ORDER_STATE_LABELS, ORDER_ACTIONS, TRANSITIONS, checkTransition } from './rules.js';
export type { OrderQuery, TransitionHook, TransitionHookContext, IntakeHook, TrainingOrder } from './service.js';
export {
  registerOrder, applyTransition, updateOrder, getOrder, listOrders, unitInbox, listOrderEvents, suggestUnits,
  transitionInTransaction, registerTransitionHook, recordOrderFact, getOrderSummary, registerIntakeHook, trainingOrders, orderTexts,
} from './service.js';
export { publishOrderEvents } from './events.js';
export { onOrderEvent, type PublishedOrderEvent } from './events.js';
