// `npm run user`: a Basic-authentication user, stored only as the scrypt hash of its password.

import { spawn } from 'node:child_process';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../lib/auth/password.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type EmbeddedStore, localClient, startDynalite } from '../../local/dynalite.ts';

const TABLE = 'authorized_users';
const PASSWORD = 'correct horse: battery staple';
let store: EmbeddedStore;

beforeAll(async () => {
  store = await startDynalite(0);
  const client = localClient(store.endpoint);
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
});
afterAll(async () => {
  await store?.close();
});

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the script with `input` on a pipe; `close: false` leaves the pipe open after it. */
const user = (args: readonly string[], input: string, { close = true } = {}): Promise<Outcome> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['cli/user.ts', ...args], {
      env: {
        PATH: process.env['PATH'],
        DYNAMODB_ENDPOINT: store.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.write(input);
    if (close) child.stdin.end();
  });

const items = async (): Promise<Record<string, unknown>[]> => {
  const client = localClient(store.endpoint);
  const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE }));
  client.destroy();
  return Items;
};
const itemOf = async (username: string) => (await items()).find((item) => item['username'] === username);

describe('npm run user', () => {
  it('stores the scrypt hash of the password from standard input, with capabilities and expiry', async () => {
    const before = Date.now();
    const outcome = await user(
      ['--name', 'analyst', '--capability', 'BACKUP', '--capability', 'ADMIN', '--expires-in-days', '2'],
      `${PASSWORD}\n`,
    );
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(
      /^User analyst stored in authorized_users \(the local stack at http:\/\/127\.0\.0\.1:\d+\) with BACKUP, ADMIN, expiring \S+Z\.\n$/,
    );

    const item = await itemOf('analyst');
    expect(item).toMatchObject({ username: 'analyst', capabilities: new Set(['BACKUP', 'ADMIN']) });
    expect(Object.keys(item ?? {}).sort()).toEqual([
      'capabilities',
      'expires_at',
      'password_hash',
      'username',
    ]);
    const hash = String(item?.['password_hash']);
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
    expect(await verifyPassword('correct horse', hash)).toBe(false);
    const expiresAt = Number(item?.['expires_at']);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(expiresAt).toBeLessThan(Date.now() + 2 * 86_400_000 + 1000);

    const printed = outcome.stdout + outcome.stderr;
    expect(printed).not.toContain(PASSWORD);
    expect(printed).not.toContain('correct horse');
    expect(printed).not.toContain(hash.split('$')[5]);
  });

  it('replaces a user, takes the first line only, and never waits for the end of input', async () => {
    const first = await user(['--name', 'ops', '--capability', 'BACKUP'], 'old password\n');
    expect(first.code).toBe(0);
    const again = await user(['--name', 'ops', '--capability', 'ADMIN'], 'new password\r\nsecond line\n', {
      close: false,
    });
    expect(again.code).toBe(0);

    const ops = (await items()).filter((item) => item['username'] === 'ops');
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ capabilities: new Set(['ADMIN']) });
    expect(ops[0]).not.toHaveProperty('expires_at');
    const hash = String(ops[0]?.['password_hash']);
    expect(await verifyPassword('new password', hash)).toBe(true);
    expect(await verifyPassword('old password', hash)).toBe(false);
    expect(again.stdout + again.stderr).not.toMatch(/password|second line/);
  });

  it('takes a password without a final line break', async () => {
    expect((await user(['--name', 'no-newline', '--capability', 'BACKUP'], 'pässwörd')).code).toBe(0);
    expect(await verifyPassword('pässwörd', String((await itemOf('no-newline'))?.['password_hash']))).toBe(
      true,
    );
  });

  it.each([
    [['--name', 'x', '--capability', 'BACKUP', '--bogus'], /^Unknown option '--bogus'/],
    [['--name', 'x', '--capability', 'BACKUP', '--password', PASSWORD], /^Unknown option '--password'/],
    [['--name', 'x', '--capability', 'BACKUP', 'extra'], /^Unexpected argument 'extra'/],
    [['--capability', 'BACKUP'], /^--name is required/],
    [['--name', '', '--capability', 'BACKUP'], /^--name is required/],
    [['--name'], /^Option '--name <value>' argument missing/],
    [['--name', 'x'], /^at least one --capability is required/],
    [['--name', 'x', '--capability', 'backup'], /^not a capability: backup/],
    [['--name', 'a:b', '--capability', 'BACKUP'], /^a user name cannot contain ":"/],
    [['--name', 'a\tb', '--capability', 'BACKUP'], /^a user name cannot contain control characters/],
    [['--name', ' x', '--capability', 'BACKUP'], /^a user name cannot start or end with spaces/],
    [['--name', 'é'.repeat(1025), '--capability', 'BACKUP'], /^a user name is at most 2048 bytes/],
    [['--name', 'x', '--capability', 'BACKUP', '--table', 'a b'], /^not a DynamoDB table name: a b/],
    ...['0', '-1', '36501', 'Infinity', 'NaN', '1e3', '0x10', 'abc', ''].map((days) => [
      ['--name', 'x', '--capability', 'BACKUP', `--expires-in-days=${days}`],
      /^--expires-in-days must be a positive number of days, at most 36500/,
    ]),
  ] as [string[], RegExp][])('refuses %j with the usage line and exit code 2', async (args, problem) => {
    const outcome = await user(args, `${PASSWORD}\n`);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(problem);
    expect(outcome.stderr).toMatch(
      /\nusage: npm run user -- --name NAME --capability BACKUP .*\n.*--delete NAME.*\n.*local stack.*\n$/,
    );
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
    expect(outcome.stderr).not.toContain(PASSWORD);
  });

  it('refuses an empty password', async () => {
    for (const input of ['', '\n', '\nsecond line\n']) {
      const outcome = await user(['--name', 'empty', '--capability', 'BACKUP'], input);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toMatch(/^the password is empty\nusage: /);
    }
    expect(await itemOf('empty')).toBeUndefined();
  });

  it('reports a store failure in one line, exit code 1, without a stack trace or the password', async () => {
    const outcome = await user(
      ['--name', 'x', '--capability', 'BACKUP', '--table', 'no_such_table'],
      PASSWORD,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      /^could not store x in no_such_table: ResourceNotFoundException: [^\n]*\n$/,
    );
    expect(outcome.stderr).not.toContain(PASSWORD);
  });
});

describe('npm run user -- --delete', () => {
  it('deletes the user, and says so, exit 1, when there is none', async () => {
    expect((await user(['--name', 'leaver', '--capability', 'BACKUP'], `${PASSWORD}\n`)).code).toBe(0);
    const deleted = await user(['--delete', 'leaver'], '');
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    expect(deleted.stdout).toMatch(
      /^User leaver deleted from authorized_users \(the local stack at [^)]+\)\./,
    );
    expect(await itemOf('leaver')).toBeUndefined();

    const again = await user(['--delete', 'leaver'], '');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^No user leaver in authorized_users .*nothing deleted\.\n$/);
  });

  it('refuses a name no user can have, and the options of a new user', async () => {
    expect((await user(['--delete', 'a:b'], '')).stderr).toMatch(/^a user name cannot contain ":"/);
    const mixed = await user(['--delete', 'x', '--capability', 'BACKUP'], '');
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^--delete takes only the user name/);
  });
});
