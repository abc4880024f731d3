// The line real requests write through both functions: one per request, the access record
// (INFO; ERROR with the error for a 5xx) carrying the request's metrics in embedded metric
// format, in the local JSON-line format and under Lambda's JSON log format, and never a
// credential in any line. How observe() builds each field from the event is
// test/unit/observability/observe.test.ts's.

import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../../lib/auth/authenticate.ts';
import { hashPassword } from '../../../lib/auth/password.ts';
import type { Handler } from '../../../lib/front.ts';
import { NAMESPACE } from '../../../lib/observability/metrics.ts';
import { LOCAL_TABLES, tableEnv } from '../../../lib/store/tables.ts';
import { contractChecked } from '../../../local/harness/contract.ts';
import { httpV2Event, lambdaContext } from '../../../local/harness/events.ts';
import { captureOutput, type Output, outputLines, settledValue } from '../../../local/harness/output.ts';
import {
  dynamoError,
  getItemReply,
  type Responder,
  stubDependencies,
} from '../../../local/harness/stub-handler.ts';
import { type EmfRecord, readAccessLine } from '../../support/emf.ts';

const TOKEN = 'logs-backup-token-4f1d';
const READER_TOKEN = 'logs-reader-token-9a0c';
const OUTAGE_TOKEN = 'logs-outage-token-77e2';
const PASSWORD = 'logs pass:w\u00f6rd-31';
let passwordHash = '';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
});

type Key = Record<string, { S?: string; N?: string }>;

// The store as the stub answers it: two services, one user, restores 42 (whole), 13 (the
// store unavailable), 66 (breaks section 3); the outage token and user find the store down.
const SERVICES: Record<string, Record<string, unknown>> = {
  [hashToken(TOKEN)]: { name: { S: 'logs-service' }, capabilities: { SS: ['BACKUP'] } },
  [hashToken(READER_TOKEN)]: { name: { S: 'logs-reader' }, capabilities: { SS: ['ASSETS'] } },
};
const respond: Responder = ({ body }) => {
  const key = body['Key'] as Key;
  switch (body['TableName']) {
    case LOCAL_TABLES.authorizedServicesTable: {
      const hash = key['token_hash']?.S ?? '';
      return hash === hashToken(OUTAGE_TOKEN)
        ? { networkError: 'ECONNREFUSED' }
        : getItemReply(SERVICES[hash]);
    }
    case LOCAL_TABLES.authorizedUsersTable: {
      const username = key['username']?.S;
      if (username === 'outage') return { networkError: 'ECONNREFUSED' };
      return getItemReply(
        username === 'alice'
          ? { password_hash: { S: passwordHash }, capabilities: { SS: ['BACKUP'] } }
          : undefined,
      );
    }
    default: {
      const id = key['id']?.N;
      if (id === '13') return dynamoError(503, 'ServiceUnavailable', 'Service unavailable');
      if (id === '66') return getItemReply({ id: { N: '66' }, status: { S: 'DONE' } });
      return getItemReply(id === '42' ? { id: { N: '42' }, status: { S: 'SUCCESS' } } : undefined);
    }
  }
};

/** Both functions as a new container loads them: fresh modules, so a fresh cold start and log format. */
const freshService = async (env: Record<string, string> = {}) => {
  for (const [name, value] of Object.entries({ ...tableEnv(), ...env })) vi.stubEnv(name, value);
  vi.resetModules();
  const [restore, api] = await Promise.all([
    import('../../../handlers/getRestore.ts'),
    import('../../../handlers/api.ts'),
  ]);
  const dependencies = stubDependencies(respond);
  return {
    restore: contractChecked(restore.createHandler(dependencies)),
    api: contractChecked(api.createHandler(dependencies)),
  };
};

afterEach(() => {
  vi.unstubAllEnvs();
});

const call = (handler: Handler, event: unknown) => captureOutput(() => handler(event, lambdaContext()));

/**
 * The one line of a request, read apart: where it went (the console method locally, stdout
 * under Lambda's JSON format), its access record and its metrics.
 */
