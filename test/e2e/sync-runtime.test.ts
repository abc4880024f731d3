// The packaged syncRestores zip as AWS runs it: booted by aws-lambda-ric with the environment
// the template of a stage with a console gives it, its token and CA bundle read from a
// stand-in Secrets Manager (AWS_ENDPOINT_URL_SECRETS_MANAGER), a pass against the stand-in
// console into dynalite: JSON log lines and metrics, Longs exact, and no secret in any line.

import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type EmbeddedStore, startLocalStore } from '../../local/dynalite.ts';
import { type ConsoleStandIn, startConsoleStandIn } from '../../local/harness/qradar-console.ts';
import { ensureRuntimeClient } from '../../scripts/runtime-client.ts';
import { readEmf } from '../support/emf.ts';
import { type BootedFunction, bootFunction } from '../support/lambda-runtime.ts';
import { type Packaged, packageStage, resourcesOfType } from '../support/package.ts';
import { type SecretsStandIn, startSecretsManager } from '../support/secrets-manager.ts';

const TOKEN = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-ca-GhIjKl';
const SCHEDULED = JSON.stringify({
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-28T12:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/qradar-restores-dev-syncRestores'],
  detail: {},
});

let packaged: Packaged;
let qradar: ConsoleStandIn;
let secrets: SecretsStandIn;
let store: EmbeddedStore | undefined;
let table: string;
let sync: BootedFunction | undefined;

const restore = (id: string, status: string) =>
  `{"id":${id},"initiated_by":"admin","host_id":9223372036854775807,"time_initiated":9007199254740993,` +
  `"time_completed":null,"status":"${status}","is_cross_deployment_restore":false,"backup_id":-9223372036854775808,` +
  `"backup_name":"nightly","backup_version":"7.5.0","backup_type":"CONFIG","backup_filename":"b.tgz","groups":[]}`;

beforeAll(async () => {
  qradar = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'pw' });
  secrets = await startSecretsManager({
    [TOKEN_ARN]: TOKEN,
    [CA_ARN]: await readFile(qradar.caFile, 'utf8'),
  });
  const [runtimeClient, packagedStage] = await Promise.all([
    ensureRuntimeClient(),
    packageStage('dev', {
      consoleUrl: qradar.origin,
      consoleTokenSecretArn: TOKEN_ARN,
      consoleCaSecretArn: CA_ARN,
    }),
  ]);
  packaged = packagedStage;
  const [[, resource] = []] = resourcesOfType(packaged.template, 'AWS::Lambda::Function').filter(
    ([id]) => id === 'SyncRestoresLambdaFunction',
  );
  if (resource === undefined) throw new Error('the template has no syncRestores');
  table = String(
    (resource.Properties['Environment'] as { Variables: Record<string, string> }).Variables['RESTORES_TABLE'],
  );
  store = await startLocalStore(0, {
    tables: { restoresTable: table, authorizedServicesTable: 'services', authorizedUsersTable: 'users' },
  });
  sync = await bootFunction({
    zip: join(packaged.folder, 'syncRestores.zip'),
    resource,
    runtimeClient,
    extraEnv: {
      AWS_ACCESS_KEY_ID: 'runtime-test',
      AWS_SECRET_ACCESS_KEY: 'runtime-test',
      AWS_SESSION_TOKEN: 'runtime-test',
      DYNAMODB_ENDPOINT: store.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    },
  });
  await sync.ready;
}, 600_000);

afterAll(async () => {
  await sync?.stop();
  await store?.close();
  await secrets?.close();
  await qradar?.close();
  if (packaged !== undefined) await rm(dirname(packaged.folder), { recursive: true, force: true });
});

const fn = (): BootedFunction => {
  if (sync === undefined) throw new Error('syncRestores was not booted');
  return sync;
};
const records = () =>
  fn()
    .lines()
    .map(({ text }) => JSON.parse(text) as Record<string, unknown>);

