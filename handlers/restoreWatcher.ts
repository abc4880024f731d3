// An example consumer of the status changes (contract section 14, "Announced"): an EventBridge rule
// puts each finished restore's `Restore Status Changed` event on an SQS queue, and this logs
// it. The event carries what it needs (id, status, the status before, time_completed), so it
// reads nothing else. Delivery is at least once: a consumer that acts on an event keeps its
// change_id and drops a repeat. A message that cannot be handled now goes back to the queue
// (a batch item failure) and after a few receives to the dead-letter queue.

import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readStatusChangeEvent } from '../lib/events/status-event.ts';
import { log } from '../lib/observability/log.ts';

const FINISHED: ReadonlySet<unknown> = new Set(['FAILED', 'SUCCESS']);

const info = (message: string, fields: Record<string, unknown>): void => log('INFO', message, fields);

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Handles one message; true when it should come back later. */
const watch = async (record: Partial<SQSRecord>, messageId: string): Promise<boolean> => {
  const read = readStatusChangeEvent(record.body);
  // Its body never changes, so a message that holds no event is dropped, not retried.
  if ('reason' in read) {
    info('message holds no restore status change; dropped', { messageId, reason: read.reason });
    return false;
  }
  const { detail } = read;
  if (!FINISHED.has(detail.status)) {
    // The rule sends finished restores only; another sender's event is not this example's.
    info('restore not finished; ignored', { messageId, ...detail });
    return false;
  }
  // A real consumer acts here (a notification, a ticket, a follow-up restore) and returns
  // true when that fails for now; SQS then delivers the message again.
  info('restore finished', { messageId, ...detail });
  return false;
};

/** One record's outcome: its messageId when it should come back, else undefined. */
const outcome = async (record: unknown): Promise<string | undefined> => {
  const { messageId } = (record ?? {}) as Partial<SQSRecord>;
  if (typeof messageId !== 'string' || messageId === '') {
    // Without a messageId it cannot be named for redelivery, now or ever.
    info('record without a messageId; dropped', {});
    return undefined;
  }
  try {
    return (await watch(record as Partial<SQSRecord>, messageId)) ? messageId : undefined;
  } catch (error) {
    // Whatever went wrong, it went wrong for this message alone; only its message is logged.
    info('message could not be handled; will retry', { messageId, reason: reasonOf(error) });
    return messageId;
  }
};

/**
 * Never throws: a thrown error would fail the whole batch and hand Lambda a stack with
 * file paths. Each record succeeds, is dropped or comes back on its own.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const records: unknown[] = Array.isArray(event?.Records) ? event.Records : [];
  const again = await Promise.all(records.map(outcome));
  return {
    batchItemFailures: again
      .filter((messageId) => messageId !== undefined)
      .map((itemIdentifier) => ({ itemIdentifier })),
  };
};
