// The environment, read once at start-up and checked: a bad setting fails the cold start,
// not a request.

import { readAllowedOrigins } from './cors.ts';
import { type VersionTable, versionTableFrom } from './version.ts';

export interface Config {
  readonly restoresTable: string;
  readonly authorizedServicesTable: string;
  readonly authorizedUsersTable: string;
  /** Origins that get CORS answers (spec 11.6); empty: none. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** The API versions callers may ask for (spec 11.1). */
  readonly versions: VersionTable;
  readonly region: string;
  /** A DynamoDB-compatible endpoint (dynalite locally); undefined means AWS's own. */
  readonly endpoint: string | undefined;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

const tableName = (env: NodeJS.ProcessEnv, variable: string, fallback: string): string => {
  const value = env[variable] || fallback;
  if (!TABLE_NAME.test(value)) throw new Error(`${variable} is not a DynamoDB table name: ${value}`);
  return value;
};

export const readConfig = (env: NodeJS.ProcessEnv): Config => {
  const endpoint = env['DYNAMODB_ENDPOINT'] || undefined;
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    throw new Error(`DYNAMODB_ENDPOINT is not a URL: ${endpoint}`);
  }
  return {
    restoresTable: tableName(env, 'RESTORES_TABLE', 'restores'),
    authorizedServicesTable: tableName(env, 'AUTHORIZED_SERVICES_TABLE', 'authorized_services'),
    authorizedUsersTable: tableName(env, 'AUTHORIZED_USERS_TABLE', 'authorized_users'),
    allowedOrigins: readAllowedOrigins(env['CORS_ALLOWED_ORIGINS']),
    versions: versionTableFrom(env),
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
    endpoint,
  };
};
