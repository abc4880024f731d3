// `npm run import -- FILE` against dynalite: exact Longs from file to table, rejections by
// position, dry runs, NDJSON, idempotence, retries of unprocessed items, argument checks.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecords } from '../../cli/import/importer.ts';
import { recordsOf } from '../../lib/qradar-console/records.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS, tableClient } from '../../lib/store/tool-client.ts';
import { createTable, localClient } from '../../local/dynalite.ts';
import { httpV2Event, lambdaContext } from '../../local/harness/events.ts';
import { decodeRequest, replyResponse } from '../../local/harness/stub-handler.ts';
import { runImport, STACK_FRAME } from '../support/import-cli.ts';
import { startStore, TEST_TOKEN, type TestStore } from '../support/test-store.ts';

let store: TestStore;
let raw: DynamoDBClient;
let dir: string;
let tables = 0;

beforeAll(async () => {
  store = await startStore();
  raw = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  dir = await mkdtemp(join(tmpdir(), 'import-test-'));
});
afterAll(async () => {
  raw?.destroy();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A new empty restores table, so each test starts from nothing. */
const freshTable = async (): Promise<string> => {
  const name = `restores_${++tables}`;
  const client = localClient(store.endpoint);
  await createTable(client, 'RestoresTable', name);
  client.destroy();
  return name;
};

const file = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

const scan = async (table: string) => (await raw.send(new ScanCommand({ TableName: table }))).Items ?? [];
const ids = async (table: string) => (await scan(table)).map((item) => item['id']?.N).sort();

const restore = (id: string, extra = '') =>
  `{"id": ${id}, "initiated_by": "admin", "host_id": 53, "time_initiated": 1767225600000, ` +
  `"time_completed": null, "status": "IN_PROGRESS", "is_cross_deployment_restore": false, ` +
  `"backup_id": 101, "backup_name": "nightly", "backup_version": "7.5.0", "backup_type": "CONFIG", ` +
  `"backup_filename": "backup.tgz", "groups": ["USERS_CONFIG"]${extra}}`;

describe('npm run import -- FILE', () => {
  it('keeps Longs exact from the file to the table and out of the API: 2^53 + 1 and both limits', async () => {
    const path = await file(
      'longs.json',
      `[${restore('9007199254740993')},
        {"id": 9223372036854775807, "host_id": -9223372036854775808, "time_initiated": 9007199254740993,
         "status": "SUCCESS", "time_completed": 9223372036854775807, "backup_id": null},
        {"id": -9223372036854775808, "backup_id": 9223372036854775807}]`,
    );
    // The default table, which the handler below reads.
    const run = await runImport([path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('read 3, written 3, unchanged 0, rejected 0\n');

    const get = async (id: string) =>
      (await raw.send(new GetItemCommand({ TableName: LOCAL_TABLES.restoresTable, Key: { id: { N: id } } })))
        .Item;
    expect(await get('9223372036854775807')).toEqual({
      id: { N: '9223372036854775807' },
      host_id: { N: '-9223372036854775808' },
      time_initiated: { N: '9007199254740993' },
      time_completed: { N: '9223372036854775807' },
      status: { S: 'SUCCESS' },
    });
    expect(await get('-9223372036854775808')).toEqual({
      id: { N: '-9223372036854775808' },
      backup_id: { N: '9223372036854775807' },
    });
    expect((await get('9007199254740993'))?.['groups']).toEqual({ L: [{ S: 'USERS_CONFIG' }] });

    const { handler } = await import('../../handlers/getRestore.ts');
    const response = (await handler(
      httpV2Event({
        id: '9223372036854775807',
        headers: { SEC: TEST_TOKEN },
        fields: 'id,host_id,time_initiated',
      }),
      lambdaContext(),
    )) as { body: string };
    expect(response.body).toBe(
      '{"id":9223372036854775807,"host_id":-9223372036854775808,"time_initiated":9007199254740993}',
    );
  });

  it('rejects a bad record by its position, line and id, and writes the rest', async () => {
    const table = await freshTable();
    const path = await file(
      'bad.json',
      `[\n${restore('1')},\n${restore('2').replace('IN_PROGRESS', 'DONE')},\n${restore('3', ', "owner": "x"')},\n` +
        `{"status": "SUCCESS"},\n"text",\n{"id": 1.5},\n{"id": 6,},\n${restore('7')}\n]\n`,
    );
    const run = await runImport([path], { RESTORES_TABLE: table });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      'rejected record 2, line 3, id 2: status is not one of its enum values',
      'rejected record 3, line 4, id 3: "owner" is not a restore field',
      'rejected record 4, line 5: id is missing: it is the table key',
      'rejected record 5, line 6: not a JSON object',
      'rejected record 6, line 7: id is not a Long',
      expect.stringMatching(/^rejected record 7, line 8: not JSON: /),
    ]);
    expect(run.stdout).toBe('read 8, written 2, unchanged 0, rejected 6\n');
    expect(await ids(table)).toEqual(['1', '7']);
  });

  it('reads NDJSON, one restore per line, blank lines and CRLF endings allowed', async () => {
    const table = await freshTable();
    const path = await file(
      'restores.ndjson',
      `${restore('1')}\r\n\r\n${restore('2')}\n${restore('9007199254740993')}`,
    );
    const run = await runImport([path], { RESTORES_TABLE: table });
    expect(run).toMatchObject({ code: 0, stdout: 'read 3, written 3, unchanged 0, rejected 0\n' });
    expect(await ids(table)).toEqual(['1', '2', '9007199254740993']);
  });

  it('changes nothing when the same file comes twice, and writes only what changed', async () => {
    const table = await freshTable();
    const path = await file('twice.json', `[${restore('1')}, ${restore('2')}, ${restore('3')}]`);
    expect((await runImport([path], { RESTORES_TABLE: table })).stdout).toBe(
      'read 3, written 3, unchanged 0, rejected 0\n',
    );
    const before = await scan(table);
    const again = await runImport([path], { RESTORES_TABLE: table });
    expect(again).toMatchObject({ code: 0, stdout: 'read 3, written 0, unchanged 3, rejected 0\n' });
    expect(await scan(table)).toEqual(before);

    const changed = await file(
      'changed.json',
      `[${restore('1')}, ${restore('2').replace('IN_PROGRESS', 'FAILED')}]`,
    );
    expect((await runImport([changed], { RESTORES_TABLE: table })).stdout).toBe(
      'read 2, written 1, unchanged 1, rejected 0\n',
    );
  });

  it('writes nothing on a dry run and says what would change', async () => {
    const table = await freshTable();
    await runImport([await file('first.json', `[${restore('1')}, ${restore('2')}]`)], {
      RESTORES_TABLE: table,
    });
    const before = await scan(table);
    const path = await file(
      'dry.json',
      `[${restore('1')}, ${restore('2').replace('"time_completed": null', '"time_completed": 1767226200000').replace('IN_PROGRESS', 'SUCCESS')}, ${restore('3')}, {"id": 4, "status": "?"}]`,
    );
    const run = await runImport(['--dry-run', path], { RESTORES_TABLE: table });
    expect(run.code).toBe(1); // a record was rejected
    expect(run.stdout).toBe(
      [
        'would write 2: changes time_completed, status',
        'would write 3: new',
        'read 4, written 0, unchanged 1, rejected 1 (dry run: 2 would be written)',
        '',
      ].join('\n'),
    );
    expect(await scan(table)).toEqual(before);
  });

  it('lets the last of two records with the same id win', async () => {
    const table = await freshTable();
    const path = await file(
      'dup.ndjson',
      `${restore('1')}\n${restore('1').replace('IN_PROGRESS', 'FAILED')}\n`,
    );
    expect((await runImport([path], { RESTORES_TABLE: table })).stdout).toBe(
      'read 2, written 2, unchanged 0, rejected 0\n',
    );
    expect((await scan(table))[0]?.['status']).toEqual({ S: 'FAILED' });
  });

  it('stops at a broken array, having written the records before the break', async () => {
    const table = await freshTable();
    const run = await runImport([await file('cut.json', `[${restore('1')}, ${restore('2')}, {"id": 3`)], {
      RESTORES_TABLE: table,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('import stopped: the input ends at line 1 inside its array\n');
    expect(run.stdout).toBe('read 2, written 2, unchanged 0, rejected 0\n');
    expect(await ids(table)).toEqual(['1', '2']);
  });

  it('names the byte offset of the first byte that is not UTF-8', async () => {
    const table = await freshTable();
    const path = join(dir, 'latin1.ndjson');
    // A Latin-1 é (0xe9) in the second record's backup_name: the offset counts from the file's start.
    const second = Buffer.from(restore('2').replace('"nightly"', '"caf\u00e9"'), 'latin1');
    const first = Buffer.from(`${restore('1')}\n`);
    await writeFile(path, Buffer.concat([first, second]));
    const run = await runImport([path], { RESTORES_TABLE: table });
    expect(run.code).toBe(1);
    const at = first.length + second.indexOf(0xe9);
    expect(run.stderr).toBe(`import stopped: not UTF-8 text at byte ${at} (counted from 0): 0xe9\n`);
  });

  it('writes and counts the records of a small file followed by text after its array', async () => {
    const table = await freshTable();
    const run = await runImport([await file('trailing.json', `[${restore('1')}, ${restore('2')}]\n,`)], {
      RESTORES_TABLE: table,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('import stopped: line 2: text after the end of the array\n');
    expect(run.stdout).toBe('read 2, written 2, unchanged 0, rejected 0\n');
    expect(await ids(table)).toEqual(['1', '2']);
  });

  it('rejects a record over the 400 KB item limit by its position and id, and writes the rest', async () => {
    const table = await freshTable();
    const big = restore('2').replace('"nightly"', `"${'n'.repeat(420 * 1024)}"`);
    const lines = [restore('1'), big, ...Array.from({ length: 30 }, (_, i) => restore(String(i + 3)))];
    const run = await runImport([await file('big.ndjson', lines.join('\n'))], { RESTORES_TABLE: table });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^rejected record 2, line 2, id 2: the item would be \d+ bytes, over DynamoDB's 400 KB item limit\n$/,
    );
    expect(run.stdout).toBe('read 32, written 31, unchanged 0, rejected 1\n');
    expect(await ids(table)).toHaveLength(31);
  });

  it('prints control characters from a record as visible text, never as terminal escapes', async () => {
    const table = await freshTable();
    const run = await runImport(
      [await file('escapes.json', `[${restore('1', ', "\\u001b[2J\\u0007": 1')}]`)],
      { RESTORES_TABLE: table },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rejected record 1, line 1, id 1: "\\u001b[2J\\u0007" is not a restore field\n');
  });

  it('says so clearly when the table is not there', async () => {
    const run = await runImport([await file('one.json', `[${restore('1')}]`)], {
      RESTORES_TABLE: 'no_such_table',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'import stopped: table no_such_table: ResourceNotFoundException: Requested resource not found\n',
    );
    // Found before the input is read.
    expect(run.stdout).toBe('read 0, written 0, unchanged 0, rejected 0\n');
  });

  it('says at once, naming both ways, when no local stack answers', async () => {
    const run = await runImport([await file('two.json', `[${restore('1')}]`)], {
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'import stopped: table restores: nothing answers at http://127.0.0.1:9: start the local stack ' +
        'with `npm start` (or set DYNAMODB_ENDPOINT to its store), or write to a deployed stage with --stage STAGE\n',
    );
    expect(run.stdout).toBe('read 0, written 0, unchanged 0, rejected 0\n');
  });
});

describe('npm run import: arguments', () => {
  it.each([
    [[], 'a FILE or --from is required'],
    [['no/such/file.json'], 'no such file: no/such/file.json'],
    [['test'], 'FILE is not a file: test'],
    [['--dry'], "Unknown option '--dry'"],
    [['--from', 'http://console.example'], '--from needs an https:// address'],
    [['--from', 'https://console.example'], '--from needs credentials'],
  ])('answers %j with a message, the usage line and exit 2, never a stack trace', async (args, message) => {
    const run = await runImport(args, { QRADAR_SEC_TOKEN: '' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(
      /\nusage: npm run import -- \[--dry-run\] \[--force\] \[--local \| --stage STAGE/,
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it('refuses a table name DynamoDB would refuse, before reading anything', async () => {
    const run = await runImport(['x.json'], { RESTORES_TABLE: 'no spaces' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('RESTORES_TABLE is not a DynamoDB table name: no spaces');
  });

  it('prints the usage on --help and exits 0', async () => {
    const run = await runImport(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^usage: npm run import -- \[--dry-run\] \[--force\] \[--local \| --stage STAGE/,
    );
  });
});

describe('throttled writes', () => {
  it('are sent again until written, the fault injected at the SDK request handler', async () => {
    const table = await freshTable();
    // The real handler to dynalite, behind one that answers the first two PutItem calls with
    // DynamoDB's throttling error.
    const direct = tableClient({ endpoint: store.endpoint, region: 'us-east-1' });
    const inner = direct.config.requestHandler;
    const targets: string[] = [];
    let refused = 0;
    const client = tableClient(
      { endpoint: store.endpoint, region: 'us-east-1' },
      {
        // Only our own retries: the SDK's would hide the throttling.
        maxAttempts: 1,
        requestHandler: {
          handle: async (
            request: Parameters<typeof inner.handle>[0],
            options?: Parameters<typeof inner.handle>[1],
          ) => {
            const { target } = decodeRequest(request as unknown as Parameters<typeof decodeRequest>[0]);
            targets.push(target.split('.')[1] ?? '');
            if (target.endsWith('PutItem') && refused < 2) {
              refused++;
              return replyResponse({
                status: 400,
                body: {
                  __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
                  message: 'The level of configured provisioned throughput for the table was exceeded.',
                },
              });
            }
            return inner.handle(request, options);
          },
          updateHttpClientConfig: () => undefined,
          httpHandlerConfigs: () => ({}),
          destroy: () => undefined,
        } as unknown as typeof inner,
      },
    );
    const lines = [restore('9223372036854775807'), restore('-9223372036854775808'), restore('5')];
    const { counts, error } = await importRecords(recordsOf([lines.join('\n')]), {
      client,
      table,
      dryRun: false,
      retry: { random: () => 0.5 },
      writes: { concurrency: 1 },
    });
    client.destroy();
    direct.destroy();
    expect(error).toBeUndefined();
    expect(counts).toMatchObject({ read: 3, written: 3, unwritten: 0 });
    expect(targets).toEqual(['BatchGetItem', 'PutItem', 'PutItem', 'PutItem', 'PutItem', 'PutItem']);
    expect(await ids(table)).toEqual(['-9223372036854775808', '5', '9223372036854775807']);
  });
});

describe('the forward-only lifecycle', () => {
  it('leaves a restore further on in the table as it is, counted stale; --force writes it and says so', async () => {
    const table = await freshTable();
    const newer = await file(
      'newer.ndjson',
      [restore('1').replace('IN_PROGRESS', 'SUCCESS'), restore('2')].join('\n'),
    );
    const older = await file(
      'older.ndjson',
      [restore('1').replace('IN_PROGRESS', 'PENDING'), restore('2').replace('IN_PROGRESS', 'FAILED')].join(
        '\n',
      ),
    );
    expect((await runImport([newer], { RESTORES_TABLE: table })).code).toBe(0);

    const dry = await runImport(['--dry-run', older], { RESTORES_TABLE: table });
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toBe(
      "would skip 1: PENDING is older than the table's SUCCESS\n" +
        'would write 2: changes status\n' +
        'read 2, written 0, unchanged 0, stale 1, rejected 0 (dry run: 1 would be written)\n',
    );

    const run = await runImport([older], { RESTORES_TABLE: table });
    expect(run).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'read 2, written 1, unchanged 0, stale 1, rejected 0\n',
    });
    const status = async (id: string) =>
      (await raw.send(new GetItemCommand({ TableName: table, Key: { id: { N: id } } }))).Item?.['status'];
    expect(await status('1')).toEqual({ S: 'SUCCESS' });
    expect(await status('2')).toEqual({ S: 'FAILED' });

    const forced = await runImport(['--force', older], { RESTORES_TABLE: table });
    expect(forced).toMatchObject({
      code: 0,
      stdout: 'read 2, written 1, unchanged 1, rejected 0, forced 1\n',
    });
    expect(await status('1')).toEqual({ S: 'PENDING' });
  });

  it('repairs a stored status that is absent or not a status at all', async () => {
    const table = await freshTable();
    await raw.send(new PutItemCommand({ TableName: table, Item: { id: { N: '1' }, status: { N: '7' } } }));
    await raw.send(new PutItemCommand({ TableName: table, Item: { id: { N: '2' }, status: { S: 'DONE' } } }));
    await raw.send(new PutItemCommand({ TableName: table, Item: { id: { N: '3' } } }));
    const run = await runImport(
      [
        await file(
          'repair.ndjson',
          ['1', '2', '3'].map((id) => restore(id).replace('IN_PROGRESS', 'PENDING')).join('\n'),
        ),
      ],
      {
        RESTORES_TABLE: table,
      },
    );
    expect(run).toMatchObject({ code: 0, stdout: 'read 3, written 3, unchanged 0, rejected 0\n' });
  });
});
