// `npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates a service token, stores only its SHA-256 in the authorized services table, and
// prints the token once. Uses DYNAMODB_ENDPOINT when set (npm start's dynalite:
// http://127.0.0.1:8000), AWS otherwise, with the usual AWS credentials and region.

import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { registerService } from './local-store.ts';

const CAPABILITY = /^[A-Z_]{1,64}$/;
const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'expires-in-days': { type: 'string' },
    table: { type: 'string', default: process.env['AUTHORIZED_SERVICES_TABLE'] || 'authorized_services' },
  },
});

const fail = (message: string): never => {
  console.error(
    `${message}\nusage: npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] [--table T]`,
  );
  process.exit(2);
};

const name = values.name?.trim() || fail('--name is required');
const capabilities = values.capability ?? fail('at least one --capability is required');
for (const c of capabilities) if (!CAPABILITY.test(c)) fail(`not a capability: ${c}`);
const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
if (days !== undefined && !(days > 0)) fail('--expires-in-days must be a positive number');

const endpoint = process.env['DYNAMODB_ENDPOINT'] || undefined;
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    ...(endpoint === undefined ? {} : { endpoint }),
    region: process.env['AWS_REGION'] || 'us-east-1',
  }),
);
// QRadar-style token: a random UUID-shaped value with 122 bits of entropy.
const token = crypto.randomUUID();
await registerService(client, values.table, {
  name,
  capabilities,
  token,
  ...(days === undefined ? {} : { expiresAt: Date.now() + days * 86_400_000 }),
});
client.destroy();
console.log(
  `Service ${name} registered in ${values.table} with ${capabilities.join(', ')}. Its token, shown once:\n${token}`,
);
