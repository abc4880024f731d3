// `npm run sync -- --from https://CONSOLE [--ca FILE] [--user NAME] [--api-version 26.0] [--dry-run]`
// One sync pass (contract section 14) against the restores table, found as `npm run import`
// finds it (cli/target.ts: the local stack unless --stage names a deployed one): the table made to agree with the console's
// list (forward-only writes, deletions of the console's own restores it no longer lists, or
// their refusal). Exit status: 0 when the pass succeeded, 1 when it failed (rejected records,
// refused deletions, a console or store failure), 2 for bad arguments.

import { printable } from '../lib/observability/printable.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { runPass, summaryLine } from '../lib/sync/pass.ts';
import { consoleSourceOf } from './console-setup.ts';
import { UsageError } from './import/args.ts';
import { Interrupted } from './read-password.ts';
import { parseSyncArgs, USAGE } from './sync/args.ts';
import { restoresTarget, TargetError } from './target.ts';

/** How long one pass from the command line may take, the console's list and the writes together. */
const PASS_MS = 15 * 60_000;

const main = async (): Promise<number> => {
  try {
    const args = parseSyncArgs(process.argv.slice(2), process.env);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const target = await restoresTarget(args.target);
    const { table } = target;
    const source = await consoleSourceOf(args.source);
    const client = tableClient(target);
    try {
      const summary = await runPass({
        console: source,
        client,
        table,
        deadline: Date.now() + PASS_MS,
        dryRun: args.dryRun,
        events: {
          // The reason may quote the record (a key, a parser's excerpt): printed, never acted on.
          rejected: (where, reason) => console.error(`rejected ${where}: ${printable(reason)}`),
          wouldWrite: (id, change) =>
            console.log(`would write ${id}: ${change === 'new' ? 'new' : `changes ${change.join(', ')}`}`),
          wouldDelete: (id) => console.log(`would delete ${id}`),
        },
      });
      for (const reason of summary.reasons) console.error(`sync failed: ${reason}`);
      console.log(summaryLine(summary));
      return summary.ok ? 0 : 1;
    } finally {
      client.destroy();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof TargetError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof Interrupted) return 130;
    // Anything unforeseen: one line, never a stack trace.
    console.error(`sync failed: ${printable(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
};

// Whatever escapes main (a bug, a failed stream): one line and exit 1, never a stack trace.
process.on('uncaughtException', (error) => {
  console.error(`sync failed: ${printable(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
process.exitCode = await main();
