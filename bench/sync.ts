// `npm run bench:sync [-- --record]`: one sync pass (lib/sync/pass.ts, as every way of running
// it runs it) against a stand-in console over HTTPS listing 1,000 restores, into dynalite in
// this process: a first pass into an empty table, then passes where 10 restores moved on
// and where nothing changed (which must write nothing). Reports each pass's duration,
// DynamoDB writes and capacity units and console requests, and from them the monthly cost
// at one pass a minute. With --record, writes them into bench/RESULTS.md under "## Sync".

import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { toJsonText } from '../lib/qradar/json.ts';
import { RESTORE_GROUPS, type Restore } from '../lib/restore/fields.ts';
import { runPass, type Summary } from '../lib/sync/pass.ts';
import { createTable, localClient, startDynalite } from '../local/dynalite.ts';
import { startConsoleStandIn } from '../local/harness/qradar-console.ts';
import { machine, table, writeMarkdown, writeSection } from './report.ts';

const COUNT = 1000;
const CHANGED = 10;
/** Passes measured per case: the median is reported. */
const PASSES = 7;
const TOKEN = 'bench-console-token';
const record = process.argv.includes('--record');

const STATUSES = ['PENDING', 'REQUESTING', 'INITIALIZING', 'IN_PROGRESS', 'SUCCESS'] as const;

/** Restore `i` at lifecycle step `step` (0: PENDING ... 4: SUCCESS), Longs above 2^53. */
const restore = (i: number, step: number): Restore => {
  const n = BigInt(i);
  const status = STATUSES[Math.min(step, STATUSES.length - 1)] ?? 'SUCCESS';
  const done = status === 'SUCCESS';
  return {
    id: 9_007_199_254_740_993n + n,
    initiated_by: i % 7 === 0 ? 'backup-service' : 'admin',
    host_id: 9_223_372_036_854_775_807n - (n % 64n),
    time_initiated: 1_767_225_600_000n + n * 60_000n,
    time_completed: done ? 1_767_225_600_000n + n * 60_000n + 600_000n : null,
    status,
    is_cross_deployment_restore: i % 11 === 0,
    backup_id: done ? null : 1000n + n,
    backup_name: `Nightly configuration backup ${i}`,
    backup_version: '7.5.0',
    backup_type: 'CONFIG',
    backup_filename: `backup.nightly.7_5_0.${i}.config.tgz`,
    groups: RESTORE_GROUPS.filter((_, g) => (i >> g) & 1),
  };
};

const steps = Array.from({ length: COUNT }, (_, i) => i % 4);
const list = () => steps.map((step, i) => toJsonText(restore(i, step)));

const store = await startDynalite(0);
const client = localClient(store.endpoint);
const qradar = await startConsoleStandIn({ token: TOKEN, user: 'bench', password: 'bench' });
const ca = await readFile(qradar.caFile, 'utf8');
await createTable(client, 'RestoresTable', 'restores');

const pass = (): Promise<Summary> =>
  runPass({
    console: { origin: qradar.origin, credentials: { sec: TOKEN }, version: '26.0', pageSize: 500, ca },
    client,
    table: 'restores',
    deadline: Date.now() + 50_000,
  });

