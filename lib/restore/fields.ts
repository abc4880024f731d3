// A restore (contract section 3): its fields, their enums and each one's type, the one table that the
// record check (restore.ts) and the typed client (client.ts) both read. It imports nothing at run
// time, so a client bundle that only needs the field names stays free of the store's SDK.

export const RESTORE_STATUSES = [
  'PENDING',
  'REQUESTING',
  'INITIALIZING',
  'IN_PROGRESS',
  'FAILED',
  'SUCCESS',
] as const;

export const RESTORE_GROUPS = [
  'CUSTOM_RULES_CONFIG',
  'DEPLOYMENT_CONFIG',
  'USERS_CONFIG',
  'LICENSE_CONFIG',
  'QVM_CONFIG',
  'INSTALLED_APPS_CONFIG',
  'REPORT_TEMPLATES',
  'ASSETS_DATA',
  'OFFENSES_DATA',
] as const;

export type RestoreStatus = (typeof RESTORE_STATUSES)[number];
export type RestoreGroup = (typeof RESTORE_GROUPS)[number];

/** A restore as the API returns it; Longs are bigint so no digit is lost. */
export interface Restore {
  id: bigint | null;
  initiated_by: string | null;
  host_id: bigint | null;
  time_initiated: bigint | null;
  time_completed: bigint | null;
  status: RestoreStatus | null;
  is_cross_deployment_restore: boolean | null;
  backup_id: bigint | null;
  backup_name: string | null;
  backup_version: string | null;
  backup_type: 'CONFIG' | null;
  backup_filename: string | null;
  groups: RestoreGroup[] | null;
}

export type RestoreFieldType =
  | 'Long'
  | 'String'
  | 'Boolean'
  | 'RestoreStatus'
  | 'BackupType'
  | 'RestoreGroups';

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
} as const satisfies { readonly [F in keyof Restore]: RestoreFieldType };

export const RESTORE_FIELDS = Object.keys(FIELD_TYPES) as (keyof Restore)[];

/** The Long fields: whoever reads the JSON body must take their digits exactly. */
export const LONG_FIELDS: readonly (keyof Restore)[] = RESTORE_FIELDS.filter(
  (field) => FIELD_TYPES[field] === 'Long',
);

/** The fields QRadar sorts restores by, in the order its code 1018 message lists them (contract 13). */
export const SORTABLE_FIELDS: readonly (keyof Restore)[] = [
  'id',
  'initiated_by',
  'time_initiated',
  'time_completed',
  'is_cross_deployment_restore',
  'backup_name',
  'backup_type',
  'backup_version',
  'backup_filename',
];
