// `DYNAMODB_ENDPOINT=... npm start`: the stack uses an existing store, creates what is missing
// and never writes sample data over items that are already there.

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTable,
  type EmbeddedStore,
  LOCAL_CREDENTIALS,
  localClient,
  startDynalite,
} from '../../scripts/local-store.ts';
import { fetchChecked } from '../support/contract.ts';
import { type LocalStack, startLocalStack } from '../support/stack.ts';

let store: EmbeddedStore;
let stack: LocalStack;

beforeAll(async () => {
  store = await startDynalite(0);
  const setup = localClient(store.endpoint);
  await createTable(setup, 'RestoresTable', 'restores');
  setup.destroy();
  const raw = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  await raw.send(
    new PutItemCommand({
      TableName: 'restores',
      Item: { id: { N: '1' }, status: { S: 'FAILED' }, initiated_by: { S: 'theirs' } },
    }),
  );
  raw.destroy();
  // No credentials of our own: npm start supplies some for a store on this machine.
  const { AWS_ACCESS_KEY_ID: _, AWS_SECRET_ACCESS_KEY: __, ...rest } = process.env;
  stack = await startLocalStack({ DYNAMODB_ENDPOINT: store.endpoint }, rest);
});
afterAll(async () => {
  await stack?.stop();
  await store?.close();
});

const get = (id: string) =>
  fetchChecked(`${stack.httpUrl}/api/backup_and_restore/restores/${id}?fields=id,status,initiated_by`, {
    headers: { SEC: 'local-dev-token' },
  });

describe('npm start with DYNAMODB_ENDPOINT', () => {
  it('says which store it uses and leaves an existing table as it is', () => {
    expect(stack.output()).toContain(`DynamoDB:  ${store.endpoint} (DYNAMODB_ENDPOINT)`);
    expect(stack.output()).toContain('Table restores: already there, left as it is');
  });

  it('serves the items already there, and no sample data', async () => {
    expect((await get('1')).json()).toEqual({ id: 1, status: 'FAILED', initiated_by: 'theirs' });
    expect((await get('2')).status).toBe(404);
  });

  it('creates the missing services table and registers local-dev in it', async () => {
    expect(stack.output()).toContain('Service local-dev: registered with capability ADMIN');
    expect((await get('1')).status).toBe(200);
  });
});
