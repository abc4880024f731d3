// `npm run bench:import`: `npm run import` on generated QRadar lists of 10,000 and 100,000
// restores into dynalite (in this process, on the same machine), then the 100,000 again
// (every record unchanged). Measures the import's peak RSS and throughput and prints them;
// `npm run bench:import -- --record` writes them into bench/RESULTS.md under "## Import".

import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { toJsonText } from '../lib/qradar/json.ts';
import { RESTORE_GROUPS, RESTORE_STATUSES, type Restore } from '../lib/restore/fields.ts';
import { LOCAL_CREDENTIALS } from '../lib/store/tool-client.ts';
import { createTable, localClient, startDynalite } from '../local/dynalite.ts';
import { machine, table, writeMarkdown, writeSection } from './report.ts';

const SIZES = [10_000, 100_000] as const;
const run = promisify(execFile);
const out = new URL('./out/', import.meta.url);
await mkdir(out, { recursive: true });

/** Restore number `i`, its Longs above 2^53 and at the 64-bit edge, as QRadar's list has them. */
const restore = (i: number): Restore => {
  const n = BigInt(i);
  const status = RESTORE_STATUSES[i % RESTORE_STATUSES.length] ?? 'SUCCESS';
  const done = status === 'FAILED' || status === 'SUCCESS';
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

/** A JSON array of `count` restores, written as it is made: the bench holds none of it either. */
const generate = async (count: number): Promise<URL> => {
  const file = new URL(`restores-${count}.json`, out);
  const stream = createWriteStream(file);
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  await write('[\n');
  for (let i = 0; i < count; i++) await write(`${i === 0 ? '' : ',\n'}${toJsonText(restore(i))}`);
  await write('\n]\n');
  stream.end();
  await once(stream, 'finish');
  return file;
};

const store = await startDynalite(0);
const setup = localClient(store.endpoint);
const memoryFile = new URL('import-memory.json', out).pathname;

interface Measure {
  readonly label: string;
  readonly count: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly peakMiB: number;
  /** The highest RSS sampled in each quarter of the run: flat when memory does not grow. */
  readonly quartersMiB: number[];
  /** The most heap left live by any full collection: what the import really holds. */
  readonly liveMiB: number | undefined;
  readonly summary: string;
}

const MiB = 2 ** 20;

const quarterPeaks = (samples: [number, number][]): number[] => {
  const end = samples.at(-1)?.[0] ?? 1;
  return [1, 2, 3, 4].map(
    (q) =>
      Math.max(
        0,
        ...samples.filter(([ms]) => ms > ((q - 1) * end) / 4 && ms <= (q * end) / 4).map(([, rss]) => rss),
      ) / MiB,
  );
};

const importOnce = async (label: string, count: number, file: URL, tableName: string): Promise<Measure> => {
  const started = process.hrtime.bigint();
  const { stdout } = await run(
    process.execPath,
    ['--import', './bench/memory-probe.ts', 'cli/import.ts', file.pathname],
    {
      env: {
        ...process.env,
        DYNAMODB_ENDPOINT: store.endpoint,
        RESTORES_TABLE: tableName,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        MEMORY_FILE: memoryFile,
      },
      maxBuffer: 2 ** 20,
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const memory = JSON.parse(await readFile(memoryFile, 'utf8')) as {
    peakBytes: number;
    samples: [number, number][];
    liveHeapBytes: number[];
  };
  const peakMiB = memory.peakBytes / MiB;
  const quartersMiB = quarterPeaks(memory.samples);
  const liveMiB = memory.liveHeapBytes.length === 0 ? undefined : Math.max(...memory.liveHeapBytes) / MiB;
  const summary = stdout.trim();
  console.log(`${label}: ${summary} in ${seconds.toFixed(1)} s, peak RSS ${peakMiB.toFixed(1)} MiB`);
  return { label, count, bytes: (await stat(file)).size, seconds, peakMiB, quartersMiB, liveMiB, summary };
};

// The machine may be shared: what else ran says how far to trust the times.
const loadAtStart = loadavg()[0] ?? 0;
const measures: Measure[] = [];
try {
  for (const count of SIZES) {
    const file = await generate(count);
    const tableName = `restores_${count}`;
    await createTable(setup, 'RestoresTable', tableName);
    measures.push(
      await importOnce(`${count.toLocaleString('en-US')} restores, empty table`, count, file, tableName),
    );
    if (count === SIZES.at(-1)) {
      measures.push(
        await importOnce(
          `${count.toLocaleString('en-US')} restores again, all unchanged`,
          count,
          file,
          tableName,
        ),
      );
    }
  }
} finally {
  setup.destroy();
  await store.close();
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const report = `Command: \`npm run bench:import -- --record\` (bench/import.ts). Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}. Load average (1 min) at the start: ${loadAtStart.toFixed(1)}.
\`npm run import\` as a user runs it (a child process, reading a generated file of QRadar's list,
every Long above 2^53), against dynalite in the benchmark's own process on the same cores.
Peak RSS is the import process's own (getrusage); the quarters column is the highest RSS
sampled (every 250 ms) in each quarter of the run, to show whether memory grows as the file
is read; live heap is the most any full garbage collection left in use (V8's GCProfiler), the
memory the import actually holds, where RSS also counts V8's room to allocate before
collecting. Throughput is restores read per second of the whole run, start-up included.

${table(
  [
    'run',
    'file',
    'summary',
    'time',
    'restores/s',
    'peak RSS',
    'RSS by quarter of the run',
    'live heap, most',
  ],
  measures.map((m) => [
    m.label,
    mib(m.bytes),
    m.summary,
    `${m.seconds.toFixed(1)} s`,
    Math.round(m.count / m.seconds).toLocaleString('en-US'),
    `${m.peakMiB.toFixed(1)} MiB`,
    `${m.quartersMiB.map((q) => q.toFixed(0)).join(' / ')} MiB`,
    m.liveMiB === undefined ? 'no full GC' : `${m.liveMiB.toFixed(1)} MiB`,
  ]),
)}`;

console.log(report);
const results = new URL('./RESULTS.md', import.meta.url);
const text = await readFile(results, 'utf8');
if (!text.includes('<!-- import:start -->')) {
  await writeMarkdown(
    results,
    `${text.trimEnd()}\n\n## Import\n\n<!-- import:start -->\n<!-- import:end -->\n`,
  );
}
await writeSection(results, 'import', report);
