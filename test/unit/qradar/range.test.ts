import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import { type ItemRange, parseRange, sliceList } from '../../../lib/qradar/range.ts';
import { qradarErrorOf } from '../../support/thrown.ts';

const MALFORMED =
  'Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y';
const NEGATIVE =
  'Range of pages specified in "Range" header is negative. Non-negative page range must be specified.';

const failure = (raw: string) => qradarErrorOf(() => parseRange(raw));
const letters = ['a', 'b', 'c', 'd', 'e'];

describe('parseRange', () => {
  it('answers undefined when there is no Range header', () => {
    expect(parseRange(undefined)).toBeUndefined();
  });

  it.each([
    ['items=0-49', 0, 49],
    ['items=5-5', 5, 5],
    ['items=10-3000', 10, 3000],
    ['items=007-010', 7, 10],
    [' items=0-9\t', 0, 9],
    ['\t\titems=1-2  ', 1, 2],
  ])('reads %j', (raw, first, last) => {
    expect(parseRange(raw)).toEqual({ first, last });
  });

  it.each([
    '',
    ' ',
    'items',
    'items=',
    'items=1',
    'items=1-',
    'items=-5',
    'items=-1-5',
    'items=1--5',
    'items = 0-9',
    'items=0 - 9',
    'items= 0-9',
    'Items=0-9',
    'ITEMS=0-9',
    'bytes=0-9',
    'items=0-9,20-29',
    'items=0-9, items=10-19',
    'items=0x1-0x2',
    'items=1.0-2',
    'items=1e3-2e3',
    'items=٠-٩',
    'items=0-9\n',
    '\nitems=0-9',
    'items:0-9',
  ])('refuses %j, not items=x-y, with code 36', (raw) => {
    const error = failure(raw);
    expect(error.status).toBe(422);
    expect(error.code).toBe(36);
    expect(error.message).toBe(MALFORMED);
  });

  it.each([
    'items=5-4',
    'items=1-0',
    'items=100-99',
    'items=99999999999999999999-99999999999999999998',
    'items=18446744073709551616-9007199254740993',
  ])('refuses %j, y below x, with code 36', (raw) => {
    const error = failure(raw);
    expect(error.code).toBe(36);
    expect(error.message).toBe(NEGATIVE);
  });

  it('caps huge indexes instead of failing or losing their order', () => {
    expect(parseRange('items=0-99999999999999999999')).toEqual({ first: 0, last: Number.MAX_SAFE_INTEGER });
    expect(parseRange(`items=${'9'.repeat(400)}-${'9'.repeat(401)}`)).toEqual({
      first: Number.MAX_SAFE_INTEGER,
      last: Number.MAX_SAFE_INTEGER,
    });
    expect(parseRange('items=9007199254740993-9007199254740993')).toEqual({
      first: Number.MAX_SAFE_INTEGER,
      last: Number.MAX_SAFE_INTEGER,
    });
    expect(parseRange(`items=${'0'.repeat(300)}1-${'0'.repeat(300)}2`)).toEqual({ first: 1, last: 2 });
  });
});

describe('sliceList', () => {
  it('answers the whole list without a range', () => {
    expect(sliceList(letters, undefined)).toEqual({ items: letters, contentRange: 'items 0-4/5' });
  });

  it('answers items */0 for an empty list without a range', () => {
    expect(sliceList([], undefined)).toEqual({ items: [], contentRange: 'items */0' });
  });

  it('answers the range asked for, both ends included', () => {
    expect(sliceList(letters, { first: 1, last: 3 })).toEqual({
      items: ['b', 'c', 'd'],
      contentRange: 'items 1-3/5',
    });
    expect(sliceList(letters, { first: 4, last: 4 })).toEqual({ items: ['e'], contentRange: 'items 4-4/5' });
  });

  it('caps y at the last item', () => {
    expect(sliceList(letters, { first: 3, last: 100 })).toEqual({
      items: ['d', 'e'],
      contentRange: 'items 3-4/5',
    });
    expect(sliceList(letters, parseRange('items=0-99999999999999999999'))).toEqual({
      items: letters,
      contentRange: 'items 0-4/5',
    });
  });

  it('answers [] and items */TOTAL when x is past the end', () => {
    expect(sliceList(letters, { first: 5, last: 9 })).toEqual({ items: [], contentRange: 'items */5' });
    expect(sliceList([], { first: 0, last: 0 })).toEqual({ items: [], contentRange: 'items */0' });
    expect(sliceList(letters, parseRange(`items=${'9'.repeat(30)}-${'9'.repeat(30)}`))).toEqual({
      items: [],
      contentRange: 'items */5',
    });
  });

  it('never changes the list it is given', () => {
    const list = [...letters];
    sliceList(list, { first: 0, last: 1 }).items.push('z');
    expect(list).toEqual(letters);
  });
});

