// `npm run import -- [--dry-run] FILE` or `npm run import -- [--dry-run] --from https://CONSOLE`
// Loads QRadar restores into RESTORES_TABLE (contract section 12): from a file holding QRadar's
// list as a JSON array or one restore per line (NDJSON), or from a live console's
// GET /api/backup_and_restore/restores. Writes to the local stack (npm start's store) unless
// --stage names a deployed stage: the rule is cli/target.ts's. Exit status: 0 when every record is in the table,
// 1 when one was rejected or left unwritten or the import stopped, 2 for bad arguments.

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { DeadlineError } from '../lib/store/batches.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { type ImportArgs, parseImportArgs, USAGE, UsageError } from './import/args.ts';
import { type Counts, importRecords } from './import/importer.ts';
import { progressBar } from './import/progress.ts';
import { ConsoleError, consoleRecords } from './import/qradar-console.ts';
import { decodeUtf8, InputError, recordsOf, type SourceRecord } from './import/records.ts';
import { Interrupted, readPassword } from './read-password.ts';
import { describeStoreError, resolveTarget, type TableTarget, TargetError } from './target.ts';

type Run = Extract<ImportArgs, { help: false }>;

/** Refused before anything was read: the message, then the usage line, exit 2. */
const usage = (message: string): number => {
  console.error(`${message}\n${USAGE}`);
  return 2;
};

/** A file that can be read, or why not (as a usage error: nothing has started). */
const checkFile = async (path: string, what: string): Promise<number> => {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${what} is not a file: ${path}`);
    return info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      code === 'ENOENT' ? `no such file: ${path}` : `cannot read ${path} (${String(code)})`,
    );
  }
};

const NOTHING: Counts = { read: 0, written: 0, unchanged: 0, rejected: 0, unwritten: 0, wouldWrite: 0 };

const summary = (counts: Counts, dryRun: boolean): string =>
  `read ${counts.read}, written ${counts.written}, unchanged ${counts.unchanged}, rejected ${counts.rejected}` +
  (counts.unwritten > 0 ? `, left unwritten ${counts.unwritten}` : '') +
  (dryRun ? ` (dry run: ${counts.wouldWrite} would be written)` : '');

/** An error as one line for the user: ours as they are, the store's with the table. */
const describe = (error: unknown, table: string, target: TableTarget): string => {
  if (error instanceof InputError || error instanceof ConsoleError) return error.message;
  if (error instanceof DeadlineError) return `table ${table}: ${error.message}`;
  return `table ${table}: ${describeStoreError(error, target)}`;
};

/** Where the import writes, or a usage error for arguments that name nowhere. */
const targetOf = async ({ table, ...where }: Run['target']): Promise<TableTarget & { table: string }> => {
  try {
    const target = await resolveTarget(where);
    return { ...target, table: table ?? target.tables.restoresTable };
  } catch (error) {
    throw error instanceof TargetError ? new UsageError(error.message) : error;
  }
};

const run = async (args: Run): Promise<number> => {
  // The same rule as the other table tools: the local stack, or --stage's tables.
  const target = await targetOf(args.target);
  const { table } = target;
  const { source, dryRun } = args;

  // Everything that can be refused is, before the first record is read: the arguments, then
  // the table, with one read (no local stack running, no credentials, no such table: said at
  // once, not after a minute of retries), then the console's password.
  const size = source.kind === 'file' ? await checkFile(source.path, 'FILE') : undefined;
  const ca =
    source.kind === 'console' && source.ca !== undefined
      ? await checkFile(source.ca, '--ca').then(() => readFile(source.ca as string))
      : undefined;
  const client = tableClient(target);
  try {
    try {
      await client.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [{ id: 0 }] } } }));
    } catch (error) {
      console.error(`import stopped: ${describe(error, table, target)}`);
      console.log(summary(NOTHING, dryRun));
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
      const credentials =
        'sec' in source.auth
          ? source.auth
          : { user: source.auth.user, password: await readPassword(`Password for ${source.auth.user}: `) };
      if ('password' in credentials && credentials.password === '')
        throw new UsageError('no password was given');
      records = consoleRecords(
        {
          origin: source.origin,
          credentials,
          version: source.version,
          pageSize: source.pageSize,
          ...(ca === undefined ? {} : { ca }),
        },
        (total) => (position.total = total),
      );
    }

    const bar = progressBar(process.stderr);
    const { counts, error } = await importRecords(
      records,
      { client, table, dryRun },
      {
        rejected: (where, reason) => {
          bar.clear();
          console.error(`rejected ${where}: ${reason}`);
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
    console.log(summary(counts, dryRun));
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
    console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
};

// Whatever escapes main (a bug, a failed stream): one line and exit 1, never a stack trace.
process.on('uncaughtException', (error) => {
  console.error(`import failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
process.exitCode = await main();
