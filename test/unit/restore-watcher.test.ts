import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorBody } from '../support/responses.ts';

vi.stubEnv('RESTORE_FUNCTION_NAME', 'restores-fn');
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
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
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
    const logged = vi.mocked(console.info).mock.calls.map(([line]) => JSON.parse(String(line)).message);
    expect(logged.sort()).toEqual([
      'message names no restore; dropped',
      'restore cannot be watched; dropped',
      'restore could not be read; will retry',
      'restore finished',
      'restore still in flight',
    ]);
  });

  it('reads any message body without throwing: an id or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (body) => {
        const id = restoreIdOf(body);
        expect(id === undefined || (typeof id === 'string' && id !== '' && id === id.trim())).toBe(true);
      }),
    );
  });

  it('drops malformed records alone and still handles the rest of the batch', async () => {
    lambda
      .on(InvokeCommand, { Payload: bytes({ id: '2', fields: 'id,status,time_completed' }) })
      .resolves(returns({ id: 2, status: 'IN_PROGRESS', time_completed: null }));
    const event = {
      Records: [
        { messageId: 'no-body' },
        { messageId: 'number-body', body: 42 },
        { messageId: 'object-body', body: { restore_id: '1' } },
        { messageId: 'empty-object', body: '{}' },
        { body: '2' },
        null,
        { messageId: 'in-flight', body: '{"restore_id":"2"}' },
      ],
    } as unknown as SQSEvent;
    await expect(handler(event)).resolves.toEqual({ batchItemFailures: [{ itemIdentifier: 'in-flight' }] });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('retries a record whose read throws, alone, and no stack leaves the function or its log', async () => {
    const failure = new Error('socket hang up');
    lambda
      .on(InvokeCommand, { Payload: bytes({ id: '1', fields: 'id,status,time_completed' }) })
      .rejects(failure)
      .on(InvokeCommand, { Payload: bytes({ id: '2', fields: 'id,status,time_completed' }) })
      .resolves(returns({ id: 2, status: 'SUCCESS', time_completed: 1 }));
    const result = await handler(sqs('1', '2'));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    const logged = vi
      .mocked(console.info)
      .mock.calls.map(([line]) => String(line))
      .join('\n');
    expect(logged).toContain('socket hang up');
    expect(logged).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
  });

  it('answers an event that is no SQS batch with nothing to retry, without throwing', async () => {
    for (const event of [undefined, null, {}, { Records: 'x' }, 'text'])
      await expect(handler(event as unknown as SQSEvent)).resolves.toEqual({ batchItemFailures: [] });
  });
});