const linesOf = (output: Output<unknown>) => {
  const lines = outputLines(output);
  expect(lines).toHaveLength(1);
  const [record] = output.console;
  if (record !== undefined) expect(record.args).toEqual([expect.any(String)]);
  return { via: record?.level ?? 'stdout', ...readAccessLine(lines[0] ?? '') };
};

interface Counts {
  readonly StoreUnavailable?: number;
  readonly InternalError?: number;
  readonly AuthFailure?: number;
  readonly ColdStart?: number;
}

/** The EMF line's namespace, dimensions, metric names and counts for one request. */
const expectMetrics = (metrics: EmfRecord, statusClass: string, counts: Counts, storeLatency: boolean) => {
  const directives = metrics._aws.CloudWatchMetrics;
  expect(directives.map((d) => d.Namespace)).toEqual([NAMESPACE, NAMESPACE]);
  expect(NAMESPACE).toBe('QRadarRestores');
  expect(directives.map((d) => d.Dimensions)).toEqual([[['Function', 'StatusClass']], [['Function']]]);
  expect(directives.map((d) => d.Metrics.map((m) => m.Name))).toEqual([
    ['Requests'],
    [
      'StoreUnavailable',
      'InternalError',
      'AuthFailure',
      'ColdStart',
      ...(storeLatency ? ['StoreLatency'] : []),
    ],
  ]);
  expect(metrics).toMatchObject({
    Function: 'getRestore',
    StatusClass: statusClass,
    Requests: 1,
    StoreUnavailable: 0,
    InternalError: 0,
    AuthFailure: 0,
    ColdStart: 1,
    ...counts,
  });
  if (storeLatency) expect(metrics['StoreLatency']).toEqual(expect.any(Number));
};

