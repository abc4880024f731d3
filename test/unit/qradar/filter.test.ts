import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import {
  type Decimal,
  DecimalText,
  type Filter,
  type FilterShape,
  type FilterValue,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  matches,
  parseFilter,
  printFilter,
} from '../../../lib/qradar/filter.ts';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';
import { qradarErrorOf } from '../../support/thrown.ts';

const SHAPE = {
  id: 'number',
  version: 'string',
  name: 'string',
  deprecated: 'boolean',
  removed: 'boolean',
} as const satisfies FilterShape;

type Row = Readonly<Record<string, unknown>>;

const parse = (raw: string): Filter => {
  const filter = parseFilter(raw, SHAPE);
  if (filter === undefined) throw new Error(`no filter read from ${JSON.stringify(raw)}`);
  return filter;
};
const failure = (raw: string) => qradarErrorOf(() => parseFilter(raw, SHAPE));
const passes = (raw: string, row: Row): boolean => matches(parse(raw), row);

/** The ids of the rows `raw` lets through. */
const ids = (raw: string, rows: readonly Row[]): unknown[] =>
  rows.filter((row) => passes(raw, row)).map((row) => row['id']);

const numbered = [1n, 2n, 3n, 4n, 5n].map((id) => ({ id }));

// The help endpoints' version objects, as the lead will list them.
const VERSIONS: readonly Row[] = [
  { id: 1, version: '24.0', deprecated: true, removed: false, root_resource_ids: [1, 2] },
  { id: 2, version: '25.0', deprecated: false, removed: false, root_resource_ids: [1, 2] },
  { id: 3, version: '26.0', deprecated: false, removed: false, root_resource_ids: [1, 2] },
];

describe('parseFilter and matches', () => {
  it.each(['', ' ', '\t\r\n '])('reads %j as no filter', (raw) => {
    expect(parseFilter(raw, SHAPE)).toBeUndefined();
  });

  it('filters help objects as QRadar clients write it', () => {
    expect(ids('version=26.0', VERSIONS)).toEqual([3]);
    expect(ids('deprecated = false and removed = false', VERSIONS)).toEqual([2, 3]);
    expect(ids('version >= "25.0" or deprecated = true', VERSIONS)).toEqual([1, 2, 3]);
    expect(ids('id in (1, 3)', VERSIONS)).toEqual([1, 3]);
  });

  it.each([
    ['id = 3', [3n]],
    ['id != 3', [1n, 2n, 4n, 5n]],
    ['id <> 3', [1n, 2n, 4n, 5n]],
    ['id ^= 3', [1n, 2n, 4n, 5n]],
    ['id < 3', [1n, 2n]],
    ['id <= 3', [1n, 2n, 3n]],
    ['id > 3', [4n, 5n]],
    ['id >= 3', [3n, 4n, 5n]],
    ['id>=3', [3n, 4n, 5n]],
    ['id in (2, 4, 9)', [2n, 4n]],
    ['id in (2)', [2n]],
    ['id not in (2, 4)', [1n, 3n, 5n]],
    ['id between 2 and 4', [2n, 3n, 4n]],
    ['id between 3 and 3', [3n]],
    ['id between 4 and 2', []],
    ['id not between 2 and 4', [1n, 5n]],
    ['id not between 4 and 2', [1n, 2n, 3n, 4n, 5n]],
    ['id is null', []],
    ['id is not null', [1n, 2n, 3n, 4n, 5n]],
  ])('%s', (raw, expected) => {
    expect(ids(raw, numbered)).toEqual(expected);
  });

  it('spells "not equal" three ways, all read as !=', () => {
    expect(parse('id <> 3')).toEqual(parse('id != 3'));
    expect(parse('id^=3')).toEqual(parse('id != 3'));
    expect(printFilter(parse('id^=3'))).toBe('id != 3');
  });

  it('treats null and absent fields like SQL: comparisons are false, "is null" is true', () => {
    for (const row of [{ id: null }, {}, { id: undefined }]) {
      for (const raw of [
        'id = 1',
        'id != 1',
        'id < 1',
        'id >= 1',
        'id in (1)',
        'id not in (1)',
        'id between 0 and 9',
        'id not between 0 and 9',
        'id is not null',
      ]) {
        expect(passes(raw, row), `${raw} on ${JSON.stringify(row)}`).toBe(false);
      }
      expect(passes('id is null', row)).toBe(true);
      expect(passes('not id = 1', row)).toBe(true);
    }
  });

  it('treats a value of another type than the shape says as not comparable, but not null', () => {
    const row = { id: '3', deprecated: 'true', version: 26 };
    expect(passes('id = 3', row)).toBe(false);
    expect(passes('id != 3', row)).toBe(false);
    expect(passes('deprecated = true', row)).toBe(false);
    expect(passes('version = 26', row)).toBe(false);
    expect(passes('id is null', row)).toBe(false);
    expect(passes('id is not null', row)).toBe(true);
    expect(passes('id = 1 or id is not null', { id: Number.NaN })).toBe(true);
    expect(passes('id > 0', { id: Number.POSITIVE_INFINITY })).toBe(false);
  });

  it('does not read fields from the prototype chain', () => {
    const row = Object.create({ id: 3n }) as Row;
    expect(passes('id is null', row)).toBe(true);
    expect(passes('id = 3', row)).toBe(false);
  });
});

