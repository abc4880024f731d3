import { describe, expect, it } from 'vitest';
import { type ImportEvents, importRecords } from '../../../cli/import/importer.ts';
import { RecordSplitter, recordsOf } from '../../../lib/qradar-console/records.ts';
import { dynamoError } from '../../../local/harness/stub-handler.ts';
import { fakeTable } from '../../support/fake-table.ts';

const ndjson = (lines: string[]) => recordsOf([lines.map((line) => `${line}\n`).join('')]);
const restore = (id: number | string, status = 'SUCCESS') => `{"id":${id},"status":"${status}"}`;
const fast = { random: () => 0 };

describe('importRecords', () => {
  it('accounts for every record read when the store fails part way', async () => {
    const missing = dynamoError(400, 'ResourceNotFoundException', 'Requested resource not found');
    const table = fakeTable((target, call) => (target === 'PutItem' && call === 200 ? missing : undefined));
    const lines = Array.from({ length: 1000 }, (_, i) => (i % 50 === 7 ? '{"id":"x"}' : restore(i)));
    const { counts, error } = await importRecords(ndjson(lines), {
      client: table.client,
      table: 'restores',
      dryRun: false,
      retry: fast,
    });
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(counts.read).toBeLessThan(1000);
    expect(counts.unwritten).toBeGreaterThan(0);
    expect(counts.written).toBe(table.stored.size);
    expect(counts.read).toBe(counts.written + counts.unchanged + counts.rejected + counts.unwritten);
  });

  it('lets the later of two records with one id win, even with the first still being written', async () => {
    const table = fakeTable(() => undefined);
    // 250 records: the first chunk (ids 0..99) can still be in flight when id 0 comes again.
    const lines = [...Array.from({ length: 249 }, (_, i) => restore(i)), restore(0, 'FAILED')];
    const { counts } = await importRecords(ndjson(lines), {
      client: table.client,
      table: 'restores',
      dryRun: false,
      retry: fast,
    });
    expect(counts).toMatchObject({ read: 250, written: 250, unwritten: 0 });
    expect(table.stored.get('0')).toMatchObject({ status: { S: 'FAILED' } });
  });

  it('on a dry run reads the table, writes nothing, and reports each change in input order', async () => {
    const table = fakeTable(() => undefined);
    const changes: [string, unknown][] = [];
    const events: ImportEvents = { wouldWrite: (id, change) => changes.push([id, change]) };
    const lines = Array.from({ length: 300 }, (_, i) => restore(i));
    const { counts } = await importRecords(
      ndjson(lines),
      { client: table.client, table: 'restores', dryRun: true },
      events,
    );
    expect(counts).toMatchObject({ read: 300, written: 0, wouldWrite: 300, unwritten: 0 });
    expect(changes.map(([id]) => id)).toEqual(lines.map((_, i) => String(i)));
    expect(table.calls.every((c) => c.target === 'BatchGetItem')).toBe(true);
    expect(table.stored.size).toBe(0);
  });

  it('never moves a restore backwards: an older record is stale, unless forced', async () => {
    const table = fakeTable(() => undefined);
    const target = { client: table.client, table: 'restores', dryRun: false, retry: fast };
    await importRecords(
      ndjson([restore(1, 'SUCCESS'), restore(2, 'PENDING'), restore(3, 'IN_PROGRESS')]),
      target,
    );
    const older = [
      restore(1, 'IN_PROGRESS'),
      restore(2, 'REQUESTING'),
      restore(3, 'FAILED'),
      restore(4, 'PENDING'),
    ];
    const stale: string[] = [];
    const { counts } = await importRecords(ndjson(older), target, { stale: (id) => stale.push(id) });
    expect(counts).toMatchObject({ read: 4, written: 3, stale: 1, forced: 0, unwritten: 0 });
    expect(stale).toEqual(['1']);
    expect(table.stored.get('1')).toMatchObject({ status: { S: 'SUCCESS' } });
    expect(table.stored.get('3')).toMatchObject({ status: { S: 'FAILED' } });

    const forced = await importRecords(ndjson(older), { ...target, force: true });
    expect(forced.counts).toMatchObject({ read: 4, written: 1, unchanged: 3, stale: 0, forced: 1 });
    expect(table.stored.get('1')).toMatchObject({ status: { S: 'IN_PROGRESS' } });
  });

  it('counts as stale a record the table moved on from after it was read (the condition holds it)', async () => {
    // The table's answer to the read holds nothing; a racing writer then stores SUCCESS.
    let raced = false;
    const racing = fakeTable((target) => {
      if (target === 'PutItem' && !raced) {
        raced = true;
        racing.stored.set('1', { id: { N: '1' }, status: { S: 'SUCCESS' } });
      }
      return undefined;
    });
    const { counts } = await importRecords(ndjson([restore(1, 'PENDING')]), {
      client: racing.client,
      table: 'restores',
      dryRun: false,
    });
    expect(counts).toMatchObject({ read: 1, written: 0, stale: 1, unwritten: 0 });
    expect(racing.stored.get('1')).toMatchObject({ status: { S: 'SUCCESS' } });
  });

  it('writes what came before a break in the input, and reports the break', async () => {
    const table = fakeTable(() => undefined);
    const splitter = new RecordSplitter();
    async function* broken() {
      yield* splitter.push(`[${restore(1)},${restore(2)},`);
      yield* splitter.end();
    }
    const { counts, error } = await importRecords(broken(), {
      client: table.client,
      table: 'restores',
      dryRun: false,
    });
    expect(error).toMatchObject({ name: 'InputError' });
    expect(counts).toMatchObject({ read: 2, written: 2, unwritten: 0 });
  });
});
