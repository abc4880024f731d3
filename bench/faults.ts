// `npm run faults`: injects every store fault of test/support/faults.ts once more and writes
// what happened (attempts, time to answer, status) into docs/RELIABILITY.md.

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, LOCAL_CREDENTIALS, localClient, startDynalite } from '../scripts/local-store.ts';
import {
  type FaultResult,
  PROXY_FAULTS,
  PROXY_FIXTURES,
  runProxyFault,
  runStubFault,
  STUB_FAULTS,
} from '../test/support/faults.ts';
import { machine, table, writeSection } from './report.ts';

const store = await startDynalite(0);
const setup = localClient(store.endpoint);
await createTable(setup, 'RestoresTable', 'restores');
await createTable(setup, 'AuthorizedServicesTable', 'authorized_services');
setup.destroy();
const raw = new DynamoDBClient({
  endpoint: store.endpoint,
  region: 'us-east-1',
  credentials: LOCAL_CREDENTIALS,
});
await raw.send(new PutItemCommand({ TableName: 'restores', Item: PROXY_FIXTURES.restore }));
await raw.send(new PutItemCommand({ TableName: 'authorized_services', Item: PROXY_FIXTURES.service }));
raw.destroy();

const results: FaultResult[] = [];
for (const scenario of STUB_FAULTS) results.push(await runStubFault(scenario));
const { hostname, port } = new URL(store.endpoint);
for (const scenario of PROXY_FAULTS)
  results.push(await runProxyFault(scenario, { host: hostname, port: Number(port) }));
await store.close();

const rows = results.map((r) => [
  r.fault,
  r.injectedBy,
  r.attempts ?? '-',
  `${Math.round(r.ms)} ms`,
  `${r.status} (code ${r.bodyCode})${r.retryAfter ? `, Retry-After: ${r.retryAfter}` : ''}`,
  r.recoveredStatus,
]);
const report = `Measured by \`npm run faults\` on ${machine()}, ${new Date().toISOString().slice(0, 10)}.

${table(['fault', 'injected by', 'attempts', 'time to answer', 'status returned', 'next request'], rows)}`;
console.log(report);
await writeSection(new URL('../docs/RELIABILITY.md', import.meta.url), 'faults', report);
