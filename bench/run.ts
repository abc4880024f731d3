// `npm run bench`: ours against the floor (bench/floor.ts), in one run on one machine.
//   bundle size (minified, gzip) · cold start (median of fresh processes: import, first
//   invocation against dynalite) · warm latency against dynalite (p50/p99, invocations/s),
//   with the restore cache off (dev, local) and on (prod's TTL, a hot restore) · warm CPU per
//   invocation over an in-process stub request handler · peak RSS.
// Prints the tables; `npm run bench -- --record` writes them into bench/RESULTS.md.

import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DEFAULT_REGION } from '../lib/config.ts';
import { LOCAL_TABLES, tableEnv } from '../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../lib/store/tool-client.ts';
import { startLocalStore } from '../local/dynalite.ts';
import { httpV2Event } from '../local/harness/events.ts';
import { getItemReply, stubDependencies } from '../local/harness/stub-handler.ts';
import { buildBundle } from '../scripts/build.ts';
import { createFloor } from './floor.ts';
import { quietStdout } from './quiet-stdout.ts';
import { blockOf, machine, table, writeMarkdown } from './report.ts';

// The handler module reads its table names when imported, as at a cold start; the floor reads
// the restores table's per call.
Object.assign(process.env, tableEnv());
const { createHandler } = await import('../handlers/getRestore.ts');

const COLD_RUNS = 21;
const WARM_COUNT = 2000;
const CPU_COUNT = 20_000;
const TOKEN = 'bench-token';
/** prod's restoreCacheTtlMs (serverless.yml). */
const PROD_CACHE_TTL_MS = '1000';
const BUNDLE_LIMIT = 204_800;
const run = promisify(execFile);

