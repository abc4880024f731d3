// The deploy artifact as AWS runs it: each function zip that `serverless package` builds,
// booted by Lambda's own runtime interface client (aws-lambda-ric) on Node 24 with the
// environment the template gives it and JSON logs, against a stand-in of the Runtime API, and
// a dynalite store with the template's table names. serverless offline runs handlers its own
// way; this is the runtime that loads, calls and reports them on Lambda.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { parseRestore } from '../../lib/client.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type EmbeddedStore, startLocalStore } from '../../local/dynalite.ts';
import { httpV2Event } from '../../local/harness/events.ts';
import { SAMPLE_RESTORES } from '../../local/sample-restores.ts';
import { ensureRuntimeClient } from '../../scripts/runtime-client.ts';
import { readAccessLine, readEmf } from '../support/emf.ts';
import { type StandInEventBridge, startEventBridge } from '../support/eventbridge.ts';
import {
  type BootedFunction,
  bootFunction,
  FUNCTION_VERSION,
  lambdaNode,
} from '../support/lambda-runtime.ts';
import { type Packaged, packageStage, resourcesOfType } from '../support/package.ts';
import { errorBody } from '../support/responses.ts';
import { type InvokeApi, type Outcome, type RuntimeApi, startInvokeApi } from '../support/runtime-api.ts';

/** A registered service token, and its SHA-256 as the store keeps it: neither may be logged. */
const TOKEN = `runtime-${randomUUID()}`;
const SECRETS = [TOKEN, hashToken(TOKEN)];
const LONG_ID = '9007199254740993';
/** A stored restore whose status breaks section 3: a 500, logged with a readable stack. */
const MALFORMED_ID = '66';

let packaged: Packaged;
/** The Lambda request id of getRestore's 200 over HTTP, whose lines a test reads. */
let restoreRequestId: string | undefined;
let store: EmbeddedStore | undefined;
let invokeApi: InvokeApi | undefined;
let eventBridge: StandInEventBridge | undefined;
const functions = new Map<string, BootedFunction>();

const fn = (name: string): BootedFunction => {
  const booted = functions.get(name);
  if (booted === undefined) throw new Error(`${name} was not booted`);
  return booted;
};

beforeAll(async () => {
  // Built once per machine (npm test's pretest builds it first); minutes when it is not.
  const [runtimeClient, packagedStage] = await Promise.all([ensureRuntimeClient(), packageStage('dev')]);
  packaged = packagedStage;
  const lambdas = resourcesOfType(packaged.template, 'AWS::Lambda::Function');
  // The tables under the names the template gives the functions, as a deployed stage has them.
  const variables = (lambdas[0]?.[1].Properties['Environment'] as { Variables?: Record<string, string> })
    ?.Variables;
  const table = (variable: string): string => {
    const name = variables?.[variable];
    if (!name) throw new Error(`the template sets no ${variable}`);
    return name;
  };
  store = await startLocalStore(0, {
    tables: {
      restoresTable: table('RESTORES_TABLE'),
      authorizedServicesTable: table('AUTHORIZED_SERVICES_TABLE'),
      authorizedUsersTable: table('AUTHORIZED_USERS_TABLE'),
    },
    restores: SAMPLE_RESTORES,
    services: [{ name: 'runtime-test', capabilities: ['BACKUP'], token: TOKEN }],
  });
  const raw = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  await raw.send(
    new PutItemCommand({
      TableName: table('RESTORES_TABLE'),
      Item: { id: { N: MALFORMED_ID }, status: { S: 'DONE' } },
    }),
  );
  raw.destroy();
  const runtimes = new Map<string, RuntimeApi>();
  invokeApi = await startInvokeApi(runtimes);
  eventBridge = await startEventBridge();
  const extraEnv = {
    // Lambda hands each function its role's credentials; the local store takes any.
    AWS_ACCESS_KEY_ID: 'runtime-test',
    AWS_SECRET_ACCESS_KEY: 'runtime-test',
    AWS_SESSION_TOKEN: 'runtime-test',
    DYNAMODB_ENDPOINT: store.endpoint,
    LAMBDA_ENDPOINT: invokeApi.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
  };
  for (const [, resource] of lambdas) {
    const name = String(resource.Properties['FunctionName']);
    const logical = name.replace(/^qradar-restores-dev-/, '');
    const booted = await bootFunction({
      zip: join(packaged.folder, `${logical}.zip`),
      resource,
      extraEnv,
      runtimeClient,
    });
    functions.set(logical, booted);
    runtimes.set(name, booted.runtime);
  }
  await Promise.all([...functions.values()].map((booted) => booted.ready));
}, 600_000);