describe('type rules', () => {
  it('compares any literal with a String field as its source text', () => {
    expect(passes('version = 26.0', { version: '26.0' })).toBe(true);
    expect(passes('version = 26.00', { version: '26.0' })).toBe(false);
    expect(passes('version = 26', { version: '26.0' })).toBe(false);
    expect(passes('name = CLOSED', { name: 'CLOSED' })).toBe(true);
    expect(passes('name = "CLOSED"', { name: 'CLOSED' })).toBe(true);
    expect(passes('name = closed', { name: 'CLOSED' })).toBe(false);
    expect(passes('name = TRUE', { name: 'TRUE' })).toBe(true);
    expect(passes('name = TRUE', { name: 'true' })).toBe(false);
    expect(passes('name = +007', { name: '+007' })).toBe(true);
    expect(passes('name = 99999999999999999999999', { name: '99999999999999999999999' })).toBe(true);
    expect(
      passes('name = /backup_and_restore/restores/{id}', { name: '/backup_and_restore/restores/{id}' }),
    ).toBe(true);
    expect(passes('name in (a, "b", 3, false)', { name: 'false' })).toBe(true);
    expect(passes('version between 25.0 and 26.0', { version: '25.5' })).toBe(true);
    expect(passes('version is null', { version: null })).toBe(true);
  });

  it('orders strings by UTF-16 code units, not by locale or code point', () => {
    expect(passes('name < a', { name: 'B' })).toBe(true);
    expect(passes('name > z', { name: 'é' })).toBe(true);
    expect(passes('name < ab', { name: 'a' })).toBe(true);
    // U+1F600 is D83D DE00 in UTF-16, below U+FFFF; by code point it would be above.
    expect(passes('name < "\uffff"', { name: '😀' })).toBe(true);
  });

  it('compares a Number field numerically with a number literal', () => {
    expect(passes('id = 1.0', { id: 1n })).toBe(true);
    expect(passes('id = 1.0', { id: 1 })).toBe(true);
    expect(passes('id = 007', { id: 7n })).toBe(true);
    expect(passes('id = +7', { id: 7n })).toBe(true);
    expect(passes('id = -0', { id: 0 })).toBe(true);
    expect(passes('id = 2.5', { id: 2.5 })).toBe(true);
    expect(passes('id > 2.5', { id: 3n })).toBe(true);
    expect(passes('id < 2.5', { id: 2n })).toBe(true);
    expect(passes('id between -1.5 and 1.5', { id: -1n })).toBe(true);
    expect(passes('id in (1.5, 2)', { id: 2 })).toBe(true);
  });

  it('reads a JS number as the shortest decimal that prints it, as the JSON body shows it', () => {
    expect(passes('id = 0.1', { id: 0.1 })).toBe(true);
    expect(passes('id = 0.3', { id: 0.1 + 0.2 })).toBe(false);
    expect(passes('id = 0.30000000000000004', { id: 0.1 + 0.2 })).toBe(true);
    expect(passes('id = 0.00000015', { id: 1.5e-7 })).toBe(true);
    expect(passes('id = 1000000000000000000000.0', { id: 1e21 })).toBe(true);
    expect(passes('id > 9223372036854775807', { id: 1e21 })).toBe(true);
  });

  it('compares Longs exactly, never through a double', () => {
    expect(passes('id = 9007199254740993', { id: 9007199254740993n })).toBe(true);
    expect(passes('id = 9007199254740993', { id: 9007199254740992n })).toBe(false);
    expect(passes('id > 9007199254740992', { id: 9007199254740993n })).toBe(true);
    expect(passes('id < 9007199254740992.5', { id: 9007199254740992n })).toBe(true);
    // 9007199254740993 is not a double: the nearest double is 9007199254740992.
    expect(passes('id = 9007199254740993', { id: Number('9007199254740993') })).toBe(false);
    expect(passes('id = -9223372036854775808', { id: LONG_MIN })).toBe(true);
    expect(passes('id > -9223372036854775808', { id: LONG_MIN })).toBe(false);
    expect(passes('id = 9223372036854775807', { id: LONG_MAX })).toBe(true);
    expect(passes('id between -9223372036854775808 and 9223372036854775807', { id: LONG_MAX })).toBe(true);
  });

  it.each([
    ['id = "3"', 'The string "3" at position 6 is not a number, and "id" is a Number field.'],
    ['id = abc', '"abc" at position 6 is not a number, and "id" is a Number field.'],
    ['id = true', '"true" at position 6 is not a number, and "id" is a Number field.'],
    ['id = 1e5', '"1e5" at position 6 is not a number, and "id" is a Number field.'],
    ['id = .5', '".5" at position 6 is not a number, and "id" is a Number field.'],
    ['id in (1, "2")', 'The string "2" at position 11 is not a number, and "id" is a Number field.'],
    ['id between 1 and x', '"x" at position 18 is not a number, and "id" is a Number field.'],
    [
      'id = 9223372036854775808',
      '"9223372036854775808" at position 6 is outside the 64-bit integer range of the Number field "id".',
    ],
    [
      'id > -9223372036854775809',
      '"-9223372036854775809" at position 6 is outside the 64-bit integer range of the Number field "id".',
    ],
    [
      'deprecated = "true"',
      'The string "true" at position 14 is not true or false, and "deprecated" is a Boolean field.',
    ],
    ['deprecated = 1', '"1" at position 14 is not true or false, and "deprecated" is a Boolean field.'],
    ['deprecated = yes', '"yes" at position 14 is not true or false, and "deprecated" is a Boolean field.'],
    ['deprecated < true', '"<" at position 12 does not apply to the Boolean field "deprecated".'],
    ['deprecated >= false', '">=" at position 12 does not apply to the Boolean field "deprecated".'],
    [
      'deprecated between false and true',
      'The keyword "between" at position 12 does not apply to the Boolean field "deprecated".',
    ],
    [
      'deprecated not between false and true',
      'The keyword "between" at position 16 does not apply to the Boolean field "deprecated".',
    ],
  ])('refuses %j: %s', (raw, reason) => {
    expect(failure(raw)).toMatchObject({
      status: 422,
      code: 12,
      message: `filter parameter value "${raw}" was invalid. ${reason}`,
    });
  });

  it('lets a Boolean field be tested for equality, membership and null', () => {
    expect(ids('deprecated = true', VERSIONS)).toEqual([1]);
    expect(ids('deprecated = FALSE', VERSIONS)).toEqual([2, 3]);
    expect(ids('deprecated != true', VERSIONS)).toEqual([2, 3]);
    expect(ids('deprecated <> false', VERSIONS)).toEqual([1]);
    expect(ids('deprecated in (true)', VERSIONS)).toEqual([1]);
    expect(ids('deprecated not in (true)', VERSIONS)).toEqual([2, 3]);
    expect(ids('deprecated is not null', VERSIONS)).toEqual([1, 2, 3]);
    expect(passes('deprecated is null', { deprecated: null })).toBe(true);
  });

  it('names only the fields of the shape: arrays, unknown names and prototype names are refused', () => {
    const listed = '(the fields a filter can name: deprecated, id, name, removed, version).';
    expect(failure('root_resource_ids = 1').message).toBe(
      `filter parameter value "root_resource_ids = 1" was invalid. "root_resource_ids" at position 1 is not a field a filter can name ${listed}`,
    );
    expect(failure('id = 1 and ID = 1').message).toContain(
      `"ID" at position 12 is not a field a filter can name ${listed}`,
    );
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(failure(`${name} is null`).message).toContain(`"${name}" at position 1 is not a field`);
    }
    expect(qradarErrorOf(() => parseFilter('id = 1', {})).message).toContain('(no field can be filtered on)');
  });
});

