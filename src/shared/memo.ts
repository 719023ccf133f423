// Loads reused for a while within this process: the category tree, the routing of a unit kind in an
// area, the keyword segmenter. Callers share one load in flight; a failed load is forgotten at once.

/** A memo of `load(key)` per key, kept `ttlMs`; past `maxKeys` keys it starts afresh. */
export function memo<T>(ttlMs: number, maxKeys = 10_000): { get(key: string, load: () => Promise<T>): Promise<T>; clear(): void } {
  const held = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key, load) {
      const hit = held.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      if (held.size >= maxKeys) held.clear();
      const value = load();
      held.set(key, { at: Date.now(), value });
      value.catch(() => held.delete(key));
      return value;
    },
    clear: () => held.clear(),
  };
}
