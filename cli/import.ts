// `npm run import -- [--dry-run] [--force] FILE` or `npm run import -- [--dry-run] [--force] --from https://CONSOLE`
// Loads QRadar restores into RESTORES_TABLE (contract section 12): from a file holding QRadar's
// list as a JSON array or one restore per line (NDJSON), or from a live console's
// GET /api/backup_and_restore/restores. A restore further on in its lifecycle in the table is
// left as it is (stale), unless --force. Writes to the local stack (npm start's store) unless
// --stage names a deployed stage: the rule is cli/target.ts's. Exit status: 0 when every record is in the table,
// 1 when one was rejected or left unwritten or the import stopped, 2 for bad arguments.

import { createReadStream } from 'node:fs';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { printable } from '../lib/observability/printable.ts';
import { ConsoleError, consoleRecords } from '../lib/qradar-console/reader.ts';
import { decodeUtf8, InputError, recordsOf, type SourceRecord } from '../lib/qradar-console/records.ts';
import { DeadlineError } from '../lib/store/batches.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { checkFile, consoleSourceOf } from './console-setup.ts';
import { type ImportArgs, parseImportArgs, USAGE, UsageError } from './import/args.ts';
import { type Counts, importRecords } from './import/importer.ts';
import { progressBar } from './import/progress.ts';
import { Interrupted } from './read-password.ts';
import { describeStoreError, restoresTarget, type TableTarget, TargetError } from './target.ts';

type Run = Extract<ImportArgs, { help: false }>;

/** Refused before anything was read: the message, then the usage line, exit 2. */
const usage = (message: string): number => {
  console.error(`${message}\n${USAGE}`);
  return 2;
};

/** The longest a console's whole list may take to read (a million restores at ~1 s a page: 35 min). */
const CONSOLE_READ_MS = 60 * 60_000;

const NOTHING: Counts = {
  read: 0,
  written: 0,
  unchanged: 0,
  stale: 0,
  forced: 0,
  rejected: 0,
  unwritten: 0,
  wouldWrite: 0,
};

const summary = (counts: Counts, { dryRun, force }: Pick<Run, 'dryRun' | 'force'>): string =>
  `read ${counts.read}, written ${counts.written}, unchanged ${counts.unchanged}` +
  (counts.stale > 0 ? `, stale ${counts.stale}` : '') +
  `, rejected ${counts.rejected}` +
  (counts.unwritten > 0 ? `, left unwritten ${counts.unwritten}` : '') +
  (force ? `, forced ${counts.forced}` : '') +
  (dryRun ? ` (dry run: ${counts.wouldWrite} would be written)` : '');

/** An error as one line for the user: ours as they are, the store's with the table; nothing raw. */
const describe = (error: unknown, table: string, target: TableTarget): string => {
  if (error instanceof InputError || error instanceof ConsoleError) return printable(error.message);
  if (error instanceof DeadlineError) return `table ${table}: ${printable(error.message)}`;
  return `table ${table}: ${printable(describeStoreError(error, target))}`;
};

/** Where the import writes, or a usage error for arguments that name nowhere. */
const targetOf = (where: Run['target']) =>
  restoresTarget(where).catch((error: unknown) => {
    throw error instanceof TargetError ? new UsageError(error.message) : error;
  });

const run = async (args: Run): Promise<number> => {
  // The same rule as the other table tools: the local stack, or --stage's tables.
  const target = await targetOf(args.target);
  const { table } = target;
  const { source, dryRun, force } = args;

  // Everything that can be refused is, before the first record is read: the arguments, then
  // the table, with one read (no local stack running, no credentials, no such table: said at
  // once, not after a minute of retries), then the console's password.
  const size = source.kind === 'file' ? await checkFile(source.path, 'FILE') : undefined;
  const client = tableClient(target);
  try {
    try {
      await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ id: 0 }] } } }));
    } catch (error) {
      console.error(`import stopped: ${describe(error, table, target)}`);
      console.log(summary(NOTHING, args));
      return 1;
    }

    let records: AsyncIterable<SourceRecord>;
    const position = { done: 0, total: size };
    if (source.kind === 'file') {
      records = recordsOf(
        decodeUtf8(
          createReadStream(source.path, { highWaterMark: 256 * 1024 }),
          (bytes) => (position.done = bytes),
        ),
      );
    } else {
      records = consoleRecords(
        {
          ...(await consoleSourceOf(source)),
          // The whole list, however a console drips it: a bound, not a guess at its speed.
          deadline: Date.now() + CONSOLE_READ_MS,
        },
        (total) => (position.total = total),
      );
    }

    const bar = progressBar(process.stderr);
    const { counts, error } = await importRecords(
      records,
      { client, table, dryRun, force },
      {
        rejected: (where, reason) => {
          bar.clear();
          // The reason may quote the record (a key, a parser's excerpt): printed, never acted on.
          console.error(`rejected ${where}: ${printable(reason)}`);
        },
        stale: (id, stored, status, forced) => {
          if (!dryRun) return;
          bar.clear();
          const was = typeof stored === 'string' ? printable(stored) : 'further on';
          console.log(
            `${forced ? 'would force' : 'would skip'} ${id}: ${printable(String(status ?? 'no status'))} is older than the table's ${was}`,
          );
        },
        wouldWrite: (id, change) => {
          bar.clear();
          console.log(`would write ${id}: ${change === 'new' ? 'new' : `changes ${change.join(', ')}`}`);
        },
        progress: (counts) =>
          bar.update(source.kind === 'file' ? position.done : counts.read, position.total, counts.read),
      },
    );
    bar.finish();
    if (error !== undefined) console.error(`import stopped: ${describe(error, table, target)}`);
    console.log(summary(counts, args));
    return error === undefined && counts.rejected === 0 && counts.unwritten === 0 ? 0 : 1;
  } finally {
    client.destroy();
  }
};

const main = async (): Promise<number> => {
  try {
    const args = parseImportArgs(process.argv.slice(2), process.env);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    if (error instanceof Interrupted) return 130;
    // Anything unforeseen: one line, never a stack trace.
    console.error(`import failed: ${printable(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
};

// Whatever escapes main (a bug, a failed stream): one line and exit 1, never a stack trace.
process.on('uncaughtException', (error) => {
  console.error(`import failed: ${printable(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
process.exitCode = await main();
