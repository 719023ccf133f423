// Classification: the public interface. The order lifecycle computes a suggestion before registering
// (suggest), stores it with the order (storeSuggestionStatements) and records the agent's choice when
// the order leaves the hotline (recordChoice); the scheduled jobs are timers wired by src/platform.ts.
export { ensureScheduled, nextAt, runCensus, retrainHandler, RETRAIN_TIMER, CENSUS_TIMER, type ClassifySchedule } from './jobs.js';
export {
  suggest, similarHits, storeSuggestionStatements, storeSuggestion, recordChoice, pendingSuggestionQuery, latestSuggestion, acceptance, signalFactsSql,
  type Suggestion, type SimilarOrder, type Computed, type Classification, type PendingSuggestion, type AcceptanceFigures,
} from './suggest.js';
export {
  startTraining, DEFAULT_TRAINING, type TrainingSettings, type TrainingSource, type RunResult, type ClosedOrder, type ClosedOrders,
} from './training.js';
export { listModels, listRuns, getRun, activeModels, forgetLoadedModels, abandonRuns, type ModelRecord, type Run, type Scores } from './store.js';
export { countKeys, keywordRarity, textKeys, keyOf, keywordSegmenter, indexOrderKeys, findSimilar, type SimilarHit, type OrderTexts, type TextKeys } from './similar.js';
export { detectSignals, SIGNAL_KINDS, SIGNAL_LABELS, type Signal } from './signals.js';
export { readLabelledCsv } from './dataset.js';
export { LOW_CONFIDENCE } from './evaluation.js';
export { sharedSegmenter, normalizeText, type Segmenter } from './text.js';
