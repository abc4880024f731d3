// The per-container cache behind getRestore's hot reads: kept for its TTL on the monotonic
// clock, bounded, least recently used out first, failures never kept, off at 0. What
// getRestore puts in it is test/unit/restore-cache.test.ts's.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createItemCache, type ItemCache, MAX_CACHED_ITEMS } from '../../../lib/store/item-cache.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const cacheOf = <T>(ttlMs: number, maxEntries?: number): ItemCache<T> => {
  const cache = createItemCache<T>({ ttlMs, ...(maxEntries === undefined ? {} : { maxEntries }) });
  if (cache === undefined) throw new Error('expected a cache');
  return cache;
};

/** A loader that answers `value` and counts its calls. */
const loader = <T>(value: T) => {
  const load = vi.fn(async () => value);
  return load;
};

describe('createItemCache', () => {
  it('is off at a TTL of 0: no cache at all', () => {
    expect(createItemCache({ ttlMs: 0 })).toBeUndefined();
  });

  it('answers from the cache within the TTL, and reads again once it has passed', async () => {
    const cache = cacheOf<string>(1000);
    const load = loader('v1');
    const hits = vi.fn();
    expect(await cache.read('42', load, hits)).toBe('v1');
    vi.advanceTimersByTime(999);
    expect(await cache.read('42', load, hits)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    expect(hits).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    load.mockResolvedValue('v2');
    expect(await cache.read('42', load, hits)).toBe('v2');
    expect(load).toHaveBeenCalledTimes(2);
    expect(hits).toHaveBeenCalledTimes(1);
  });

  it('counts the TTL from before the read, so a slow read does not stretch it', async () => {
    const cache = cacheOf<string>(1000);
    const slow = vi.fn(async () => {
      vi.advanceTimersByTime(600);
      return 'slow';
    });
    await cache.read('42', slow);
    vi.advanceTimersByTime(400);
    await cache.read('42', slow);
    expect(slow).toHaveBeenCalledTimes(2);
  });

  it('keeps a miss (null) like any answer', async () => {
    const cache = cacheOf<string | null>(1000);
    const load = loader(null);
    expect(await cache.read('7', load)).toBeNull();
    expect(await cache.read('7', load)).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps nothing when the read fails: the next request reads again', async () => {
    const cache = cacheOf<string>(1000);
    const failing = vi.fn(async (): Promise<string> => {
      throw new Error('store unavailable');
    });
    await expect(cache.read('13', failing)).rejects.toThrow('store unavailable');
    expect(cache.size).toBe(0);
    const load = loader('back');
    expect(await cache.read('13', load)).toBe('back');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps each key apart', async () => {
    const cache = cacheOf<string>(1000);
    await cache.read('42 id', loader('a'));
    expect(await cache.read('42 id,status', loader('b'))).toBe('b');
    expect(await cache.read('42 id', loader('c'))).toBe('a');
  });

  it('holds at most its bound, pushing out the least recently used', async () => {
    const cache = cacheOf<string>(60_000, 3);
    for (const key of ['a', 'b', 'c']) await cache.read(key, loader(key));
    await cache.read('a', loader('a again')); // a hit: a is now the most recent
    await cache.read('d', loader('d'));
    expect(cache.size).toBe(3);
    const reread = loader('read again');
    expect(await cache.read('a', reread)).toBe('a');
    expect(await cache.read('c', reread)).toBe('c');
    expect(await cache.read('d', reread)).toBe('d');
    expect(reread).not.toHaveBeenCalled();
    expect(await cache.read('b', reread)).toBe('read again');
  });

  it('is bounded by default to MAX_CACHED_ITEMS entries', async () => {
    const cache = cacheOf<number>(60_000);
    for (let i = 0; i <= MAX_CACHED_ITEMS; i++) await cache.read(String(i), loader(i));
    expect(cache.size).toBe(MAX_CACHED_ITEMS);
  });

  it('drops an expired entry when it is looked up', async () => {
    const cache = cacheOf<string>(1000);
    await cache.read('42', loader('old'));
    vi.advanceTimersByTime(1000);
    await expect(cache.read('42', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(0);
  });
});
