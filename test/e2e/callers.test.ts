// The three kinds of caller against the local stack: HTTP with SEC tokens of every kind,
// direct invocation through serverless offline's Lambda endpoint, and the example consumer
// (handed its events as its queue would).

import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerService } from '../../lib/auth/registry.ts';
import { createRestoreClient, RestoreServiceError } from '../../lib/client.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { localClient } from '../../local/dynalite.ts';
import { fetchChecked } from '../../local/harness/contract.ts';
import { type LocalStack, startLocalStack } from '../../local/harness/local-stack.ts';
import { errorBody } from '../support/responses.ts';

let stack: LocalStack;
let lambda: LambdaClient;
const SEC_TOKEN = 'e2e-admin-token';
/** A stored restore whose status breaks section 3: a 500, InternalError. */
const MALFORMED_ID = 66;

beforeAll(async () => {
  stack = await startLocalStack({ SEC_TOKEN });
  const match = /DynamoDB:\s+(\S+)/.exec(stack.output());
  const store = localClient(match?.[1] ?? '');
  const day = 86_400_000;
  await registerService(store, LOCAL_TABLES.authorizedServicesTable, {
    name: 'b',
    capabilities: ['BACKUP'],
    token: 'e2e-backup',
  });
  await registerService(store, LOCAL_TABLES.authorizedServicesTable, {
    name: 'r',
    capabilities: ['ASSETS'],
    token: 'e2e-reader',
  });
  await registerService(store, LOCAL_TABLES.authorizedServicesTable, {
    name: 'old',
    capabilities: ['ADMIN'],
    token: 'e2e-expired',
    expiresAt: Date.now() - day,
  });
  await store.send(
    new PutCommand({ TableName: LOCAL_TABLES.restoresTable, Item: { id: MALFORMED_ID, status: 'DONE' } }),
  );
  store.destroy();
  lambda = new LambdaClient({
    endpoint: stack.lambdaUrl,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
});
afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
});

