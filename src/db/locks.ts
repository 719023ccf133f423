// Every advisory lock the platform takes, in one place: the keys are one number space per database,
// and two locks sharing a key wait for each other for no reason (the classifier's scheduling once
// shared the bulk load's key: a server starting during a load waited for the whole load).
export const ADVISORY_LOCKS = {
  /** serialises start-ups of several processes on one database, and a bulk load's drop of indexes */
  migration: 1_234_512_345,
  /** held by a bulk load from its drop of indexes to its last build (src/db/bulk-load.ts) */
  bulkLoad: 1_234_512_346,
  /** one process at a time decides whether the classifier's jobs are scheduled */
  classifySchedule: 1_234_512_347,
  /** one rebuild of the rollups at a time */
  rollupsRebuild: 1_234_512_348,
} as const;
