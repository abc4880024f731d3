import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Filter, parseFilter } from '../../../lib/qradar/filter.ts';
import { RESTORE_FILTER_SHAPE } from '../../../lib/restore/list.ts';
import { AttributeNames, pushDown } from '../../../lib/store/filter-expression.ts';

const parse = (raw: string): Filter => {
  const filter = parseFilter(raw, RESTORE_FILTER_SHAPE);
  if (filter === undefined) throw new Error('no filter');
  return filter;
};
const push = (raw: string | Filter, names = new AttributeNames()) => ({
  ...pushDown(typeof raw === 'string' ? parse(raw) : raw, names),
  names: names.map,
});
/** `count` predicates joined, built directly: past the 2,048 characters a filter may have. */
const many = (kind: 'and' | 'or', count: number, predicate: (i: number) => string): Filter => ({
  kind,
  operands: Array.from({ length: count }, (_, i) => parse(predicate(i))),
});

describe('pushDown', () => {
  it('keeps everything without a filter', () => {
    expect(pushDown(undefined, new AttributeNames())).toEqual({
      expression: undefined,
      values: undefined,
      nothing: false,
      exact: true,
    });
  });

  it('writes names as placeholders (status is a reserved word) and Longs as exact NumberValue text', () => {
    expect(push('status = PENDING and backup_id >= -9223372036854775808')).toEqual({
      expression: '(#a0 = :v0 AND #a1 >= :v1)',
      values: { ':v0': 'PENDING', ':v1': NumberValue.from('-9223372036854775808') },
      names: { '#a0': 'status', '#a1': 'backup_id' },
      nothing: false,
      exact: true,
    });
  });

  it('writes != as "below or above", true only for a value of the same type, as 11.3 reads it', () => {
    expect(push('initiated_by != admin')).toMatchObject({
      expression: '(#a0 < :v0 OR #a0 > :v0)',
      values: { ':v0': 'admin' },
    });
    expect(push('id <> 9007199254740993').values).toEqual({ ':v0': NumberValue.from('9007199254740993') });
  });

  it("writes a Boolean's != as = of the other value", () => {
    expect(push('is_cross_deployment_restore != true')).toMatchObject({
      expression: '#a0 = :v0',
      values: { ':v0': false },
    });
  });

  it('writes in as = or-ed, not in as != and-ed, between as two comparisons, with no IN or BETWEEN', () => {
    expect(push('status in (PENDING, SUCCESS, PENDING)')).toMatchObject({
      expression: '(#a0 = :v0 OR #a0 = :v1 OR #a0 = :v0)',
      values: { ':v0': 'PENDING', ':v1': 'SUCCESS' },
    });
    expect(push('host_id not in (1, 2)').expression).toBe(
      '((#a0 < :v0 OR #a0 > :v0) AND (#a0 < :v1 OR #a0 > :v1))',
    );
    expect(push('time_initiated between 10 and 5').expression).toBe('(#a0 >= :v0 AND #a0 <= :v1)');
    expect(push('time_initiated not between 5 and 10').expression).toBe('(#a0 < :v0 OR #a0 > :v1)');
  });

  it('writes is null as absent or NULL, and is not null as present and not NULL', () => {
    expect(push('groups is null')).toMatchObject({
      expression: '(attribute_not_exists(#a0) OR attribute_type(#a0, :v0))',
      values: { ':v0': 'NULL' },
    });
    expect(push('time_completed is not null').expression).toBe(
      '(attribute_exists(#a0) AND (NOT attribute_type(#a0, :v0)))',
    );
  });

  it('pushes a string ordering only against a literal below U+D800, where byte and code-unit order agree', () => {
    expect(push('backup_name < "zz\u00e9\u4e00"')).toMatchObject({ expression: '#a0 < :v0', exact: true });
    // U+E000 sorts above a surrogate pair by code units, below it by bytes.
    expect(push('backup_name < "\ue000"')).toMatchObject({ expression: undefined, exact: false });
    expect(push('backup_name >= "😀"')).toMatchObject({ expression: undefined, exact: false });
    // Equality needs no order: pushed whatever the text.
    expect(push('backup_name = "😀\ue000"')).toMatchObject({ expression: '#a0 = :v0', exact: true });
  });

  it('keeps a superset through not and or: what is not pushed widens, never narrows', () => {
    // and: the pushable half narrows the scan; the other is checked in the function.
    expect(push('status = SUCCESS and backup_name > "\ue000"')).toMatchObject({
      expression: '#a0 = :v0',
      exact: false,
    });
    // or with an unknown operand: anything may match.
    expect(push('status = SUCCESS or backup_name > "\ue000"').expression).toBeUndefined();
    // not of an unknown: nothing can be excluded.
    expect(push('not backup_name > "\ue000"').expression).toBeUndefined();
    expect(push('not (status = SUCCESS and backup_name > "\ue000")').expression).toBeUndefined();
    expect(push('not (status = SUCCESS or backup_name > "\ue000")')).toMatchObject({
      expression: '(NOT #a0 = :v0)',
      exact: false,
    });
  });

  it('does not push a number DynamoDB cannot hold (38 digits, 1E-130 to 1E+126) nor a lone surrogate', () => {
    expect(push('id < 1.000000000000000000000000000000000000001').expression).toBeUndefined();
    expect(push(`id > 0.${'0'.repeat(130)}1`).expression).toBeUndefined();
    expect(push(`id < 0.${'0'.repeat(128)}1`).expression).toBe('#a0 < :v0');
    expect(push('id < 1234567890123456789012345678901234567.8').expression).toBeDefined();
    expect(push('initiated_by = "\ud800"').expression).toBeUndefined();
  });

  it('shares the placeholders of names already taken by the projection, and adds none for a refused expression', () => {
    const names = new AttributeNames();
    names.of('id');
    names.of('status');
    expect(push('status = PENDING and initiated_by = x', names)).toMatchObject({
      expression: '(#a1 = :v0 AND #a2 = :v1)',
      names: { '#a0': 'id', '#a1': 'status', '#a2': 'initiated_by' },
    });
    const other = new AttributeNames();
    other.of('id');
    expect(
      push(
        many('and', 200, (i) => `host_id != ${i}`),
        other,
      ),
    ).toMatchObject({ expression: undefined, names: { '#a0': 'id' } });
  });

  it("stays within DynamoDB's 4 KB and 300 operators, or pushes nothing", () => {
    for (const count of [10, 50, 100, 150, 300]) {
      const { expression } = push(many('or', count, (i) => `id = ${i}`));
      if (expression === undefined) continue;
      expect(Buffer.byteLength(expression)).toBeLessThanOrEqual(4096);
      const operators = (expression.match(/ OR | AND |NOT |[<>=]+|attribute_/g) ?? []).length;
      expect(operators).toBeLessThanOrEqual(300);
    }
    expect(push(many('or', 50, (i) => `id = ${i}`)).expression).toBeDefined();
    expect(push(many('or', 300, (i) => `id = ${i}`)).expression).toBeUndefined();
  });
});
