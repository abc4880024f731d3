// `npm run bench:list`: the restores list (contract section 13) at 1,000, 10,000 and 100,000
// restores in dynalite (in this process), through the deployable bundle of listRestores in a
// child process, as a warm Lambda container runs it: a filtered (`status in (...)`), sorted
// (`-time_initiated`), ranged (`items=0-49`) call. Per size: p50 and p99 latency, read units
// per call (DynamoDB's ConsumedCapacity, as the local store computes it), the function's peak
// memory, and the cost per million calls at on-demand prices.
// Prints the table; `--record` also writes it into bench/RESULTS.md under "## List".
// `--sizes 1000,10000` measures only those sizes.

import { execFile } from 'node:child_process';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { DEFAULT_REGION } from '../lib/config.ts';
import { RESTORE_GROUPS, RESTORE_STATUSES, type Restore } from '../lib/restore/fields.ts';
import { SCAN_SEGMENTS } from '../lib/restore/list.ts';
import { LOCAL_TABLES, tableEnv } from '../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../lib/store/tool-client.ts';
import { localClient, prepareStore, putRestores, startDynalite } from '../local/dynalite.ts';
import { httpV2Event } from '../local/harness/events.ts';
import { buildBundle } from '../scripts/build.ts';
import { machine, table, writeMarkdown, writeSection } from './report.ts';

const argument = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};
const record = process.argv.includes('--record');
const SIZES = (argument('--sizes') ?? '1000,10000,100000').split(',').map(Number);
/** Measured calls and warm-up calls per size: fewer where each call reads more. */
const CALLS: Readonly<Record<number, [number, number]>> = {
  1000: [200, 20],
  10000: [40, 4],
  100000: [12, 2],
};
const TOKEN = 'bench-token';
const FILTER = 'status in (FAILED, IN_PROGRESS)';
const SORT = '-time_initiated';
const RANGE = 'items=0-49';

// On-demand prices, us-east-1: Lambda on arm64 per GB-second and per request; DynamoDB per
// read request unit (an eventually consistent read of up to 4 KB is half a unit).
const LAMBDA_ARM_GB_SECOND = 0.0000133334;
const LAMBDA_REQUEST = 0.2 / 1e6;
const DYNAMODB_RRU = 0.125 / 1e6;
const MEMORY_MB = { dev: 512, prod: 1024 } as const;

const run = promisify(execFile);
/** listRestores' timeout in serverless.yml: each call runs against the deadline it sets. */
const TIMEOUT_S = Number(
  /\n {2}listRestores:\n(?: {4}.*\n)*? {4}timeout: (\d+)\n/.exec(
    await readFile('serverless.yml', 'utf8'),
  )?.[1],
);
if (!Number.isSafeInteger(TIMEOUT_S)) throw new Error('serverless.yml: no timeout for listRestores');
const out = new URL('./out/', import.meta.url);
await mkdir(out, { recursive: true });
const bundle = new URL('listRestores.mjs', out).pathname;
await buildBundle('handlers/listRestores.ts', bundle);
const bundleBytes = (await stat(bundle)).size;

/**
 * Restore number `i` as QRadar lists them: Longs above 2^53, the statuses in turn, times in
 * an order unlike the ids' (so the sort has work to do), about 400 bytes each.
 */
const restore = (i: number, size: number): Restore => {
  const n = BigInt(i);
  const status = RESTORE_STATUSES[i % RESTORE_STATUSES.length] ?? 'SUCCESS';
  const done = status === 'FAILED' || status === 'SUCCESS';
  const started = 1_767_225_600_000n + BigInt((i * 7919) % size) * 60_000n;
  return {
    id: 9_007_199_254_740_993n + n,
    initiated_by: i % 7 === 0 ? 'backup-service' : 'admin',
    host_id: 9_223_372_036_854_775_807n - (n % 64n),
    time_initiated: started,
    time_completed: done ? started + 600_000n : null,
    status,
    is_cross_deployment_restore: i % 11 === 0,
    backup_id: done ? null : 1000n + n,
    backup_name: `Nightly configuration backup ${i}`,
    backup_version: '7.5.0',
    backup_type: 'CONFIG',
    backup_filename: `backup.nightly.7_5_0.${i}.config.1767225600000.tgz`,
    groups: RESTORE_GROUPS.filter((_, g) => (i >> g) & 1),
  };
};

const store = await startDynalite(0);
await prepareStore(store.endpoint, { services: [{ name: 'bench', capabilities: ['ADMIN'], token: TOKEN }] });
const setup = localClient(store.endpoint);
const env = {
  ...process.env,
  ...tableEnv(),
  DYNAMODB_ENDPOINT: store.endpoint,
  AWS_REGION: DEFAULT_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
};
const event = JSON.stringify(
  httpV2Event({
    path: '/api/backup_and_restore/restores',
    query: { filter: FILTER, sort: SORT },
    headers: { SEC: TOKEN, Range: RANGE },
  }),
);

