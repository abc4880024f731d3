// The syncRestores handler in process, against dynalite and the stand-in console, with
// Secrets Manager mocked: the token read once at cold start and again after a 401, a failed
// pass thrown as SyncFailed, one log line and one EMF line per pass, no secret in either.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ConsoleStandIn, startConsoleStandIn } from '../../local/harness/qradar-console.ts';
import { readEmf } from '../support/emf.ts';
import { startStore, type TestStore } from '../support/test-store.ts';

const TOKEN = 'b7c9d1e3-f5a7-4b9c-8d1e-3f5a7b9c1d3e';
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-token-AbCdEf';
const CA_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:qradar-ca-GhIjKl';
const secrets = mockClient(SecretsManagerClient);
let store: TestStore;
let qradar: ConsoleStandIn;
let handler: (event: unknown, context: Context) => Promise<unknown>;
let ca: string;
let token = TOKEN;
const out: string[] = [];

const context = (remaining = 20_000) =>
  ({
    awsRequestId: 'sync-request',
    functionName: 'qradar-restores-dev-syncRestores',
    getRemainingTimeInMillis: () => remaining,
  }) as unknown as Context;

beforeAll(async () => {
  store = await startStore();
  qradar = await startConsoleStandIn({ token: TOKEN, user: 'admin', password: 'pw' });
  ca = await (await import('node:fs/promises')).readFile(qradar.caFile, 'utf8');
  secrets.on(GetSecretValueCommand).callsFake(({ SecretId }: { SecretId: string }) => ({
    SecretString: SecretId === CA_ARN ? ca : `${token}\n`,
  }));
  vi.stubEnv('QRADAR_CONSOLE_URL', qradar.origin);
  vi.stubEnv('CONSOLE_TOKEN_SECRET_ARN', TOKEN_ARN);
  vi.stubEnv('CONSOLE_CA_SECRET_ARN', CA_ARN);
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'qradar-restores-dev-syncRestores');
  ({ handler } = await import('../../handlers/syncRestores.ts'));
});
afterAll(async () => {
  await qradar?.close();
  await store?.close();
});
beforeEach(() => {
  out.length = 0;
  qradar.mode = 'normal';
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => {
    out.push(String(text));
    return true;
  });
  for (const level of ['info', 'error', 'warn'] as const) {
    vi.spyOn(console, level).mockImplementation((text: unknown) => {
      out.push(`${String(text)}\n`);
    });
  }
  return () => vi.restoreAllMocks();
});

const restore = (id: string, status = 'SUCCESS') => `{"id":${id},"status":"${status}","backup_name":"n"}`;
const lines = () => out.join('').split('\n').filter(Boolean);
const logLine = () =>
  lines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .findLast((line) => !('_aws' in line));
const emfLine = () => readEmf(lines().findLast((line) => line.includes('"_aws"')) ?? '');
/** The console's list: the first test's restores, then each test's own. */
const BASE = [restore('9007199254740993'), restore('2', 'PENDING')];

describe('syncRestores', () => {
  it('runs a pass with the token and CA from Secrets Manager, read once, and reports it', async () => {
    qradar.restores = BASE;
    const summary = await handler({}, context());
    expect(summary).toMatchObject({ ok: true, read: 2, written: 2, origin: qradar.origin });
    await handler({}, context());
    // Both secrets once, at cold start: the second pass used what was kept.
    expect(
      secrets
        .commandCalls(GetSecretValueCommand)
        .map((c) => c.args[0].input.SecretId)
        .sort(),
    ).toEqual([CA_ARN, TOKEN_ARN].sort());
    expect(logLine()).toMatchObject({
      level: 'INFO',
      message: 'sync pass',
      requestId: 'sync-request',
      read: 2,
      written: 0,
      unchanged: 2,
      ok: true,
    });
    const emf = emfLine();
    expect(emf).toMatchObject({
      Function: 'qradar-restores-dev-syncRestores',
      SyncPasses: 1,
      SyncFailures: 0,
      RestoresWritten: 0,
      RestoresStale: 0,
      RestoresRejected: 0,
      RestoresDeleted: 0,
      DeletionsRefused: 0,
    });
    expect(emf['SyncDurationMs']).toEqual(expect.any(Number));
    expect(out.join('')).not.toContain(TOKEN);
  });

  it('throws SyncFailed after its log line and metrics when the pass fails, with no stack', async () => {
    qradar.restores = [...BASE, restore('3', 'ARCHIVED')];
    const failure = await handler({}, context()).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.name).toBe('SyncFailed');
    expect(failure?.message).toMatch(/^read 3, written 0, unchanged 2, .*: 1 record rejected$/);
    expect(failure?.stack).toBe(`SyncFailed: ${failure?.message}`);
    expect(logLine()).toMatchObject({
      level: 'ERROR',
      message: 'sync pass failed',
      rejected: 1,
      reason: '1 record rejected',
    });
    expect(emfLine()).toMatchObject({ SyncFailures: 1, RestoresRejected: 1 });
  });

  it('reads the token again after the console refuses it, and so picks up a rotated one', async () => {
    qradar.restores = [...BASE, restore('4')];
    const calls = () => secrets.commandCalls(GetSecretValueCommand).length;
    const before = calls();
    const rotated = 'c8d0e2f4-a6b8-4c0d-9e2f-4a6b8c0d2e4f';
    qradar.token = rotated;
    token = rotated;
    await expect(handler({}, context())).rejects.toThrow(
      /the console: the console answered 401 \(QRadar code 18\): Invalid credentials or token provided\./,
    );
    expect(calls()).toBe(before + 2);
    await expect(handler({}, context())).resolves.toMatchObject({ ok: true, written: 1 });
    expect(qradar.requests.at(-1)?.sec).toBe(rotated);
    expect(calls()).toBe(before + 2);
    expect(out.join('')).not.toContain(rotated);
  });

  it('never shows an answer that repeats the token', async () => {
    qradar.mode = 'token-echo';
    await expect(handler({}, context())).rejects.toThrow(
      /its answer repeats the credentials sent, so it is not shown/,
    );
    expect(out.join('')).not.toContain(qradar.token);
  });

  it('plans without writing on a direct {"dryRun": true}', async () => {
    qradar.restores = [...BASE, restore('4'), restore('5')];
    await expect(handler({ dryRun: true }, context())).resolves.toMatchObject({
      ok: true,
      dryRun: true,
      wouldWrite: 1,
      written: 0,
    });
  });
});
