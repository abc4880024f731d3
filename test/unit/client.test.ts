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

describe('createRestoreClient().pages and listRestores', () => {
  const list = createRestoreClient(new LambdaClient({ region: 'us-east-1' }), 'restores-fn', 'list-fn');
  const sent = () =>
    lambda
      .commandCalls(InvokeCommand)
      .map(
        (call) =>
          JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)) as Record<
            string,
            string
          >,
      );
  /** The list function over `ids` (of which `cut` is the most a page holds, as the 5 MiB bound may cut one). */
  const listFunction = (ids: readonly string[], cut = Number.POSITIVE_INFINITY) =>
    lambda.on(InvokeCommand, { FunctionName: 'list-fn' }).callsFake((input: { Payload: Uint8Array }) => {
      const { range } = JSON.parse(new TextDecoder().decode(input.Payload)) as { range: string };
      const [, from = '0', to = '0'] = /^items=(\d+)-(\d+)$/.exec(range) ?? [];
      const slice = ids.slice(Number(from), Math.min(Number(to) + 1, Number(from) + cut));
      return {
        StatusCode: 200,
        Payload: bytes(`{"items":[${slice.map((id) => `{"id":${id}}`).join(',')}],"total":${ids.length}}`),
      };
    });
  const IDS = ['1', '2', '9007199254740993', '9223372036854775807', '5'];

  it('asks for pages with a Range each, passes filter, sort and fields, and stops at the total', async () => {
    listFunction(IDS);
    const pages = [];
    for await (const page of list.pages({
      filter: 'status = FAILED',
      sort: '-id',
      fields: 'id',
      pageSize: 2,
    })) {
      pages.push(page);
    }
    expect(pages.map((page) => [page.first, page.total, page.items.map((item) => item.id)])).toEqual([
      [0, 5, [1n, 2n]],
      [2, 5, [9007199254740993n, 9223372036854775807n]],
      [4, 5, [5n]],
    ]);
    expect(sent()).toEqual(
      ['items=0-1', 'items=2-3', 'items=4-5'].map((range) => ({
        filter: 'status = FAILED',
        sort: '-id',
        fields: 'id',
        range,
      })),
    );
  });

  it('goes on after a page the service cut short, from where it ended', async () => {
    listFunction(IDS, 1);
    expect((await list.listRestores({ pageSize: 3 })).map((restore) => restore.id)).toEqual(
      IDS.map((id) => BigInt(id)),
    );
    expect(sent().map((payload) => payload['range'])).toEqual([
      'items=0-2',
      'items=1-3',
      'items=2-4',
      'items=3-5',
      'items=4-6',
    ]);
  });

  it('asks once for an empty list, by pages of 1,000 unless told', async () => {
    listFunction([]);
    expect(await list.listRestores()).toEqual([]);
    expect(sent()).toEqual([{ range: 'items=0-999' }]);
  });

  it('throws the QRadar error of a page as RestoreServiceError', async () => {
    const body = errorBody(422, 1018, 'The sort field must be one of the following fields: [id].');
    lambda.on(InvokeCommand, { FunctionName: 'list-fn' }).resolves({
      FunctionError: 'Unhandled',
      Payload: bytes(JSON.stringify({ errorType: 'InvalidRequest', errorMessage: JSON.stringify(body) })),
    });
    expect(await thrown(list.listRestores({ sort: 'status' }))).toMatchObject({ status: 422, code: 1018 });
  });

  it('refuses a result that is not a list, a page size that is not a positive integer, and a client without a list function', async () => {
    lambda
      .on(InvokeCommand, { FunctionName: 'list-fn' })
      .resolves({ StatusCode: 200, Payload: bytes('{"id":1}') });
    expect(await thrown(list.listRestores())).toMatchObject({ status: 500 });
    await expect(list.listRestores({ pageSize: 0 })).rejects.toThrow(RangeError);
    await expect(restores.listRestores()).rejects.toThrow(/no list function/);
  });
});