describe('the packaged syncRestores under aws-lambda-ric', () => {
  it('initialises without an init error', () => {
    expect(fn().runtime.initErrors).toEqual([]);
  });

  it('runs a pass on a scheduled event: the table agrees with the console, Longs exact', async () => {
    qradar.restores = [restore('9007199254740993', 'IN_PROGRESS'), restore('9223372036854775807', 'SUCCESS')];
    const outcome = await fn().invoke(SCHEDULED, { timeoutMs: 50_000 });
    expect(outcome.kind).toBe('response');
    expect(JSON.parse(outcome.body.toString('utf8'))).toMatchObject({
      ok: true,
      origin: qradar.origin,
      read: 2,
      written: 2,
      deleted: 0,
    });
    expect(qradar.requests.map((r) => r.sec)).toEqual([TOKEN]);
    const raw = new DynamoDBClient({
      endpoint: String(store?.endpoint),
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    });
    const items = (await raw.send(new ScanCommand({ TableName: table }))).Items ?? [];
    raw.destroy();
    expect(
      items
        .map((item) => [item['id']?.N, item['host_id']?.N, item['backup_id']?.N, item['console']?.S])
        .sort(),
    ).toEqual([
      ['9007199254740993', '9223372036854775807', '-9223372036854775808', qradar.origin],
      ['9223372036854775807', '9223372036854775807', '-9223372036854775808', qradar.origin],
    ]);
    // Read once, from the cold start on: the token and the CA bundle.
    expect([...secrets.asked].sort()).toEqual([CA_ARN, TOKEN_ARN].sort());
  });

  it('writes one JSON log line and one EMF line per pass', () => {
    const lines = records();
    const passes = lines.filter(
      (line) => (line['message'] as { message?: string } | undefined)?.message === 'sync pass',
    );
    expect(passes).toHaveLength(1);
    expect(passes[0]).toMatchObject({
      level: 'INFO',
      message: { read: 2, written: 2, ok: true, origin: qradar.origin, requestId: expect.any(String) },
    });
    const emf = fn()
      .lines()
      .filter(({ text }) => text.includes('"_aws"'))
      .map(({ text }) => readEmf(text));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      Function: 'qradar-restores-dev-syncRestores',
      SyncPasses: 1,
      SyncFailures: 0,
      RestoresWritten: 2,
    });
  });

  it('reports a failed pass as SyncFailed without a stack frame, after its ERROR line and metrics', async () => {
    qradar.restores = [restore('9007199254740993', 'SUCCESS'), restore('9223372036854775807', 'DONE')];
    const outcome = await fn().invoke(SCHEDULED, { timeoutMs: 50_000 });
    expect(outcome.kind).toBe('error');
    const reported = JSON.parse(outcome.body.toString('utf8')) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(reported.errorType).toBe('SyncFailed');
    expect(reported.errorMessage).toMatch(/^read 2, written 1, .*: 1 record rejected$/);
    expect(reported.trace).toEqual([`SyncFailed: ${reported.errorMessage}`]);
    const failed = records().find(
      (line) => (line['message'] as { message?: string } | undefined)?.message === 'sync pass failed',
    );
    expect(failed).toMatchObject({ level: 'ERROR', message: { rejected: 1, reason: '1 record rejected' } });
    const emf = fn()
      .lines()
      .filter(({ text }) => text.includes('"_aws"'))
      .map(({ text }) => readEmf(text));
    expect(emf.at(-1)).toMatchObject({ SyncFailures: 1, RestoresRejected: 1 });
    // The second pass used the secrets kept from the cold start.
    expect(secrets.asked).toHaveLength(2);
  });

  it('never writes the token in any line', () => {
    const text = fn()
      .lines()
      .map((line) => line.text)
      .join('\n');
    expect(text).toContain('sync pass');
    expect(text).not.toContain(TOKEN);
  });
});
