// `npm run sync`'s command line and environment, checked before the console is asked anything.

import { parseArgs } from 'node:util';
import { type ConsoleArgs, consoleFrom, refuseRepeats, targetFrom, UsageError } from '../import/args.ts';
import { TARGET_OPTIONS, TARGET_USAGE, type TargetArgs } from '../target.ts';

export const USAGE = [
  `usage: npm run sync -- --from https://CONSOLE [--ca FILE] [--user NAME] [--api-version 26.0] [--page-size 500] [--dry-run] ${TARGET_USAGE} [--table T]`,
  '  writes to the local stack (npm start: DYNAMODB_ENDPOINT or http://127.0.0.1:8000) unless --stage names a deployed one',
].join('\n');

export type SyncArgs =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly dryRun: boolean;
      readonly source: ConsoleArgs;
      /** Where to write (cli/target.ts's rule) and, with --table, which table. */
      readonly target: TargetArgs & { readonly table?: string };
    };

const options = {
  from: { type: 'string' },
  ca: { type: 'string' },
  user: { type: 'string' },
  'api-version': { type: 'string' },
  'page-size': { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  table: { type: 'string' },
  ...TARGET_OPTIONS,
} as const;

const parse = (argv: readonly string[]) => {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    // parseArgs's own words ("Unknown option '--x'"); it throws nothing else for bad input.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

/** The sync's arguments; throws UsageError, with a message for the user, for anything else. */
export const parseSyncArgs = (argv: readonly string[], env: NodeJS.ProcessEnv): SyncArgs => {
  const { values, tokens } = parse(argv);
  refuseRepeats(tokens);
  if (values.help) return { help: true };
  if (values.from === undefined) throw new UsageError('--from https://CONSOLE is required');
  const source = consoleFrom({ ...values, from: values.from }, env);
  return { help: false, dryRun: values['dry-run'] ?? false, target: targetFrom(values), source };
};
