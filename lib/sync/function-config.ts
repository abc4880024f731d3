// The syncRestores function's environment, read once at cold start and checked (a bad one
// fails the cold start, not a pass), and its clients, created once per container. The token
// and the CA bundle are not in the environment: only the ARNs of the secrets that hold them.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_REGION, isTableName } from '../config.ts';
import {
  consoleOrigin,
  DEFAULT_API_VERSION,
  DEFAULT_PAGE_SIZE,
  isApiVersion,
} from '../qradar-console/settings.ts';

export interface SyncConfig {
  readonly table: string;
  /** The console's origin, https://host[:port]. */
  readonly origin: string;
  readonly tokenSecretArn: string;
  readonly caSecretArn: string | undefined;
  readonly apiVersion: string;
  readonly pageSize: number;
  readonly region: string;
  readonly endpoint: string | undefined;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const secretArn = (value: string, name: string): string => {
  if (!SECRET_ARN.test(value)) throw new Error(`${name} is not a Secrets Manager secret ARN`);
  return value;
};

export const readSyncConfig = (env: NodeJS.ProcessEnv): SyncConfig => {
  const table = required(env, 'RESTORES_TABLE');
  if (!isTableName(table)) throw new Error(`RESTORES_TABLE is not a DynamoDB table name: ${table}`);
  const origin = consoleOrigin(
    required(env, 'QRADAR_CONSOLE_URL'),
    'QRADAR_CONSOLE_URL',
    'consoleTokenSecretArn',
  );
  const apiVersion = env['QRADAR_API_VERSION'] || DEFAULT_API_VERSION;
  if (!isApiVersion(apiVersion)) throw new Error('QRADAR_API_VERSION is not a version such as 26.0');
  const endpoint = env['DYNAMODB_ENDPOINT'] || undefined;
  if (endpoint !== undefined && !URL.canParse(endpoint)) throw new Error('DYNAMODB_ENDPOINT is not a URL');
  const ca = env['CONSOLE_CA_SECRET_ARN'] || undefined;
  return {
    table,
    origin,
    tokenSecretArn: secretArn(required(env, 'CONSOLE_TOKEN_SECRET_ARN'), 'CONSOLE_TOKEN_SECRET_ARN'),
    caSecretArn: ca === undefined ? undefined : secretArn(ca, 'CONSOLE_CA_SECRET_ARN'),
    apiVersion,
    pageSize: DEFAULT_PAGE_SIZE,
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || DEFAULT_REGION,
    endpoint,
  };
};

/** The pass's DynamoDB client: numbers kept as text, each attempt bounded well inside a pass. */
export const syncTableClient = (config: SyncConfig): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: config.region,
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 1000, requestTimeout: 5000, throwOnRequestTimeout: true },
    }),
    { unmarshallOptions: { wrapNumbers: true } },
  );
