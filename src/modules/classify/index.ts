// Classification: the public interface. `installClassify` hooks suggestions into intake, the agent's
// choice into the lifecycle, and the scheduled jobs into the timer sweep.
import { registerIntakeHook, registerTransitionHook } from '../orders/index.js';
import { registerTimerHandler } from '../timers/index.js';
import { CENSUS_TIMER, RETRAIN_TIMER, runCensus, runRetrain } from './jobs.js';
import { recordChoice, suggestForOrder } from './suggest.js';

export function installClassify(onFailure?: (error: unknown) => void): void {
  registerIntakeHook(async ({ pool, actor, order, cause, now }) => ({ suggestions: await suggestForOrder(pool, actor, order, cause, now) }), onFailure);
  registerTransitionHook(async (ctx) => { await recordChoice(ctx); });
  registerTimerHandler(CENSUS_TIMER, runCensus);
  registerTimerHandler(RETRAIN_TIMER, runRetrain);
}

export { ensureScheduled, nextAt, RETRAIN_TIMER, CENSUS_TIMER, type ClassifySchedule } from './jobs.js';
export { suggest, similarToOrder, latestSuggestion, acceptance, type Suggestion, type AcceptanceFigures } from './suggest.js';
export { startTraining, DEFAULT_TRAINING, type TrainingSettings, type TrainingSource, type RunResult } from './training.js';
export { listModels, listRuns, getRun, activeModels, forgetLoadedModels, abandonRuns, type ModelRecord, type Run, type Scores } from './store.js';
export { countKeys, textKeys, indexOrderKeys, findSimilar } from './similar.js';
export { detectSignals, SIGNAL_KINDS, SIGNAL_LABELS, type Signal } from './signals.js';
export { readLabelledCsv } from './dataset.js';
export { LOW_CONFIDENCE } from './evaluation.js';
export { sharedSegmenter } from './text.js';
