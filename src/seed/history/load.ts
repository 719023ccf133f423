// A generated history made ready to read, as `npm run generate`, the demo and the analytics bench
// leave it: the orders written, the dashboards' rollups counted from them in one transaction
// (nothing reads a history being loaded: the fastest way), on a server while a big load's indexes
// are built again, and the early warning's history counted up to the last registration, so that a cell's
// usual rate is known before its next report.
import type pg from 'pg';
import { rebuildRollups, rebuildWarningBaselines, type Rebuilt } from '../../modules/analytics/index.js';
import type { HistoryOptions } from './model.js';
import type { DatabaseWorld } from './world.js';
import { writeHistory, type HistoryWritten, type WriteOptions, type WriteProgress } from './write.js';

export interface HistoryLoaded extends HistoryWritten {
  rollups: { rows: number; seconds: number };
  baselines: { cells: number; seconds: number };
  /** written, indexed, and the rollups and baselines counted */
  totalSeconds: number;
}

export async function loadHistory(pool: pg.Pool, cityCode: string, world: DatabaseWorld, options: HistoryOptions,
  progress?: (p: WriteProgress) => void, { bulkFrom, sideBySide }: Pick<WriteOptions, 'bulkFrom' | 'sideBySide'> = {}): Promise<HistoryLoaded> {
  const started = Date.now();
  let rollups: Rebuilt | undefined;
  // the rollups read the orders, their rounds and signals whole, by hash joins: they need none of the indexes being built
  const written = await writeHistory(pool, cityCode, world, options, progress,
    { bulkFrom, sideBySide, beside: async () => { rollups = await rebuildRollups(pool, cityCode, { atOnce: true }); } });
  if (!rollups) throw new Error('the history was written without its rollups');
  const counting = Date.now();
  const baselines = await rebuildWarningBaselines(pool, cityCode, options.registeredUntil ?? options.end);
  return { ...written, rollups: { rows: rollups.rows, seconds: rollups.seconds },
    baselines: { cells: baselines.cells, seconds: (Date.now() - counting) / 1000 }, totalSeconds: (Date.now() - started) / 1000 };
}