describe('one line per request with its metrics, local JSON lines', () => {
  const sec = { SEC: TOKEN };
  it.each([
    {
      name: '200 for a service',
      via: 'restore',
      event: httpV2Event({ id: '42', headers: sec }),
      level: 'info',
      access: {
        principalKind: 'service',
        principal: 'logs-service',
        restoreId: '42',
        status: 200,
        storeCalls: 2,
      },
      metrics: ['2xx', {}, true],
    },
    {
      name: '200 for a user',
      via: 'restore',
      event: httpV2Event({ id: '42', headers: { Authorization: basic('alice', PASSWORD) } }),
      level: 'info',
      access: { principalKind: 'user', principal: 'alice', restoreId: '42', status: 200, storeCalls: 2 },
      metrics: ['2xx', {}, true],
    },
    {
      name: '401 without credentials',
      via: 'restore',
      event: httpV2Event({ id: '42' }),
      level: 'info',
      access: { status: 401, code: 18, storeCalls: 0, storeAttempts: 0 },
      metrics: ['4xx', { AuthFailure: 1 }, false],
    },
    {
      name: '403 for a service without the capability',
      via: 'restore',
      event: httpV2Event({ id: '42', headers: { SEC: READER_TOKEN } }),
      level: 'info',
      access: { principal: 'logs-reader', status: 403, code: 26, storeCalls: 1 },
      metrics: ['4xx', { AuthFailure: 1 }, true],
    },
    {
      name: '404 for a restore that does not exist',
      via: 'restore',
      event: httpV2Event({ id: '7', headers: sec }),
      level: 'info',
      access: { restoreId: '7', status: 404, code: 1001, storeCalls: 2 },
      metrics: ['4xx', {}, true],
    },
    {
      name: '404 code 4 from the api function',
      via: 'api',
      event: httpV2Event({ path: '/api/nowhere', headers: sec }),
      level: 'info',
      access: { path: '/api/nowhere', status: 404, code: 4, storeCalls: 1 },
      metrics: ['4xx', {}, true],
    },
    {
      name: '200 from a help endpoint',
      via: 'api',
      event: httpV2Event({ path: '/api/help/versions', headers: sec }),
      level: 'info',
      access: { principal: 'logs-service', status: 200, storeCalls: 1 },
      metrics: ['2xx', {}, true],
    },
    {
      name: '503 when the store is unavailable',
      via: 'restore',
      event: httpV2Event({ id: '13', headers: sec }),
      level: 'error',
      access: { status: 503, code: 1000, storeCalls: 2, storeAttempts: 4, error: 'ServiceUnavailable' },
      metrics: ['5xx', { StoreUnavailable: 1 }, true],
    },
    {
      name: '500 for a record that breaks section 3',
      via: 'restore',
      event: httpV2Event({ id: '66', headers: sec }),
      level: 'error',
      access: { restoreId: '66', status: 500, code: 1000, error: 'RecordError' },
      metrics: ['5xx', { InternalError: 1 }, true],
    },
  ] as const)('$name', async ({ via, event, level, access, metrics: [statusClass, counts, latency] }) => {
    const lines = linesOf(await call((await freshService())[via], event));
    expect(lines.via).toBe(level);
    expect(lines.access).toMatchObject({
      timestamp: expect.any(String),
      level: level.toUpperCase(),
      message: level === 'error' ? 'request failed' : 'request',
      requestId: 'test-request',
      apiRequestId: 'request',
      functionVersion: '$LATEST',
      caller: 'http',
      method: 'GET',
      durationMs: expect.any(Number),
      storeAttempts: expect.any(Number),
      ...access,
    });
    if (!('code' in access)) expect(lines.access).not.toHaveProperty('code');
    if (level === 'info') expect(lines.access).not.toHaveProperty('stack');
    expectMetrics(lines.metrics, statusClass, counts, latency);
  });

  it('writes a direct invocation as such: no API request id, method or path', async () => {
    const { access } = linesOf(await call((await freshService()).restore, { id: '42' }));
    expect(access).toMatchObject({ caller: 'invoke', restoreId: '42', status: 200, storeCalls: 1 });
    for (const field of ['apiRequestId', 'method', 'path', 'principal'])
      expect(access).not.toHaveProperty(field);
  });

  it('writes a 5xx with the store error, its attempts, a readable stack and the cause', async () => {
    const service = await freshService();
    const unavailable = linesOf(
      await call(service.restore, httpV2Event({ id: '13', headers: { SEC: TOKEN } })),
    ).access;
    expect(unavailable).toMatchObject({ reason: 'Service unavailable', httpStatus: 503, attempts: 3 });
    expect((unavailable['stack'] as string[])[0]).toBe('ServiceUnavailable: Service unavailable');
    const broken = linesOf(
      await call(service.restore, httpV2Event({ id: '66', headers: { SEC: TOKEN } })),
    ).access;
    expect(broken['reason']).toBe('status is not one of its enum values');
    const stack = broken['stack'] as string[];
    expect(stack[0]).toMatch(/^RecordError: /);
    expect(stack.some((line) => /lib\/restore\/restore\.ts:\d+:\d+/.test(line))).toBe(true);
    const lookup = linesOf(
      await call(service.restore, httpV2Event({ id: '42', headers: { SEC: OUTAGE_TOKEN } })),
    ).access;
    expect(lookup).toMatchObject({ status: 503, error: 'Error', reason: 'connect ECONNREFUSED stub' });
  });

  it('marks the first request of a container as its cold start, and no other', async () => {
    const { restore } = await freshService();
    const starts: unknown[] = [];
    for (const event of [
      httpV2Event({ id: '42', headers: { SEC: TOKEN } }),
      httpV2Event({ id: '42' }),
      { id: '42' },
    ]) {
      starts.push(linesOf(await call(restore, event)).metrics['ColdStart']);
    }
    expect(starts).toEqual([1, 0, 0]);
  });
});

