import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonText, toWire } from '../../../lib/qradar/json.ts';

describe('toJsonText', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(toJsonText(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('skips undefined members and writes undefined array slots as null, as JSON.stringify does', () => {
    const value = { a: undefined, b: [undefined, 1], c: 'x' };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
  });

  it('writes every bigint with all its digits, as JSON.stringify(toWire(x)) does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.string(), (n, s) => {
        const value = { id: n, list: [n, s], nested: { n } };
        expect(toJsonText(value)).toBe(`{"id":${n},"list":[${n},${JSON.stringify(s)}],"nested":{"n":${n}}}`);
        expect(toJsonText(value)).toBe(JSON.stringify(toWire(value)));
      }),
    );
  });
});
