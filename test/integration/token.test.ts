// `npm run token`: a new service token, stored only as its SHA-256, printed once.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { localClient } from '../../local/dynalite.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

let store: TestStore;
const run = promisify(execFile);

beforeAll(async () => {
  store = await startStore();
});
afterAll(async () => {
  await store?.close();
});

const token = (...args: string[]) =>
  run(process.execPath, ['cli/token.ts', ...args], {
    env: { ...process.env, DYNAMODB_ENDPOINT: store.endpoint, AWS_REGION: 'us-east-1' },
  });

/** The service names of the table's tokens, sorted. */
const services = async (): Promise<string[]> => {
  const client = localClient(store.endpoint);
  const { Items = [] } = await client.send(
    new ScanCommand({ TableName: LOCAL_TABLES.authorizedServicesTable }),
  );
  client.destroy();
  return Items.map((item) => String(item['name'])).sort();
};

/** A failed run's exit code and output. */
const failureOf = (running: Promise<unknown>) =>
  running.then(
    () => undefined,
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('npm run token', () => {
  it('stores the hash, never the token, with the capabilities and expiry asked for', async () => {
    const before = Date.now();
    const { stdout } = await token('--name', 'reporting', '--capability', 'BACKUP', '--expires-in-days', '2');
    const printed = stdout.trim().split('\n').at(-1) ?? '';
    expect(printed).toMatch(/^[0-9a-f-]{36}$/);

    const client = localClient(store.endpoint);
    const { Items = [] } = await client.send(
      new ScanCommand({ TableName: LOCAL_TABLES.authorizedServicesTable }),
    );
    client.destroy();
    expect(JSON.stringify(Items)).not.toContain(printed);
    const service = Items.find((item) => item['token_hash'] === hashToken(printed));
    expect(service).toMatchObject({ name: 'reporting', capabilities: new Set(['BACKUP']) });
    const expiresAt = Number(service?.['expires_at']);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(expiresAt).toBeLessThan(Date.now() + 2 * 86_400_000 + 1000);
  });

  it('refuses to run without a name or a capability', async () => {
    await expect(token('--capability', 'BACKUP')).rejects.toMatchObject({ code: 2 });
    await expect(token('--name', 'x')).rejects.toMatchObject({ code: 2 });
    await expect(token('--name', 'x', '--capability', 'lower case')).rejects.toMatchObject({ code: 2 });
  });

  it.each([
    '--expires-in-days 1e308',
    '--expires-in-days -1',
    '--expires-in-days=-1',
    '--expires-in-days Infinity',
    '--table a.b/c',
    '--unknown',
    'positional',
  ])('answers %s with its usage line, exit 2 and no stack', async (arguments_) => {
    const extra = arguments_.split(' ');
    const failure = await token('--name', 'x', '--capability', 'BACKUP', ...extra).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain('usage: npm run token -- --name NAME');
    expect(failure?.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});

describe('npm run token -- --revoke', () => {
  it('deletes every token of the service and nothing else: the rotation', async () => {
    // Rotation: a new token for the service, handed out, then the old one revoked with it.
    await token('--name', 'rotating', '--capability', 'BACKUP');
    await token('--name', 'rotating', '--capability', 'BACKUP');
    await token('--name', 'keeper', '--capability', 'BACKUP');
    const before = (await services()).filter((name) => name === 'rotating');
    expect(before).toHaveLength(2);

    const { stdout } = await token('--revoke', 'rotating');
    expect(stdout).toMatch(
      /^Revoked 2 tokens of service rotating in authorized_services \(the local stack at http:\/\/127\.0\.0\.1:\d+\)\./,
    );
    const after = await services();
    expect(after).not.toContain('rotating');
    expect(after).toContain('keeper');
  });

  it('says so, exit 1, when the service has no token', async () => {
    const failure = await failureOf(token('--revoke', 'never-registered'));
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /^No token of service never-registered in authorized_services .*nothing revoked\.\n$/,
    );
  });

  it('takes nothing else of a new token', async () => {
    const failure = await failureOf(token('--revoke', 'x', '--capability', 'BACKUP'));
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/^--revoke takes only the service name/);
  });
});

describe('where the table tools write', () => {
  it('names both ways, exit 1 and no stack, when no local stack answers', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const failure = await failureOf(
      run(process.execPath, ['cli/token.ts', '--name', 'x', '--capability', 'BACKUP'], {
        env: { PATH: process.env['PATH'], DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` },
      }),
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toBe(
      `could not register x in authorized_services: nothing answers at http://127.0.0.1:${port}: ` +
        'start the local stack with `npm start` (or set DYNAMODB_ENDPOINT to its store), ' +
        'or write to a deployed stage with --stage STAGE\n',
    );
  });

  it('names both ways, exit 1 and no stack, when a stage is asked for without AWS credentials', async () => {
    // An empty home and no metadata service: no credentials anywhere, and no call leaves.
    const home = await mkdtemp(join(tmpdir(), 'no-credentials-'));
    try {
      const failure = await failureOf(
        run(process.execPath, ['cli/token.ts', '--name', 'x', '--capability', 'BACKUP', '--stage', 'dev'], {
          env: {
            PATH: process.env['PATH'],
            HOME: home,
            AWS_CONFIG_FILE: join(home, 'config'),
            AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
            AWS_EC2_METADATA_DISABLED: 'true',
          },
        }),
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(
        /^could not register x in qradar-restores-dev-authorized-services: no AWS credentials for stage dev \(us-east-1\): set AWS_PROFILE .*, or write to the local stack with --local\n$/,
      );
      expect(failure?.stderr).not.toContain('CredentialsProviderError');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
