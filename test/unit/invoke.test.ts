// Direct invocation by another Lambda function (contract section 8).

import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contractChecked } from '../../local/harness/contract.ts';
import { lambdaContext } from '../../local/harness/events.ts';
import { errorBody } from '../support/responses.ts';

vi.stubEnv('RESTORES_TABLE', 'restores-invoke');
const handler = contractChecked((await import('../../handlers/getRestore.ts')).handler);
const dynamo = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  dynamo.reset();
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

/** What AWS Lambda reports for a thrown error: errorType from its name, errorMessage, trace. */
const invokeFailure = async (payload: unknown) => {
  try {
    await handler(payload, lambdaContext());
  } catch (error) {
    const { name, message, stack } = error as Error;
    return { errorType: name, body: JSON.parse(message) as unknown, stack };
  }
  throw new Error('the invocation succeeded');
};

describe('direct invocation', () => {
  it('returns the bare restore object, its Longs exact once serialized', async () => {
    dynamo.on(GetCommand).resolves({ Item: { id: new NumberValue('9007199254740993'), status: 'SUCCESS' } });
    const result = await handler({ id: '9007199254740993', fields: 'id,status' }, lambdaContext());
    expect(JSON.stringify(result)).toBe('{"id":9007199254740993,"status":"SUCCESS"}');
    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      TableName: 'restores-invoke',
      Key: { id: 9007199254740993n },
    });
  });

  it('takes a JSON integer id within ±(2^53 - 1)', async () => {
    dynamo.on(GetCommand).resolves({ Item: { id: new NumberValue('42') } });
    expect(JSON.stringify(await handler({ id: 42, fields: 'id' }, lambdaContext()))).toBe('{"id":42}');
  });

  it.each([{}, { fields: 'id' }, null, 'just text', [1, 2], { id: null }])(
    'throws InvalidRequest code 8 for %j',
    async (payload) => {
      expect(await invokeFailure(payload)).toMatchObject({
        errorType: 'InvalidRequest',
        body: errorBody(422, 8, 'Missing required parameter "id"'),
      });
    },
  );

  it.each([
    [{ id: Number.MAX_SAFE_INTEGER + 1 }, '9007199254740992'],
    [{ id: 1.5 }, '1.5'],
    [{ id: 'abc' }, 'abc'],
    [{ id: true }, 'true'],
  ])('throws InvalidRequest code 11 for %j', async (payload, echoed) => {
    expect(await invokeFailure(payload)).toMatchObject({
      errorType: 'InvalidRequest',
      body: errorBody(
        422,
        11,
        `Failed to transform user path parameter "id" with a content type of "TEXT_PLAIN". Could not convert from ${echoed} to Long`,
      ),
    });
  });

  it('throws InvalidRequest code 31 / 30 for bad fields, including a fields value that is not a string', async () => {
    expect((await invokeFailure({ id: '1', fields: 'id,' })).body).toMatchObject({ code: 31 });
    expect((await invokeFailure({ id: '1', fields: ['id'] })).body).toMatchObject({
      code: 31,
      message: 'fields parameter value "["id"]" was invalid. The value must be a string.',
    });
    expect((await invokeFailure({ id: '1', fields: 'nope' })).body).toMatchObject({ code: 30 });
  });

  it('throws RestoreNotFound, StoreUnavailable and InternalError by case', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({})
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow', $metadata: {} }))
      .resolvesOnce({ Item: { status: 'UNKNOWN' } });
    expect(await invokeFailure({ id: '5' })).toMatchObject({
      errorType: 'RestoreNotFound',
      body: errorBody(404, 1001, 'No restore was found with the id 5.'),
    });
    expect(await invokeFailure({ id: '5' })).toMatchObject({
      errorType: 'StoreUnavailable',
      body: errorBody(503, 1000),
    });
    const internal = await invokeFailure({ id: '5' });
    expect(internal).toMatchObject({ errorType: 'InternalError', body: errorBody(500, 1000) });
    // Lambda returns the stack to the caller as "trace": it must hold no file or frame.
    expect(internal.stack).not.toMatch(/\n|\.ts|\.js|at /);
  });

  it('ignores a SEC header or Accept value smuggled into a payload', async () => {
    dynamo.on(GetCommand).resolves({ Item: { id: new NumberValue('3') } });
    const payload = { id: '3', fields: 'id', headers: { accept: 'text/html' } };
    expect(JSON.stringify(await handler(payload, lambdaContext()))).toBe('{"id":3}');
  });
});
