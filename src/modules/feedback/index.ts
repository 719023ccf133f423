// Return visits: the public interface. The order lifecycle calls queueVisit, settleVisitFromAction,
// withdrawVisits and the visit operations as it plans a change (src/db/plan.ts).
export type { ReturnVisit, VisitOrder, VisitResult, OpenVisit, Satisfaction } from './service.js';
export {
  CLOSE_WITHOUT_CALL_TIMER, SATISFACTION, inSample, queueVisit, settleVisitFromAction, withdrawVisits, assertMayVisit, visitQueue,
  visitsToConfirm, getVisit, openVisit, pendingVisitOf, recordUnreached, recordAnswer, recordDecision, dissatisfiedOrders,
} from './service.js';