const get = async (id: string, headers: Record<string, string>) => {
  const response = await fetchChecked(`${stack.httpUrl}/api/backup_and_restore/restores/${id}?fields=id`, {
    headers,
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

describe('HTTP callers and SEC tokens', () => {
  it.each([
    ['no header', {}, 401, 18],
    ['an unknown token', { SEC: 'nobody' }, 401, 18],
    ['an expired token', { SEC: 'e2e-expired' }, 401, 18],
    ['a token without BACKUP or ADMIN', { SEC: 'e2e-reader' }, 403, 26],
  ])('%s: %s code %s', async (_, headers, status, code) => {
    expect(await get('1', headers)).toEqual({ status, body: errorBody(status, code) });
  });

  it.each([
    ['BACKUP', 'e2e-backup'],
    ['ADMIN (local-dev from SEC_TOKEN)', SEC_TOKEN],
  ])('%s: 200', async (_, token) => {
    expect(await get('1', { SEC: token })).toEqual({ status: 200, body: { id: 1 } });
  });

  it("never prints a SEC_TOKEN of one's own, only where to put it", () => {
    expect(stack.output()).not.toContain(SEC_TOKEN);
    expect(stack.output()).toContain(
      `curl -H "SEC: $SEC_TOKEN" ${stack.httpUrl}/api/backup_and_restore/restores/1`,
    );
  });

  it('no token and a bad id: the 401 answers', async () => {
    expect((await get('bad', {})).status).toBe(401);
  });
});

describe('direct invocation through the Lambda endpoint', () => {
  const invoke = async (payload: unknown) => {
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: 'qradar-restores-dev-getRestore',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    return { error: output.FunctionError, text: new TextDecoder().decode(output.Payload) };
  };

  it('returns the bare restore with exact Longs', async () => {
    expect(await invoke({ id: '9007199254740993', fields: 'id,host_id,status' })).toEqual({
      error: undefined,
      text: '{"id":9007199254740993,"host_id":9223372036854775807,"status":"IN_PROGRESS"}',
    });
  });

  it('reports a miss and a bad id with the QRadar body in errorMessage', async () => {
    const miss = await invoke({ id: '999' });
    expect(miss.error).toBeDefined();
    // serverless offline reports every thrown error as Error (on AWS: RestoreNotFound); the
    // code inside errorMessage is the same everywhere.
    expect(JSON.parse(miss.text).errorType).toBe('Error');
    expect(JSON.parse(JSON.parse(miss.text).errorMessage)).toEqual(
      errorBody(404, 1001, 'No restore was found with the id 999.'),
    );
    const bad = await invoke({ id: 'x1' });
    expect(JSON.parse(JSON.parse(bad.text).errorMessage)).toMatchObject({ code: 11 });
  });

  it('serves the typed client', async () => {
    const restores = createRestoreClient(lambda, 'qradar-restores-dev-getRestore');
    expect(await restores.getRestore(9007199254740993n, { fields: 'id,backup_id' })).toEqual({
      id: 9007199254740993n,
      backup_id: -9223372036854775808n,
    });
    const error = await restores.getRestore('404404').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreServiceError);
    expect(error).toMatchObject({ status: 404, code: 1001 });
  });

  it('serves the list to the typed client, page by page, Longs exact', async () => {
    const restores = createRestoreClient(
      lambda,
      'qradar-restores-dev-getRestore',
      'qradar-restores-dev-listRestores',
    );
    const pages = [];
    for await (const page of restores.pages({
      filter: 'status in (PENDING, IN_PROGRESS)',
      sort: '-id',
      fields: 'id,status',
      pageSize: 2,
    })) {
      pages.push(page);
    }
    expect(pages).toEqual([
      {
        first: 0,
        total: 3,
        items: [
          { id: 9007199254740993n, status: 'IN_PROGRESS' },
          { id: 4n, status: 'IN_PROGRESS' },
        ],
      },
      { first: 2, total: 3, items: [{ id: 1n, status: 'PENDING' }] },
    ]);
    const error = await restores.listRestores({ sort: 'status' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, code: 1018 });
  });

  it("runs the example consumer on finished restores' events, through the same endpoint", async () => {
    const finished = JSON.stringify({
      version: '0',
      id: 'e2e-event',
      source: 'qradar-restores',
      'detail-type': 'Restore Status Changed',
      detail: {
        id: '9007199254740993',
        status: 'SUCCESS',
        previous_status: 'IN_PROGRESS',
        time_completed: '9223372036854775807',
        change_id: 'c4ca4238a0b923820dcc509a6f75849b',
      },
    });
    const output = await lambda.send(
      new InvokeCommand({
        FunctionName: 'qradar-restores-dev-restoreWatcher',
        Payload: new TextEncoder().encode(
          JSON.stringify({
            Records: [
              { messageId: 'done', body: finished },
              { messageId: 'not-an-event', body: '{"restore_id":"6"}' },
            ],
          }),
        ),
      }),
    );
    expect(output.FunctionError).toBeUndefined();
    // Both handled for good: one logged, one dropped (it will never be an event).
    expect(JSON.parse(new TextDecoder().decode(output.Payload))).toEqual({ batchItemFailures: [] });
  });

  it("prints no 'Unhandled exception' for an answered 4xx, and does for a failure", async () => {
    await invoke({ id: '31338' });
    await invoke({ id: 'x2' });
    const failed = await invoke({ id: String(MALFORMED_ID) });
    expect(JSON.parse(JSON.parse(failed.text).errorMessage)).toMatchObject({ code: 1000 });
    // The failure's lines come after every earlier invocation's on the same stream.
    await vi.waitFor(() => expect(stack.output()).toMatch(/during invoke of .*: InternalError:/));
    const unhandled = stack.output().match(/Unhandled exception in handler/g) ?? [];
    expect(unhandled).toHaveLength(1);
    expect(stack.output()).not.toMatch(/(RestoreNotFound|InvalidRequest): \{"http_response"/);
  });
});
