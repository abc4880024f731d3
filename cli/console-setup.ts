// What `npm run import -- --from` and `npm run sync` both set up before a console is asked
// anything: the --ca file and the credentials (the password asked for at the terminal). Anything wrong is a UsageError.

import { readFile, stat } from 'node:fs/promises';
import type { ConsoleSource } from '../lib/qradar-console/reader.ts';
import { type ConsoleArgs, UsageError } from './import/args.ts';
import { readPassword } from './read-password.ts';

/** A file that can be read, or why not (as a usage error: nothing has started); its size. */
export const checkFile = async (path: string, what: string): Promise<number> => {
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

/** The console to read, its CA read and its password asked for. */
export const consoleSourceOf = async (
  source: ConsoleArgs,
): Promise<Pick<ConsoleSource, 'origin' | 'credentials' | 'version' | 'pageSize' | 'ca'>> => {
  let ca: Buffer | undefined;
  if (source.ca !== undefined) {
    await checkFile(source.ca, '--ca');
    ca = await readFile(source.ca);
  }
  const credentials =
    'sec' in source.auth
      ? source.auth
      : { user: source.auth.user, password: await readPassword(`Password for ${source.auth.user}: `) };
  if ('password' in credentials && credentials.password === '') throw new UsageError('no password was given');
  return {
    origin: source.origin,
    credentials,
    version: source.version,
    pageSize: source.pageSize,
    ...(ca === undefined ? {} : { ca }),
  };
};
