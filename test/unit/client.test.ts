import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRestoreClient, parseRestore, RestoreServiceError } from '../../lib/client.ts';
import { LONG_FIELDS } from '../../lib/restore/fields.ts';
import { errorBody } from '../support/responses.ts';
import { rejectionOf } from '../support/thrown.ts';

const lambda = mockClient(LambdaClient);
const restores = createRestoreClient(new LambdaClient({ region: 'us-east-1' }), 'restores-fn');
// The SDK hands back a Uint8Array with helpers; the client reads only its bytes.
const bytes = (text: string) => new TextEncoder().encode(text) as NonNullable<InvokeCommandOutput['Payload']>;

beforeEach(() => lambda.reset());

const thrown = (promise: Promise<unknown>) => rejectionOf(promise, RestoreServiceError);

describe('createRestoreClient().getRestore', () => {
  it('invokes the function with {"id", "fields"} and reads Longs exactly', async () => {
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      Payload: bytes('{"id":9223372036854775807,"status":"PENDING","backup_name":"n","time_completed":null}'),
    });
    const restore = await restores.getRestore(9223372036854775807n, {
      fields: 'id,status,backup_name,time_completed',
    });
    expect(restore).toEqual({
      id: 9223372036854775807n,
      status: 'PENDING',
      backup_name: 'n',
      time_completed: null,
    });
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'restores-fn',
      Payload: bytes('{"id":"9223372036854775807","fields":"id,status,backup_name,time_completed"}'),
    });
  });

  it('throws RestoreServiceError with the QRadar status and code of a thrown function error', async () => {
    const body = errorBody(404, 1001, 'No restore was found with the id 8.');
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: bytes(
        JSON.stringify({ errorType: 'RestoreNotFound', errorMessage: JSON.stringify(body), trace: [] }),
      ),
    });
    const error = await thrown(restores.getRestore('8'));
    expect(error).toMatchObject({
      status: 404,
      code: 1001,
      errorType: 'RestoreNotFound',
      body,
      retryable: false,
    });
  });

  it('reads the code from errorMessage when errorType is a plain Error (serverless offline)', async () => {
    const body = errorBody(503, 1000, 'The restore store is unavailable. Try again later.');
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: bytes(JSON.stringify({ errorType: 'Error', errorMessage: JSON.stringify(body) })),
    });
    expect(await thrown(restores.getRestore('8'))).toMatchObject({
      status: 503,
      code: 1000,
      retryable: true,
    });
  });

  it('turns a crash or timeout of the function into a 500', async () => {
    lambda.on(InvokeCommand).resolves({
      FunctionError: 'Unhandled',
      Payload: bytes('{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 10.00 seconds"}'),
    });
    expect(await thrown(restores.getRestore('8'))).toMatchObject({
      status: 500,
      code: 1000,
      errorType: 'Sandbox.Timedout',
    });
  });
});

describe('parseRestore', () => {
  it('keeps only Long fields as bigint; other numbers stay numbers', () => {
    expect(parseRestore('{"host_id":-9223372036854775808,"other":1.5,"backup_id":null}')).toEqual({
      host_id: -9223372036854775808n,
      other: 1.5,
      backup_id: null,
    });
  });

  it('reads every Long field of the record with all its digits', () => {
    const text = `{${LONG_FIELDS.map((field) => `"${field}":9007199254740993`).join(',')}}`;
    expect(parseRestore(text)).toEqual(
      Object.fromEntries(LONG_FIELDS.map((field) => [field, 9007199254740993n])),
    );
  });
});
