// The import's command line and environment, checked before anything is read or written.

import { parseArgs } from 'node:util';
import { isTableName } from '../../lib/config.ts';
import { echo } from '../../lib/qradar/errors.ts';
import {
  consoleOrigin,
  DEFAULT_API_VERSION,
  DEFAULT_PAGE_SIZE,
  isApiVersion,
  isHeaderSafe,
  MAX_PAGE_SIZE,
  SettingError,
} from '../../lib/qradar-console/settings.ts';
import { TARGET_OPTIONS, TARGET_USAGE, type TargetArgs } from '../target.ts';

export const USAGE = [
  `usage: npm run import -- [--dry-run] [--force] ${TARGET_USAGE} [--table T] FILE`,
  `       npm run import -- [--dry-run] [--force] ${TARGET_USAGE} [--table T] --from https://CONSOLE [--user NAME] [--ca FILE] [--api-version 26.0] [--page-size 500]`,
  '  writes to the local stack (npm start: DYNAMODB_ENDPOINT or http://127.0.0.1:8000) unless --stage names a deployed one',
].join('\n');

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ImportArgs =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly dryRun: boolean;
      /** Write even what would move a restore backwards in its lifecycle. */
      readonly force: boolean;
      readonly source: FileSource | ConsoleArgs;
      /** Where to write (cli/target.ts's rule) and, with --table, which table. */
      readonly target: TargetArgs & { readonly table?: string };
    };

export interface FileSource {
  readonly kind: 'file';
  readonly path: string;
}

export interface ConsoleArgs {
  readonly kind: 'console';
  readonly origin: string;
  /** A SEC token from QRADAR_SEC_TOKEN, or a user for Basic whose password is asked for later. */
  readonly auth: { readonly sec: string } | { readonly user: string };
  readonly ca?: string;
  readonly version: string;
  readonly pageSize: number;
}

const options = {
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  from: { type: 'string' },
  user: { type: 'string' },
  ca: { type: 'string' },
  'api-version': { type: 'string' },
  'page-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  table: { type: 'string' },
  ...TARGET_OPTIONS,
} as const;

const CONSOLE_ONLY = ['user', 'ca', 'api-version', 'page-size'] as const;
const PAGE_SIZE = /^[0-9]{1,6}$/;
// RFC 7617: a Basic user-id has no colon and no control characters.
const USER = /^[^:\p{Cc}]+$/u;

const parse = (argv: readonly string[]) => {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // parseArgs's own words ("Unknown option '--x'"); it throws nothing else for bad input.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
};

/** The console's origin from --from; a bad one is a UsageError. */
const fromOrigin = (raw: string): string => {
  try {
    return consoleOrigin(raw, '--from', 'QRADAR_SEC_TOKEN or --user');
  } catch (error) {
    throw error instanceof SettingError ? new UsageError(error.message) : error;
  }
};

/** The console's credentials: QRADAR_SEC_TOKEN, or a user whose password is asked for later. */
const consoleAuth = (user: string | undefined, env: NodeJS.ProcessEnv): ConsoleArgs['auth'] => {
  const sec = env['QRADAR_SEC_TOKEN'] || undefined;
  if (sec !== undefined && user !== undefined) {
    throw new UsageError('both QRADAR_SEC_TOKEN and --user are set: use one');
  }
  if (user !== undefined) {
    if (!USER.test(user)) throw new UsageError('--user must be a name without colons or control characters');
    return { user };
  }
  if (sec === undefined) {
    throw new UsageError('--from needs credentials: QRADAR_SEC_TOKEN in the environment, or --user NAME');
  }
  // Never echoed: it is a credential.
  if (!isHeaderSafe(sec)) throw new UsageError('QRADAR_SEC_TOKEN holds characters a header cannot carry');
  return { sec };
};

/** An option given twice is refused, whatever it is. */
export const refuseRepeats = (tokens: readonly { kind: string; name?: string }[]): void => {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given twice`);
    seen.add(token.name);
  }
};

type TargetValues = TargetArgs & { readonly table?: string | undefined };

/** Where a table tool writes, from its options (cli/target.ts's rule), with --table checked. */
export const targetFrom = (values: TargetValues): TargetArgs & { readonly table?: string } => {
  if (values.table !== undefined && !isTableName(values.table)) {
    throw new UsageError(`not a DynamoDB table name: ${echo(values.table)}`);
  }
  return Object.fromEntries(
    (['local', 'stage', 'region', 'table'] as const)
      .filter((name) => values[name] !== undefined)
      .map((name) => [name, values[name]]),
  );
};

interface ConsoleValues {
  readonly from: string;
  readonly ca?: string | undefined;
  readonly user?: string | undefined;
  readonly 'api-version'?: string | undefined;
  readonly 'page-size'?: string | undefined;
}

/** The console to read, from `--from` and its options: the import's and the sync's alike. */
export const consoleFrom = (values: ConsoleValues, env: NodeJS.ProcessEnv): ConsoleArgs => {
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
  return {
    kind: 'console',
    origin,
    auth: consoleAuth(values.user, env),
    ...(values.ca === undefined ? {} : { ca: values.ca }),
    version,
    pageSize,
  };
};

/** The import's arguments; throws UsageError, with a message for the user, for anything else. */
export const parseImportArgs = (argv: readonly string[], env: NodeJS.ProcessEnv): ImportArgs => {
  const { values, positionals, tokens } = parse(argv);
  refuseRepeats(tokens);
  if (values.help) return { help: true };
  const dryRun = values['dry-run'] ?? false;
  const target = targetFrom(values);
  const force = values.force ?? false;

  if (values.from === undefined) {
    for (const name of CONSOLE_ONLY) {
      if (values[name] !== undefined) throw new UsageError(`--${name} goes with --from`);
    }
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'a FILE or --from is required' : 'one FILE at a time');
    }
    const [path = ''] = positionals;
    if (path === '') throw new UsageError('the FILE name is empty');
    return { help: false, dryRun, force, source: { kind: 'file', path }, target };
  }

  if (positionals.length > 0) throw new UsageError('a FILE or --from, not both');
  return { help: false, dryRun, target, force, source: consoleFrom({ ...values, from: values.from }, env) };
};
