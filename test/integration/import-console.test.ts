// `npm run import -- --from https://CONSOLE` against a stand-in console over HTTPS with its
// own certificate: Range paging, Version, SEC and Basic, and the console's refusals.

import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { createTable, localClient } from '../../local/dynalite.ts';
import {
  BAD_CREDENTIALS,
  type ConsoleStandIn,
  startConsoleStandIn,
} from '../../local/harness/qradar-console.ts';
import { runImport, STACK_FRAME } from '../support/import-cli.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

const TOKEN = '6fa4c5e1-3c1c-4b8e-9a57-0c2f6f0b7d11';
const USER = 'admin';
const PASSWORD = 'correct horse battery staple';

let store: TestStore;
let qradar: ConsoleStandIn;
let raw: DynamoDBClient;
let tables = 0;
let table: string;

beforeAll(async () => {
  store = await startStore();
  qradar = await startConsoleStandIn({ token: TOKEN, user: USER, password: PASSWORD });
  raw = new DynamoDBClient({ endpoint: store.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
});
afterAll(async () => {
  raw?.destroy();
  await qradar?.close();
  await store?.close();
});
beforeEach(async () => {
  table = `console_${++tables}`;
  const client = localClient(store.endpoint);
  await createTable(client, 'RestoresTable', table);
  client.destroy();
  qradar.requests.length = 0;
  qradar.mode = 'normal';
});

const restore = (id: string, status = 'SUCCESS') =>
  `{"id":${id},"initiated_by":"admin","host_id":9223372036854775807,"time_initiated":9007199254740993,` +
  `"time_completed":null,"status":"${status}","is_cross_deployment_restore":false,"backup_id":-9223372036854775808,` +
  `"backup_name":"nightly","backup_version":"7.5.0","backup_type":"CONFIG","backup_filename":"b.tgz","groups":[]}`;
const FIVE = ['1', '2', '3', '9007199254740993', '9223372036854775807'].map((id) => restore(id));

const fromConsole = (args: string[] = [], env: NodeJS.ProcessEnv = { QRADAR_SEC_TOKEN: TOKEN }, input = '') =>
  runImport(
    ['--from', qradar.origin, '--ca', qradar.caFile, ...args],
    { RESTORES_TABLE: table, ...env },
    input,
  );

const items = async () => (await raw.send(new ScanCommand({ TableName: table }))).Items ?? [];

describe('npm run import -- --from', () => {
  it('pages through the list with Range, sending Version and SEC, and keeps Longs exact', async () => {
    qradar.restores = FIVE;
    const run = await fromConsole(['--page-size', '2']);
    expect(run).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'read 5, written 5, unchanged 0, rejected 0\n',
    });
    expect(qradar.requests).toEqual(
      ['items=0-1', 'items=2-3', 'items=4-5'].map((range) => ({
        range,
        version: '26.0',
        sec: TOKEN,
        authorization: undefined,
      })),
    );
    const top = (await items()).find((item) => item['id']?.N === '9223372036854775807');
    expect(top).toMatchObject({
      host_id: { N: '9223372036854775807' },
      time_initiated: { N: '9007199254740993' },
      backup_id: { N: '-9223372036854775808' },
      groups: { L: [] },
    });
    expect((await items()).map((item) => item['id']?.N).sort()).toEqual([
      '1',
      '2',
      '3',
      '9007199254740993',
      '9223372036854775807',
    ]);
  });

  it('changes nothing when run again', async () => {
    qradar.restores = FIVE;
    await fromConsole();
    const again = await fromConsole();
    expect(again).toMatchObject({ code: 0, stdout: 'read 5, written 0, unchanged 5, rejected 0\n' });
    expect(qradar.requests.map((r) => r.range)).toEqual(['items=0-499', 'items=0-499']);
  });

  it('rejects a bad restore by its place in the list and writes the rest', async () => {
    qradar.restores = [...FIVE.slice(0, 3), restore('4', 'ARCHIVED'), FIVE[4] ?? ''];
    const run = await fromConsole(['--page-size', '3']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('rejected record 4, id 4: status is not one of its enum values\n');
    expect(run.stdout).toBe('read 5, written 4, unchanged 0, rejected 1\n');
  });

  it('fails a short read: writes what was read, says the list is incomplete, exits 1', async () => {
    qradar.restores = FIVE.slice(0, 2);
    qradar.mode = 'short';
    qradar.extra = 3;
    const run = await fromConsole(['--page-size', '2']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'import stopped: the console announced 5 restores but its answer to Range: items=2-3 holds none from 2 on: the list is incomplete\n',
    );
    expect(run.stdout).toBe('read 2, written 2, unchanged 0, rejected 0\n');
    expect(await items()).toHaveLength(2);
  });

  it('never prints an answer that repeats the token', async () => {
    qradar.mode = 'token-echo';
    const run = await fromConsole();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'import stopped: the console answered 401; its answer repeats the credentials sent, so it is not shown\n',
    );
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it('signs in with Basic for --user, the password read from standard input', async () => {
    qradar.restores = FIVE.slice(0, 1);
    const run = await fromConsole(['--user', USER], { QRADAR_SEC_TOKEN: '' }, `${PASSWORD}\n`);
    expect(run).toMatchObject({ code: 0, stdout: 'read 1, written 1, unchanged 0, rejected 0\n' });
    expect(qradar.requests[0]).toMatchObject({
      sec: undefined,
      authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    });
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it("reports a 401 with QRadar's message, writes nothing and exits 1", async () => {
    qradar.restores = FIVE;
    const run = await fromConsole([], { QRADAR_SEC_TOKEN: 'not-the-token' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `import stopped: the console answered 401 (QRadar code 18): ${BAD_CREDENTIALS}\n`,
    );
    expect(run.stdout).toBe('read 0, written 0, unchanged 0, rejected 0\n');
    expect(run.stderr).not.toContain('not-the-token');
    expect(await items()).toEqual([]);

    const wrongPassword = await fromConsole(['--user', USER], { QRADAR_SEC_TOKEN: '' }, 'guess\n');
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toContain(`answered 401 (QRadar code 18): ${BAD_CREDENTIALS}`);
  });

  it("reports a 422 with QRadar's message and exits 1", async () => {
    qradar.restores = FIVE;
    const run = await fromConsole(['--api-version', '99.0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'import stopped: the console answered 422 (QRadar code 3): Version (99.0) from header parameter (Version) ' +
        'is not a valid version. Please refer to documentation for list of valid versions.\n',
    );
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });

  it("verifies TLS: without --ca the console's own certificate is refused, with a hint", async () => {
    qradar.restores = FIVE;
    const run = await runImport(['--from', qradar.origin], {
      RESTORES_TABLE: table,
      QRADAR_SEC_TOKEN: TOKEN,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `import stopped: cannot verify ${qradar.origin}'s certificate: self-signed certificate ` +
        '(DEPTH_ZERO_SELF_SIGNED_CERT); ' +
        "for a console's own certificate, pass it with --ca FILE\n",
    );
    expect(qradar.requests).toEqual([]);
  });

  it('answers a --ca file that is not there with the usage line and exit 2', async () => {
    const run = await runImport(['--from', qradar.origin, '--ca', 'no/such.pem'], {
      QRADAR_SEC_TOKEN: TOKEN,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^no such file: no\/such\.pem\nusage: /);
  });
});
