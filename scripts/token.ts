// `npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates a service token, stores only its SHA-256 in the authorized services table, and
// prints the token once. Uses DYNAMODB_ENDPOINT when set (npm start's dynalite:
// http://127.0.0.1:8000), AWS otherwise, with the usual AWS credentials and region.

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isTableName } from '../lib/config.ts';
import { registerService } from './local-store.ts';
import { localTableNames } from './local-tables.ts';

const USAGE =
  'usage: npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] [--table T]';
const CAPABILITY = /^[A-Z_]{1,64}$/;
const NAME = /^[^\p{Cc}]{1,128}$/u;
// Days as a plain decimal (no exponent, sign or hex), at most a century, so that the expiry
// in milliseconds is a finite, exact number.
const DAYS = /^[0-9]{1,5}(\.[0-9]{1,6})?$/;
const MAX_DAYS = 36_500;

export interface TokenRequest {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly days: number | undefined;
  readonly table: string;
}

/** The request `args` make, or the reason they make none. Never throws. */
export const readTokenArgs = (
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): TokenRequest | { readonly reason: string } => {
  let values: { name?: string; capability?: string[]; 'expires-in-days'?: string; table: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        name: { type: 'string' },
        capability: { type: 'string', multiple: true },
        'expires-in-days': { type: 'string' },
        table: { type: 'string', default: localTableNames(env).authorizedServicesTable },
      },
    }));
  } catch (error) {
    return { reason: (error as Error).message };
  }
  const name = values.name?.trim();
  if (!name) return { reason: '--name is required' };
  if (!NAME.test(name))
    return { reason: '--name must be at most 128 characters, without control characters' };
  const capabilities = values.capability;
  if (!capabilities) return { reason: 'at least one --capability is required' };
  const bad = capabilities.find((c) => !CAPABILITY.test(c));
  if (bad !== undefined) return { reason: `not a capability: ${bad}` };
  const daysText = values['expires-in-days'];
  const days = daysText === undefined ? undefined : Number(daysText);
  if (daysText !== undefined && !(DAYS.test(daysText) && Number(days) > 0 && Number(days) <= MAX_DAYS)) {
    return {
      reason: `--expires-in-days must be a number of days above 0 and at most ${MAX_DAYS}: ${daysText}`,
    };
  }
  if (!isTableName(values.table)) return { reason: `--table is not a DynamoDB table name: ${values.table}` };
  return { name, capabilities, days, table: values.table };
};

if (import.meta.main) {
  const request = readTokenArgs(process.argv.slice(2));
  if ('reason' in request) {
    console.error(`${request.reason}\n${USAGE}`);
    process.exit(2);
  }
  const { name, capabilities, days, table } = request;
  const endpoint = process.env['DYNAMODB_ENDPOINT'] || undefined;
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      ...(endpoint === undefined ? {} : { endpoint }),
      region: process.env['AWS_REGION'] || 'us-east-1',
    }),
  );
  // QRadar-style token: a random UUID-shaped value with 122 bits of entropy.
  const token = crypto.randomUUID();
  try {
    await registerService(client, table, {
      name,
      capabilities,
      token,
      ...(days === undefined ? {} : { expiresAt: Math.round(Date.now() + days * 86_400_000) }),
    });
  } catch (error) {
    console.error(`npm run token failed: ${(error as Error).name}: ${(error as Error).message}`);
    process.exit(1);
  } finally {
    client.destroy();
  }
  console.log(
    `Service ${name} registered in ${table} with ${capabilities.join(', ')}. Its token, shown once:\n${token}`,
  );
}
