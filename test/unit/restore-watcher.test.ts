import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody } from '../support/responses.ts';

process.env['RESTORE_FUNCTION_NAME'] = 'restores-fn';
const { handler, restoreIdOf } = await import('../../handlers/restoreWatcher.ts');
const lambda = mockClient(LambdaClient);

const bytes = (value: unknown) =>
  new TextEncoder().encode(JSON.stringify(value)) as NonNullable<InvokeCommandOutput['Payload']>;
const returns = (restore: unknown) => ({ StatusCode: 200, Payload: bytes(restore) });
const fails = (status: number, code: number) => ({
  FunctionError: 'Unhandled',
  Payload: bytes({ errorType: 'Error', errorMessage: JSON.stringify(errorBody(status, code, 'x')) }),
});
const sqs = (...bodies: string[]): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as unknown as SQSEvent;

beforeEach(() => {
  lambda.reset();
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('restoreWatcher', () => {
  it('reads the restore id from {"restore_id"} or a bare id', () => {
    expect(restoreIdOf('{"restore_id":"42"}')).toBe('42');
    expect(restoreIdOf('{"restore_id":42}')).toBe('42');
    expect(restoreIdOf('42')).toBe('42');
    expect(restoreIdOf(' 9223372036854775807\n')).toBe('9223372036854775807');
    expect(restoreIdOf('{"restore_id":9223372036854775807}')).toBeUndefined();
    expect(restoreIdOf('{"other":1}')).toBeUndefined();
    expect(restoreIdOf('{not json')).toBeUndefined();
    expect(restoreIdOf('  ')).toBeUndefined();
  });

  it('drops finished restores, returns in-flight ones and store outages to the queue', async () => {
    lambda
      .on(InvokeCommand, { Payload: bytes({ id: '1', fields: 'id,status,time_completed' }) })
      .resolves(returns({ id: 1, status: 'SUCCESS', time_completed: 1767225600000 }))
      .on(InvokeCommand, { Payload: bytes({ id: '2', fields: 'id,status,time_completed' }) })
      .resolves(returns({ id: 2, status: 'IN_PROGRESS', time_completed: null }))
      .on(InvokeCommand, { Payload: bytes({ id: '3', fields: 'id,status,time_completed' }) })
      .resolves(fails(503, 1000))
      .on(InvokeCommand, { Payload: bytes({ id: '4', fields: 'id,status,time_completed' }) })
      .resolves(fails(404, 1001));
    const result = await handler(sqs('{"restore_id":"1"}', '{"restore_id":"2"}', '3', '4', '{}'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    const logged = vi.mocked(console.log).mock.calls.map(([line]) => JSON.parse(String(line)).message);
    expect(logged.sort()).toEqual([
      'message names no restore; dropped',
      'restore cannot be watched; dropped',
      'restore could not be read; will retry',
      'restore finished',
      'restore still in flight',
    ]);
  });
});