afterAll(async () => {
  await Promise.all([...functions.values()].map((booted) => booted.stop()));
  await invokeApi?.close();
  await eventBridge?.close();
  await store?.close();
  if (packaged !== undefined) await rm(dirname(packaged.folder), { recursive: true, force: true });
});

/** The runtime's answer to an HTTP API event: Lambda's proxy result. */
const httpResult = (outcome: Outcome) => {
  expect(outcome.kind).toBe('response');
  return JSON.parse(outcome.body.toString('utf8')) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
};

const helpEvent = (path: string) => {
  const base = httpV2Event({ headers: { SEC: TOKEN } });
  return {
    ...base,
    routeKey: '$default',
    rawPath: path,
    requestContext: { ...base.requestContext, routeKey: '$default', requestId: 'api-help-request' },
  };
};

describe('the packaged functions under aws-lambda-ric', () => {
  it('run on the Node the template names, and each initialises without an init error', () => {
    const runtimes = resourcesOfType(packaged.template, 'AWS::Lambda::Function').map(
      ([, resource]) => resource.Properties['Runtime'],
    );
    expect(new Set(runtimes)).toEqual(new Set(['nodejs24.x']));
    expect(execFileSync(lambdaNode(), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    expect([...functions.keys()].sort()).toEqual([
      'api',
      'apiDoc',
      'getRestore',
      'listRestores',
      'publishStatusChanges',
      'restoreWatcher',
    ]);
    for (const booted of functions.values()) expect(booted.runtime.initErrors).toEqual([]);
  });

  it('getRestore answers an HTTP API event (payload 2.0, SEC) with 200 and the exact body', async () => {
    const event = httpV2Event({ id: LONG_ID, fields: 'id,host_id', headers: { SEC: TOKEN } });
    event.requestContext.requestId = 'api-restore-request';
    const outcome = await fn('getRestore').invoke(JSON.stringify(event));
    restoreRequestId = outcome.requestId;
    const result = httpResult(outcome);
    expect(result.statusCode).toBe(200);
    expect(result.headers['Content-Type']).toBe('application/json;charset=UTF-8');
    expect(result.body).toBe('{"id":9007199254740993,"host_id":9223372036854775807}');
  });

  it('getRestore logs a 500 at ERROR with the cause and a stack in source files, from the map in its zip', async () => {
    const event = httpV2Event({ id: MALFORMED_ID, headers: { SEC: TOKEN } });
    const result = httpResult(await fn('getRestore').invoke(JSON.stringify(event)));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toMatch(/RecordError|status|DONE/);
    const failed = fn('getRestore')
      .lines()
      .flatMap((line) => (line.text.includes('"_aws"') ? [readAccessLine(line.text).access] : []))
      .find((access) => access['restoreId'] === MALFORMED_ID);
    expect(failed?.['level']).toBe('ERROR');
    const record = failed as { error: string; reason: string; stack: string[] };
    expect(record).toMatchObject({ error: 'RecordError', reason: 'status is not one of its enum values' });
    // Frames name the source files and lines, not positions in the minified bundle.
    expect(record.stack[1]).toMatch(/lib\/restore\/restore\.ts:\d+:\d+/);
    expect(record.stack.join('\n')).not.toMatch(/getRestore\.mjs:1:\d{4,}/);
  });

  it('listRestores answers an HTTP API event and a direct invocation, Longs exact, filtered, sorted and ranged', async () => {
    const base = httpV2Event({
      path: '/api/backup_and_restore/restores',
      query: { filter: 'status = IN_PROGRESS', sort: '-id', fields: 'id,host_id' },
      headers: { SEC: TOKEN, Range: 'items=0-0' },
    });
    const result = httpResult(await fn('listRestores').invoke(JSON.stringify(base)));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('[{"id":9007199254740993,"host_id":9223372036854775807}]');
    expect(result.headers['Content-Range']).toBe('items 0-0/2');
    const outcome = await fn('listRestores').invoke(
      JSON.stringify({ filter: 'status = IN_PROGRESS', sort: 'id', fields: 'id,backup_id' }),
    );
    expect(outcome.kind).toBe('response');
    expect(outcome.body.toString('utf8')).toBe(
      '{"items":[{"id":4,"backup_id":104},{"id":9007199254740993,"backup_id":-9223372036854775808}],"total":2}',
    );
  });

  it('getRestore answers a direct invocation with Longs above 2^53 exact in the raw bytes', async () => {
    const outcome = await fn('getRestore').invoke(JSON.stringify({ id: LONG_ID }));
    expect(outcome.kind).toBe('response');
    const text = outcome.body.toString('utf8');
    expect(text).toContain('"id":9007199254740993');
    expect(text).toContain('"host_id":9223372036854775807');
    expect(text).toContain('"backup_id":-9223372036854775808');
    const sample = SAMPLE_RESTORES.find((restore) => String(restore['id']) === LONG_ID);
    const restore = parseRestore(text);
    expect(restore).toMatchObject({
      id: sample?.['id'],
      host_id: sample?.['host_id'],
      backup_id: sample?.['backup_id'],
      time_initiated: sample?.['time_initiated'],
      status: 'IN_PROGRESS',
    });
  });

  it('getRestore reports a missing restore through /error: RestoreNotFound, the QRadar body, no stack frames', async () => {
    const booted = fn('getRestore');
    const outcome = await booted.invoke(JSON.stringify({ id: '424242' }));
    expect(outcome.kind).toBe('error');
    const reported = JSON.parse(outcome.body.toString('utf8')) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(reported.errorType).toBe('RestoreNotFound');
    expect(JSON.parse(reported.errorMessage)).toEqual(
      errorBody(404, 1001, 'No restore was found with the id 424242.'),
    );
    // The error document names no frame and no file of the package: only its first line.
    const text = outcome.body.toString('utf8');
    expect(reported.trace).toEqual([`RestoreNotFound: ${reported.errorMessage}`]);
    expect(text).not.toMatch(/\sat\s|\.m?js\b/);
    expect(text).not.toContain(booted.taskRoot);
    // Nor does the X-Ray cause the runtime sends beside it (the working directory is its own).
    const cause = JSON.parse(String(outcome.headers['lambda-runtime-function-xray-error-cause'])) as {
      exceptions: { type: string; stack: unknown[] }[];
      paths: unknown[];
    };
    expect(cause.exceptions).toEqual([expect.objectContaining({ type: 'RestoreNotFound', stack: [] })]);
    expect(cause.paths).toEqual([]);
  });

  it('api answers a help list', async () => {
    const result = httpResult(await fn('api').invoke(JSON.stringify(helpEvent('/api/help/versions'))));
    expect(result.statusCode).toBe(200);
    const versions = JSON.parse(result.body) as { version: string }[];
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every(({ version }) => /^\d+\.\d+$/.test(version))).toBe(true);
    expect(result.headers['Content-Range']).toMatch(/^items 0-\d+\/\d+$/);
  });

  it('apiDoc serves the page and the OpenAPI document from the files in its zip', async () => {
    const page = httpResult(await fn('apiDoc').invoke(JSON.stringify(helpEvent('/api_doc'))));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const documentEvent = {
      ...helpEvent('/api_doc/openapi.json'),
      pathParameters: { asset: 'openapi.json' },
    };
    const document = httpResult(await fn('apiDoc').invoke(JSON.stringify(documentEvent)));
    expect(document.statusCode).toBe(200);
    expect((JSON.parse(document.body) as { openapi: string }).openapi).toMatch(/^3\./);
  });

  it("restoreWatcher logs a finished restore's event under the runtime, and drops what is no event", async () => {
    const event = JSON.stringify({
      version: '0',
      id: 'runtime-event',
      source: 'qradar-restores',
      'detail-type': 'Restore Status Changed',
      detail: {
        id: LONG_ID,
        status: 'FAILED',
        previous_status: 'IN_PROGRESS',
        time_completed: null,
        change_id: 'c4ca4238a0b923820dcc509a6f75849b',
      },
    });
    const record = (messageId: string, body: string) => ({ messageId, body, receiptHandle: messageId });
    const outcome = await fn('restoreWatcher').invoke(
      JSON.stringify({ Records: [record('finished', event), record('not-an-event', '{"restore_id":"6"}')] }),
    );
    expect(outcome.kind).toBe('response');
    expect(JSON.parse(outcome.body.toString('utf8'))).toEqual({ batchItemFailures: [] });
  });

  it('publishStatusChanges publishes a stream batch to EventBridge under the runtime, Longs exact', async () => {
    const image = (status: string) => ({ id: { N: '9223372036854775807' }, status: { S: status } });
    const outcome = await fn('publishStatusChanges').invoke(
      JSON.stringify({
        Records: [
          {
            eventID: 'c81e728d9d4c2f636f067f89cc14862c',
            eventName: 'MODIFY',
            eventSource: 'aws:dynamodb',
            dynamodb: {
              ApproximateCreationDateTime: 1767225600,
              SequenceNumber: '100000000000000000001',
              StreamViewType: 'NEW_AND_OLD_IMAGES',
              OldImage: image('IN_PROGRESS'),
              NewImage: { ...image('SUCCESS'), time_completed: { N: '-9223372036854775808' } },
            },
          },
        ],
      }),
    );
    expect(outcome.kind).toBe('response');
    expect(JSON.parse(outcome.body.toString('utf8'))).toEqual({ batchItemFailures: [] });
    expect(eventBridge?.accepted).toEqual([
      {
        Time: 1767225600,
        Source: 'qradar-restores',
        DetailType: 'Restore Status Changed',
        Detail:
          '{"id":"9223372036854775807","status":"SUCCESS","previous_status":"IN_PROGRESS","time_completed":"-9223372036854775808","change_id":"c81e728d9d4c2f636f067f89cc14862c"}',
        EventBusName: 'default',
      },
    ]);
  });
});

interface RuntimeLine {
  readonly timestamp: string;
  readonly level: string;
  readonly requestId?: string;
  readonly message: unknown;
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

describe('the log lines the runtime writes', () => {
  const all = () => [...functions.values()].flatMap((booted) => booted.lines());
  /** The lines the runtime wrote for console calls: each our record under `message`. */
  const records = () =>
    all()
      .map(({ text }) => JSON.parse(text) as Record<string, unknown>)
      .filter((line) => !('_aws' in line)) as unknown as RuntimeLine[];
  /** The functions that answer requests, one access line each; the others log no request. */
  const REQUEST_FUNCTIONS = ['getRestore', 'listRestores', 'api', 'apiDoc'];
  /** Our access lines, each with its request's metrics, read as CloudWatch reads EMF. */
  const accessLines = (name?: string) =>
    (name === undefined ? REQUEST_FUNCTIONS : [name])
      .flatMap((each) => fn(each).lines())
      .filter(({ text }) => text.includes('"_aws"'))
      .map(({ text }) => readAccessLine(text));

  it('are each one JSON document: a runtime record, an access line that carries its metrics, or a batch metrics line', () => {
    const lines = all();
    expect(lines.length).toBeGreaterThan(0);
    for (const { text } of lines) expect(() => JSON.parse(text), text).not.toThrow();
    for (const line of records()) {
      expect(Number.isNaN(Date.parse(line.timestamp)), JSON.stringify(line)).toBe(false);
      expect(LEVELS).toContain(line.level);
      expect(typeof line.message, JSON.stringify(line)).toBe('object');
    }
    // Written to stdout by the function, beside the runtime: Lambda filters it by these two.
    expect(accessLines().length).toBeGreaterThan(0);
    for (const { access } of accessLines()) {
      expect(access['timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(LEVELS).toContain(access['level']);
    }
    // Any other function's metrics are a line of their own, valid EMF (the publisher's per batch).
    const others = [...functions.keys()].filter((name) => !REQUEST_FUNCTIONS.includes(name));
    expect(others.sort()).toEqual(['publishStatusChanges', 'restoreWatcher']);
    for (const name of others) {
      for (const { text } of fn(name)
        .lines()
        .filter(({ text }) => text.includes('"_aws"')))
        expect(() => readEmf(text), text).not.toThrow();
    }
  });

  it('hold one line for a 200: the access record and its metrics, under the Lambda request id', () => {
    const mine = fn('getRestore')
      .lines()
      .filter(({ text }) => (JSON.parse(text) as { requestId?: string }).requestId === restoreRequestId);
    expect(restoreRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine).toHaveLength(1);
    const { access, metrics } = readAccessLine(mine[0]?.text ?? '');
    expect(access).toMatchObject({
      level: 'INFO',
      message: 'request',
      requestId: restoreRequestId,
      apiRequestId: 'api-restore-request',
      functionVersion: FUNCTION_VERSION,
      caller: 'http',
      principal: 'runtime-test',
      restoreId: LONG_ID,
      status: 200,
      // The token's lookup and the restore's read.
      storeCalls: 2,
    });
    expect(metrics).toMatchObject({
      Function: 'qradar-restores-dev-getRestore',
      StatusClass: '2xx',
      Requests: 1,
      ColdStart: expect.any(Number),
      StoreLatency: expect.any(Number),
    });
  });

  it('count every request of every function once, cold starts and direct invocations included', () => {
    const missing = accessLines('getRestore').find(({ access }) => access['restoreId'] === '424242');
    expect(missing?.access).toMatchObject({ caller: 'invoke', status: 404, code: 1001 });
    expect(missing?.metrics).toMatchObject({ StatusClass: '4xx', ColdStart: 0 });
    const help = accessLines('api').find(({ access }) => access['apiRequestId'] === 'api-help-request');
    expect(help?.access).toMatchObject({ principal: 'runtime-test', status: 200 });
    expect(help?.metrics).toMatchObject({ Function: 'qradar-restores-dev-api', ColdStart: 1 });
    // getRestore: its HTTP 200 and 500, and two direct invocations (the watcher reads none now).
    expect(accessLines('getRestore')).toHaveLength(4);
    expect(accessLines('getRestore').filter(({ metrics }) => metrics['ColdStart'] === 1)).toHaveLength(1);
    // listRestores: its HTTP list and its direct invocation.
    expect(accessLines('listRestores').map(({ access }) => [access['caller'], access['status']])).toEqual([
      ['http', 200],
      ['invoke', 200],
    ]);
    expect(accessLines('listRestores').map(({ metrics }) => metrics['ColdStart'])).toEqual([1, 0]);
  });

  it("carry the watcher's records as fields, with a Long above 2^53 as exact text", () => {
    const watched = records().filter(
      (line) => (line.message as { message?: string }).message === 'restore finished',
    );
    expect(watched).toHaveLength(1);
    expect(watched[0]?.level).toBe('INFO');
    expect(watched[0]?.message).toMatchObject({ id: LONG_ID, status: 'FAILED', messageId: 'finished' });
  });

  it("carry the publisher's batch line and its metrics, which CloudWatch reads", () => {
    const batch = records().find(
      (line) => (line.message as { message?: string }).message === 'status changes announced',
    );
    expect(batch?.level).toBe('INFO');
    expect(batch?.message).toMatchObject({ records: 1, published: 1, failed: 0, skipped: 0 });
    const metrics = all()
      .map(({ text }) => JSON.parse(text) as Record<string, unknown>)
      .filter((line) => 'StatusChangesPublished' in line);
    expect(metrics).toEqual([
      expect.objectContaining({
        Function: 'qradar-restores-dev-publishStatusChanges',
        StatusChangesPublished: 1,
        StatusChangePublishFailures: 0,
      }),
    ]);
  });

  it("hold the runtime's own line for a thrown error without a stack frame", () => {
    const thrown = records().filter(
      (line) => line.level === 'ERROR' && (line.message as { name?: string }).name === 'RestoreNotFound',
    );
    expect(thrown.length).toBeGreaterThan(0);
    for (const line of thrown) {
      const { stackTrace } = line.message as { stackTrace: string[] };
      expect(stackTrace).toHaveLength(1);
      expect(JSON.stringify(line)).not.toMatch(/\sat\s|\.m?js\b/);
    }
  });

  it('never hold the SEC token or its SHA-256', () => {
    const text = all()
      .map((line) => line.text)
      .join('\n');
    expect(text).toContain('runtime-test');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
