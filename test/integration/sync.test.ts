// One sync pass against dynalite and the stand-in console over HTTPS with its own
// certificate, run as `npm run sync` and in process: Longs exact from the console to the
// table, only changes written, deletions of the console's own restores and the guard's
// refusals, forward-only under a real race, and every way the console or the table can fail.

import { readFile } from 'node:fs/promises';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRecords } from '../../cli/import/importer.ts';
import { recordsOf } from '../../lib/qradar-console/records.ts';
import { LOCAL_CREDENTIALS, tableClient } from '../../lib/store/tool-client.ts';
import { runPass } from '../../lib/sync/pass.ts';
import { createTable, localClient } from '../../local/dynalite.ts';
import { FaultProxy } from '../../local/harness/fault-proxy.ts';
import {
  BAD_CREDENTIALS,
  type ConsoleStandIn,
  startConsoleStandIn,
} from '../../local/harness/qradar-console.ts';
import { runSync, STACK_FRAME } from '../support/import-cli.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

const TOKEN = '5e0c1d2a-7b3f-4c8e-9d6a-1f2e3d4c5b6a';
let store: TestStore;
let qradar: ConsoleStandIn;
let raw: DynamoDBClient;
let ca: string;
let tables = 0;
let table: string;

beforeAll(async () => {
  store = await startStore();
  qradar = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'pw' });
  raw = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  ca = await readFile(qradar.caFile, 'utf8');
});
afterAll(async () => {
  raw?.destroy();
  await qradar?.close();
  await store?.close();
});
beforeEach(async () => {
  table = `sync_${++tables}`;
  const client = localClient(store.endpoint);
  await createTable(client, 'RestoresTable', table);
  client.destroy();
  qradar.requests.length = 0;
  qradar.mode = 'normal';
});

const restore = (id: string, status = 'SUCCESS', name = 'nightly') =>
  `{"id":${id},"initiated_by":"admin","host_id":9223372036854775807,"time_initiated":9007199254740993,` +
  `"time_completed":null,"status":"${status}","is_cross_deployment_restore":false,"backup_id":-9223372036854775808,` +
  `"backup_name":"${name}","backup_version":"7.5.0","backup_type":"CONFIG","backup_filename":"b.tgz","groups":["USERS_CONFIG"]}`;
const IDS = ['1', '2', '3', '9007199254740993', '9223372036854775807'];

const sync = (args: string[] = [], env: NodeJS.ProcessEnv = { QRADAR_SEC_TOKEN: TOKEN }) =>
  runSync(['--from', qradar.origin, '--ca', qradar.caFile, ...args], { RESTORES_TABLE: table, ...env });

const scan = async () => (await raw.send(new ScanCommand({ TableName: table }))).Items ?? [];
const ids = async () => (await scan()).map((item) => item['id']?.N).sort();
const summary = (counts: string) => new RegExp(`^${counts}, \\d+ ms\\n$`);