describe("numbers as decimal text (a store's numbers)", () => {
  it('compares them exactly, whatever their notation, and refuses text that is no number', () => {
    const row = (text: string): Row => ({ id: new DecimalText(text) });
    expect(passes('id = 9007199254740993', row('9007199254740993'))).toBe(true);
    expect(passes('id = 9007199254740992', row('9007199254740993'))).toBe(false);
    expect(passes('id < 2', row('1.5'))).toBe(true);
    expect(passes('id = 1.5', row('1.50'))).toBe(true);
    expect(passes('id = 100', row('1E+2'))).toBe(true);
    expect(passes('id = 0.01', row('1e-2'))).toBe(true);
    expect(passes('id > -1', row('-0.5'))).toBe(true);
    expect(passes('id > 9223372036854775807', row('123456789012345678901234567890'))).toBe(true);
    for (const text of ['', '.', 'abc', '1e', '--1', '1e99999']) {
      expect(passes('id = 1 or id != 1', row(text)), text).toBe(false);
      expect(passes('id is not null', row(text)), text).toBe(true);
    }
  });
});

describe('syntax', () => {
  it('binds not tighter than and, and tighter than or', () => {
    const [a, b, c] = ['id = 1', 'name = x', 'deprecated = true'].map(parse) as [Filter, Filter, Filter];
    expect(parse('id = 1 or name = x and deprecated = true')).toEqual({
      kind: 'or',
      operands: [a, { kind: 'and', operands: [b, c] }],
    });
    expect(parse('id = 1 and name = x or deprecated = true')).toEqual({
      kind: 'or',
      operands: [{ kind: 'and', operands: [a, b] }, c],
    });
    expect(parse('not id = 1 and name = x')).toEqual({
      kind: 'and',
      operands: [{ kind: 'not', operand: a }, b],
    });
    expect(parse('not id = 1 or name = x')).toEqual({
      kind: 'or',
      operands: [{ kind: 'not', operand: a }, b],
    });
    expect(parse('not not id = 1')).toEqual({ kind: 'not', operand: { kind: 'not', operand: a } });
    expect(parse('id = 1 and name = x and deprecated = true')).toEqual({ kind: 'and', operands: [a, b, c] });
    expect(parse('id = 1 or name = x or deprecated = true')).toEqual({ kind: 'or', operands: [a, b, c] });
  });

  it('lets brackets override precedence, and keeps them only where they change the meaning', () => {
    const [a, b, c] = ['id = 1', 'name = x', 'deprecated = true'].map(parse) as [Filter, Filter, Filter];
    expect(parse('(id = 1 or name = x) and deprecated = true')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [a, b] }, c],
    });
    expect(parse('not (id = 1 and name = x)')).toEqual({
      kind: 'not',
      operand: { kind: 'and', operands: [a, b] },
    });
    expect(parse('id = 1 and (name = x and deprecated = true)')).toEqual({
      kind: 'and',
      operands: [a, { kind: 'and', operands: [b, c] }],
    });
    expect(parse('((id = 1))')).toEqual(a);
    expect(parse('(id = 1) and (name = x)')).toEqual({ kind: 'and', operands: [a, b] });
    expect(printFilter(parse('(id = 1 and name = x) or (deprecated = true)'))).toBe(
      'id = 1 and name = "x" or deprecated = true',
    );
    expect(printFilter(parse('not (id = 1 or name = x) and (deprecated = true or id = 2)'))).toBe(
      'not (id = 1 or name = "x") and (deprecated = true or id = 2)',
    );
  });

  it('evaluates precedence as it reads', () => {
    const row = { id: 1n, name: 'y', deprecated: false };
    // or (and (name = x) (deprecated = true)): true through id.
    expect(passes('id = 1 or name = x and deprecated = true', row)).toBe(true);
    expect(passes('(id = 1 or name = x) and deprecated = true', row)).toBe(false);
    expect(passes('not id = 2 and name = y', row)).toBe(true);
    expect(passes('not (id = 2 or name = y)', row)).toBe(false);
    expect(passes('not id = 1 or name = y', row)).toBe(true);
    expect(passes('not (id = 1 or name = y)', row)).toBe(false);
  });

  it('reads keywords and true/false in any case, field names only as written', () => {
    expect(parse('NOT id IN (1) Or id NoT bEtWeEn 1 AnD 2 AND name IS NOT NULL')).toEqual(
      parse('not id in (1) or id not between 1 and 2 and name is not null'),
    );
    expect(parse('deprecated = True')).toEqual(parse('deprecated = true'));
    expect(parse('deprecated = fAlSe')).toEqual(parse('deprecated = false'));
    expect(failure('Id = 1').message).toContain('"Id" at position 1 is not a field');
  });

  it('allows blanks (space, tab, CR, LF) between tokens and none where tokens are delimited', () => {
    expect(parse('\tid\r\n=\n3 ')).toEqual(parse('id = 3'));
    expect(parse('(id=3)and(name=x)')).toEqual(parse('id = 3 and name = x'));
    expect(parse('id in(1,2)')).toEqual(parse('id in (1, 2)'));
    expect(parse('not(id=3)')).toEqual(parse('not id = 3'));
  });

  it('reads double-quoted strings with \\" and \\\\ escapes', () => {
    expect(passes('name = "say \\"hi\\" \\\\ bye"', { name: 'say "hi" \\ bye' })).toBe(true);
    expect(passes('name = "a and b (c), d = e"', { name: 'a and b (c), d = e' })).toBe(true);
    expect(passes('name = ""', { name: '' })).toBe(true);
    expect(passes('name = "\\\\"', { name: '\\' })).toBe(true);
    expect(passes('name = "not"', { name: 'not' })).toBe(true);
    expect(passes('name = "line\nbreak"', { name: 'line\nbreak' })).toBe(true);
    expect(printFilter(parse('name = "say \\"hi\\" \\\\ bye"'))).toBe('name = "say \\"hi\\" \\\\ bye"');
    // A backslash in a bare word is just a character.
    expect(passes('name = a\\b', { name: 'a\\b' })).toBe(true);
  });

  it.each([
    ['id = 1 )', 'Expected "and", "or" or the end of the value but found ")" at position 8.'],
    ['id = 1 name = x', 'Expected "and", "or" or the end of the value but found "name" at position 8.'],
    [
      '(id = 1',
      'Expected "and", "or" or ")" closing the bracket at position 1 but found the end of the value.',
    ],
    [
      '((id = 1) x',
      'Expected "and", "or" or ")" closing the bracket at position 1 but found "x" at position 11.',
    ],
    ['()', 'Expected a field name but found ")" at position 2.'],
    ['id = 1 and', 'Expected a field name but found the end of the value.'],
    ['and id = 1', 'Expected a field name but found the keyword "and" at position 1.'],
    ['"id" = 1', 'Expected a field name but found the string "id" at position 1.'],
    ['= 1', 'Expected a field name but found "=" at position 1.'],
    ['id', 'Expected an operator after the field "id" but found the end of the value.'],
    ['id like 1', 'Expected an operator after the field "id" but found "like" at position 4.'],
    ['id == 1', 'Expected a value but found "=" at position 5.'],
    ['id =', 'Expected a value but found the end of the value.'],
    [
      'name = and',
      'Expected a value but found the keyword "and" at position 8; quote it to compare the text.',
    ],
    ['name = null', 'Expected a value but found the keyword "null" at position 8; "is null" tests for null.'],
    ['id ! 3', 'Unexpected character "!" at position 4.'],
    ['id ^ 3', 'Unexpected character "^" at position 4.'],
    ['id = 1 \u0000', 'Unexpected character "\\u0000" at position 8.'],
    ['id not 3', 'Expected "in" or "between" after "not" but found "3" at position 8.'],
    ['id is 3', 'Expected "null" or "not null" after "is" but found "3" at position 7.'],
    ['id is not 3', 'Expected "null" after "is" but found "3" at position 11.'],
    ['id in 3', 'Expected "(" after "in" but found "3" at position 7.'],
    ['id in ()', 'Expected a value but found ")" at position 8.'],
    ['id in (1 2)', 'Expected ")" or "," but found "2" at position 10.'],
    ['id in (1,)', 'Expected a value but found ")" at position 10.'],
    ['id in (1', 'Expected ")" or "," but found the end of the value.'],
    [
      'id between 1 or 2',
      'Expected "and" after the first value of "between" but found the keyword "or" at position 14.',
    ],
    ['id between 1', 'Expected "and" after the first value of "between" but found the end of the value.'],
    ['name = "abc', 'The string starting at position 8 has no closing quote.'],
    ['name = "abc\\"', 'The string starting at position 8 has no closing quote.'],
    ['name = "abc\\', 'The string starting at position 8 has no closing quote.'],
    ['name = "a\\nb"', 'Unknown escape at position 10: only \\" and \\\\ may follow a backslash.'],
    ['name = "a\\\'"', 'Unknown escape at position 10: only \\" and \\\\ may follow a backslash.'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(failure(raw)).toMatchObject({
      status: 422,
      code: 12,
      message: `filter parameter value "${raw}" was invalid. ${reason}`,
    });
  });

  it('bounds the work: length', () => {
    const longest = `id in (${'1,'.repeat((MAX_FILTER_LENGTH - 10) / 2)}12)`;
    expect(longest).toHaveLength(MAX_FILTER_LENGTH);
    expect(parse(longest)).toMatchObject({ kind: 'in' });
    expect(failure(`${longest} `).message).toMatch(
      /was invalid\. The value is longer than 2048 characters\.$/,
    );
    expect(failure(' '.repeat(MAX_FILTER_LENGTH + 1)).message).toMatch(/longer than 2048 characters\.$/);
  });

  it('bounds the work: brackets nest at most 16 levels; a run of not spends none', () => {
    const brackets = (depth: number): string => `${'('.repeat(depth)}id = 1${')'.repeat(depth)}`;
    const nots = (depth: number): string => `${'not '.repeat(depth)}id = 1`;
    expect(parse(brackets(MAX_FILTER_DEPTH))).toEqual(parse('id = 1'));
    expect(failure(brackets(MAX_FILTER_DEPTH + 1)).message).toBe(
      `filter parameter value "${brackets(17)}" was invalid. Brackets are nested deeper than 16 levels at position 17.`,
    );
    // The contract limits parentheses; `not` is read in a loop, bounded by the length alone.
    expect(parse(nots(MAX_FILTER_DEPTH + 1))).toMatchObject({ kind: 'not' });
    expect(passes(nots(500), { id: 1 })).toBe(true);
    expect(parse(`${'not ('.repeat(16)}id = 1${')'.repeat(16)}`)).toMatchObject({ kind: 'not' });
    expect(failure(`${'not ('.repeat(17)}id = 1${')'.repeat(17)}`).message).toMatch(
      /Brackets are nested deeper than 16 levels at position 85\.$/,
    );
    // Siblings do not add up: only nesting counts.
    expect(parse(Array.from({ length: 40 }, () => '(not id = 1)').join(' and '))).toMatchObject({
      kind: 'and',
    });
  });

  it('echoes at most 100 characters of the value, in the value and in the reason', () => {
    const word = 'a'.repeat(300);
    const message = failure(`${word} = 1`).message;
    expect(message).toContain(`"${'a'.repeat(100)}" was invalid.`);
    expect(message).toContain(`"${'a'.repeat(100)}" at position 1 is not a field`);
    expect(message).not.toContain('a'.repeat(101));
    expect(failure(`name = "${'b'.repeat(300)}`).message).not.toContain('b'.repeat(101));
    expect(failure(`id = "${'c'.repeat(300)}"`).message).not.toContain('c'.repeat(101));
  });
});

