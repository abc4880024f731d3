// The command line of the scripts that register callers (`npm run token`, `npm run user`):
// a bad argument prints the problem and the usage line on stderr and exits with 2, never a
// stack trace. Where they write is cli/target.ts's rule; their store client lib/store/tool-client.ts's.

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isTableName } from '../lib/config.ts';
import { describeStoreError, resolveTarget, type TableTarget, TargetError } from './target.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

const CAPABILITY = /^[A-Z_]{1,64}$/;
const DAY_MS = 86_400_000;
/** A hundred years: anything longer is a typing error, not an expiry. */
export const MAX_EXPIRY_DAYS = 36_500;

export interface CommandLine<T extends Options> {
  readonly values: ReturnType<
    typeof parseArgs<{ options: T; strict: true; allowPositionals: false }>
  >['values'];
  /** Reports a bad argument: the message and the usage line on stderr, exit code 2. */
  readonly fail: (message: string) => never;
}

/** The options of this process's command line; unknown options and positionals are bad arguments. */
export const readCommandLine = <const T extends Options>(usage: string, options: T): CommandLine<T> => {
  const fail = (message: string): never => {
    console.error(`${message}\nusage: ${usage}`);
    process.exit(2);
  };
  try {
    return { values: parseArgs({ options, strict: true, allowPositionals: false }).values, fail };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
};

/** The --capability values: at least one, each upper-case letters and underscores. */
export const capabilitiesFrom = (
  values: readonly string[] | undefined,
  fail: (m: string) => never,
): string[] => {
  if (values === undefined || values.length === 0) return fail('at least one --capability is required');
  for (const capability of values) if (!CAPABILITY.test(capability)) fail(`not a capability: ${capability}`);
  return [...values];
};

/** The expiry (milliseconds since the epoch) --expires-in-days asks for; undefined without it. */
export const expiryFrom = (
  days: string | undefined,
  fail: (m: string) => never,
  now = Date.now(),
): number | undefined => {
  if (days === undefined) return undefined;
  const value = /^[0-9]{1,6}(?:\.[0-9]{1,6})?$/.test(days) ? Number(days) : Number.NaN;
  if (!(value > 0 && value <= MAX_EXPIRY_DAYS)) {
    return fail(`--expires-in-days must be a positive number of days, at most ${MAX_EXPIRY_DAYS}`);
  }
  return now + Math.round(value * DAY_MS);
};

/** The --table value, checked as a DynamoDB table name. */
export const tableFrom = (table: string, fail: (m: string) => never): string =>
  isTableName(table) ? table : fail(`not a DynamoDB table name: ${table}`);

/** The options of cli/target.ts's rule, and --table. */
export interface TargetValues {
  readonly local?: boolean | undefined;
  readonly stage?: string | undefined;
  readonly region?: string | undefined;
  readonly table?: string | undefined;
}

/**
 * Where the command writes (cli/target.ts's rule) and the table it writes, `--table`
 * or the target's `setting`; a target that cannot be is a bad argument.
 */
export const targetFrom = async (
  values: TargetValues,
  setting: keyof TableTarget['tables'],
  fail: (m: string) => never,
): Promise<{ readonly target: TableTarget; readonly table: string }> => {
  try {
    const target = await resolveTarget(values);
    return {
      target,
      table: values.table === undefined ? target.tables[setting] : tableFrom(values.table, fail),
    };
  } catch (error) {
    if (error instanceof TargetError) return fail(error.message);
    throw error;
  }
};

/** Runs a store operation; a failure is one line on stderr and exit code 1, never a stack trace. */
export const storeOrExit = async <T>(
  what: string,
  target: TableTarget,
  run: () => Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    console.error(`could not ${what}: ${describeStoreError(error, target)}`);
    return process.exit(1);
  }
};
