// `npm run user -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days 90]`
// Creates or replaces a user for HTTP Basic authentication in the authorized users table,
// storing only the scrypt hash of the password. The password is asked for twice without echo
// on a terminal, or read from the first line of standard input otherwise; never from the
// command line, and never printed. `npm run user -- --delete NAME` deletes a user. Writes to
// the local stack (npm start's store) unless --stage names a deployed stage: the rule is
// cli/target.ts's.

import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { MAX_USER_BYTES } from '../lib/auth/password.ts';
import { deleteUser, registerUser } from '../lib/auth/registry.ts';
import { tableClient } from '../lib/store/tool-client.ts';
import { capabilitiesFrom, expiryFrom, readCommandLine, storeOrExit, targetFrom } from './options.ts';
import { TARGET_OPTIONS, TARGET_USAGE } from './target.ts';

const { values, fail } = readCommandLine(
  [
    `npm run user -- --name NAME --capability BACKUP [--capability ADMIN] [--expires-in-days N] ${TARGET_USAGE} [--table T]  (password on the terminal or standard input)`,
    `       npm run user -- --delete NAME ${TARGET_USAGE} [--table T]`,
    '  writes to the local stack (npm start: DYNAMODB_ENDPOINT or http://127.0.0.1:8000) unless --stage names a deployed one',
  ].join('\n'),
  {
    name: { type: 'string' },
    capability: { type: 'string', multiple: true },
    'expires-in-days': { type: 'string' },
    delete: { type: 'string' },
    table: { type: 'string' },
    ...TARGET_OPTIONS,
  },
);

const isControl = (char: string): boolean => char < ' ' || char === '\u007f';
/** A name Basic credentials can carry and DynamoDB can key, as given; a usage error otherwise. */
const usernameFrom = (given: string | undefined, option: string): string => {
  const username = given || fail(`${option} is required`);
  // Basic credentials split at the first colon, so a name with one could never sign in.
  if (username.includes(':')) fail('a user name cannot contain ":"');
  if ([...username].some(isControl)) fail('a user name cannot contain control characters');
  if (username.trim() !== username) fail('a user name cannot start or end with spaces');
  if (Buffer.byteLength(username) > MAX_USER_BYTES) fail(`a user name is at most ${MAX_USER_BYTES} bytes`);
  return username;
};

if (values.delete !== undefined) {
  if (
    values.name !== undefined ||
    values.capability !== undefined ||
    values['expires-in-days'] !== undefined
  ) {
    fail('--delete takes only the user name (and where: --local, --stage, --table)');
  }
  const username = usernameFrom(values.delete, '--delete NAME');
  const { target, table } = await targetFrom(values, 'authorizedUsersTable', fail);
  const client = tableClient(target);
  const deleted = await storeOrExit(`delete ${username} from ${table}`, target, () =>
    deleteUser(client, table, username),
  );
  client.destroy();
  if (!deleted) {
    console.error(`No user ${username} in ${table} (${target.where}): nothing deleted.`);
    process.exit(1);
  }
  console.log(
    `User ${username} deleted from ${table} (${target.where}). A warm function may still accept it for up to 30 s.`,
  );
  process.exit(0);
}

const username = usernameFrom(values.name, '--name');
const capabilities = capabilitiesFrom(values.capability, fail);
const expiresAt = expiryFrom(values['expires-in-days'], fail);
const { target, table } = await targetFrom(values, 'authorizedUsersTable', fail);

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

const client = tableClient(target);
await storeOrExit(`store ${username} in ${table}`, target, () =>
  registerUser(client, table, {
    username,
    capabilities,
    password,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }),
);
client.destroy();
console.log(
  `User ${username} stored in ${table} (${target.where}) with ${capabilities.join(', ')}${
    expiresAt === undefined ? '' : `, expiring ${new Date(expiresAt).toISOString()}`
  }.`,
);
