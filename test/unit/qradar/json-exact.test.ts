import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExact, toJsonText } from '../../../lib/qradar/json.ts';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';

describe('parseExact', () => {
  it('reads integer literals as bigints from their text: 2^53 + 1 and both 64-bit limits exact', () => {
    expect(parseExact('[9007199254740993, 9223372036854775807, -9223372036854775808, 0, -0]')).toEqual([
      9007199254740993n,
      LONG_MAX,
      LONG_MIN,
      0n,
      0n,
    ]);
  });

  it('leaves fractions, exponents and integers longer than any Long as numbers', () => {
    expect(parseExact('[1.5, 1e3, 1E+2, 100000000000000000000000]')).toEqual([1.5, 1000, 100, 1e23]);
  });

  it('reads strings, booleans, null, arrays and objects as JSON.parse does', () => {
    const text = '{"s":"9007199254740993","b":true,"n":null,"a":["x",{"k":[]}]}';
    expect(parseExact(text)).toEqual(JSON.parse(text));
  });

  it('gives back every Long exactly, wherever it sits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), (n) => {
        expect(parseExact(toJsonText({ id: n, list: [n] }))).toEqual({ id: n, list: [n] });
      }),
    );
  });

  it('reads back any JSON value written with exact integers', () => {
    // fast-check's JSON values, each short integer literal as a bigint.
    const exact = (value: unknown): unknown => {
      // parseExact's own rule: an integer literal of at most 20 characters.
      const text = JSON.stringify(value);
      if (typeof value === 'number' && /^-?[0-9]+$/.test(text) && text.length <= 20) return BigInt(text);
      if (Array.isArray(value)) return value.map(exact);
      if (value !== null && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exact(v)]));
      return value;
    };
    fc.assert(
      fc.property(fc.jsonValue().map(exact), (value) => {
        expect(parseExact(toJsonText(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('answers any text with a value or a SyntaxError, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        try {
          parseExact(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SyntaxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