// Generated filters over a shape with one field of each type, values from small pools so that
// generated objects often meet them.

const GEN_SHAPE = { n: 'number', s: 'string', b: 'boolean' } as const satisfies FilterShape;

const decimalOf = (text: string): Decimal => {
  const fraction = text.split('.')[1] ?? '';
  return { coefficient: BigInt(text.replace('.', '')), scale: fraction.length };
};
const NUMBER_TEXTS = [
  '-9223372036854775808',
  '-2',
  '-0.5',
  '0',
  '0.125',
  '1',
  '2.5',
  '9007199254740992',
  '9007199254740993',
  '9223372036854775807',
];
const STRINGS = ['', 'a', 'b', 'B', 'ab', '26.0', 'é', '😀', '\uffff', 'a"b\\c', 'and'];

const poolValues = {
  number: fc
    .constantFrom(...NUMBER_TEXTS)
    .map((text): FilterValue => ({ type: 'number', value: decimalOf(text) })),
  string: fc.constantFrom(...STRINGS).map((value): FilterValue => ({ type: 'string', value })),
  boolean: fc.boolean().map((value): FilterValue => ({ type: 'boolean', value })),
};

/** Any valid literal of each type, for the round trip. */
const anyValues = {
  number: fc
    .oneof(
      fc.bigInt({ min: LONG_MIN, max: LONG_MAX }).map((coefficient) => ({ coefficient, scale: 0 })),
      fc
        .record({
          coefficient: fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
          scale: fc.integer({ min: 1, max: 30 }),
        })
        .filter(({ coefficient }) => coefficient % 10n !== 0n),
    )
    .map((value): FilterValue => ({ type: 'number', value })),
  string: fc
    .oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('"', '\\', ' ', 'and', '(', ')', ',') }),
    )
    .map((value): FilterValue => ({ type: 'string', value })),
  boolean: poolValues.boolean,
};

