// One batch of the restores table's stream, announced: each record's status change becomes a
// `Restore Status Changed` event on the bus. Records whose event could not be published are
// reported to Lambda (ReportBatchItemFailures): it retries from the first of them, and after
// its retries sends the batch's description to the dead-letter queue. Nothing is lost quietly.

import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Context, DynamoDBBatchResponse } from 'aws-lambda';
import { log } from '../observability/log.ts';
import { putStatusChangeMetrics } from '../observability/metrics.ts';
import type { EventsConfig } from './config.ts';
import { type EventsSender, type PublishOptions, type PublishResult, publishEntries } from './publish.ts';
import { DETAIL_TYPE, EVENT_SOURCE, type StatusChange, statusChangeOf } from './status-change.ts';

export interface AnnouncerDependencies {
  readonly config: EventsConfig;
  readonly client: EventsSender;
  /** Backoff settings for publishEntries (tests shorten them); the deadline comes from Lambda. */
  readonly publish?: Omit<PublishOptions, 'deadline'>;
}

export type Announcer = (
  event: unknown,
  context?: Partial<Pick<Context, 'getRemainingTimeInMillis' | 'functionName'>>,
) => Promise<DynamoDBBatchResponse>;

/** Kept back from the function's own timeout, so the answer reaches Lambda in time. */
const DEADLINE_MARGIN_MS = 1000;
/** The time a batch may take when no Lambda context tells it (a direct call in a test or tool). */
const DEFAULT_BUDGET_MS = 10_000;

const NOTHING_PUBLISHED: PublishResult = { failed: new Set(), errors: {}, calls: 0 };

/** The PutEvents entry of one change. */
export const entryOf = (change: StatusChange, eventBusName: string): PutEventsRequestEntry => ({
  Source: EVENT_SOURCE,
  DetailType: DETAIL_TYPE,
  Detail: JSON.stringify(change.detail),
  EventBusName: eventBusName,
  ...(change.time === undefined ? {} : { Time: change.time }),
});

export const createAnnouncer =
  ({ config, client, publish = {} }: AnnouncerDependencies): Announcer =>
  async (event, context = {}) => {
    const records: unknown[] = Array.isArray((event as { Records?: unknown } | null)?.Records)
      ? (event as { Records: unknown[] }).Records
      : [];
    const changes: StatusChange[] = [];
    let skipped = 0;
    for (const record of records) {
      const outcome = statusChangeOf(record);
      if (outcome.kind === 'change') changes.push(outcome);
      else if (outcome.kind === 'unreadable') {
        skipped += 1;
        // Skipped, never retried: the record will not change. The table's reader fails on it too.
        log('WARN', 'stream record skipped: not a readable restore', {
          reason: outcome.reason,
          eventId: outcome.eventId,
          sequenceNumber: outcome.sequenceNumber,
        });
      }
    }

    const budget = context.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS;
    const deadline = Date.now() + budget - DEADLINE_MARGIN_MS;
    const result =
      changes.length === 0
        ? NOTHING_PUBLISHED
        : await publishEntries(
            client,
            changes.map((change) => entryOf(change, config.eventBusName)),
            { ...publish, deadline },
          );

    changes.forEach((change, index) => {
      if (!result.failed.has(index)) log('DEBUG', 'status change announced', { ...change.detail });
    });
    const failed = [...result.failed].map((index) => changes[index] as StatusChange);
    const published = changes.length - failed.length;
    log(failed.length === 0 ? 'INFO' : 'WARN', 'status changes announced', {
      records: records.length,
      published,
      failed: failed.length,
      skipped,
      calls: result.calls,
      ...(failed.length === 0
        ? {}
        : { errors: result.errors, retried: failed.map((c) => c.detail.change_id) }),
    });
    putStatusChangeMetrics(
      process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? context.functionName ?? 'publishStatusChanges',
      { published, failed: failed.length, skipped },
    );
    // Lambda goes back to the lowest of these; the later records come again too (repeats,
    // which the change_id lets a consumer drop).
    return {
      batchItemFailures: [...new Set(failed.map((change) => change.sequenceNumber))].map(
        (itemIdentifier) => ({
          itemIdentifier,
        }),
      ),
    };
  };
