import { ProvisionedThroughputExceededException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RESTORE_FIELDS } from '../../lib/restore/fields.ts';
import { contractChecked } from '../../local/harness/contract.ts';
import { type HttpRequest, httpV1Event, httpV2Event, lambdaContext } from '../../local/harness/events.ts';
import { errorBody, expectResponse } from '../support/responses.ts';

vi.stubEnv('RESTORES_TABLE', 'restores-unit');
vi.stubEnv('AUTHORIZED_SERVICES_TABLE', 'services-unit');
const handler = contractChecked((await import('../../handlers/getRestore.ts')).handler);

const dynamo = mockClient(DynamoDBDocumentClient);
const n = (text: string) => new NumberValue(text);

const projectionOf = (names: readonly string[]) => ({
  ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
});

const item = {
  id: n('42'),
  initiated_by: 'admin',
  host_id: n('9223372036854775807'),
  time_initiated: n('1767225600000'),
  time_completed: null,
  status: 'IN_PROGRESS',
  is_cross_deployment_restore: false,
  backup_id: n('9007199254740993'),
  backup_name: 'nightly',
  backup_version: '7.5.0',
  backup_type: 'CONFIG',
  backup_filename: 'backup.tgz',
  groups: ['USERS_CONFIG'],
};

const TOKEN = 'unit-test-token';
const restoresTable = () => dynamo.on(GetCommand, { TableName: 'restores-unit' });
const get = (request: HttpRequest) =>
  handler(httpV2Event({ ...request, headers: { SEC: TOKEN, ...request.headers } }), lambdaContext());
const SEMANTIC_ERRORS = [
  ['id', 'x', 11],
  ['fields', 'id,,status', 31],
  ['fields', 'nope', 30],
] as const;

beforeEach(() => {
  dynamo.reset();
  dynamo
    .on(GetCommand, { TableName: 'services-unit' })
    .resolves({ Item: { name: 'unit', capabilities: new Set(['BACKUP']) } });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('200', () => {
  it('returns every field, Longs exact, after one eventually consistent GetItem of all fields', async () => {
    restoresTable().resolves({ Item: item });
    const response = await get({ id: '42' });
    expectResponse(response, 200, expect.any(Object));
    const { body } = response as { body: string };
    expect(body).toBe(
      '{"id":42,"initiated_by":"admin","host_id":9223372036854775807,"time_initiated":1767225600000,' +
        '"time_completed":null,"status":"IN_PROGRESS","is_cross_deployment_restore":false,"backup_id":9007199254740993,' +
        '"backup_name":"nightly","backup_version":"7.5.0","backup_type":"CONFIG","backup_filename":"backup.tgz",' +
        '"groups":["USERS_CONFIG"]}',
    );
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'restores-unit',
      Key: { id: 42n },
      ConsistentRead: false,
      ...projectionOf(RESTORE_FIELDS),
    });
  });

  it('reads and returns only the selected fields', async () => {
    restoresTable().resolves({ Item: { status: 'PENDING', id: n('-7') } });
    const response = await get({ id: '-0007', fields: 'status, id' });
    expectResponse(response, 200, { status: 'PENDING', id: -7 });
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'restores-unit',
      Key: { id: -7n },
      ConsistentRead: false,
      ...projectionOf(['status', 'id']),
    });
  });

  it('writes null for a selected field the record does not hold', async () => {
    restoresTable().resolves({ Item: {} });
    expectResponse(await get({ id: '1', fields: 'backup_id,groups' }), 200, {
      backup_id: null,
      groups: null,
    });
  });

  it('answers a REST API (payload 1.0) event the same way', async () => {
    restoresTable().resolves({ Item: { id: n('42') } });
    const response = await handler(
      httpV1Event({ id: '42', fields: 'id', headers: { Accept: 'application/json', Sec: TOKEN } }),
      lambdaContext(),
    );
    expectResponse(response, 200, { id: 42 });
  });

  it('aborts a read at the deadline only when its worst case could outlive it', async () => {
    restoresTable().resolves({ Item: item });
    const sendOptions = async (remainingMs: number) => {
      dynamo.resetHistory();
      await handler(httpV2Event({ id: '42', headers: { SEC: TOKEN } }), lambdaContext(remainingMs));
      const [call] = dynamo.commandCalls(GetCommand, { TableName: 'restores-unit' });
      return (call?.args as unknown[] | undefined)?.[1] as { abortSignal?: AbortSignal };
    };
    // 10 s left: the SDK's own limits (STORE_WORST_CASE_MS) end the read in time.
    expect((await sendOptions(10_000)).abortSignal).toBeUndefined();
    // 3 s left: less than the worst case, so the read carries a signal that fires in time.
    const { abortSignal } = await sendOptions(3_000);
    expect(abortSignal).toBeInstanceOf(AbortSignal);
    expect(abortSignal?.aborted).toBe(false);
  });
});

