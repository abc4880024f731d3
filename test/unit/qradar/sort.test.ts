import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';
import {
  compareRows,
  compareValues,
  parseSort,
  type SortKey,
  type SortValue,
} from '../../../lib/qradar/sort.ts';
import { SORTABLE_FIELDS } from '../../../lib/restore/fields.ts';
import { qradarErrorOf } from '../../support/thrown.ts';

const MESSAGE =
  'The sort field must be one of the following fields: [id, initiated_by, time_initiated, time_completed, is_cross_deployment_restore, backup_name, backup_type, backup_version, backup_filename].';

const parse = (raw: unknown) => parseSort(raw, SORTABLE_FIELDS);
const failure = (raw: unknown) => qradarErrorOf(() => parse(raw));

describe('parseSort', () => {
  it.each([
    ['id', [{ field: 'id', descending: false }]],
    ['+id', [{ field: 'id', descending: false }]],
    ['-time_initiated', [{ field: 'time_initiated', descending: true }]],
    [
      ' -time_initiated , backup_name,+id ',
      [
        { field: 'time_initiated', descending: true },
        { field: 'backup_name', descending: false },
        { field: 'id', descending: false },
      ],
    ],
    // An unencoded + arrives as a space: still ascending.
    [' time_completed', [{ field: 'time_completed', descending: false }]],
    ['\tis_cross_deployment_restore\t', [{ field: 'is_cross_deployment_restore', descending: false }]],
  ])('reads %j', (raw, keys) => {
    expect(parse(raw)).toEqual(keys);
  });

  it.each([undefined, null, '', ' ', '\t ', ' '])(
    'reads %j as no sort (an unencoded "+" alone is a blank)',
    (raw) => {
      expect(parse(raw)).toBeUndefined();
    },
  );

  it.each([
    'status',
    'groups',
    'host_id',
    'backup_id',
    'ID',
    'nope',
    'id,id',
    '+id,-id',
    'id,,time_initiated',
    'id,',
    ',id',
    '+',
    '-',
    '+-id',
    '--id',
    '- id',
    'id desc',
    'id;time_initiated',
    '__proto__',
    'constructor',
  ])('refuses %j with QRadar code 1018 and its message', (raw) => {
    const error = failure(raw);
    expect(error).toMatchObject({ status: 422, code: 1018, message: MESSAGE, description: '' });
  });

  it.each([1, true, ['id'], { field: 'id' }])(
    'refuses a non-string %j from a direct invocation with code 1018',
    (raw) => {
      expect(failure(raw).code).toBe(1018);
    },
  );

  const signs = fc.constantFrom('', '+', '-');
  const blanks = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
  const sortSpecs = fc
    .shuffledSubarray([...SORTABLE_FIELDS], { minLength: 1 })
    .chain((fields) =>
      fc.tuple(
        ...fields.map((field) =>
          fc.tuple(signs, blanks, blanks).map(([sign, before, after]) => ({ field, sign, before, after })),
        ),
      ),
    );

  it('reads any list of distinct sortable fields, signed or not, with blanks around the items', () => {
    fc.assert(
      fc.property(sortSpecs, (items) => {
        const raw = items
          .map(({ field, sign, before, after }) => `${before}${sign}${field}${after}`)
          .join(',');
        expect(parse(raw)).toEqual(items.map(({ field, sign }) => ({ field, descending: sign === '-' })));
      }),
    );
  });

  it('answers any text with sortable keys, no sort for a blank, or code 1018: nothing else', () => {
    const pieces = fc.constantFrom(
      ...SORTABLE_FIELDS,
      'status',
      '+',
      '-',
      ',',
      ' ',
      '\t',
      'x',
      '',
      '😀',
      '\u0000',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
        ),
        (raw) => {
          let keys: SortKey[] | undefined;
          try {
            keys = parse(raw);
          } catch (error) {
            expect(error).toMatchObject({ code: 1018, message: MESSAGE });
            return;
          }
          if (keys === undefined) {
            expect(raw).toMatch(/^[ \t]*$/);
            return;
          }
          const fields = keys.map((key) => key.field);
          expect(new Set(fields).size).toBe(fields.length);
          for (const field of fields) expect(SORTABLE_FIELDS).toContain(field);
        },
      ),
    );
  });
});

