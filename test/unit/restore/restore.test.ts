import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LONG_FIELDS, RESTORE_FIELDS } from '../../../lib/restore/fields.ts';
import { checkRestore, RecordError } from '../../../lib/restore/restore.ts';

const n = (text: string) => new NumberValue(text);

const item = {
  id: n('9223372036854775807'),
  initiated_by: 'admin',
  host_id: n('-9223372036854775808'),
  time_initiated: n('1767225600000'),
  time_completed: null,
  status: 'IN_PROGRESS',
  is_cross_deployment_restore: false,
  backup_id: n('9007199254740993'),
  backup_name: 'nightly',
  backup_version: '7.5.0',
  backup_type: 'CONFIG',
  backup_filename: 'backup.tgz',
  groups: new Set(['USERS_CONFIG', 'ASSETS_DATA']),
  owner_secret: 'not a restore field',
};

describe('checkRestore', () => {
  it('turns a valid item into a restore with exact Longs, dropping other attributes', () => {
    expect(checkRestore(item)).toEqual({
      id: 9223372036854775807n,
      initiated_by: 'admin',
      host_id: -9223372036854775808n,
      time_initiated: 1767225600000n,
      time_completed: null,
      status: 'IN_PROGRESS',
      is_cross_deployment_restore: false,
      backup_id: 9007199254740993n,
      backup_name: 'nightly',
      backup_version: '7.5.0',
      backup_type: 'CONFIG',
      backup_filename: 'backup.tgz',
      groups: ['USERS_CONFIG', 'ASSETS_DATA'],
    });
  });

  it('leaves absent attributes absent, for the projection to fill with null', () => {
    expect(checkRestore({ id: n('1') })).toEqual({ id: 1n });
  });

  it('takes groups as a List as well as a String Set', () => {
    expect(checkRestore({ groups: ['OFFENSES_DATA'] })).toEqual({ groups: ['OFFENSES_DATA'] });
  });

  it.each([
    ['id', n('9223372036854775808'), 'id is not a Long'],
    ['host_id', n('1.5'), 'host_id is not a Long'],
    ['backup_id', '42', 'backup_id is not a Long'],
    ['time_initiated', 42, 'time_initiated is not a Long'],
    ['initiated_by', n('1'), 'initiated_by is not a string'],
    ['is_cross_deployment_restore', 'true', 'is_cross_deployment_restore is not a boolean'],
    ['status', 'DONE', 'status is not one of its enum values'],
    ['backup_type', 'FULL', 'backup_type is not one of its enum values'],
    ['groups', ['USERS_CONFIG', 'EVERYTHING'], 'groups is not a set of backup groups'],
    ['groups', 'USERS_CONFIG', 'groups is not a set of backup groups'],
    ['groups', ['USERS_CONFIG', 'ASSETS_DATA', 'USERS_CONFIG'], 'groups is not a set of backup groups'],
  ])('refuses %s = %j', (field, value, reason) => {
    expect(() => checkRestore({ ...item, [field]: value })).toThrow(new RecordError(reason));
  });

  it('knows the thirteen fields of section 3, in its order', () => {
    expect(RESTORE_FIELDS).toEqual([
      'id',
      'initiated_by',
      'host_id',
      'time_initiated',
      'time_completed',
      'status',
      'is_cross_deployment_restore',
      'backup_id',
      'backup_name',
      'backup_version',
      'backup_type',
      'backup_filename',
      'groups',
    ]);
  });

  it('lists as LONG_FIELDS exactly the fields it reads as Longs', () => {
    const readAsLong = RESTORE_FIELDS.filter((field) => {
      try {
        return checkRestore({ [field]: n('9007199254740993') })[field] === 9007199254740993n;
      } catch {
        return false;
      }
    });
    expect(LONG_FIELDS).toEqual(readAsLong);
  });
});
