// The local-dev service npm start leases in a store it did not create.

import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { leaseService } from '../../local/dev-service.ts';
import { type EmbeddedStore, localClient, startLocalStore } from '../../local/dynalite.ts';

const table = LOCAL_TABLES.authorizedServicesTable;
let store: EmbeddedStore;
let client: ReturnType<typeof localClient>;

beforeAll(async () => {
  store = await startLocalStore(0);
  client = localClient(store.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await store?.close();
});

const stored = async (token: string) =>
  (await client.send(new GetCommand({ TableName: table, Key: { token_hash: hashToken(token) } }))).Item;

describe('leaseService', () => {
  it('registers local-dev until the lease ends, renews it while held and deletes it on release', async () => {
    const lease = await leaseService(client, table, 'leased-token', 600);
    expect(lease.registered).toBe(true);
    const first = Number((await stored('leased-token'))?.['expires_at']);
    expect(first).toBeGreaterThan(Date.now());
    expect(first).toBeLessThanOrEqual(Date.now() + 600);
    expect(await stored('leased-token')).toMatchObject({
      name: 'local-dev',
      capabilities: new Set(['ADMIN']),
    });

    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(Number((await stored('leased-token'))?.['expires_at'])).toBeGreaterThan(first);

    await lease.release();
    expect(await stored('leased-token')).toBeUndefined();
  });

  it('leaves a token registered already exactly as it is, on start and on release', async () => {
    const theirs = {
      token_hash: hashToken('their-token'),
      name: 'reporting',
      capabilities: new Set(['BACKUP']),
    };
    await client.send(new PutCommand({ TableName: table, Item: theirs }));
    const lease = await leaseService(client, table, 'their-token');
    expect(lease.registered).toBe(false);
    await lease.release();
    expect(await stored('their-token')).toEqual(theirs);
  });
});