const out = new URL('./out/', import.meta.url);
await mkdir(out, { recursive: true });
const bundles = {
  ours: new URL('getRestore.mjs', out).pathname,
  bare: new URL('getRestore-without-observability.mjs', out).pathname,
  floor: new URL('floor.mjs', out).pathname,
  projected: new URL('floor-projected.mjs', out).pathname,
};
/** The deployable bundle again, run as prod runs it: the restore cache on. */
const cachedBundle = bundles.ours;
await buildBundle('handlers/getRestore.ts', bundles.ours);
await buildBundle('handlers/getRestore.ts', bundles.bare, {
  [new URL('../lib/observability/observe.ts', import.meta.url).pathname]: new URL(
    './without-observability.ts',
    import.meta.url,
  ).pathname,
});
await buildBundle('bench/floor.ts', bundles.floor);
await buildBundle('bench/floor-projected.ts', bundles.projected);
const size = async (file: string) => {
  const bytes = await readFile(file);
  return { minified: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const sizes = {
  ours: await size(bundles.ours),
  bare: await size(bundles.bare),
  floor: await size(bundles.floor),
};

// dynalite with one restore and one service, as both handlers read them.
const store = await startLocalStore(0, {
  restores: [
    // Numbers a double holds: the floor's plain unmarshalling could not return more.
    { id: 42n, status: 'SUCCESS', initiated_by: 'admin', host_id: 53n, groups: ['USERS_CONFIG'] },
  ],
  services: [{ name: 'bench', capabilities: ['ADMIN'], token: TOKEN }],
});

const env = {
  ...process.env,
  DYNAMODB_ENDPOINT: store.endpoint,
  ...tableEnv(),
  AWS_REGION: DEFAULT_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
};
const events = {
  ours: JSON.stringify(httpV2Event({ id: '42', headers: { SEC: TOKEN } })),
  bare: JSON.stringify(httpV2Event({ id: '42', headers: { SEC: TOKEN } })),
  floor: JSON.stringify(httpV2Event({ id: '42' })),
  projected: JSON.stringify(httpV2Event({ id: '42' })),
};
type Side = keyof typeof bundles | 'cached';
/** The two sides of every comparison; the projected floor is measured warm only, ours
 * without observability cold and warm (what observability costs). */
type Compared = 'ours' | 'floor';
const sides: Compared[] = ['ours', 'floor'];

const child = async (script: string, side: Side, ...extra: string[]) => {
  const [bundle, event, sideEnv] =
    side === 'cached'
      ? [cachedBundle, events.ours, { ...env, RESTORE_CACHE_TTL_MS: PROD_CACHE_TTL_MS }]
      : [bundles[side], events[side], env];
  try {
    const { stdout } = await run(process.execPath, [script, bundle, event, ...extra], {
      env: sideEnv,
      maxBuffer: 64 * 2 ** 20,
    });
    // The handler's own lines come first; the child's figures are the last line.
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    throw new Error(`${script} ${side} failed: ${stderr.split('\n').slice(-8).join('\n').slice(-2000)}`);
  }
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

// Cold starts, the two sides taking turns so that drift in the machine hits both alike.
type ColdSide = Compared | 'bare';
const cold: Record<ColdSide, { importMs: number; firstMs: number; rssKiB: number }[]> = {
  ours: [],
  bare: [],
  floor: [],
};
for (let i = 0; i < COLD_RUNS; i++) {
  for (const side of [...sides, 'bare'] as const)
    cold[side].push((await child('bench/cold-child.ts', side)) as (typeof cold)[ColdSide][number]);
}

// Warm against dynalite: four fresh processes per side, taking turns. `cached` polls the one
// restore with prod's cache TTL: after its first read, each container reads it once a TTL.
const warm: Record<Side, { latencies: number[]; perSecond: number[]; rssKiB: number[] }> = {
  ours: { latencies: [], perSecond: [], rssKiB: [] },
  cached: { latencies: [], perSecond: [], rssKiB: [] },
  bare: { latencies: [], perSecond: [], rssKiB: [] },
  floor: { latencies: [], perSecond: [], rssKiB: [] },
  projected: { latencies: [], perSecond: [], rssKiB: [] },
};
for (let round = 0; round < 4; round++) {
  for (const side of [...sides, 'cached', 'bare', 'projected'] as const) {
    const result = (await child('bench/warm-child.ts', side, String(WARM_COUNT / 4))) as {
      latencies: number[];
      perSecond: number;
      rssKiB: number;
    };
    warm[side].latencies.push(...result.latencies);
    warm[side].perSecond.push(result.perSecond);
    warm[side].rssKiB.push(result.rssKiB);
  }
}
await store.close();

// Warm CPU over the stub request handler: the SDK's stack runs, no socket, so what is left is
// each handler's own CPU. Blocks taking turns, user+system time per invocation.
const stubClient = () =>
  stubDependencies(({ body }) =>
    body['TableName'] === LOCAL_TABLES.authorizedServicesTable
      ? getItemReply({ name: { S: 'bench' }, capabilities: { SS: ['ADMIN'] } })
      : getItemReply({ id: { N: '42' }, status: { S: 'SUCCESS' }, host_id: { N: '53' } }),
  );
const inProcess = {
  ours: {
    handler: createHandler(stubClient()) as (e: unknown, c: unknown) => Promise<unknown>,
    event: JSON.parse(events.ours),
  },
  floor: {
    handler: createFloor(stubClient().client) as (e: never) => Promise<unknown>,
    event: JSON.parse(events.floor),
  },
};
const cpu: Record<Compared, number[]> = { ours: [], floor: [] };
// Ours writes one line a request (the access line with its metrics): to /dev/null.
const loud = quietStdout();
// Ten seconds left on every call, as Lambda gives each invocation a fresh context.
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 };
for (let block = 0; block < 11; block++) {
  for (const side of ['ours', 'floor'] as const) {
    const { handler, event } = inProcess[side];
    const count = block === 0 ? 2000 : CPU_COUNT / 10;
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++)
      await (handler as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
    const used = process.cpuUsage(before);
    if (block > 0) cpu[side].push((used.user + used.system) / count); // block 0 warms up
  }
}
loud();

// Figures and ratios.
const row = (label: string, ours: number, floor: number, unit: string, digits = 1, target?: number) => {
  const ratio = ours / floor;
  return [
    label,
    `${ours.toFixed(digits)} ${unit}`,
    `${floor.toFixed(digits)} ${unit}`,
    ratio.toFixed(2),
    target === undefined ? '' : `≤ ${target.toFixed(2)}: ${ratio <= target ? 'met' : 'missed'}`,
  ];
};
const coldMedian = (side: ColdSide, key: 'importMs' | 'firstMs' | 'rssKiB') =>
  median(cold[side].map((r) => r[key]));
const coldTotal = (side: ColdSide) => median(cold[side].map((r) => r.importMs + r.firstMs));
const sorted = (side: keyof typeof warm) => [...warm[side].latencies].sort((a, b) => a - b);
const kib = (bytes: number) => bytes / 1024;

const rows = [
  row('bundle, minified', kib(sizes.ours.minified), kib(sizes.floor.minified), 'KiB', 1),
  row('bundle, gzip', kib(sizes.ours.gzip), kib(sizes.floor.gzip), 'KiB', 1),
  row('cold: import (median)', coldMedian('ours', 'importMs'), coldMedian('floor', 'importMs'), 'ms'),
  row('cold: first invocation (median)', coldMedian('ours', 'firstMs'), coldMedian('floor', 'firstMs'), 'ms'),
  row('cold: import + first invocation (median)', coldTotal('ours'), coldTotal('floor'), 'ms', 1, 1.25),
  row(
    'cold: peak RSS (median)',
    coldMedian('ours', 'rssKiB') / 1024,
    coldMedian('floor', 'rssKiB') / 1024,
    'MiB',
  ),
  row(
    'warm, dynalite: p50 (restore cache off: dev, local)',
    percentile(sorted('ours'), 0.5),
    percentile(sorted('floor'), 0.5),
    'ms',
    3,
    1.1,
  ),
  row(
    'warm, dynalite: p50, restore cache on (prod: a hot restore)',
    percentile(sorted('cached'), 0.5),
    percentile(sorted('floor'), 0.5),
    'ms',
    3,
    0.5,
  ),
  row('warm, dynalite: p99', percentile(sorted('ours'), 0.99), percentile(sorted('floor'), 0.99), 'ms', 3),
  row(
    'warm, dynalite: p50, ours / floor with the same projection',
    percentile(sorted('ours'), 0.5),
    percentile(sorted('projected'), 0.5),
    'ms',
    3,
  ),
  row(
    'warm, dynalite: p50, ours without observability / floor',
    percentile(sorted('bare'), 0.5),
    percentile(sorted('floor'), 0.5),
    'ms',
    3,
  ),
  row('warm, dynalite: invocations/s', median(warm.ours.perSecond), median(warm.floor.perSecond), '/s', 0),
  row(
    'warm, dynalite: peak RSS',
    Math.max(...warm.ours.rssKiB) / 1024,
    Math.max(...warm.floor.rssKiB) / 1024,
    'MiB',
  ),
  row('warm, stub: CPU per invocation (median block)', median(cpu.ours), median(cpu.floor), 'µs', 1, 1.5),
];

// What observability costs: ours against the same bundle without lib/observability/observe.ts (and so
// without lib/observability/log.ts, lib/observability/metrics.ts and lib/observability/stack-trace.ts), same run.
const OBSERVABILITY_BYTES = 12 * 1024;
const addedBytes = sizes.ours.minified - sizes.bare.minified;
const observabilityRows = [
  [
    'bundle, minified',
    `${kib(sizes.ours.minified).toFixed(1)} KiB`,
    `${kib(sizes.bare.minified).toFixed(1)} KiB`,
    `+${(addedBytes / 1024).toFixed(1)} KiB`,
    `≤ +12 KiB: ${addedBytes <= OBSERVABILITY_BYTES ? 'met' : 'missed'}`,
  ],
  row('cold: import + first invocation (median)', coldTotal('ours'), coldTotal('bare'), 'ms', 1, 1.05),
  row('cold: import (median)', coldMedian('ours', 'importMs'), coldMedian('bare', 'importMs'), 'ms'),
  row('cold: first invocation (median)', coldMedian('ours', 'firstMs'), coldMedian('bare', 'firstMs'), 'ms'),
  row('warm, dynalite: p50', percentile(sorted('ours'), 0.5), percentile(sorted('bare'), 0.5), 'ms', 3),
];

const report = `# Benchmark results

Command: \`npm run bench -- --record\` (bench/run.ts). Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.
Every figure of ours sits beside the floor's from the same run; ratio = ours / floor.

- **floor**: \`bench/floor.ts\`, the same \`GetItem\` with no middleware, validation,
  projection or authentication, built by the same \`buildBundle\` with the same options
  (\`esbuild.config.cjs\`: ESM, minified, \`mainFields: module,main\`, env-only credentials).
- **floor with the same projection** (one row): \`bench/floor-projected.ts\`, the floor
  whose \`GetItem\` carries the \`ProjectionExpression\` ours sends, to tell the store's
  cost of that projection from our code's.
- **ours**: \`handlers/getRestore.ts\`, the deployable bundle, called as API Gateway would
  with a \`SEC\` token (so its first invocation also reads the authorized services table).
- cold: ${COLD_RUNS} fresh Node processes per side, taking turns; import and first invocation
  timed apart, against dynalite on loopback.
- warm, dynalite: ${WARM_COUNT} invocations per side, in four fresh processes per side
  (each warmed up by 2,000 first), taking turns. Ours runs twice: with the restore cache off
  (\`RESTORE_CACHE_TTL_MS\` unset, as dev and local run) and on (${PROD_CACHE_TTL_MS} ms, prod's
  setting), where the same restore polled again is answered from the container's cache.
- warm, stub: the SDK's whole stack over an in-process stub request handler (no socket), so
  the figure is the handler's own CPU; ${CPU_COUNT} invocations per side in blocks taking turns.

${table(['measure', 'ours', 'floor', 'ratio', 'target'], rows)}

Bundle target: at most ${BUNDLE_LIMIT.toLocaleString('en-US')} bytes minified: ours is ${sizes.ours.minified.toLocaleString('en-US')} bytes (${kib(sizes.ours.minified).toFixed(1)} KiB), ${sizes.ours.minified <= BUNDLE_LIMIT ? 'met' : 'missed'}.

## What observability costs

Ours beside the same bundle built with \`bench/without-observability.ts\` in place of
\`lib/observability/observe.ts\` (no access line, no metrics, no readable stacks), cold starts from the same
${COLD_RUNS} rounds, taking turns, and warm latency from the same four rounds. Targets: at
most 12 KiB more bundle, at most 5 % more cold start.

${table(['measure', 'ours', 'without observability', 'ratio', 'target'], observabilityRows)}
`;
const notes = await readFile(new URL('./NOTES.md', import.meta.url), 'utf8');
const results = new URL('./RESULTS.md', import.meta.url);
// `npm run bench:import`, `bench:list` and `bench:sync` keep their own sections at the end: carried over as they are.
const previous = await readFile(results, 'utf8').catch(() => '');
const kept = [
  blockOf(previous, '## Import', 'import'),
  blockOf(previous, '## List', 'list'),
  blockOf(previous, '## Sync', 'sync'),
].filter(Boolean);
console.log(report);
await writeMarkdown(results, `${report}\n${notes}${kept.map((block) => `\n${block}\n`).join('')}`);
