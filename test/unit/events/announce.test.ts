// handlers/publishStatusChanges.ts over stream batches: the PutEvents entries it sends, the
// records it reports back to Lambda when EventBridge keeps refusing, the records it skips,
// its log lines and its metrics; and the environment it reads once.

import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readEventsConfig } from '../../../lib/events/config.ts';
import { lambdaContext } from '../../../local/harness/events.ts';
import { captureOutput, settledValue } from '../../../local/harness/output.ts';
import { readEmf } from '../../support/emf.ts';

vi.stubEnv('EVENT_BUS_NAME', 'restores-bus');
vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'qradar-restores-dev-publishStatusChanges');
const events = mockClient(EventBridgeClient);
const { handler } = await import('../../../handlers/publishStatusChanges.ts');

const restore = (id: string, status: string | undefined, completed?: string) => ({
  id: { N: id },
  ...(status === undefined ? {} : { status: { S: status } }),
  time_completed: completed === undefined ? { NULL: true } : { N: completed },
  backup_name: { S: 'nightly' },
});

let sequence = 0;
const record = (eventName: string, images: Record<string, unknown>) => {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName,
    dynamodb: { ApproximateCreationDateTime: 1767225600, SequenceNumber: String(1000 + sequence), ...images },
  };
};

/** One batch through the handler: its answer, the entries it sent, its log records and metrics. */
const run = async (records: unknown[], remainingMs = 10_000) => {
  const output = await captureOutput(() => handler({ Records: records }, lambdaContext(remainingMs)));
  // Each a JSON line with its level, as the logger writes it off Lambda.
  const logged = output.console.map(({ args }) => JSON.parse(String(args[0])) as Record<string, unknown>);
  return {
    answer: settledValue(output),
    sent: events.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []),
    logged,
    metrics: output.stdout.map(readEmf),
  };
};

beforeEach(() => {
  events.reset();
});

describe('publishStatusChanges', () => {
  it('publishes each status change of a batch, exactly, and nothing for the rest', async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `id-${i}` })),
    }));
    const batch = [
      record('INSERT', { NewImage: restore('9223372036854775807', 'PENDING') }),
      record('MODIFY', {
        OldImage: restore('-9223372036854775808', 'IN_PROGRESS'),
        NewImage: restore('-9223372036854775808', 'FAILED', '9007199254740993'),
      }),
      record('MODIFY', { OldImage: restore('5', 'PENDING'), NewImage: restore('5', 'PENDING') }),
      record('REMOVE', { OldImage: restore('6', 'SUCCESS') }),
      record('INSERT', { NewImage: restore('7', 'DONE') }),
    ];
    const { answer, sent, logged, metrics } = await run(batch);
    expect(answer).toEqual({ batchItemFailures: [] });
    const time = new Date('2026-01-01T00:00:00Z');
    expect(sent).toEqual([
      {
        Source: 'qradar-restores',
        DetailType: 'Restore Status Changed',
        Detail:
          '{"id":"9223372036854775807","status":"PENDING","previous_status":null,"time_completed":null,"change_id":"e1"}',
        EventBusName: 'restores-bus',
        Time: time,
      },
      {
        Source: 'qradar-restores',
        DetailType: 'Restore Status Changed',
        Detail:
          '{"id":"-9223372036854775808","status":"FAILED","previous_status":"IN_PROGRESS","time_completed":"9007199254740993","change_id":"e2"}',
        EventBusName: 'restores-bus',
        Time: time,
      },
    ]);
    // The unreadable record: skipped with its reason and ids, never its content.
    expect(logged.filter((line) => line['level'] === 'WARN')).toEqual([
      expect.objectContaining({
        message: 'stream record skipped: not a readable restore',
        reason: 'status is not one of its enum values',
        eventId: 'e5',
        sequenceNumber: String(1000 + sequence),
      }),
    ]);
    expect(logged.find((line) => line['message'] === 'status changes announced')).toMatchObject({
      level: 'INFO',
      records: 5,
      published: 2,
      failed: 0,
      skipped: 1,
      calls: 1,
    });
    expect(metrics).toEqual([
      expect.objectContaining({
        Function: 'qradar-restores-dev-publishStatusChanges',
        StatusChangesPublished: 2,
        StatusChangePublishFailures: 0,
        StatusChangeRecordsSkipped: 1,
      }),
    ]);
  });

  it("reports the records EventBridge keeps refusing, by sequence number, for Lambda's retry", async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      const results = input.Entries.map((entry) =>
        String(entry.Detail).includes('"id":"2"')
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: 'ok' },
      );
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    });
    const batch = [1, 2, 3].map((id) => record('INSERT', { NewImage: restore(String(id), 'PENDING') }));
    // 2.5 s left: room for a retry or two, then the answer must go back.
    const { answer, logged, metrics } = await run(batch, 2500);
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: batch[1]?.dynamodb.SequenceNumber }] });
    const calls = events.commandCalls(PutEventsCommand).length;
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(logged.find((line) => line['message'] === 'status changes announced')).toMatchObject({
      level: 'WARN',
      published: 2,
      failed: 1,
      calls,
      errors: { ThrottlingException: 1 },
      retried: [batch[1]?.eventID],
    });
    expect(metrics[0]).toMatchObject({ StatusChangesPublished: 2, StatusChangePublishFailures: 1 });
  });

  it('makes no call for a batch without a change, and reads a batch that is none without throwing', async () => {
    for (const event of [undefined, null, {}, { Records: 'x' }, { Records: [null, 1, 'x'] }]) {
      const output = await captureOutput(() => handler(event, lambdaContext()));
      expect(settledValue(output)).toEqual({ batchItemFailures: [] });
    }
    expect(events.calls()).toHaveLength(0);
  });
});

describe('readEventsConfig', () => {
  it('reads the bus, the region and an endpoint for EventBridge', () => {
    expect(
      readEventsConfig({
        EVENT_BUS_NAME: 'default',
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:4010',
      }),
    ).toEqual({ eventBusName: 'default', region: 'eu-west-1', endpoint: 'http://127.0.0.1:4010' });
    expect(readEventsConfig({ EVENT_BUS_NAME: 'aws.partner/x.com/1' })).toEqual({
      eventBusName: 'aws.partner/x.com/1',
      region: 'us-east-1',
      endpoint: undefined,
    });
  });

  it('fails at once on a missing or wrong setting', () => {
    expect(() => readEventsConfig({})).toThrow('EVENT_BUS_NAME is not set');
    expect(() => readEventsConfig({ EVENT_BUS_NAME: 'a bus' })).toThrow(
      'EVENT_BUS_NAME is not an event bus name',
    );
    expect(() => readEventsConfig({ EVENT_BUS_NAME: 'x'.repeat(257) })).toThrow('not an event bus name');
    expect(() =>
      readEventsConfig({ EVENT_BUS_NAME: 'default', AWS_ENDPOINT_URL_EVENTBRIDGE: 'not a url' }),
    ).toThrow('AWS_ENDPOINT_URL_EVENTBRIDGE is not a URL');
  });
});
