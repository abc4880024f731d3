// `npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates a service token, stores only its SHA-256 in the authorized services table, and
// prints the token once. Uses DYNAMODB_ENDPOINT when set (npm start's dynalite:
// http://127.0.0.1:8000), AWS otherwise, with the usual AWS credentials and region.

import { registerService } from '../lib/auth/registry.ts';
import { localTableNames } from '../lib/store/tables.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { capabilitiesFrom, expiryFrom, readCommandLine, tableFrom, writeOrExit } from './options.ts';

const { values, fail } = readCommandLine(
  'npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] [--table T]',
  {
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'expires-in-days': { type: 'string' },
    table: { type: 'string', default: localTableNames().authorizedServicesTable },
  },
);

const name = values.name?.trim() || fail('--name is required');
const capabilities = capabilitiesFrom(values.capability, fail);
const expiresAt = expiryFrom(values['expires-in-days'], fail);
const table = tableFrom(values.table, fail);

const client = tableClient();
// QRadar-style token: a random UUID-shaped value with 122 bits of entropy.
const token = crypto.randomUUID();
await writeOrExit(`register ${name} in ${table}`, async () => {
  await registerService(client, table, {
    name,
    capabilities,
    token,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
});
client.destroy();
console.log(
  `Service ${name} registered in ${table} with ${capabilities.join(', ')}. Its token, shown once:\n${token}`,
);
