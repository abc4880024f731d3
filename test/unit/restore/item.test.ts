import { NumberValue } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExact } from '../../../lib/qradar/json.ts';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';
import { RESTORE_GROUPS, RESTORE_STATUSES, type Restore } from '../../../lib/restore/fields.ts';
import {
  changedAttributes,
  itemBytes,
  MAX_ITEM_BYTES,
  restoreFromItem,
  restoreToItem,
} from '../../../lib/restore/item.ts';
import { RecordError } from '../../../lib/restore/restore.ts';

const n = (text: string) => new NumberValue(text);

// One restore exactly as QRadar's list writes it, read with exact Longs.
const listed = parseExact(`{
  "id": 9007199254740993, "initiated_by": "admin", "host_id": 9223372036854775807,
  "time_initiated": 1767225600000, "time_completed": null, "status": "IN_PROGRESS",
  "is_cross_deployment_restore": false, "backup_id": -9223372036854775808,
  "backup_name": "nightly", "backup_version": "7.5.0", "backup_type": "CONFIG",
  "backup_filename": "backup.tgz", "groups": ["USERS_CONFIG", "ASSETS_DATA"]
}`) as Record<string, unknown>;

const longs = fc.bigInt({ min: LONG_MIN, max: LONG_MAX });
const restores: fc.Arbitrary<Restore> = fc.record({
  id: longs,
  initiated_by: fc.option(fc.string()),
  host_id: fc.option(longs),
  time_initiated: fc.option(longs),
  time_completed: fc.option(longs),
  status: fc.option(fc.constantFrom(...RESTORE_STATUSES)),
  is_cross_deployment_restore: fc.option(fc.boolean()),
  backup_id: fc.option(longs),
  backup_name: fc.option(fc.string()),
  backup_version: fc.option(fc.string()),
  backup_type: fc.option(fc.constant('CONFIG' as const)),
  backup_filename: fc.option(fc.string()),
  groups: fc.option(fc.subarray([...RESTORE_GROUPS])),
});

describe('restoreToItem', () => {
  it('makes the section 9 item: Longs as exact Numbers, groups a List, nulls left out', () => {
    expect(restoreToItem(listed)).toEqual({
      id: n('9007199254740993'),
      initiated_by: 'admin',
      host_id: n('9223372036854775807'),
      time_initiated: n('1767225600000'),
      status: 'IN_PROGRESS',
      is_cross_deployment_restore: false,
      backup_id: n('-9223372036854775808'),
      backup_name: 'nightly',
      backup_version: '7.5.0',
      backup_type: 'CONFIG',
      backup_filename: 'backup.tgz',
      groups: ['USERS_CONFIG', 'ASSETS_DATA'],
    });
  });

  it('takes a restore with only its id', () => {
    expect(restoreToItem({ id: 7n })).toEqual({ id: n('7') });
  });

  it.each([
    ['not a JSON object', null],
    ['not a JSON object', [{ id: 1n }]],
    ['not a JSON object', '{"id":1}'],
    ['id is missing: it is the table key', { status: 'SUCCESS' }],
    ['id is missing: it is the table key', { id: null }],
    ['"owner" is not a restore field', { id: 1n, owner: 'x' }],
    ['id is not a Long', { id: 1.5 }],
    ['id is not a Long', { id: 2n ** 63n }],
    ['id is not a Long', { id: '1' }],
    ['status is not one of its enum values', { id: 1n, status: 'DONE' }],
    ['initiated_by is not a string', { id: 1n, initiated_by: 5n }],
    ['groups is not a set of backup groups', { id: 1n, groups: ['USERS_CONFIG', 'EVERYTHING'] }],
    ['is_cross_deployment_restore is not a boolean', { id: 1n, is_cross_deployment_restore: 'false' }],
  ])('refuses with "%s"', (reason, value) => {
    expect(() => restoreToItem(value)).toThrow(new RecordError(reason));
  });

  it('cuts an unknown field name to 100 characters', () => {
    expect(() => restoreToItem({ id: 1n, ['x'.repeat(500)]: 1n })).toThrow(
      new RecordError(`"${'x'.repeat(100)}" is not a restore field`),
    );
  });

  it('answers any JSON value with an item or a RecordError, never another throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue().map((v) => parseExact(JSON.stringify(v) ?? 'null')),
          restores,
        ),
        (value) => {
          try {
            restoreToItem(value);
          } catch (error) {
            expect(error).toBeInstanceOf(RecordError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('round-trips every valid restore through its item exactly', () => {
    fc.assert(
      fc.property(restores, (restore) => {
        expect(restoreFromItem(restoreToItem(restore))).toEqual(restore);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the item size limit', () => {
  it('counts names and values as DynamoDB does', () => {
    // "id" 2 + 9007199254740993 (16 digits: 8 + 1); "status" 6 + 7; "groups" 6 + 3 + (1 + 12) + (1 + 11);
    // "is_cross_deployment_restore" 27 + 1; "backup_id" 9 + 0.5e1 (1 digit: 1 + 1).
    expect(
      itemBytes({
        id: n('9007199254740993'),
        status: 'SUCCESS',
        groups: ['USERS_CONFIG', 'ASSETS_DATA'],
        is_cross_deployment_restore: false,
        backup_id: n('-5'),
      }),
    ).toBe(2 + 9 + 6 + 7 + 6 + 3 + 13 + 12 + 27 + 1 + 9 + 2);
  });

  it('rejects a restore whose item would pass 400 KB, and takes one just below', () => {
    const withName = (size: number) => ({ id: 1n, backup_name: 'é'.repeat(size / 2) });
    expect(() => restoreToItem(withName(420 * 1024))).toThrow(
      new RecordError(
        `the item would be ${420 * 1024 + 2 + 2 + 11} bytes, over DynamoDB's 400 KB item limit`,
      ),
    );
    const fits = restoreToItem(withName(MAX_ITEM_BYTES - 1024));
    expect(itemBytes(fits)).toBeLessThan(MAX_ITEM_BYTES);
  });
});

describe('changedAttributes', () => {
  const item = restoreToItem(listed);

  it('finds nothing to change in the item as stored', () => {
    expect(changedAttributes({ ...item, id: n('9007199254740993') }, item)).toEqual([]);
  });

  it('compares Numbers by value, as DynamoDB keeps them', () => {
    expect(changedAttributes({ id: n('007') }, { id: n('7') })).toEqual([]);
  });

  it('names each attribute a put would change, added, altered or dropped', () => {
    const stored = { ...item, status: 'PENDING', time_completed: null, note: 'kept by hand' };
    const { backup_name: _, ...updated } = item;
    expect(changedAttributes(stored, updated)).toEqual(['time_completed', 'status', 'backup_name', 'note']);
  });

  it('counts a String Set or a reordered List as a change: the put rewrites it', () => {
    expect(changedAttributes({ ...item, groups: new Set(['USERS_CONFIG', 'ASSETS_DATA']) }, item)).toEqual([
      'groups',
    ]);
    expect(changedAttributes({ ...item, groups: ['ASSETS_DATA', 'USERS_CONFIG'] }, item)).toEqual(['groups']);
  });
});
