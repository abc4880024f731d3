// BatchWriteItem and BatchGetItem at DynamoDB's batch sizes. What comes back unprocessed, and
// what fails in a way worth retrying, is sent again after a full-jitter exponential backoff,
// until nothing is left or the batch's deadline has passed. The one batch writer of the
// project: the import and the local seeding both write through it.

import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isUnavailable } from './read.ts';

/** BatchWriteItem's limit. */
export const WRITE_BATCH = 25;
/** BatchGetItem's limit. */
export const READ_BATCH = 100;

type Item = Record<string, unknown>;

export interface RetryOptions {
  /** How long one batch may go on retrying, from its first attempt. Default 60 s. */
  readonly retryForMs?: number;
  /** First backoff ceiling; it doubles each retry up to maxBackoffMs. Default 50 ms. */
  readonly baseBackoffMs?: number;
  /** Default 5 s. */
  readonly maxBackoffMs?: number;
  /** Uniform in [0, 1): the jitter. Tests pass their own. */
  readonly random?: () => number;
}

export interface WriteOptions extends RetryOptions {
  /** Write batches in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Called after each batch with how many of its items were written. */
  readonly onWritten?: (count: number) => void;
}

export interface WriteOutcome {
  readonly written: number;
  /** Items not written: their batch ran out of time or failed, or a batch before them failed. */
  readonly unwritten: readonly Item[];
  /** Why items are unwritten; undefined when every item was written. */
  readonly error?: unknown;
}

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * Unprocessed items come back unmarshalled by the client: only with numbers wrapped does a
 * Long above 2^53 survive the round trip.
 */
const requireWrappedNumbers = (client: DynamoDBDocumentClient): void => {
  if (client.config.translateConfig?.unmarshallOptions?.wrapNumbers !== true) {
    throw new TypeError('batch writes need a document client with unmarshallOptions.wrapNumbers');
  }
};

interface Left<T> {
  readonly left: T[];
  readonly error?: unknown;
}

/** `send` answers what it left unprocessed; retries that and transient failures until the deadline. */
const untilProcessed = async <T>(
  first: T[],
  send: (pending: T[]) => Promise<T[]>,
  { retryForMs = 60_000, baseBackoffMs = 50, maxBackoffMs = 5000, random = Math.random }: RetryOptions,
): Promise<Left<T>> => {
  const deadline = Date.now() + retryForMs;
  let pending = first;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      pending = await send(pending);
      lastError = undefined;
    } catch (error) {
      // Throttled or unreachable even after the SDK's own retries: worth another try later.
      // Anything else (no such table, access denied, a malformed item) would fail again.
      if (!isUnavailable(error)) return { left: pending, error };
      lastError = error;
    }
    if (pending.length === 0) return { left: [] };
    const delay = random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** attempt);
    if (Date.now() + delay >= deadline) {
      const what = lastError === undefined ? `${pending.length} still unprocessed` : String(lastError);
      return { left: pending, error: new DeadlineError(`gave up after ${retryForMs} ms: ${what}`) };
    }
    await sleep(delay);
  }
};

const batchesOf = <T>(items: readonly T[], size: number): T[][] => {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
};

/**
 * Puts every item (an upsert: a put replaces the item with the same key) in batches of 25,
 * a few at once. The first batch that fails or runs out of time stops the batches not yet
 * started; the outcome says what was written and what was not, and why. Items in one call
 * must have distinct keys (BatchWriteItem refuses duplicates).
 */
export const writeItems = async (
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
  options: WriteOptions = {},
): Promise<WriteOutcome> => {
  requireWrappedNumbers(client);
  const batches = batchesOf(items, WRITE_BATCH);
  const unwritten: Item[] = [];
  let written = 0;
  let error: unknown;
  let next = 0;
  const send = async (pending: Item[]): Promise<Item[]> => {
    const { UnprocessedItems } = await client.send(
      new BatchWriteCommand({ RequestItems: { [table]: pending.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    return (UnprocessedItems?.[table] ?? []).flatMap(({ PutRequest }) =>
      PutRequest?.Item === undefined ? [] : [PutRequest.Item],
    );
  };
  const worker = async (): Promise<void> => {
    while (error === undefined && next < batches.length) {
      const batch = batches[next++] ?? [];
      const outcome = await untilProcessed(batch, send, options);
      written += batch.length - outcome.left.length;
      options.onWritten?.(batch.length - outcome.left.length);
      unwritten.push(...outcome.left);
      error ??= outcome.error;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  for (const batch of batches.slice(next)) unwritten.push(...batch);
  return error === undefined ? { written, unwritten } : { written, unwritten, error };
};

/**
 * The items stored under `keys` (at most 100 per BatchGetItem, consistent reads), numbers
 * unmarshalled as the client does; a key with no item has no entry. Throws when a batch fails
 * or some keys are still unread at its deadline.
 */
export const readItems = async (
  client: DynamoDBDocumentClient,
  table: string,
  keys: readonly Item[],
  options: RetryOptions = {},
): Promise<Item[]> => {
  requireWrappedNumbers(client);
  const found: Item[] = [];
  for (const batch of batchesOf(keys, READ_BATCH)) {
    const outcome = await untilProcessed(
      batch,
      async (pending) => {
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
        );
        found.push(...(Responses?.[table] ?? []));
        return UnprocessedKeys?.[table]?.Keys ?? [];
      },
      options,
    );
    if (outcome.left.length > 0) throw outcome.error;
  }
  return found;
};
