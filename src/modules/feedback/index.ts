// Return visits: the public interface. The order lifecycle calls queueVisit, settleVisitFromAction
// and withdrawVisits in its transactions, and the visit operations under the order's lock.
export type { ReturnVisit, VisitOrder, VisitResult, LockedVisit, Satisfaction } from './service.js';
export {
  CLOSE_WITHOUT_CALL_TIMER, SATISFACTION, inSample, queueVisit, settleVisitFromAction, withdrawVisits, assertMayVisit, visitQueue,
  visitsToConfirm, getVisit, visitOrderId, lockVisit, recordUnreached, recordAnswer, recordDecision,
} from './service.js';