describe('npm run sync', () => {
  it("makes the table agree with the console, Longs exact, each item marked as the console's", async () => {
    qradar.restores = IDS.map((id) => restore(id));
    const run = await sync(['--page-size', '2']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      summary('read 5, written 5, unchanged 0, stale 0, rejected 0, deleted 0, deletions refused 0'),
    );
    expect(qradar.requests.map((r) => [r.range, r.version, r.sec])).toEqual([
      ['items=0-1', '26.0', TOKEN],
      ['items=2-3', '26.0', TOKEN],
      ['items=4-5', '26.0', TOKEN],
    ]);
    const top = (await scan()).find((item) => item['id']?.N === '9223372036854775807');
    expect(top).toEqual({
      id: { N: '9223372036854775807' },
      initiated_by: { S: 'admin' },
      host_id: { N: '9223372036854775807' },
      time_initiated: { N: '9007199254740993' },
      status: { S: 'SUCCESS' },
      is_cross_deployment_restore: { BOOL: false },
      backup_id: { N: '-9223372036854775808' },
      backup_name: { S: 'nightly' },
      backup_version: { S: '7.5.0' },
      backup_type: { S: 'CONFIG' },
      backup_filename: { S: 'b.tgz' },
      groups: { L: [{ S: 'USERS_CONFIG' }] },
      console: { S: qradar.origin },
    });
    expect(await ids()).toEqual([...IDS].sort());

    const again = await sync();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      summary('read 5, written 0, unchanged 5, stale 0, rejected 0, deleted 0, deletions refused 0'),
    );
  });

  it('writes only what changed, and deletes a restore the console no longer lists', async () => {
    qradar.restores = IDS.map((id) => restore(id, 'IN_PROGRESS'));
    expect((await sync()).code).toBe(0);
    qradar.restores = [restore('1', 'SUCCESS'), ...IDS.slice(1, 4).map((id) => restore(id, 'IN_PROGRESS'))];
    const run = await sync();
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      summary('read 4, written 1, unchanged 3, stale 0, rejected 0, deleted 1, deletions refused 0'),
    );
    expect(await ids()).toEqual(IDS.slice(0, 4).sort());
  });

  it("never deletes a file's restores, and refuses to delete most of the console's: the rest is written, exit 1", async () => {
    qradar.restores = IDS.map((id) => restore(id, 'IN_PROGRESS'));
    expect((await sync()).code).toBe(0);
    await raw.send(
      new PutItemCommand({ TableName: table, Item: { id: { N: '42' }, status: { S: 'PENDING' } } }),
    );
    qradar.restores = [restore('1', 'SUCCESS'), restore('2', 'IN_PROGRESS')];
    const run = await sync();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'sync failed: deletions refused: the console no longer lists 3 of the 5 restores it had in the table; ' +
        'nothing was deleted (delete by hand what should go)\n',
    );
    expect(run.stdout).toMatch(
      summary('read 2, written 1, unchanged 1, stale 0, rejected 0, deleted 0, deletions refused 3'),
    );
    expect(await ids()).toEqual(['1', '2', '3', '42', ...IDS.slice(3)].sort());
  });

  it('refuses to delete anything when the console answers an empty list', async () => {
    qradar.restores = [restore('1')];
    expect((await sync()).code).toBe(0);
    qradar.restores = [];
    const run = await sync();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      summary('read 0, written 0, unchanged 0, stale 0, rejected 0, deleted 0, deletions refused 1'),
    );
    expect(await ids()).toEqual(['1']);
  });

  it('says what it would do on a dry run, writes nothing, and exits as the pass would', async () => {
    qradar.restores = IDS.map((id) => restore(id, 'IN_PROGRESS'));
    expect((await sync()).code).toBe(0);
    qradar.restores = [
      restore('1', 'SUCCESS'),
      ...IDS.slice(1, 4).map((id) => restore(id, 'IN_PROGRESS')),
      restore('7'),
    ];
    const run = await sync(['--dry-run']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'would write 1: changes status',
      'would write 7: new',
      'would delete 9223372036854775807',
    ]);
    expect(run.stdout.split('\n')[3]).toMatch(
      /^read 5, written 0, unchanged 3, stale 0, rejected 0, deleted 0, deletions refused 0, \d+ ms \(dry run: 2 would be written, 1 deleted\)$/,
    );
    expect(await ids()).toEqual([...IDS].sort());
  });

  it('fails when the console breaks off mid-paging: writes the pages read, deletes nothing', async () => {
    qradar.restores = IDS.map((id) => restore(id));
    expect((await sync()).code).toBe(0);
    qradar.restores = ['11', '12', '13'].map((id) => restore(id));
    qradar.requests.length = 0;
    qradar.mode = 'fail-after';
    qradar.pages = 1;
    const run = await sync(['--page-size', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'sync failed: the console: the console answered 503 (QRadar code 1000): The service is unavailable. ' +
        '(after 2 restores: those are written, nothing is deleted)\n',
    );
    expect(run.stdout).toMatch(
      summary('read 2, written 2, unchanged 0, stale 0, rejected 0, deleted 0, deletions refused 0'),
    );
    expect(await ids()).toEqual(['11', '12', ...IDS].sort());
  });

  it('rejects a bad record by its place and id, writes the rest, and never deletes the rejected id', async () => {
    qradar.restores = IDS.map((id) => restore(id));
    expect((await sync()).code).toBe(0);
    qradar.restores = [...IDS.slice(0, 4).map((id) => restore(id)), restore(IDS[4] ?? '', 'ARCHIVED')];
    const run = await sync();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'rejected record 5, id 9223372036854775807: status is not one of its enum values\nsync failed: 1 record rejected\n',
    );
    expect(run.stdout).toMatch(
      summary('read 5, written 0, unchanged 4, stale 0, rejected 1, deleted 0, deletions refused 0'),
    );
    expect(await ids()).toEqual([...IDS].sort());
  });

  it.each([
    [
      'a 401',
      'normal',
      { QRADAR_SEC_TOKEN: 'wrong' },
      `the console answered 401 (QRadar code 18): ${BAD_CREDENTIALS}`,
    ],
    [
      'a page that is not JSON',
      'not-json',
      { QRADAR_SEC_TOKEN: TOKEN },
      'its answer to Range: items=0-499 is not a list of restores: line 1 starts with "<": not a JSON array',
    ],
  ] as const)('fails on %s with a clear reason, writing nothing', async (_, mode, env, reason) => {
    qradar.restores = IDS.map((id) => restore(id));
    qradar.mode = mode;
    const run = await sync([], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`sync failed: the console: ${reason}\n`);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(run.stdout + run.stderr).not.toContain('wrong\n');
    expect(await ids()).toEqual([]);
  });

  it('fails on a certificate it cannot verify, with the way to trust it', async () => {
    const run = await runSync(['--from', qradar.origin], { RESTORES_TABLE: table, QRADAR_SEC_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `sync failed: the console: cannot verify ${qradar.origin}'s certificate: self-signed certificate ` +
        "(DEPTH_ZERO_SELF_SIGNED_CERT); for a console's own certificate, pass it with --ca FILE\n",
    );
    expect(qradar.requests).toEqual([]);
  });

  it.each([
    [[], '--from https://CONSOLE is required'],
    [['--from', 'http://console.example'], '--from needs an https:// address'],
    [['--from', 'https://console.example', '--force'], "Unknown option '--force'"],
    [['--from', 'https://console.example', 'extra'], "Unexpected argument 'extra'"],
  ])('answers %j with a message, the usage line and exit 2', async (args, message) => {
    const run = await runSync(args, { QRADAR_SEC_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('\nusage: npm run sync -- --from https://CONSOLE');
  });
});

describe('a pass in process', () => {
  const source = () => ({
    origin: qradar.origin,
    credentials: { sec: TOKEN },
    version: '26.0',
    pageSize: 50,
    ca,
  });

  it('never hands back a reason holding the credentials, whatever failed', async () => {
    // A store whose every answer repeats the console's token: the pass fails on the table, and
    // its reason (printed by the command, the local loop and the function) hides the token.
    const leaky = {
      send: async () => {
        throw new Error(`refused for ${TOKEN}`);
      },
      destroy: () => undefined,
    } as unknown as ReturnType<typeof tableClient>;
    qradar.restores = [restore('1', 'PENDING')];
    const pass = await runPass({ console: source(), client: leaky, table, deadline: Date.now() + 30_000 });
    expect(pass.ok).toBe(false);
    expect(pass.reasons.join('\n')).toContain('[credentials]');
    expect(pass.reasons.join('\n')).not.toContain(TOKEN);
  });

  it('never lets an older observation win a race: a pass and an import writing the same restores at once', async () => {
    const count = 120;
    const all = Array.from({ length: count }, (_, i) => String(i + 1));
    for (let round = 0; round < 3; round++) {
      table = `race_${++tables}`;
      const setup = localClient(store.endpoint);
      await createTable(setup, 'RestoresTable', table);
      setup.destroy();
      // The console has moved on; the file is an older export of the same restores.
      qradar.restores = all.map((id) => restore(id, 'SUCCESS', 'console'));
      const older = all.map((id) => restore(id, Number(id) % 2 === 0 ? 'IN_PROGRESS' : 'PENDING', 'file'));
      const client = tableClient({ endpoint: store.endpoint, region: 'us-east-1' });
      const [pass, imported] = await Promise.all([
        runPass({ console: source(), client, table, deadline: Date.now() + 60_000 }),
        importRecords(recordsOf([older.join('\n')]), { client, table, dryRun: false }),
      ]);
      client.destroy();
      expect(pass.ok, pass.reasons.join('; ')).toBe(true);
      expect(imported.error).toBeUndefined();
      // Whichever wrote first, every restore ends SUCCESS: the import's older writes either
      // landed before the pass's or were refused by the table's condition (stale).
      const statuses = (await scan()).map((item) => item['status']?.S);
      expect(statuses).toEqual(all.map(() => 'SUCCESS'));
      expect(pass.written + pass.stale).toBe(count);
      expect(imported.counts.written + imported.counts.stale).toBe(count);
    }
  }, 60_000);

  it('never lets an older pass win: two passes from consoles at different points in time', async () => {
    const all = Array.from({ length: 80 }, (_, i) => String(i + 1));
    const client = tableClient({ endpoint: store.endpoint, region: 'us-east-1' });
    // Two stand-ins: the same console seen late and seen early (a replica restored from a backup).
    const early = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'pw' });
    try {
      early.restores = all.map((id) => restore(id, 'REQUESTING'));
      qradar.restores = all.map((id) => restore(id, 'FAILED'));
      const earlyCa = await readFile(early.caFile, 'utf8');
      const [late, old] = await Promise.all([
        runPass({ console: source(), client, table, deadline: Date.now() + 60_000 }),
        runPass({
          console: { ...source(), origin: early.origin, ca: earlyCa },
          client,
          table,
          deadline: Date.now() + 60_000,
        }),
      ]);
      expect(late.reasons).toEqual([]);
      expect(old.reasons).toEqual([]);
      expect((await scan()).map((item) => item['status']?.S)).toEqual(all.map(() => 'FAILED'));
    } finally {
      client.destroy();
      await early.close();
    }
  }, 60_000);

  it('retries a throttled table, then fails clearly at its deadline, having written nothing', async () => {
    qradar.restores = IDS.map((id) => restore(id));
    const proxy = new FaultProxy({ host: '127.0.0.1', port: Number(new URL(store.endpoint).port) });
    await proxy.start();
    proxy.throttled = /PutItem/;
    await proxy.setMode('throttle');
    const client = tableClient({ endpoint: proxy.endpoint, region: 'us-east-1' }, { maxAttempts: 2 });
    try {
      const summary = await runPass({
        console: source(),
        client,
        table,
        deadline: Date.now() + 3000,
        writes: { baseBackoffMs: 20, maxBackoffMs: 200 },
      });
      expect(summary.ok).toBe(false);
      expect(summary.written).toBe(0);
      expect(summary.reasons).toEqual([
        expect.stringMatching(
          new RegExp(
            `^table ${table}: 5 restores left unwritten: DeadlineError: still failing at the writes' deadline: ` +
              'ProvisionedThroughputExceededException: The level of configured provisioned throughput for the table was exceeded\\.$',
          ),
        ),
      ]);
      // Each write was tried again and again (two SDK attempts each time), not given up at once.
      expect(proxy.throttledCount).toBeGreaterThan(5 * 2 * 2);
    } finally {
      client.destroy();
      await proxy.stop();
    }
    expect(await ids()).toEqual([]);
  }, 30_000);

  it('writes after the table stops throttling', async () => {
    qradar.restores = IDS.map((id) => restore(id));
    const proxy = new FaultProxy({ host: '127.0.0.1', port: Number(new URL(store.endpoint).port) });
    await proxy.start();
    proxy.throttled = /PutItem/;
    await proxy.setMode('throttle');
    const client = tableClient({ endpoint: proxy.endpoint, region: 'us-east-1' }, { maxAttempts: 1 });
    const healed = setTimeout(() => void proxy.setMode('pass'), 300);
    try {
      const summary = await runPass({
        console: source(),
        client,
        table,
        deadline: Date.now() + 20_000,
        writes: { baseBackoffMs: 50, maxBackoffMs: 200 },
      });
      expect(summary.reasons).toEqual([]);
      expect(summary.written).toBe(5);
      expect(proxy.throttledCount).toBeGreaterThan(0);
    } finally {
      clearTimeout(healed);
      client.destroy();
      await proxy.stop();
    }
    const { Item } = await raw.send(new GetItemCommand({ TableName: table, Key: { id: { N: '1' } } }));
    expect(Item?.['console']).toEqual({ S: qradar.origin });
  }, 30_000);
});
