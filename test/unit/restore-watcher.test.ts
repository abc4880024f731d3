// The example consumer: each finished restore's Restore Status Changed event, as the rule puts
// it on the queue, logged with its Longs as exact text; messages that hold no such event
// dropped with a reason; a message that cannot be handled now retried alone.

import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../lib/events/announce.ts';
import type { StatusChangeDetail } from '../../lib/events/status-change.ts';
import { captureOutput, settledValue } from '../../local/harness/output.ts';
import { deliveredEvent, sqsBatch } from '../support/status-events.ts';

const { handler } = await import('../../handlers/restoreWatcher.ts');

const event = (detail: Partial<StatusChangeDetail>) =>
  JSON.stringify(
    deliveredEvent(
      entryOf(
        {
          kind: 'change',
          sequenceNumber: '1',
          detail: {
            id: '9007199254740993',
            status: 'SUCCESS',
            previous_status: 'IN_PROGRESS',
            time_completed: '1767225600000',
            change_id: 'c4ca4238a0b923820dcc509a6f75849b',
            ...detail,
          },
          time: undefined,
        },
        'default',
      ),
    ),
  );

/** One batch: the answer and each log record (a JSON line off Lambda). */
const watched = async (batch: unknown) => {
  const output = await captureOutput(() => handler(batch as SQSEvent));
  return {
    answer: settledValue(output),
    logged: output.console.map(({ args }) => JSON.parse(String(args[0])) as Record<string, unknown>),
  };
};

describe('restoreWatcher', () => {
  it('logs each finished restore from its event, Longs as exact text, and keeps no message', async () => {
    const { answer, logged } = await watched(
      sqsBatch(
        event({}),
        event({ id: '-9223372036854775808', status: 'FAILED', time_completed: '9223372036854775807' }),
      ),
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'restore finished',
        messageId: 'm0',
        id: '9007199254740993',
        status: 'SUCCESS',
        previous_status: 'IN_PROGRESS',
        time_completed: '1767225600000',
        change_id: 'c4ca4238a0b923820dcc509a6f75849b',
      }),
      expect.objectContaining({
        message: 'restore finished',
        id: '-9223372036854775808',
        status: 'FAILED',
        time_completed: '9223372036854775807',
      }),
    ]);
  });

  it('drops, with the reason, messages that hold no restore status change; ignores unfinished ones', async () => {
    const bodies: [unknown, string][] = [
      ['{not json', 'the body is not JSON'],
      ['42', 'the body is not an event'],
      [42, 'the body is not text'],
      [
        JSON.stringify({ ...JSON.parse(event({})), source: 'aws.s3' }),
        "the event is not qradar-restores's Restore Status Changed",
      ],
      [event({ id: '007' }), 'id is not a Long'],
      [event({ id: '9223372036854775808' }), 'id is not a Long'],
      [event({ id: 42 as unknown as string }), 'id is not a Long'],
      [event({ status: 'DONE' as StatusChangeDetail['status'] }), 'status is not one of its enum values'],
      [
        event({ previous_status: 'x' as StatusChangeDetail['status'] }),
        'previous_status is not one of its enum values or null',
      ],
      [event({ time_completed: '1.5' }), 'time_completed is not a Long or null'],
      [event({ change_id: '' }), 'change_id is not an id'],
      [event({ change_id: 'a\u001b[31m' }), 'change_id is not an id'],
      [`${event({})}${' '.repeat(20_000)}`, 'the body is too large for an event'],
    ];
    const { answer, logged } = await watched(
      sqsBatch(...bodies.map(([body]) => body), event({ status: 'IN_PROGRESS' })),
    );
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(logged.slice(0, -1).map((line) => [line['message'], line['reason']])).toEqual(
      bodies.map(([, reason]) => ['message holds no restore status change; dropped', reason]),
    );
    expect(logged.at(-1)).toMatchObject({ message: 'restore not finished; ignored', status: 'IN_PROGRESS' });
  });

  it('drops records without a messageId and answers an event that is no SQS batch without throwing', async () => {
    const { answer, logged } = await watched({ Records: [null, { body: event({}) }, { messageId: '' }] });
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(logged.map((line) => line['message'])).toEqual(
      Array(3).fill('record without a messageId; dropped'),
    );
    for (const batch of [undefined, null, {}, { Records: 'x' }, 'text'])
      expect((await watched(batch)).answer).toEqual({ batchItemFailures: [] });
  });

  it('retries a message it could not handle, alone, and logs no stack', async () => {
    const broken = {
      messageId: 'broken',
      get body(): string {
        throw new Error('the body could not be read');
      },
    };
    const { answer, logged } = await watched({ Records: [broken, { messageId: 'ok', body: event({}) }] });
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'broken' }] });
    expect(logged.find((line) => line['messageId'] === 'broken')).toMatchObject({
      message: 'message could not be handled; will retry',
      messageId: 'broken',
      reason: 'the body could not be read',
    });
    expect(JSON.stringify(logged)).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
  });
});