const predicates = (values: typeof poolValues): fc.Arbitrary<Filter> => {
  const field = fc.constantFrom<keyof typeof GEN_SHAPE>('n', 's', 'b');
  return field.chain((name): fc.Arbitrary<Filter> => {
    const type = GEN_SHAPE[name];
    const value = values[type];
    const ordered = type !== 'boolean';
    const operators = ordered ? (['=', '!=', '<', '<=', '>', '>='] as const) : (['=', '!='] as const);
    return fc.oneof(
      fc.record({
        kind: fc.constant('compare' as const),
        field: fc.constant(name),
        operator: fc.constantFrom(...operators),
        value,
      }),
      fc.record({
        kind: fc.constant('in' as const),
        field: fc.constant(name),
        negated: fc.boolean(),
        values: fc.array(value, { minLength: 1, maxLength: 4 }),
      }),
      fc.record({ kind: fc.constant('null' as const), field: fc.constant(name), negated: fc.boolean() }),
      ...(ordered
        ? [
            fc.record({
              kind: fc.constant('between' as const),
              field: fc.constant(name),
              negated: fc.boolean(),
              low: value,
              high: value,
            }),
          ]
        : []),
    );
  });
};

/** Filters whose printed nesting stays within `depth` levels (each AST level adds at most one). */
const filters = (depth: number, values: typeof poolValues): fc.Arbitrary<Filter> => {
  const leaf = predicates(values);
  if (depth === 0) return leaf;
  const inner = filters(depth - 1, values);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: inner.map((operand): Filter => ({ kind: 'not', operand })) },
    {
      weight: 1,
      arbitrary: fc
        .array(inner, { minLength: 2, maxLength: 3 })
        .map((operands): Filter => ({ kind: 'and', operands })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(inner, { minLength: 2, maxLength: 3 })
        .map((operands): Filter => ({ kind: 'or', operands })),
    },
  );
};

