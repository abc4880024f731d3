// A per-container cache of what getRestore read, for the hot key: clients poll the one
// restore in flight, and one DynamoDB item serves only so many reads a second. An entry lives
// for the stage's TTL (RESTORE_CACHE_TTL_MS, lib/config.ts), well inside the minute the sync
// takes to bring a console's change anyway; the oldest entry goes first once it is full.
// Only answers are kept: a found item or a miss (null). A load that throws (store
// unavailable, a record that breaks the contract) keeps nothing, so the next request reads
// again.

export interface ItemCache<T> {
  /**
   * The value kept for `key` if younger than the TTL; otherwise `load`'s, kept when it
   * resolves. `onHit` runs when the answer comes from the cache.
   */
  read(key: string, load: () => Promise<T>, onHit?: () => void): Promise<T>;
  /** Entries held now, expired ones included until they are next looked up or pushed out. */
  readonly size: number;
}

export interface ItemCacheOptions {
  readonly ttlMs: number;
  /** At most this many entries; the least recently used goes first. */
  readonly maxEntries?: number;
  /** A monotonic clock in ms: a wall clock stepping back would keep entries too long. */
  readonly now?: () => number;
}

/** Restores of 1 KB or so: about a megabyte at most. */
export const MAX_CACHED_ITEMS = 1000;

interface Entry<T> {
  readonly value: T;
  readonly expires: number;
}

/** A cache that keeps each value `ttlMs`; undefined when `ttlMs` is 0 (off). */
export const createItemCache = <T>({
  ttlMs,
  maxEntries = MAX_CACHED_ITEMS,
  now = () => performance.now(),
}: ItemCacheOptions): ItemCache<T> | undefined => {
  if (ttlMs <= 0) return undefined;
  // A Map iterates in insertion order: re-inserting on a hit makes its first key the least
  // recently used.
  const entries = new Map<string, Entry<T>>();
  return {
    get size() {
      return entries.size;
    },
    read: async (key, load, onHit) => {
      const entry = entries.get(key);
      if (entry !== undefined) {
        entries.delete(key);
        if (now() < entry.expires) {
          entries.set(key, entry);
          onHit?.();
          return entry.value;
        }
      }
      // The TTL counts from before the read: the value is at most that old when it goes.
      const readAt = now();
      const value = await load();
      entries.delete(key); // a side-by-side request may have kept it meanwhile
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, { value, expires: readAt + ttlMs });
      return value;
    },
  };
};
