// Loads reused for a while within this process: reference data (the unit tree, the areas, the
// category tree), a routing, a segmenter. Callers share one load in flight; a failed load is
// forgotten at once; a writer in this process forgets what it changed (`forget`), other processes
// see the change when their copy expires.

export interface Memo<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  /** drops one key (after a change in this process) */
  forget(key: string): void;
  clear(): void;
}

const every: Memo<unknown>[] = [];

/**
 * Forgets what every memo holds: a process that opens another database (a benchmark running one
 * engine after the other) must not name the first one's units, categories or routes.
 */
export function forgetEveryMemo(): void {
  for (const m of every) m.clear();
}

/** A memo of `load(key)` per key, kept `ttlMs`; past `maxKeys` keys it starts afresh. */
export function memo<T>(ttlMs: number, maxKeys = 10_000): Memo<T> {
  const held = new Map<string, { at: number; value: Promise<T> }>();
  const made: Memo<T> = {
    get(key, load) {
      const hit = held.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      if (held.size >= maxKeys) held.clear();
      const value = load();
      held.set(key, { at: Date.now(), value });
      value.catch(() => held.delete(key));
      return value;
    },
    forget: (key) => held.delete(key),
    clear: () => held.clear(),
  };
  every.push(made as Memo<unknown>);
  return made;
}
