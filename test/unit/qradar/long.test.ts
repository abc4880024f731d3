import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LONG_MAX, LONG_MIN, parseLong } from '../../../lib/qradar/long.ts';

const longs = fc.bigInt({ min: LONG_MIN, max: LONG_MAX });

describe('parseLong', () => {
  it.each([
    ['0', 0n],
    ['42', 42n],
    ['+42', 42n],
    ['-42', -42n],
    ['007', 7n],
    ['-0', 0n],
    ['9223372036854775807', LONG_MAX],
    ['-9223372036854775808', LONG_MIN],
    ['0009223372036854775807', LONG_MAX],
  ])('reads %s', (text, value) => {
    expect(parseLong(text)).toBe(value);
  });

  it.each([
    '',
    '+',
    '-',
    '+-1',
    '1.0',
    '1e3',
    ' 1',
    '1 ',
    '0x10',
    '١٢',
    '9223372036854775808',
    '-9223372036854775809',
    '99999999999999999999',
  ])('refuses %j', (text) => {
    expect(parseLong(text)).toBeUndefined();
  });

  it('reads back every Long, with sign and leading zeros', () => {
    fc.assert(
      fc.property(longs, fc.boolean(), fc.nat(30), (value, plus, zeros) => {
        const digits = '0'.repeat(zeros) + (value < 0n ? -value : value).toString();
        const text = value < 0n ? `-${digits}` : `${plus ? '+' : ''}${digits}`;
        expect(parseLong(text)).toBe(value);
      }),
    );
  });

  it('agrees with a plain reading of Long.parseLong on any string', () => {
    const reference = (text: string): bigint | undefined => {
      if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
      const value = BigInt(text);
      return value >= LONG_MIN && value <= LONG_MAX ? value : undefined;
    };
    const arbitrary = fc.oneof(fc.string(), fc.stringMatching(/^[+-]?[0-9]{0,25}$/), longs.map(String));
    fc.assert(
      fc.property(arbitrary, (text) => {
        expect(parseLong(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});
