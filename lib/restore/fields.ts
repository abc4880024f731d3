// The fields of a restore (spec section 3) and each one's type: the one table that the record
// check (restore.ts) and the typed client (client.ts) both read. It imports nothing at run
// time, so a client bundle that only needs the field names stays free of the store's SDK.

import type { Restore } from './restore.ts';

export type FieldType = 'Long' | 'String' | 'Boolean' | 'RestoreStatus' | 'BackupType' | 'RestoreGroups';

/** Each field's type, in section 3's order. */
export const FIELD_TYPES = {
  id: 'Long',
  initiated_by: 'String',
  host_id: 'Long',
  time_initiated: 'Long',
  time_completed: 'Long',
  status: 'RestoreStatus',
  is_cross_deployment_restore: 'Boolean',
  backup_id: 'Long',
  backup_name: 'String',
  backup_version: 'String',
  backup_type: 'BackupType',
  backup_filename: 'String',
  groups: 'RestoreGroups',
} as const satisfies { readonly [F in keyof Restore]: FieldType };

export const RESTORE_FIELDS = Object.keys(FIELD_TYPES) as (keyof Restore)[];

/** The Long fields: whoever reads the JSON body must take their digits exactly. */
export const LONG_FIELDS: readonly (keyof Restore)[] = RESTORE_FIELDS.filter(
  (field) => FIELD_TYPES[field] === 'Long',
);
