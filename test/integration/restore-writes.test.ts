// The conditional writers against dynalite: the forward-only condition decided by the store
// itself for every pair of stored and written status, and deletions only of a console's own.

import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NumberValue } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_STATUSES } from '../../lib/restore/fields.ts';
import { movesBackwards } from '../../lib/restore/lifecycle.ts';
import { deleteConsoleRestores, putRestores } from '../../lib/store/restore-writes.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { createTable, localClient } from '../../local/dynalite.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

let store: TestStore;
let raw: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  store = await startStore();
  raw = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
});
afterAll(async () => {
  raw?.destroy();
  await store?.close();
});

const freshTable = async (): Promise<string> => {
  const name = `writes_${++tables}`;
  const client = localClient(store.endpoint);
  await createTable(client, 'RestoresTable', name);
  client.destroy();
  return name;
};

/** What a table may hold as a status: each of the six, none, or something that is not one. */
const STORED = [
  ...RESTORE_STATUSES.map((s) => ({ label: s, value: { S: s } as const, status: s as unknown })),
  { label: 'absent', value: undefined, status: undefined },
  { label: 'DONE', value: { S: 'DONE' } as const, status: 'DONE' },
  { label: 'a Number', value: { N: '3' } as const, status: 3 },
];
const WRITTEN = [...RESTORE_STATUSES, undefined];

describe('putRestores', () => {
  it('lets the store refuse exactly the writes that would move a restore backwards', async () => {
    const table = await freshTable();
    const client = localClient(store.endpoint);
    let id = 0;
    const cases: { id: number; stored: unknown; written: unknown }[] = [];
    for (const stored of STORED) {
      for (const written of WRITTEN) {
        id++;
        await raw.send(
          new PutItemCommand({
            TableName: table,
            Item: { id: { N: String(id) }, ...(stored.value === undefined ? {} : { status: stored.value }) },
          }),
        );
        cases.push({ id, stored: stored.status, written });
      }
    }
    const items = cases.map((c) => ({
      id: new NumberValue(String(c.id)),
      backup_name: 'written',
      ...(c.written === undefined ? {} : { status: c.written }),
    }));
    const outcome = await putRestores(client, table, items);
    client.destroy();
    expect(outcome.error).toBeUndefined();
    const staleIds = new Set(outcome.stale.map((item) => String((item['id'] as NumberValue).value)));
    for (const c of cases) {
      const backwards = movesBackwards(c.stored, c.written);
      expect(staleIds.has(String(c.id)), `${String(c.stored)} <- ${String(c.written)}`).toBe(backwards);
      const { Item } = await raw.send(
        new GetItemCommand({ TableName: table, Key: { id: { N: String(c.id) } } }),
      );
      expect(Item?.['backup_name']?.S === 'written').toBe(!backwards);
    }
    expect(outcome.written + outcome.stale.length).toBe(cases.length);
  });

  it('writes anything over anything with force', async () => {
    const table = await freshTable();
    await raw.send(
      new PutItemCommand({ TableName: table, Item: { id: { N: '1' }, status: { S: 'SUCCESS' } } }),
    );
    const client = localClient(store.endpoint);
    const outcome = await putRestores(client, table, [{ id: new NumberValue('1'), status: 'PENDING' }], {
      force: true,
    });
    client.destroy();
    expect(outcome).toMatchObject({ written: 1, stale: [], unwritten: [] });
    expect(outcome.writeUnits).toBeGreaterThan(0);
  });

  it('stops at an error a retry cannot mend, saying which items were left', async () => {
    const client = localClient(store.endpoint);
    const items = [1, 2, 3].map((n) => ({ id: new NumberValue(String(n)), status: 'PENDING' }));
    const outcome = await putRestores(client, 'no_such_table', items, { concurrency: 1 });
    client.destroy();
    expect(outcome.error).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(outcome.written).toBe(0);
    expect(outcome.unwritten).toHaveLength(3);
  });
});

describe('deleteConsoleRestores', () => {
  it("deletes only the items still marked as the console's own", async () => {
    const table = await freshTable();
    const put = (id: string, console?: string) =>
      raw.send(
        new PutItemCommand({
          TableName: table,
          Item: { id: { N: id }, ...(console === undefined ? {} : { console: { S: console } }) },
        }),
      );
    await put('1', 'https://a.example');
    await put('2', 'https://b.example');
    await put('3');
    const client = localClient(store.endpoint);
    const outcome = await deleteConsoleRestores(client, table, ['1', '2', '3', '4'], 'https://a.example');
    client.destroy();
    expect(outcome).toMatchObject({ deleted: 1, kept: 3, undone: 0 });
    const held = async (id: string) =>
      (await raw.send(new GetItemCommand({ TableName: table, Key: { id: { N: id } } }))).Item !== undefined;
    expect([await held('1'), await held('2'), await held('3')]).toEqual([false, true, true]);
  });
});
