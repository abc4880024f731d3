// `npm run soak`: 200,000 warm invocations of one handler in one process, over the stub
// request handler (the SDK stack runs, no socket), with the heap measured before and after
// after forced collections. Prints the figures; `npm run soak -- --record` writes them into
// docs/RELIABILITY.md.

import { setTimeout as sleep } from 'node:timers/promises';
import { LOCAL_TABLES, tableEnv } from '../lib/store/tables.ts';
import { httpV2Event, lambdaContext } from '../local/harness/events.ts';
import { getItemReply, stubDependencies } from '../local/harness/stub-handler.ts';
import { quietStdout } from './quiet-stdout.ts';
import { machine, table, writeSection } from './report.ts';

// The handler module reads its table names when imported, as at a cold start.
Object.assign(process.env, tableEnv());
const { createHandler } = await import('../handlers/getRestore.ts');

const INVOCATIONS = 200_000;
const WARM_UP = 20_000;
const gc = globalThis.gc;
if (!gc) throw new Error('run it as npm run soak (node --expose-gc)');

const RESTORE = { id: { N: '9007199254740993' }, status: { S: 'SUCCESS' }, groups: { SS: ['USERS_CONFIG'] } };
const handler = createHandler(
  stubDependencies(({ body }) => {
    if (body['TableName'] === LOCAL_TABLES.authorizedServicesTable) {
      return getItemReply({ name: { S: 'soak' }, capabilities: { SS: ['ADMIN'] } });
    }
    const key = (body['Key'] as { id: { N: string } }).id.N;
    return getItemReply(key === '9007199254740993' ? RESTORE : undefined);
  }),
);

// Distinct tokens beyond the lookup cache's bound show it stays bounded too.
const events = [
  () => httpV2Event({ id: '9007199254740993', headers: { SEC: 'soak-token' } }),
  () => httpV2Event({ id: '404', fields: 'id,status', headers: { SEC: 'soak-token' } }),
  () => httpV2Event({ id: 'bad', headers: { SEC: 'soak-token' } }),
  () => httpV2Event({ id: '1', fields: 'id,(', headers: { SEC: 'soak-token' } }),
  (i: number) => httpV2Event({ id: '1', headers: { SEC: `random-${i}` } }),
  () => ({ id: '9007199254740993', fields: 'id,groups' }),
];

const run = async (count: number, offset: number): Promise<void> => {
  for (let i = 0; i < count; i++) {
    const make = events[i % events.length];
    if (!make) continue;
    try {
      await handler(make(offset + i), lambdaContext());
    } catch {
      // direct-invocation errors are thrown by design
    }
  }
};

const heap = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return process.memoryUsage().heapUsed;
};

// The handler writes two lines an invocation (access line, metrics): 440,000 of them.
const loud = quietStdout();

await run(WARM_UP, 0);
const before = await heap();
const started = performance.now();
await run(INVOCATIONS, WARM_UP);
const seconds = (performance.now() - started) / 1000;
const after = await heap();
loud();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const report = `Measured by \`npm run soak\` on ${machine()}, ${new Date().toISOString().slice(0, 10)}.

${table(
  ['measure', 'value'],
  [
    [
      'invocations',
      `${INVOCATIONS} after ${WARM_UP} to warm up (6 kinds of event, 1 in 6 with a fresh token)`,
    ],
    ['rate', `${Math.round(INVOCATIONS / seconds)} invocations/s`],
    ['heap used before / after', `${mb(before)} / ${mb(after)}`],
    ['growth', `${mb(after - before)} (${(((after - before) / before) * 100).toFixed(1)} %)`],
  ],
)}`;
console.log(report);
await writeSection(new URL('../docs/RELIABILITY.md', import.meta.url), 'soak', report);