describe('errors of section 5', () => {
  it('404 code 1001 names the id', async () => {
    restoresTable().resolves({});
    expectResponse(
      await get({ id: '0077' }),
      404,
      errorBody(404, 1001, 'No restore was found with the id 77.'),
    );
  });

  it('422 code 11 for an id that is not a Long, without reading the store', async () => {
    expectResponse(
      await get({ id: '9223372036854775808' }),
      422,
      errorBody(
        422,
        11,
        'Failed to transform user path parameter "id" with a content type of "TEXT_PLAIN". Could not convert from 9223372036854775808 to Long',
      ),
    );
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, { TableName: 'restores-unit' });
  });

  it('decodes an id only where its source left it encoded (contract 11.7)', async () => {
    restoresTable().resolves({ Item: { id: n('5') } });
    // An HTTP API delivers the path decoded already: "%2B5" is what the caller meant.
    expectResponse(
      await get({ id: '%2B5', fields: 'id' }),
      422,
      errorBody(422, 11, /Could not convert from %2B5 to Long$/),
    );
    const functionUrl = {
      ...httpV2Event({ id: '%2B5', fields: 'id', headers: { SEC: TOKEN } }),
      requestContext: {
        ...httpV2Event().requestContext,
        domainName: 'abc123.lambda-url.us-east-1.on.aws',
      },
    };
    expectResponse(await handler(functionUrl, lambdaContext()), 200, { id: 5 });
    const restApi = httpV1Event({ id: '%2B5', fields: 'id', headers: { SEC: TOKEN } });
    expectResponse(await handler(restApi, lambdaContext()), 200, { id: 5 });
    const malformed = { ...restApi, path: '/api/backup_and_restore/restores/%E0%A4%A' };
    expectResponse(
      await handler(malformed, lambdaContext()),
      422,
      errorBody(422, 11, /Could not convert from %E0%A4%A to Long$/),
    );
  });

  it('404 code 4 for an HTTP request whose path holds no id, or is not the restore path', async () => {
    expectResponse(
      await get({}),
      404,
      errorBody(
        404,
        4,
        'Relative path (/backup_and_restore/restores/) is not a known endpoint resource. Please refer to documentation for list of endpoint resources.',
      ),
    );
    const elsewhere = { ...httpV2Event({ headers: { SEC: TOKEN } }), rawPath: '/somewhere/else' };
    expect(((await handler(elsewhere, lambdaContext())) as { statusCode: number }).statusCode).toBe(404);
  });

  it('reads the id from the path of a REST API event without path parameters', async () => {
    restoresTable().resolves({ Item: { id: n('7') } });
    const event = {
      ...httpV1Event({ fields: 'id', headers: { SEC: TOKEN } }),
      path: '/api/backup_and_restore/restores/7',
    };
    expectResponse(await handler(event, lambdaContext()), 200, { id: 7 });
  });

  it('422 code 31 for a malformed fields value', async () => {
    expectResponse(
      await get({ id: '1', fields: 'id,,status' }),
      422,
      errorBody(
        422,
        31,
        'fields parameter value "id,,status" was invalid. Expected a field name but found "," at position 4.',
      ),
    );
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, { TableName: 'restores-unit' });
  });

  it('422 code 30 for an unknown field, and for subfields of a restore field', async () => {
    const unknown = (name: string) =>
      errorBody(
        422,
        30,
        `Specified field "${name}" is not recognized by this endpoint for media type "application/json"`,
      );
    expectResponse(await get({ id: '1', fields: 'id,Status' }), 422, unknown('Status'));
    expectResponse(await get({ id: '1', fields: 'status(x)' }), 422, unknown('x'));
    expect(dynamo).not.toHaveReceivedCommandWith(GetCommand, { TableName: 'restores-unit' });
  });

  it('406 code 1 when Accept admits no JSON, still answered in JSON', async () => {
    expectResponse(await get({ id: '1', headers: { Accept: 'text/html' } }), 406, errorBody(406, 1));
  });

  it('503 code 1000 with Retry-After when the store is throttled', async () => {
    restoresTable().rejects(
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
    );
    const response = await get({ id: '1' });
    expectResponse(response, 503, errorBody(503, 1000));
    expect((response as { headers: Record<string, string> }).headers['Retry-After']).toBe('1');
  });

  it('500 code 1000 for another store error, with no internals in the body', async () => {
    restoresTable().rejects(
      new ResourceNotFoundException({
        message: 'Requested resource not found: restores-unit',
        $metadata: {},
      }),
    );
    const response = await get({ id: '1' });
    expectResponse(response, 500, errorBody(500, 1000, 'The restore could not be retrieved.'));
    expect((response as { body: string }).body).not.toMatch(/ResourceNotFound|restores-unit|arn:|Exception/);
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('ResourceNotFoundException'));
  });

  it('500 code 1000 for a record that breaks section 3, logged with the id and the reason', async () => {
    restoresTable().resolves({ Item: { ...item, status: 'DONE' } });
    const response = await get({ id: '42' });
    expectResponse(response, 500, errorBody(500, 1000, 'The restore could not be retrieved.'));
    expect((response as { body: string }).body).not.toContain('status');
    const logged = JSON.parse(String(vi.mocked(console.error).mock.calls[0]?.[0]));
    expect(logged).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      requestId: 'test-request',
      restoreId: '42',
      status: 500,
      code: 1000,
      error: 'RecordError',
      reason: 'status is not one of its enum values',
    });
  });

  it('every response carries the section 7 headers', async () => {
    restoresTable().resolves({});
    for (const request of [{ id: '1' }, { id: 'x' }, { id: '1', headers: { accept: 'image/png' } }]) {
      expectResponse(await get(request), undefined, expect.any(Object));
    }
  });
});

describe('precedence', () => {
  it('Accept comes before the id, the id before fields, 31 before 30', async () => {
    const status = async (request: Parameters<typeof get>[0]) =>
      JSON.parse(((await get(request)) as { body: string }).body).code;
    expect(await status({ id: 'x', fields: 'nope', headers: { accept: 'text/plain' } })).toBe(1);
    expect(await status({ id: 'x', fields: 'id,,id' })).toBe(11);
    expect(await status({ id: '1', fields: 'nope,id,id' })).toBe(31);
    expect(await status({ id: '1', fields: 'nope,id(' })).toBe(31);
    for (const [part, value, code] of SEMANTIC_ERRORS) {
      expect(await status({ id: '1', [part]: value })).toBe(code);
    }
  });
});
