// `npm run token`: a new service token, stored only as its SHA-256, printed once.

import { execFile } from 'node:child_process';
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