describe('compareValues', () => {
  it('puts null before every value, false before true, Longs numerically and exactly', () => {
    expect(compareValues(null, false)).toBeLessThan(0);
    expect(compareValues(null, LONG_MIN)).toBeLessThan(0);
    expect(compareValues(null, '')).toBeLessThan(0);
    expect(compareValues(null, null)).toBe(0);
    expect(compareValues(false, true)).toBeLessThan(0);
    expect(compareValues(9007199254740993n, 9007199254740992n)).toBeGreaterThan(0);
    expect(compareValues(LONG_MIN, LONG_MAX)).toBeLessThan(0);
    expect(compareValues(-2n, 10n)).toBeLessThan(0);
  });

  it('orders strings by UTF-16 code units, as Java: U+FF5E before 😀 (a surrogate pair), "Z" before "a"', () => {
    expect(compareValues('\uff5e', '😀')).toBeGreaterThan(0);
    expect(compareValues('Z', 'a')).toBeLessThan(0);
    expect(compareValues('a', 'ab')).toBeLessThan(0);
    expect(compareValues('é', 'e')).toBeGreaterThan(0);
  });
});

describe('compareRows', () => {
  const values = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.oneof(
      fc.bigInt({ min: LONG_MIN, max: LONG_MAX }),
      fc.constantFrom(LONG_MIN, LONG_MAX, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n),
    ),
    fc.string({ unit: 'binary' }),
  );
  /** Rows whose columns hold one type each (as a record check leaves them), or null. */
  const table = fc
    .array(fc.constantFrom('boolean', 'bigint', 'string'), { minLength: 1, maxLength: 3 })
    .chain((types) =>
      fc.tuple(
        fc.constant(types),
        fc.array(
          fc.tuple(...types.map((type) => values.filter((value) => value === null || typeof value === type))),
          { maxLength: 30 },
        ),
        fc.array(fc.boolean(), { minLength: types.length, maxLength: types.length }),
      ),
    );

  /** The reference: each value as a key of its own kind, compared without JS's `<` on strings. */
  const reference = (keys: readonly SortKey[]) => (a: readonly SortValue[], b: readonly SortValue[]) => {
    const units = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
    const ascending = (x: SortValue, y: SortValue): number => {
      if (x === null || y === null) return x === null ? (y === null ? 0 : -1) : 1;
      if (typeof x === 'boolean') return Number(x) - Number(y);
      if (typeof x === 'bigint') return x === y ? 0 : x - (y as bigint) < 0n ? -1 : 1;
      const [p, q] = [units(x), units(y as string)];
      for (let i = 0; i < Math.min(p.length, q.length); i++) {
        if (p[i] !== q[i]) return (p[i] as number) - (q[i] as number);
      }
      return p.length - q.length;
    };
    for (let i = 0; i < keys.length; i++) {
      const order = Math.sign(ascending(a[i] ?? null, b[i] ?? null));
      if (order !== 0) return keys[i]?.descending ? -order : order;
    }
    return 0;
  };

  it('sorts as the reference comparator does, each key ascending or descending, nulls first ascending', () => {
    fc.assert(
      fc.property(table, ([types, rows, descending]) => {
        const keys = types.map((_, i) => ({ field: `f${i}`, descending: descending[i] === true }));
        const ours = [...rows].sort(compareRows(keys));
        const theirs = [...rows].sort(reference(keys));
        expect(ours.map((row) => row.map(String))).toEqual(theirs.map((row) => row.map(String)));
      }),
    );
  });

  it('puts nulls last when descending', () => {
    const keys = [{ field: 'time_completed', descending: true }];
    expect([[null], [2n], [1n]].sort(compareRows(keys))).toEqual([[2n], [1n], [null]]);
  });
});
