// The orders module's public interface: other modules and the HTTP layer import from here only.
export type {
  OrderView, OrderDetail, OrderEvent, Assignment, RegisterOrderInput, UpdateOrderInput, TransitionInput, Channel, Urgency,
  Satisfaction, Attachment, PersonalDataVisibility,
} from './model.js';
export { URGENCIES, SATISFACTION } from './model.js';
export type { OrderState, OrderAction, TransitionRule, OrderSnapshot as RuleSnapshot } from './rules.js';
export { ORDER_STATES, ORDER_STATE_GROUP, ORDER_STATE_LABELS, ORDER_ACTIONS, TRANSITIONS, checkTransition } from './rules.js';
export { registerOrder, updateOrder } from './registration.js';
export { searchTokens } from './search-text.js';
export { orderFactsSql, orderPlacesSql } from './facts.js';
export {
  getOrder, getOrderByTrackingNo, citizensToCall, getOrderSummary, orderSummaries, maySeeEvent, listOrders, unitInbox, unitInboxCounts, listOrderEvents, suggestUnits, visibleOrderIds, similarOrders,
  suggestWhileTyping, trainingOrders, orderTexts, textsOf, type OrderQuery,
  normalizePhone, citizenContacts, duplicatesOf, mergedInto, callersOf, type CallerQuery,
} from './reads.js';
export { applyTransition, transitionIn, recordFact } from './lifecycle/index.js';
export { RECIPES } from './lifecycle/recipes.js';
export { recordVisitUnreached, recordVisitAnswer, rateAnswer, decideVisit } from './lifecycle/visits.js';
export { supplementOrder, type Supplement } from './lifecycle/supplements.js';
export { deadlineTimer, closeWithoutCall } from './lifecycle/timers.js';
export { CITIZEN_STEPS, citizenView, orderIdByTrackingNo, type CitizenOrderView, type CitizenStep } from './citizen-view.js';
export { citizenHistory, ordersOfIdentity, type CitizenHistory } from './citizen-history.js';
export { maskPhone, personalDataVisibility } from './privacy.js';
export { ordersOfCaller, type CallerOrders } from './caller.js';
export { handoversFrom110 } from './handovers.js';
