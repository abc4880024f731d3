// shims/lru-cache.ts runs in every deployed bundle, in place of mnemonist's LRUCache, as the
// SDK's endpoint cache: it must keep what that cache relies on.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import LRUCache from '../../../shims/lru-cache.ts';

describe('LRUCache', () => {
  it('drops the least recently used entry beyond its capacity; get renews, peek does not', () => {
    const cache = new LRUCache<string, number>(2);
    cache.set('a', 1).set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.peek('a')).toBe(1); // no renewal: a stays older than c
    cache.set('d', 4); // evicts a
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([false, true, true]);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('agrees with a reference LRU for any sequence of operations', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('set' as const), fc.integer({ min: 0, max: 5 }), fc.integer()),
      fc.tuple(fc.constant('get' as const), fc.integer({ min: 0, max: 5 })),
      fc.tuple(fc.constant('peek' as const), fc.integer({ min: 0, max: 5 })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 40 }), (capacity, ops) => {
        const cache = new LRUCache<number, number>(capacity);
        let order: [number, number][] = []; // oldest first
        for (const [kind, key, value] of ops) {
          const found = order.find(([k]) => k === key);
          if (kind === 'set') {
            order = [...order.filter(([k]) => k !== key), [key, value as number] as [number, number]].slice(
              -capacity,
            );
            cache.set(key, value as number);
          } else if (kind === 'get') {
            if (found) order = [...order.filter(([k]) => k !== key), found];
            expect(cache.get(key)).toBe(found?.[1]);
          } else {
            expect(cache.peek(key)).toBe(found?.[1]);
          }
        }
        expect(cache.size).toBe(order.length);
        for (const [key, value] of order) expect(cache.peek(key)).toBe(value);
      }),
    );
  });
});
