// An example consumer of the restore function: SQS messages name restores to watch
// ({"restore_id": "42"} or a bare id). Each is read with the typed client; a restore still
// in flight, or a store that is unavailable, goes back to the queue (a batch item failure)
// so SQS redelivers it after the visibility timeout, until the restore finishes.

import { LambdaClient } from '@aws-sdk/client-lambda';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createRestoreClient, RestoreServiceError } from '../lib/client.ts';
import { log } from '../lib/observability/log.ts';

const functionName = process.env['RESTORE_FUNCTION_NAME'];
if (!functionName) throw new Error('RESTORE_FUNCTION_NAME is not set');
const endpoint = process.env['LAMBDA_ENDPOINT'] || undefined;

const restores = createRestoreClient(
  new LambdaClient({ ...(endpoint === undefined ? {} : { endpoint }), maxAttempts: 3 }),
  functionName,
);

const FINISHED: ReadonlySet<unknown> = new Set(['FAILED', 'SUCCESS']);

const info = (message: string, fields: Record<string, unknown>): void => log('INFO', message, fields);

/** The restore id a message body names ({"restore_id": ...} or the bare id), or undefined. */
export const restoreIdOf = (body: unknown): string | undefined => {
  if (typeof body !== 'string') return undefined;
  const text = body.trim();
  // A bare id is kept as text: JSON.parse would round a Long above 2^53.
  if (!text.startsWith('{')) return text || undefined;
  try {
    const id = (JSON.parse(text) as { restore_id?: unknown }).restore_id;
    return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id))
      ? String(id)
      : undefined;
  } catch {
    return undefined;
  }
};

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** True when the message should come back later. */
const watch = async (record: Partial<SQSRecord>, messageId: string): Promise<boolean> => {
  // Its body never changes, so a message that names no restore is dropped, not retried.
  const id = restoreIdOf(record.body);
  if (id === undefined) {
    info('message names no restore; dropped', { messageId });
    return false;
  }
  try {
    const restore = await restores.getRestore(id, { fields: 'id,status,time_completed' });
    if (FINISHED.has(restore.status)) {
      info('restore finished', { ...restore });
      return false;
    }
    info('restore still in flight', { ...restore });
    return true;
  } catch (error) {
    if (error instanceof RestoreServiceError && !error.retryable && error.status < 500) {
      info('restore cannot be watched; dropped', {
        id,
        status: error.status,
        code: error.code,
        reason: error.message,
      });
      return false;
    }
    info('restore could not be read; will retry', { id, reason: reasonOf(error) });
    return true;
  }
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
