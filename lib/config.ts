// The environment, read once at start-up and checked: a bad or missing setting fails the
// cold start, not a request. Table names have no default here: a deployed function always
// gets them from serverless.yml or the SAM template, and the local runner from
// lib/store/tables.ts.

import { readAllowedOrigins } from './http/cors.ts';
import { type VersionTable, versionTableFrom } from './qradar/version.ts';

/** The region when the environment names none: the local stack's, and the tools' default. */
export const DEFAULT_REGION = 'us-east-1';

export interface Config {
  readonly restoresTable: string;
  readonly authorizedServicesTable: string;
  readonly authorizedUsersTable: string;
  /** Origins that get CORS answers (contract 11.6); empty: none. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** The API versions callers may ask for (contract 11.1). */
  readonly versions: VersionTable;
  readonly region: string;
  /** A DynamoDB-compatible endpoint (dynalite locally); undefined means AWS's own. */
  readonly endpoint: string | undefined;
  /** How long getRestore keeps a restore it read (lib/store/item-cache.ts); 0: not at all. */
  readonly restoreCacheTtlMs: number;
}

type TableSetting = 'restoresTable' | 'authorizedServicesTable' | 'authorizedUsersTable';

/** The environment variable each table name comes from. */
export const TABLE_VARIABLES: { readonly [K in TableSetting]: string } = {
  restoresTable: 'RESTORES_TABLE',
  authorizedServicesTable: 'AUTHORIZED_SERVICES_TABLE',
  authorizedUsersTable: 'AUTHORIZED_USERS_TABLE',
};

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** True for a name DynamoDB accepts for a table. */
export const isTableName = (name: string): boolean => TABLE_NAME.test(name);

const tableName = (env: NodeJS.ProcessEnv, setting: TableSetting): string => {
  const variable = TABLE_VARIABLES[setting];
  const value = env[variable];
  if (!value) throw new Error(`${variable} is not set`);
  if (!isTableName(value)) throw new Error(`${variable} is not a DynamoDB table name: ${value}`);
  return value;
};

/**
 * The longest a restore may be kept: the sync passes once a minute (contract 14), so a
 * longer TTL would make answers staler than the table is anyway.
 */
export const MAX_RESTORE_CACHE_TTL_MS = 60_000;

/** RESTORE_CACHE_TTL_MS: whole milliseconds; unset or empty is 0, off (contract 10: local reads see writes at once). */
const restoreCacheTtl = (value: string | undefined): number => {
  if (!value) return 0;
  const ttl = /^[0-9]{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ttl <= MAX_RESTORE_CACHE_TTL_MS)) {
    throw new Error(
      `RESTORE_CACHE_TTL_MS is not a whole number of milliseconds from 0 to ${MAX_RESTORE_CACHE_TTL_MS}: ${value.slice(0, 20)}`,
    );
  }
  return ttl;
};

export const readConfig = (env: NodeJS.ProcessEnv): Config => {
  const endpoint = env['DYNAMODB_ENDPOINT'] || undefined;
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new Error(`DYNAMODB_ENDPOINT is not a URL: ${endpoint}`);
  }
  return {
    restoresTable: tableName(env, 'restoresTable'),
    authorizedServicesTable: tableName(env, 'authorizedServicesTable'),
    authorizedUsersTable: tableName(env, 'authorizedUsersTable'),
    allowedOrigins: readAllowedOrigins(env['CORS_ALLOWED_ORIGINS']),
    versions: versionTableFrom(env),
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
    endpoint,
    restoreCacheTtlMs: restoreCacheTtl(env['RESTORE_CACHE_TTL_MS']),
  };
};
