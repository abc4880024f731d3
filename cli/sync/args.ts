// `npm run sync`'s command line and environment, checked before the console is asked anything.

import { parseArgs } from 'node:util';
import { isTableName } from '../../lib/config.ts';
import { echo } from '../../lib/qradar/errors.ts';
import {
  DEFAULT_API_VERSION,
  DEFAULT_PAGE_SIZE,
  isApiVersion,
  MAX_PAGE_SIZE,
} from '../../lib/qradar-console/settings.ts';
import { type ConsoleArgs, consoleAuth, fromOrigin, UsageError } from '../import/args.ts';
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

const PAGE_SIZE = /^[0-9]{1,6}$/;

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
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
  }
  if (values.help) return { help: true };
  if (values.from === undefined) throw new UsageError('--from https://CONSOLE is required');
  const origin = fromOrigin(values.from);
  const version = values['api-version'] ?? DEFAULT_API_VERSION;
  if (!isApiVersion(version))
    throw new UsageError(`--api-version is not a version such as 26.0: ${echo(version)}`);
  const pageText = values['page-size'] ?? String(DEFAULT_PAGE_SIZE);
  const pageSize = PAGE_SIZE.test(pageText) ? Number(pageText) : 0;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new UsageError(`--page-size must be a whole number from 1 to ${MAX_PAGE_SIZE}: ${echo(pageText)}`);
  }
  if (values.ca === '') throw new UsageError('the --ca FILE name is empty');
  if (values.table !== undefined && !isTableName(values.table)) {
    throw new UsageError(`not a DynamoDB table name: ${echo(values.table)}`);
  }
  const target = Object.fromEntries(
    (['local', 'stage', 'region', 'table'] as const)
      .filter((name) => values[name] !== undefined)
      .map((name) => [name, values[name]]),
  ) as Extract<SyncArgs, { help: false }>['target'];
  return {
    help: false,
    dryRun: values['dry-run'] ?? false,
    target,
    source: {
      kind: 'console',
      origin,
      auth: consoleAuth(values.user, env),
      ...(values.ca === undefined ? {} : { ca: values.ca }),
      version,
      pageSize,
    },
  };
};
