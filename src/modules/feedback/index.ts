// Return visits: the public interface. `installFeedback` hooks the queue into the order lifecycle.
import { registerTransitionHook } from '../orders/index.js';
import { registerTimerHandler } from '../timers/index.js';
import { CLOSE_WITHOUT_CALL_TIMER, closeWithoutCall, feedbackOnTransition } from './service.js';

export function installFeedback(): void {
  registerTransitionHook(feedbackOnTransition);
  registerTimerHandler(CLOSE_WITHOUT_CALL_TIMER, closeWithoutCall);
}

export type { ReturnVisit } from './service.js';
export { inSample, visitQueue, visitsToConfirm, getVisit, recordUnreached, recordResult, decideVisit } from './service.js';
