// `npm run user -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates or replaces a user for HTTP Basic authentication in the authorized users table,
// storing only the scrypt hash of the password. The password is asked for twice without echo
// on a terminal, or read from the first line of standard input otherwise; never from the
// command line, and never printed. Reaches the store like `npm run token`.

import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { MAX_USER_BYTES } from '../lib/auth/password.ts';
import { registerUser } from '../lib/auth/registry.ts';
import { localTableNames } from '../lib/store/tables.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { capabilitiesFrom, expiryFrom, readCommandLine, tableFrom, writeOrExit } from './options.ts';

const { values, fail } = readCommandLine(
  'npm run user -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] [--table T]  (password on the terminal or standard input)',
  {
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'expires-in-days': { type: 'string' },
    table: { type: 'string', default: localTableNames().authorizedUsersTable },
  },
);

const isControl = (char: string): boolean => char < ' ' || char === '\u007f';
const username = values.name || fail('--name is required');
// Basic credentials split at the first colon, so a name with one could never sign in.
if (username.includes(':')) fail('a user name cannot contain ":"');
if ([...username].some(isControl)) fail('a user name cannot contain control characters');
if (username.trim() !== username) fail('a user name cannot start or end with spaces');
if (Buffer.byteLength(username) > MAX_USER_BYTES) fail(`a user name is at most ${MAX_USER_BYTES} bytes`);
const capabilities = capabilitiesFrom(values.capability, fail);
const expiresAt = expiryFrom(values['expires-in-days'], fail);
const table = tableFrom(values.table, fail);

/** The password typed twice on the terminal, not echoed; the prompts go to stderr. */
const askTwice = async (): Promise<string> => {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
  reader.on('SIGINT', () => {
    reader.close();
    process.stderr.write('\n');
    process.exit(130);
  });
  const ask = async (prompt: string): Promise<string> => {
    process.stderr.write(prompt);
    const answer = await reader.question('');
    process.stderr.write('\n');
    return answer;
  };
  let password: string;
  let again: string;
  try {
    password = await ask(`Password for ${username}: `);
    again = await ask('Again: ');
  } finally {
    reader.close();
  }
  return password === again ? password : fail('the two passwords differ');
};

/** The first line of standard input; empty when there is none. Does not wait for the end of input. */
const firstLine = async (): Promise<string> => {
  const reader = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) return line;
    return '';
  } finally {
    // A pipe left open would otherwise keep the process waiting.
    process.stdin.destroy();
  }
};

const password = process.stdin.isTTY ? await askTwice() : await firstLine();
if (password === '') fail('the password is empty');

const client = tableClient();
await writeOrExit(`store ${username} in ${table}`, () =>
  registerUser(client, table, {
    username,
    capabilities,
    password,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }),
);
client.destroy();
console.log(
  `User ${username} stored in ${table} with ${capabilities.join(', ')}${
    expiresAt === undefined ? '' : `, expiring ${new Date(expiresAt).toISOString()}`
  }.`,
);