/** Objects of the generated shape: pool values, null, absent, or a value of the wrong type. */
const rows: fc.Arbitrary<Row> = fc.record(
  {
    n: fc.oneof(
      fc.constantFrom(LONG_MIN, -2n, 0n, 1n, 9007199254740992n, 9007199254740993n, LONG_MAX),
      fc.constantFrom(-0.5, 0, 0.125, 1, 2.5, -2, 9007199254740992, Number.NaN, Number.POSITIVE_INFINITY),
      fc.constantFrom(null, undefined, '1', true),
    ),
    s: fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(null, undefined, 1, false)),
    b: fc.oneof(fc.boolean(), fc.constantFrom(null, undefined, 'true', 0)),
  },
  { requiredKeys: [] },
);

type Plain = bigint | string | boolean;

/**
 * A straightforward reading of the rules. Numbers become thousandths (every pool number is a
 * whole number of them), JS numbers by arithmetic rather than through their text.
 */
const reference = (filter: Filter, row: Row): boolean => {
  const sign = (a: Plain, b: Plain): number => (a < b ? -1 : a > b ? 1 : 0);
  const literal = (value: FilterValue): Plain =>
    value.type === 'number' ? value.value.coefficient * 10n ** BigInt(3 - value.value.scale) : value.value;
  const subject = (field: string, type: FilterValue['type']): Plain | undefined => {
    const raw = Object.hasOwn(row, field) ? row[field] : undefined;
    if (type === 'number' && typeof raw === 'bigint') return raw * 1000n;
    if (type === 'number' && typeof raw === 'number' && Number.isFinite(raw)) {
      return Number.isInteger(raw) ? BigInt(raw) * 1000n : BigInt(raw * 1000);
    }
    return type !== 'number' && typeof raw === type ? (raw as string | boolean) : undefined;
  };
  switch (filter.kind) {
    case 'and':
      return filter.operands.every((operand) => reference(operand, row));
    case 'or':
      return filter.operands.some((operand) => reference(operand, row));
    case 'not':
      return !reference(filter.operand, row);
    case 'null': {
      const raw = Object.hasOwn(row, filter.field) ? row[filter.field] : undefined;
      const absent = raw === null || raw === undefined;
      return filter.negated ? !absent : absent;
    }
    case 'compare': {
      const x = subject(filter.field, filter.value.type);
      if (x === undefined) return false;
      const s = sign(x, literal(filter.value));
      const holds = { '=': s === 0, '!=': s !== 0, '<': s < 0, '<=': s <= 0, '>': s > 0, '>=': s >= 0 };
      return holds[filter.operator];
    }
    case 'in': {
      const x = subject(filter.field, filter.values[0]?.type ?? 'string');
      if (x === undefined) return false;
      const found = filter.values.some((value) => sign(x, literal(value)) === 0);
      return filter.negated ? !found : found;
    }
    case 'between': {
      const x = subject(filter.field, filter.low.type);
      if (x === undefined) return false;
      const inside = sign(x, literal(filter.low)) >= 0 && sign(x, literal(filter.high)) <= 0;
      return filter.negated ? !inside : inside;
    }
  }
};

