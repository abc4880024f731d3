// `DYNAMODB_ENDPOINT=... npm start`: the stack uses an existing store, creates what is missing,
// never writes sample data over items that are already there, and leaves no credential
// behind in a store it did not create.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { DEFAULT_SEC_TOKEN, LEASE_MS } from '../../local/dev-service.ts';
import { createTable, type EmbeddedStore, localClient, startDynalite } from '../../local/dynalite.ts';
import { fetchChecked } from '../../local/harness/contract.ts';
import { type LocalStack, root, startLocalStack } from '../../local/harness/local-stack.ts';

const SEC_TOKEN = 'a-token-of-my-own';
let store: EmbeddedStore;
let stack: LocalStack;
// No credentials of our own: npm start supplies some for a store on this machine.
const { AWS_ACCESS_KEY_ID: _, AWS_SECRET_ACCESS_KEY: __, ...baseEnv } = process.env;

beforeAll(async () => {
  store = await startDynalite(0);
  const setup = localClient(store.endpoint);
  await createTable(setup, 'RestoresTable', LOCAL_TABLES.restoresTable);
  setup.destroy();
  const raw = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  await raw.send(
    new PutItemCommand({
      TableName: LOCAL_TABLES.restoresTable,
      Item: { id: { N: '1' }, status: { S: 'FAILED' }, initiated_by: { S: 'theirs' } },
    }),
  );
  raw.destroy();
  stack = await startLocalStack({ DYNAMODB_ENDPOINT: store.endpoint, SEC_TOKEN }, baseEnv);
});
afterAll(async () => {
  await stack?.stop();
  await store?.close();
});

const get = (id: string, token = SEC_TOKEN) =>
  fetchChecked(`${stack.httpUrl}/api/backup_and_restore/restores/${id}?fields=id,status,initiated_by`, {
    headers: { SEC: token },
  });

const services = async () => {
  const client = localClient(store.endpoint);
  try {
    return (
      (await client.send(new ScanCommand({ TableName: LOCAL_TABLES.authorizedServicesTable }))).Items ?? []
    );
  } finally {
    client.destroy();
  }
};

describe('npm start with DYNAMODB_ENDPOINT', () => {
  it('refuses the public default token with its usage line, before touching the store', async () => {
    for (const token of [undefined, DEFAULT_SEC_TOKEN]) {
      const run = promisify(execFile)(process.execPath, ['local/start.ts'], {
        cwd: root,
        env: { ...baseEnv, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', ...(token ? { SEC_TOKEN: token } : {}) },
      });
      const failure = await run.then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toContain('SEC_TOKEN');
      expect(failure?.stderr).toContain('usage: ');
      expect(failure?.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
  });

  it('says which store it uses and leaves an existing table as it is', () => {
    expect(stack.output()).toContain(`DynamoDB:  ${store.endpoint} (DYNAMODB_ENDPOINT)`);
    expect(stack.output()).toContain('Table restores: already there, left as it is');
  });

  it('serves the items already there, and no sample data', async () => {
    expect((await get('1')).json()).toEqual({ id: 1, status: 'FAILED', initiated_by: 'theirs' });
    expect((await get('2')).status).toBe(404);
  });

  it('registers local-dev for SEC_TOKEN only, on a lease, and never shows the token', async () => {
    expect(stack.output()).toContain('Service local-dev: registered with capability ADMIN');
    expect(stack.output()).not.toContain(SEC_TOKEN);
    expect(stack.output()).toContain(`curl -H "SEC: $SEC_TOKEN" ${stack.httpUrl}`);
    expect((await get('1', DEFAULT_SEC_TOKEN)).status).toBe(401);
    const [service, ...others] = await services();
    expect(others).toEqual([]);
    expect(service).toMatchObject({ token_hash: hashToken(SEC_TOKEN), name: 'local-dev' });
    expect(Number(service?.['expires_at'])).toBeGreaterThan(Date.now());
    expect(Number(service?.['expires_at'])).toBeLessThanOrEqual(Date.now() + LEASE_MS);
  });

  it('leaves no credential behind once stopped', async () => {
    expect(await stack.stop()).toBe(0);
    expect(await services()).toEqual([]);
    const client = localClient(store.endpoint);
    const { Item } = await client.send(
      new GetCommand({ TableName: LOCAL_TABLES.restoresTable, Key: { id: 1 } }),
    );
    client.destroy();
    expect(Item).toMatchObject({ initiated_by: 'theirs' });
  });
});
