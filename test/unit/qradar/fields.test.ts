import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import {
  type FieldList,
  MAX_FIELDS_DEPTH,
  MAX_FIELDS_LENGTH,
  parseFields,
  printFields,
} from '../../../lib/qradar/fields.ts';
import { qradarErrorOf } from '../../support/thrown.ts';

const failure = (raw: string) => qradarErrorOf(() => parseFields(raw));

const names = fc.stringMatching(/^[A-Za-z0-9_]{1,6}$/);

/** Selections with distinct names at each level, at most `depth` levels deep. */
const selection = (depth: number): fc.Arbitrary<FieldList> =>
  fc
    .uniqueArray(
      fc.record({
        name: names,
        // Mostly leaves, so trees stay small while some still reach the full depth.
        children:
          depth > 1
            ? fc.oneof(
                { weight: 3, arbitrary: fc.constant(undefined) },
                { weight: 1, arbitrary: selection(depth - 1) },
              )
            : fc.constant(undefined),
      }),
      { minLength: 1, maxLength: 3, selector: (node) => node.name },
    )
    .map((nodes) => nodes.map(({ name, children }) => (children ? { name, children } : { name })));

/** Prints a selection with blanks sprinkled around every name, comma and bracket. */
const printLoosely = (fields: FieldList, blank: () => string): string =>
  fields
    .map(({ name, children }) =>
      children
        ? `${blank()}${name}${blank()}(${printLoosely(children, blank)})${blank()}`
        : `${blank()}${name}${blank()}`,
    )
    .join(',');

describe('parseFields', () => {
  it('reads names, nesting and blanks', () => {
    expect(parseFields('id, status')).toEqual([{ name: 'id' }, { name: 'status' }]);
    expect(parseFields(' rules ( id ,\ttype ) ,name')).toEqual([
      { name: 'rules', children: [{ name: 'id' }, { name: 'type' }] },
      { name: 'name' },
    ]);
  });

  it.each(['', ' ', '\t \t'])('reads %j as every field', (raw) => {
    expect(parseFields(raw)).toBeUndefined();
  });

  it('is case-sensitive: id and ID are different fields', () => {
    expect(parseFields('id,ID')).toEqual([{ name: 'id' }, { name: 'ID' }]);
  });

  it('reports a repeated name at one level, in QRadar words', () => {
    expect(failure('id,status, id')).toMatchObject({
      status: 422,
      code: 31,
      message:
        'fields parameter value "id,status, id" was invalid. Specified field "id" was used more than once at the same level',
    });
    expect(parseFields('a(id),id')).toEqual([{ name: 'a', children: [{ name: 'id' }] }, { name: 'id' }]);
    expect(failure('a(b,b)').message).toContain(
      'Specified field "b" was used more than once at the same level',
    );
  });

  it.each([
    ['id,,status', 'Expected a field name but found "," at position 4.'],
    [',id', 'Expected a field name but found "," at position 1.'],
    ['id,', 'Expected a field name but found the end of the value.'],
    ['()', 'Expected a field name but found "(" at position 1.'],
    ['id()', 'Expected a field name but found ")" at position 4.'],
    ['a(b', 'Expected "," or ")" but found the end of the value.'],
    ['a(b))', 'Expected "," but found ")" at position 5.'],
    ['id status', 'Expected "," but found "s" at position 4.'],
    ['id;status', 'Expected "," but found ";" at position 3.'],
    ['na-me', 'Expected "," but found "-" at position 3.'],
    ['id\n', 'Expected "," but found "\\n" at position 3.'],
    ['ïd', 'Expected a field name but found "ï" at position 1.'],
  ])('refuses %j: %s', (raw, reason) => {
    expect(failure(raw)).toMatchObject({
      status: 422,
      code: 31,
      message: `fields parameter value "${raw}" was invalid. ${reason}`,
    });
  });

  it('bounds the work: length and depth', () => {
    expect(failure('a,'.repeat(MAX_FIELDS_LENGTH)).message).toMatch(
      /was invalid\. The value is longer than 2048 characters\.$/,
    );
    const nested = (depth: number): string => (depth === 1 ? 'x' : `x(${nested(depth - 1)})`);
    expect(parseFields(nested(MAX_FIELDS_DEPTH))).toBeDefined();
    expect(failure(nested(MAX_FIELDS_DEPTH + 1)).message).toMatch(/nested deeper than 8 levels\.$/);
  });

  it('echoes at most 100 characters of the value', () => {
    const raw = `${'a'.repeat(300)},,`;
    expect(failure(raw).message).toContain(`"${'a'.repeat(100)}" was invalid.`);
  });

  it('round-trips: parse(print(selection)) is the selection', () => {
    fc.assert(
      fc.property(selection(MAX_FIELDS_DEPTH), (fields) => {
        expect(parseFields(printFields(fields))).toEqual(fields);
      }),
    );
  });

  it('ignores blanks: a loosely printed selection reads the same', () => {
    fc.assert(
      fc.property(selection(4), fc.infiniteStream(fc.constantFrom('', ' ', '\t', '  ')), (fields, blanks) => {
        const loose = printLoosely(fields, () => blanks.next().value);
        expect(parseFields(loose)).toEqual(fields);
        expect(printFields(parseFields(loose) ?? [])).toBe(printFields(fields));
      }),
    );
  });

  it('gives a selection or the code 31 error for any string, never another throw', () => {
    const grammarish = fc
      .array(fc.constantFrom('a', 'b', 'id', ',', '(', ')', ' ', '\t', '-', '\u0000', '😀'), {
        maxLength: 40,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), grammarish), (raw) => {
        try {
          const fields = parseFields(raw);
          if (fields !== undefined) expect(parseFields(printFields(fields))).toEqual(fields);
        } catch (error) {
          expect(error).toBeInstanceOf(QRadarError);
          expect(error).toMatchObject({ status: 422, code: 31 });
          expect((error as QRadarError).message.startsWith('fields parameter value "')).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