interface ChildResult {
  readonly ms: number[];
  readonly heapMiB: number[];
  readonly costs: {
    readUnits: number;
    scanned: number;
    matched: number;
    requests: number;
    returned: number;
  }[];
  readonly rssKiB: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? Number.NaN;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const dollars = (value: number) =>
  `$${value < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US')}`;
const withCommas = (value: number) => Math.round(value).toLocaleString('en-US');

const rows: string[][] = [];
const costRows: string[][] = [];
let written = 0;
for (const size of SIZES) {
  // Grow the table to `size`, 5,000 restores at a time.
  for (let from = written; from < size; from += 5000) {
    const batch = Array.from({ length: Math.min(5000, size - from) }, (_, k) =>
      restore(from + k, SIZES.at(-1) ?? size),
    );
    await putRestores(setup, LOCAL_TABLES.restoresTable, batch);
  }
  written = size;
  const [count, warm] = CALLS[size] ?? [10, 1];
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      'bench/list-child.ts',
      bundle,
      event,
      String(count),
      String(warm),
      String(TIMEOUT_S * 1000),
    ],
    { env, maxBuffer: 64 * 2 ** 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult;
  const p50 = percentile(result.ms, 0.5);
  const p99 = percentile(result.ms, 0.99);
  const readUnits = mean(result.costs.map((c) => c.readUnits));
  const first = result.costs[0];
  const rssMiB = result.rssKiB / 1024;
  rows.push([
    withCommas(size),
    `${withCommas(first?.matched ?? 0)}, ${first?.returned ?? 0}`,
    String(count),
    `${p50.toFixed(0)} ms`,
    `${p99.toFixed(0)} ms`,
    readUnits.toFixed(1),
    String(first?.requests ?? 0),
    `${Math.max(...result.heapMiB).toFixed(1)} MiB`,
    `${rssMiB.toFixed(0)} MiB`,
  ]);
  const dynamo = readUnits * DYNAMODB_RRU * 1e6;
  const lambda = (mb: number) => ((p50 / 1000) * (mb / 1024) * LAMBDA_ARM_GB_SECOND + LAMBDA_REQUEST) * 1e6;
  costRows.push([
    withCommas(size),
    dollars(dynamo),
    dollars(lambda(MEMORY_MB.prod)),
    dollars(dynamo + lambda(MEMORY_MB.prod)),
    dollars(dynamo + lambda(MEMORY_MB.dev)),
  ]);
  console.error(
    `${size}: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, ${readUnits} RRU, ${rssMiB.toFixed(0)} MiB`,
  );
}
setup.destroy();
await store.close();

const report = `Command: \`npm run bench:list -- --record\` (bench/list.ts). Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)}.
The deployable bundle of \`listRestores\` (${withCommas(bundleBytes)} bytes), called as API Gateway calls it
(payload 2.0, a \`SEC\` token) in a child process, as one warm container: \`filter=${FILTER}\`,
\`sort=${SORT}\`, \`Range: ${RANGE}\`, every field. dynalite runs in the benchmark's own process on
the same two cores, so its work (reading, filtering and projecting every item, one JavaScript
process for all ${SCAN_SEGMENTS} segments) is in every figure; on DynamoDB the segments are read in
parallel by the service. The restores are about 400 bytes each; a third of them match.
Read units are DynamoDB's own \`ConsumedCapacity\` (\`ReturnConsumedCapacity: TOTAL\`), summed
over the Scan pages and the \`BatchGetItem\` of the slice, as dynalite computes them (0.5 per
4 KB read, eventually consistent, the sizes of the whole items read, not of the projection).
Heap is the most the call added over what a full collection left before it; peak RSS is the
whole child process's (Node, the SDK, the bundle).

${table(['restores', 'matched, returned', 'calls', 'p50', 'p99', 'read units / call', 'store requests / call', 'heap added, most', 'peak RSS'], rows)}

Cost per million such calls at on-demand prices (us-east-1): DynamoDB $0.125 per million read
request units; Lambda on arm64 $0.0000133334 per GB-second and $0.20 per million requests, for
the p50 duration above (a local figure: on AWS the Scan's pages come from DynamoDB instead).

${table(['restores', 'DynamoDB', 'Lambda, 1024 MB (prod)', 'total, prod', 'total, 512 MB (dev)'], costRows)}

**Beyond 100,000.** Every call reads the whole table: its read units, its latency and the rows
it holds grow with the table, whatever the filter and the Range. Two changes would make a
call's cost follow its answer instead. A global secondary index keyed by \`status\`, sorted by
\`time_initiated\` (the call measured here), lets \`status in (...)\` with \`sort=-time_initiated\`
be a \`Query\` per status that reads only the slice (\`Limit\`, newest first, merged), so
\`items=0-49\` costs about 50 items' reads whatever the table holds; other sorts and filters
still scan. And a count of restores per status, kept by the table's change stream (the one
that already announces status changes), answers \`Content-Range\`'s total without reading
every item. Without them, a table of a few hundred thousand restores is about where a call
nears the function's ${TIMEOUT_S} s timeout (locally; sooner on a loaded machine) and sorts rows by
the hundred thousand in a function of 512 MB to 1 GB.`;

console.log(report);
if (record) {
  const results = new URL('./RESULTS.md', import.meta.url);
  const text = await readFile(results, 'utf8');
  if (!text.includes('<!-- list:start -->')) {
    await writeMarkdown(results, `${text.trimEnd()}\n\n## List\n\n<!-- list:start -->\n<!-- list:end -->\n`);
  }
  await writeSection(results, 'list', report);
}