describe('properties', () => {
  it('round-trips: parse(print(filter)) is the filter', () => {
    fc.assert(
      fc.property(filters(5, anyValues), (filter) => {
        expect(parseFilter(printFilter(filter), GEN_SHAPE)).toEqual(filter);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips at the depth limit', () => {
    const atLimit = fc
      .array(fc.constantFrom<'not' | 'and' | 'or'>('not', 'and', 'or'), {
        minLength: MAX_FILTER_DEPTH,
        maxLength: MAX_FILTER_DEPTH,
      })
      .map((kinds) => {
        // Each level prints at most one bracket or not, so the text nests at most 16 deep.
        let filter: Filter = { kind: 'null', field: 'n', negated: false };
        for (const kind of kinds) {
          filter =
            kind === 'not'
              ? { kind, operand: filter }
              : { kind, operands: [filter, { kind: 'null', field: 's', negated: true }] };
        }
        return filter;
      });
    fc.assert(
      fc.property(atLimit, (filter) => {
        expect(parseFilter(printFilter(filter), GEN_SHAPE)).toEqual(filter);
      }),
    );
  });

  it('agrees with a reference evaluation, and with itself after a round trip', () => {
    fc.assert(
      fc.property(filters(4, poolValues), rows, (filter, row) => {
        const passed = matches(filter, row);
        expect(passed).toBe(reference(filter, row));
        expect(matches({ kind: 'not', operand: filter }, row)).toBe(!passed);
        const reread = parseFilter(printFilter(filter), GEN_SHAPE);
        expect(reread && matches(reread, row)).toBe(passed);
      }),
      { numRuns: 5000 },
    );
  });

  it('combines like boolean algebra: and, or, not, De Morgan', () => {
    fc.assert(
      fc.property(filters(2, poolValues), filters(2, poolValues), rows, (a, b, row) => {
        const [x, y] = [matches(a, row), matches(b, row)];
        expect(matches({ kind: 'and', operands: [a, b] }, row)).toBe(x && y);
        expect(matches({ kind: 'or', operands: [a, b] }, row)).toBe(x || y);
        expect(matches({ kind: 'not', operand: { kind: 'and', operands: [a, b] } }, row)).toBe(
          matches(
            {
              kind: 'or',
              operands: [
                { kind: 'not', operand: a },
                { kind: 'not', operand: b },
              ],
            },
            row,
          ),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('gives a filter, no filter, or the code 12 error for any string, never another throw', () => {
    const token = fc.constantFrom(
      'id',
      'n',
      's',
      'b',
      'version',
      'deprecated',
      'nope',
      '__proto__',
      '=',
      '!=',
      '<>',
      '^=',
      '<',
      '<=',
      '>',
      '>=',
      '!',
      '^',
      'in',
      'NOT',
      'not',
      'between',
      'and',
      'OR',
      'is',
      'null',
      'true',
      'False',
      '(',
      ')',
      ',',
      '"',
      '\\',
      '"a\\"b"',
      '"\\x"',
      '1',
      '-9223372036854775808',
      '9223372036854775808',
      '1.50',
      '26.0',
      'CLOSED',
      ' ',
      '\t',
      '\n',
      '\u0000',
      '😀',
      '\ud800',
    );
    const grammarish = fc
      .array(fc.tuple(token, fc.constantFrom('', ' ')), { maxLength: 30 })
      .map((parts) => parts.map(([t, blank]) => t + blank).join(''));
    // Printed filters with one token's worth of damage: reach the errors deep inside valid text.
    const damaged = fc
      .tuple(filters(3, anyValues), fc.nat(), fc.nat(3), token)
      .map(([filter, at, cut, inserted]) => {
        const text = printFilter(filter);
        const where = at % (text.length + 1);
        return text.slice(0, where) + inserted + text.slice(where + cut);
      });
    const shapes = fc.constantFrom<FilterShape>(SHAPE, GEN_SHAPE);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), grammarish, damaged),
        shapes,
        (raw, shape) => {
          try {
            const filter = parseFilter(raw, shape);
            if (filter !== undefined) {
              expect(parseFilter(printFilter(filter), shape)).toEqual(filter);
              expect(typeof matches(filter, VERSIONS[0] ?? {})).toBe('boolean');
            }
          } catch (error) {
            expect(error).toBeInstanceOf(QRadarError);
            expect(error).toMatchObject({ status: 422, code: 12 });
            expect((error as QRadarError).message.startsWith('filter parameter value "')).toBe(true);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('answers long and deep values with code 12', () => {
    const opener = fc.constantFrom('(', 'not(', ' ( ', 'NOT (');
    const deep = fc
      .tuple(opener, fc.integer({ min: MAX_FILTER_DEPTH + 1, max: 100_000 }))
      .map(([open, depth]) => `${open.repeat(depth)}id = 1${')'.repeat(depth)}`);
    const long = fc.string({ minLength: MAX_FILTER_LENGTH + 1, maxLength: 20_000 });
    fc.assert(
      fc.property(fc.oneof(deep, long), (raw) => {
        const error = qradarErrorOf(() => parseFilter(raw, SHAPE));
        expect(error.code).toBe(12);
        expect(error.message).toMatch(
          /longer than 2048 characters\.$|nested deeper than 16 levels at position \d+\.$/,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('parses and evaluates the heaviest values within the bounds', () => {
    const heavy = [
      `id in (${'9223372036854775807,'.repeat(100)}1)`,
      `id = 0.${'0'.repeat(MAX_FILTER_LENGTH - 8)}1`,
      `name in (${'"\\"\\\\",'.repeat(290)}"")`,
      Array.from({ length: 140 }, (_, i) => `id = ${i}`).join(' or '),
      `${'not ('.repeat(8)}id = 1${')'.repeat(8)}`,
    ];
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: i % 2 ? BigInt(i) : i + 0.5, name: `n${i}` }));
    const passed = heavy.map((raw) => {
      expect(raw.length).toBeLessThanOrEqual(MAX_FILTER_LENGTH);
      const filter = parse(raw);
      return many.filter((row) => matches(filter, row)).length;
    });
    // 1 is the only id in the list; no id is that tiny decimal; no row has the empty or
    // escaped name; ids 1, 3, ..., 139 are odd (bigint) ids below 140; id 1 again.
    expect(passed).toEqual([1, 0, 0, 70, 1]);
  });
});

describe('list fields', () => {
  const LISTED = { id: 'number', ids: 'list' } as const;

  it('take is null and is not null, as every field does', () => {
    const isNull = parseFilter('ids is null', LISTED);
    const notNull = parseFilter('ids is not null', LISTED);
    if (isNull === undefined || notNull === undefined) throw new Error('no filter');
    expect(matches(notNull, { ids: [1, 2] })).toBe(true);
    expect(matches(notNull, { ids: [] })).toBe(true);
    expect(matches(isNull, { ids: null })).toBe(true);
    expect(matches(isNull, {})).toBe(true);
  });

  it('refuse every comparison with code 12', () => {
    for (const raw of ['ids = 1', 'ids in (1)', 'ids between 1 and 2', 'ids != x']) {
      expect(qradarErrorOf(() => parseFilter(raw, LISTED)).message).toBe(
        `filter parameter value "${raw}" was invalid. "ids" holds a list: only "is null" and "is not null" apply to it.`,
      );
    }
  });
});
