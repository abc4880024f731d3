import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, NumberValue } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DeadlineError, readItems, writeItems } from '../../../lib/store/batches.ts';
import { dynamoError } from '../../../local/harness/stub-handler.ts';
import { fakeTable } from '../../support/fake-table.ts';

const items = (count: number, first = 1n) =>
  Array.from({ length: count }, (_, i) => ({
    id: new NumberValue((first + BigInt(i)).toString()),
    status: 'SUCCESS',
  }));
const fast = { random: () => 0 };

describe('writeItems', () => {
  it('writes in batches of 25, a few at once', async () => {
    const table = fakeTable(() => undefined);
    const outcome = await writeItems(table.client, 'restores', items(60), fast);
    expect(outcome).toEqual({ written: 60, unwritten: [] });
    expect(table.calls.map((c) => c.ids.length).sort()).toEqual([10, 25, 25]);
    expect(table.stored.size).toBe(60);
  });

  it('sends unprocessed items again, Longs exact, until every one is written', async () => {
    const table = fakeTable((_, call) => (call < 3 ? 'unprocessed' : undefined));
    const longs = [
      { id: new NumberValue('9223372036854775807') },
      { id: new NumberValue('-9223372036854775808') },
    ];
    const outcome = await writeItems(table.client, 'restores', longs, fast);
    expect(outcome).toEqual({ written: 2, unwritten: [] });
    expect(table.calls).toHaveLength(4);
    expect([...table.stored.keys()]).toEqual(['9223372036854775807', '-9223372036854775808']);
  });

  it('backs off between tries, with jitter, doubling up to the ceiling', async () => {
    const table = fakeTable((_, call) => (call < 4 ? 'unprocessed' : undefined));
    const draws: number[] = [];
    const started = Date.now();
    await writeItems(table.client, 'restores', items(1), {
      baseBackoffMs: 20,
      maxBackoffMs: 40,
      random: () => {
        draws.push(Date.now() - started);
        return 1;
      },
    });
    // Waits of 20, 40, 40, 40 ms (the ceiling): about 140 ms in all.
    expect(draws).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(135);
  });

  it('gives up at the deadline and says what is left unwritten', async () => {
    const table = fakeTable(() => 'unprocessed');
    const batch = items(3);
    const outcome = await writeItems(table.client, 'restores', batch, {
      retryForMs: 100,
      baseBackoffMs: 10,
      random: () => 1,
    });
    expect(outcome.written).toBe(0);
    expect(outcome.unwritten.map((i) => String(i['id']))).toEqual(['1', '2', '3']);
    expect(outcome.error).toBeInstanceOf(DeadlineError);
    expect(table.calls.length).toBeGreaterThan(2);
    expect(table.stored.size).toBe(0);
  });

  it('tries a throttled batch again', async () => {
    const throttled = dynamoError(400, 'ProvisionedThroughputExceededException');
    const table = fakeTable((_, call) => (call < 2 ? throttled : undefined));
    expect(await writeItems(table.client, 'restores', items(5), fast)).toEqual({ written: 5, unwritten: [] });
    expect(table.calls).toHaveLength(3);
  });

  it('stops at an error a retry cannot mend, and counts every item not written', async () => {
    const missing = dynamoError(400, 'ResourceNotFoundException', 'Requested resource not found');
    const table = fakeTable((_, call) => (call === 1 ? missing : undefined));
    const outcome = await writeItems(table.client, 'restores', items(100), { ...fast, concurrency: 1 });
    expect(outcome.written).toBe(25);
    expect(outcome.unwritten).toHaveLength(75);
    expect(outcome.error).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(table.calls).toHaveLength(2);
  });

  it('refuses a client that would unmarshal unprocessed Longs through a double', async () => {
    const plain = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    await expect(writeItems(plain, 'restores', items(1))).rejects.toThrow(TypeError);
    await expect(readItems(plain, 'restores', [{ id: 1 }])).rejects.toThrow(TypeError);
  });
});

describe('readItems', () => {
  it('reads in batches of 100 and reads unprocessed keys again', async () => {
    const table = fakeTable((target, call) =>
      target === 'BatchGetItem' && call === 0 ? 'unprocessed' : undefined,
    );
    await writeItems(table.client, 'restores', items(150), fast);
    const found = await readItems(
      table.client,
      'restores',
      items(160).map(({ id }) => ({ id })),
      fast,
    );
    expect(found).toHaveLength(150);
    expect(found[0]?.['id']).toBeInstanceOf(NumberValue);
    expect(table.calls.filter((c) => c.target === 'BatchGetItem').map((c) => c.ids.length)).toEqual([
      100, 100, 60,
    ]);
  });

  it('throws when keys are still unread at the deadline', async () => {
    const table = fakeTable((target) => (target === 'BatchGetItem' ? 'unprocessed' : undefined));
    await expect(
      readItems(table.client, 'restores', [{ id: new NumberValue('1') }], {
        retryForMs: 30,
        random: () => 1,
      }),
    ).rejects.toThrow(DeadlineError);
  });
});