interface Case {
  readonly label: string;
  readonly passes: Summary[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

// The machine may be shared: what else ran says how far to trust the times.
const loadAtStart = loadavg()[0] ?? 0;
const cases: Case[] = [];
try {
  qradar.restores = list();
  cases.push({ label: `first pass: ${COUNT.toLocaleString('en-US')} new restores`, passes: [await pass()] });
  const changed: Summary[] = [];
  const unchanged: Summary[] = [];
  for (let round = 0; round < PASSES; round++) {
    // Ten restores move one step on in their lifecycle, spread over the list.
    for (let k = 0; k < CHANGED; k++) {
      const i = (round * CHANGED + k) * Math.floor(COUNT / (CHANGED * PASSES));
      steps[i] = (steps[i] ?? 0) + 1;
    }
    qradar.restores = list();
    changed.push(await pass());
    unchanged.push(await pass());
  }
  cases.push({ label: `${CHANGED} of ${COUNT.toLocaleString('en-US')} changed`, passes: changed });
  cases.push({ label: 'nothing changed', passes: unchanged });
} finally {
  client.destroy();
  await qradar.close();
  await store.close();
}

for (const { label, passes } of cases) {
  for (const summary of passes) {
    if (!summary.ok) throw new Error(`${label}: the pass failed: ${summary.reasons.join('; ')}`);
  }
}
const steady = cases.filter((c) => c.passes.length > 1);
const nothing = cases.at(-1)?.passes ?? [];
if (nothing.some((s) => s.written > 0 || s.writeUnits > 0))
  throw new Error('a pass with nothing changed wrote');

// On-demand prices in us-east-1 (list prices, per million units or per GB), and what a pass
// adds to the log: its JSON line and its EMF line (about 450 and 640 bytes), and Lambda's
// START, END and REPORT lines (about 600 bytes with JSON logs).
const PRICE = {
  readUnitsPerMillion: 0.125,
  writeUnitsPerMillion: 0.625,
  lambdaGbSecondArm: 0.0000133334,
  lambdaRequestsPerMillion: 0.2,
  logsIngestedPerGb: 0.5,
  secretPerMonth: 0.4,
  customMetricPerMonth: 0.3,
  alarmMetricPerMonth: 0.1,
};
const PASSES_A_MONTH = 60 * 24 * 30;
const LOG_BYTES_A_PASS = 450 + 640 + 600;
const MEMORY_GB = 0.5;
const SYNC_METRICS = 8;
/** Metrics the sync's alarms evaluate: the no-success alarm 2, the two others 1 each, and the monitoring plugin's 3 (errors 2, throttles 1, duration 1). */
const ALARM_METRICS = 2 + 1 + 1 + 4;

const costOf = (passes: Summary[]) => {
  const readUnits = median(passes.map((s) => s.readUnits));
  const writeUnits = median(passes.map((s) => s.writeUnits));
  const seconds = median(passes.map((s) => s.durationMs)) / 1000;
  const dynamo =
    (readUnits * PASSES_A_MONTH * PRICE.readUnitsPerMillion +
      writeUnits * PASSES_A_MONTH * PRICE.writeUnitsPerMillion) /
    1e6;
  const lambda =
    PASSES_A_MONTH * seconds * MEMORY_GB * PRICE.lambdaGbSecondArm +
    (PASSES_A_MONTH * PRICE.lambdaRequestsPerMillion) / 1e6;
  const logs = ((PASSES_A_MONTH * LOG_BYTES_A_PASS) / 2 ** 30) * PRICE.logsIngestedPerGb;
  const secrets = PRICE.secretPerMonth;
  const metrics = SYNC_METRICS * PRICE.customMetricPerMonth + ALARM_METRICS * PRICE.alarmMetricPerMonth;
  return { dynamo, lambda, logs, secrets, metrics, total: dynamo + lambda + logs + secrets + metrics };
};
const usd = (value: number) => `$${value.toFixed(2)}`;

const report = `Command: \`npm run bench:sync -- --record\` (bench/sync.ts). Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Load average (1 min) at the start: ${loadAtStart.toFixed(1)}.
One sync pass as \`npm run sync\`, \`npm start\` and syncRestores run it (lib/sync/pass.ts, in this
process), against the stand-in console over HTTPS (pages of 500, so 2 requests for 1,000
restores, every Long above 2^53) into dynalite on the same cores. Capacity units are
DynamoDB's own accounting as dynalite reports it (\`ReturnConsumedCapacity\`): the Scan is
eventually consistent (half a unit per 4 KB read), each changed restore one conditional
PutItem. Times are the median of ${PASSES} passes (the first pass: one), on this machine and
a local store: on Lambda, add the network to DynamoDB and to the console.

${table(
  [
    'pass',
    'read',
    'written',
    'unchanged',
    'duration',
    'DynamoDB writes',
    'write units',
    'read units',
    'console requests',
  ],
  cases.map(({ label, passes }) => {
    const m = (pick: (s: Summary) => number) => median(passes.map(pick));
    return [
      label,
      m((s) => s.read),
      m((s) => s.written),
      m((s) => s.unchanged),
      `${m((s) => s.durationMs)} ms`,
      m((s) => s.written + s.deleted),
      m((s) => s.writeUnits),
      m((s) => s.readUnits),
      m((s) => s.consoleRequests),
    ];
  }),
)}

Monthly cost at one pass a minute (${PASSES_A_MONTH.toLocaleString('en-US')} passes; us-east-1 on-demand list prices; Lambda
arm64 at 512 MB for the measured duration; logs at ${LOG_BYTES_A_PASS} bytes a pass; the token's secret
(a CA bundle's secret adds $0.40); ${SYNC_METRICS} custom metrics and the alarms' ${ALARM_METRICS} metrics):

${table(
  ['case', 'DynamoDB', 'Lambda', 'logs', 'Secrets Manager', 'metrics and alarms', 'total'],
  steady.map(({ label, passes }) => {
    const cost = costOf(passes);
    return [
      label,
      usd(cost.dynamo),
      usd(cost.lambda),
      usd(cost.logs),
      usd(cost.secrets),
      usd(cost.metrics),
      usd(cost.total),
    ];
  }),
)}`;

console.log(report);
if (record) {
  const results = new URL('./RESULTS.md', import.meta.url);
  const text = await readFile(results, 'utf8');
  if (!text.includes('<!-- sync:start -->')) {
    await writeMarkdown(results, `${text.trimEnd()}\n\n## Sync\n\n<!-- sync:start -->\n<!-- sync:end -->\n`);
  }
  await writeSection(results, 'sync', report);
}
