// prepareStore: the one way npm start, the tests and the benchmark set up a store.

import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { type EmbeddedStore, localClient, prepareStore, startDynalite } from '../../local/dynalite.ts';

let store: EmbeddedStore;
let client: ReturnType<typeof localClient>;

beforeAll(async () => {
  store = await startDynalite(0);
  client = localClient(store.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
});

// Ids as their decimal text: the client wraps numbers, so no Long passes through a double.
const scan = async (TableName: string) =>
  ((await client.send(new ScanCommand({ TableName }))).Items ?? []).map((item) => ({
    ...item,
    id: String(item['id']),
  }));

describe('prepareStore', () => {
  it('creates the tables of infra/, seeds the restores table it made and registers services', async () => {
    const created = await prepareStore(store.endpoint, {
      restores: [{ id: 1n, status: 'PENDING' }],
      services: [{ name: 'svc', capabilities: ['BACKUP'], token: 't1' }],
    });
    expect([...created].sort()).toEqual(['authorizedServicesTable', 'authorizedUsersTable', 'restoresTable']);
    expect(await scan(LOCAL_TABLES.restoresTable)).toEqual([{ id: '1', status: 'PENDING' }]);
    const { Item } = await client.send(
      new GetCommand({
        TableName: LOCAL_TABLES.authorizedServicesTable,
        Key: { token_hash: hashToken('t1') },
      }),
    );
    expect(Item).toMatchObject({ name: 'svc', capabilities: new Set(['BACKUP']) });
  });

  it('writes nothing over a restores table that was there already', async () => {
    const created = await prepareStore(store.endpoint, { restores: [{ id: 2n, status: 'SUCCESS' }] });
    expect(created.size).toBe(0);
    expect(await scan(LOCAL_TABLES.restoresTable)).toEqual([{ id: '1', status: 'PENDING' }]);
  });

  it('takes other table names', async () => {
    const tables = { ...LOCAL_TABLES, restoresTable: 'other_restores' };
    const created = await prepareStore(store.endpoint, { tables, restores: [{ id: 3n }] });
    expect([...created]).toEqual(['restoresTable']);
    expect(await scan('other_restores')).toEqual([{ id: '3' }]);
  });
});
