// Trains models in a worker thread, so that the server keeps answering while a model learns (tens
// of seconds of CPU): the texts come in, the trained models and their held-back figures go out.
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_RECIPE, TextClassifier, type Recipe, type TrainingExample } from './model.js';
import { scoreModel, type HeldBack } from './scoring.js';
import { Segmenter } from './text.js';
import type { Scores, Target } from './store.js';

export interface TrainJob {
  /** per target: the training texts and the held-back texts, label paths top level first */
  sets: { target: Target; train: TrainingExample[]; heldBack: HeldBack[]; active: Uint8Array | null }[];
  /** words the segmenter keeps whole (the city's place names) */
  dictionary: string[];
  recipe?: Recipe;
}

export interface TrainOutcome {
  target: Target;
  bytes: Uint8Array;
  scores: Scores;
  baselineScores: Scores | null;
  trainSeconds: number;
}

/** The work itself, also callable in-process (tests). */
export function runTrainJob(job: TrainJob, now = new Date()): TrainOutcome[] {
  const segmenter = new Segmenter(job.dictionary);
  return job.sets.map((set) => {
    const started = performance.now();
    const model = TextClassifier.train(set.train, segmenter, job.recipe ?? DEFAULT_RECIPE, now);
    const trainSeconds = (performance.now() - started) / 1000;
    const baseline = set.active ? TextClassifier.deserialize(set.active) : null;
    return { target: set.target, bytes: new Uint8Array(model.serialize()), scores: scoreModel(model, set.heldBack),
      baselineScores: baseline ? scoreModel(baseline, set.heldBack) : null, trainSeconds };
  });
}

if (parentPort && workerData?.job) {
  try {
    const outcomes = runTrainJob(workerData.job as TrainJob);
    parentPort.postMessage({ outcomes }, outcomes.map((o) => o.bytes.buffer as ArrayBuffer));
  } catch (error) {
    parentPort.postMessage({ error: (error as Error).stack ?? String(error) });
  }
}
