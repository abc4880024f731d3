// `npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates a service token, stores only its SHA-256 in the authorized services table, and
// prints the token once. `npm run token -- --revoke NAME` deletes every token of that service.
// Writes to the local stack (npm start's store) unless --stage names a deployed stage: the
// rule is cli/target.ts's.

import { registerService, revokeService } from '../lib/auth/registry.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { capabilitiesFrom, expiryFrom, readCommandLine, storeOrExit, targetFrom } from './options.ts';
import { TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

const { values, fail } = readCommandLine(
  [
    `npm run token -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] ${TARGET_USAGE} [--table T]`,
    `       npm run token -- --revoke NAME ${TARGET_USAGE} [--table T]`,
    '  writes to the local stack (npm start: DYNAMODB_ENDPOINT or http://127.0.0.1:8000) unless --stage names a deployed one',
  ].join('\n'),
  {
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'expires-in-days': { type: 'string' },
    revoke: { type: 'string' },
    table: { type: 'string' },
    ...TARGET_OPTIONS,
  },
);

if (values.revoke !== undefined) {
  if (
    values.name !== undefined ||
    values.capability !== undefined ||
    values['expires-in-days'] !== undefined
  ) {
    fail('--revoke takes only the service name (and where: --local, --stage, --table)');
  }
  const name = values.revoke.trim() || fail('--revoke needs the name of a service');
  const { target, table } = await targetFrom(values, 'authorizedServicesTable', fail);
  const client = tableClient(target);
  const revoked = await storeOrExit(`revoke ${name} in ${table}`, target, () =>
    revokeService(client, table, name),
  );
  client.destroy();
  if (revoked === 0) {
    console.error(`No token of service ${name} in ${table} (${target.where}): nothing revoked.`);
    process.exit(1);
  }
  console.log(
    `Revoked ${revoked} token${revoked === 1 ? '' : 's'} of service ${name} in ${table} (${target.where}). ` +
      'A warm function may still accept one for up to 30 s.',
  );
  process.exit(0);
}

const name = values.name?.trim() || fail('--name is required');
const capabilities = capabilitiesFrom(values.capability, fail);
const expiresAt = expiryFrom(values['expires-in-days'], fail);
const { target, table } = await targetFrom(values, 'authorizedServicesTable', fail);

const client = tableClient(target);
// QRadar-style token: a random UUID-shaped value with 122 bits of entropy.
const token = crypto.randomUUID();
await storeOrExit(`register ${name} in ${table}`, target, () =>
  registerService(client, table, {
    name,
    capabilities,
    token,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }),
);
client.destroy();
console.log(
  `Service ${name} registered in ${table} (${target.where}) with ${capabilities.join(', ')}. Its token, shown once:\n${token}`,
);