describe('under Lambda’s JSON log format', () => {
  it('writes the line to stdout itself, members at the top level, nothing through console', async () => {
    const { restore } = await freshService({ AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    const output = await call(restore, httpV2Event({ id: '42', headers: { SEC: TOKEN } }));
    expect(settledValue(output)).toMatchObject({ statusCode: 200 });
    expect(output.console).toEqual([]);
    const { via, access, metrics } = linesOf(output);
    expect(via).toBe('stdout');
    // What Lambda reads to filter and order it: an RFC 3339 time and a level.
    expect(access).toMatchObject({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'INFO',
      message: 'request',
      requestId: 'test-request',
      apiRequestId: 'request',
      principal: 'logs-service',
      restoreId: '42', // a bigint made text
      status: 200,
    });
    // Top-level members: CloudWatch reads them as metrics (nested under `message` it would not).
    expectMetrics(metrics, '2xx', {}, true);
  });

  it('writes a 5xx at ERROR with its stack, on stdout too', async () => {
    const { restore } = await freshService({ AWS_LAMBDA_LOG_FORMAT: 'JSON' });
    const { via, access, metrics } = linesOf(
      await call(restore, httpV2Event({ id: '66', headers: { SEC: TOKEN } })),
    );
    expect(via).toBe('stdout');
    expect(access).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      status: 500,
      error: 'RecordError',
    });
    expect(access['stack']).toEqual(
      expect.arrayContaining([expect.stringMatching(/lib\/restore\/restore\.ts/)]),
    );
    expectMetrics(metrics, '5xx', { InternalError: 1 }, true);
  });

  it('keeps the line, metrics and all, under an application log level of WARN', async () => {
    const { restore } = await freshService({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    const { access, metrics } = linesOf(
      await call(restore, httpV2Event({ id: '42', headers: { SEC: TOKEN } })),
    );
    expect(access).toMatchObject({ level: 'WARN', message: 'request', status: 200 });
    expectMetrics(metrics, '2xx', {}, true);
  });
});

describe('no credential in any line', () => {
  const headers = {
    good: basic('alice', PASSWORD),
    wrong: basic('alice', 'wrong-password-secret-8'),
    outage: basic('outage', 'password-in-an-outage-3'),
    malformed: `Basic ${Buffer.from('no-colon-secret-2').toString('base64')}`,
  };
  const tokens = [TOKEN, READER_TOKEN, OUTAGE_TOKEN, 'unknown-token-secret-5'];
  const passwords = [PASSWORD, 'wrong-password-secret-8', 'password-in-an-outage-3', 'no-colon-secret-2'];

  it('holds for every credential outcome, in both log formats', async () => {
    const lines: string[] = [];
    for (const env of [{}, { AWS_LAMBDA_LOG_FORMAT: 'JSON' }]) {
      const { restore, api } = await freshService(env);
      const requests: [Handler, unknown][] = [
        ...tokens.map((SEC): [Handler, unknown] => [restore, httpV2Event({ id: '42', headers: { SEC } })]),
        ...Object.values(headers).map((Authorization): [Handler, unknown] => [
          restore,
          httpV2Event({ id: '66', headers: { Authorization } }),
        ]),
        [restore, httpV2Event({ id: '13', headers: { SEC: TOKEN, Authorization: headers.good } })],
        [api, httpV2Event({ path: '/api/help/versions', headers: { Authorization: headers.good } })],
        [api, httpV2Event({ path: '/api/nowhere', headers: { SEC: 'unknown-token-secret-5' } })],
      ];
      for (const [handler, event] of requests) lines.push(...outputLines(await call(handler, event)));
    }
    const logged = lines.join('\n');
    // The capture saw the requests: who called, and the outages' errors.
    for (const seen of ['logs-service', 'logs-reader', 'alice', 'ECONNREFUSED', 'RecordError']) {
      expect(logged).toContain(seen);
    }
    const secrets = [
      ...tokens,
      ...tokens.map(hashToken),
      ...passwords,
      passwordHash,
      ...Object.values(headers),
      ...Object.values(headers).map((header) => header.slice('Basic '.length)),
      ...Object.values(headers).map(hashToken),
    ];
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