describe('properties', () => {
  const index = fc.oneof(fc.nat(30), fc.nat());
  const range: fc.Arbitrary<ItemRange> = fc
    .tuple(index, index)
    .map(([a, b]) => ({ first: Math.min(a, b), last: Math.max(a, b) }));
  const list = fc.array(fc.nat(), { maxLength: 25 });

  it('answers any string with a range or code 36, never another error', () => {
    const nearlyRanges = fc
      .tuple(fc.constantFrom('items=', 'items =', 'item=', ''), fc.string(), fc.constantFrom('-', '--', ''))
      .chain(([unit, x, dash]) => fc.tuple(fc.constant(`${unit}${x}${dash}`), fc.string()))
      .map(([head, tail]) => `${head}${tail}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), nearlyRanges), (raw) => {
        try {
          const parsed = parseRange(raw);
          expect(parsed).toBeDefined();
          expect(parsed?.first).toBeLessThanOrEqual(parsed?.last ?? -1);
          expect(Number.isSafeInteger(parsed?.first)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(QRadarError);
          expect((error as QRadarError).code).toBe(36);
        }
      }),
    );
  });

  it('reads back any items=x-y with x ≤ y, and refuses it with y < x', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.bigInt({ min: 0n, max: 2n ** 70n }), (x, y) => {
        const raw = `items=${x}-${y}`;
        if (y < x) {
          expect(failure(raw).message).toBe(NEGATIVE);
          return;
        }
        const cap = (n: bigint) => Number(n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : n);
        expect(parseRange(raw)).toEqual({ first: cap(x), last: cap(y) });
      }),
    );
  });

  it('slices consistently with its Content-Range', () => {
    fc.assert(
      fc.property(list, fc.option(range, { nil: undefined }), (values, asked) => {
        const { items, contentRange } = sliceList(values, asked);
        const total = values.length;
        const match = /^items (?:(\d+)-(\d+)|\*)\/(\d+)$/.exec(contentRange);
        expect(match).not.toBeNull();
        expect(Number(match?.[3])).toBe(total);
        if (match?.[1] === undefined) {
          // Nothing to answer: x past the end, or an empty list.
          expect(items).toEqual([]);
          expect((asked?.first ?? 0) >= total).toBe(true);
          return;
        }
        const first = Number(match[1]);
        const last = Number(match[2]);
        expect(first).toBe(asked?.first ?? 0);
        expect(last).toBe(Math.min(asked?.last ?? total - 1, total - 1));
        expect(first).toBeLessThanOrEqual(last);
        expect(last).toBeLessThan(total);
        expect(items).toEqual(values.slice(first, last + 1));
        expect(items.length).toBeLessThanOrEqual((asked?.last ?? Number.POSITIVE_INFINITY) - first + 1);
      }),
    );
  });

  it('covers the list page by page', () => {
    fc.assert(
      fc.property(list, fc.integer({ min: 1, max: 7 }), (values, size) => {
        const pages: number[] = [];
        for (let first = 0; ; first += size) {
          const { items } = sliceList(values, { first, last: first + size - 1 });
          if (items.length === 0) break;
          pages.push(...items);
        }
        expect(pages).toEqual(values);
      }),
    );
  });
});
