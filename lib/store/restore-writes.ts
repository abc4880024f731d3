// The restores table's writers for tools and the sync (never a serving function): one
// conditional PutItem per restore, so the forward-only lifecycle rule (lib/restore/lifecycle.ts)
// is enforced by DynamoDB itself, whoever races; BatchWriteItem cannot carry a condition.
// Deletions are conditional too: only an item still held by the console deleting it goes.
// A few writes fly at once; a throttled or failed attempt is sent again after a full-jitter
// backoff, until the writes' deadline.

import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand, type DynamoDBDocumentClient, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { forwardOnly } from '../restore/lifecycle.ts';
import { DeadlineError } from './batches.ts';
import { isUnavailable } from './read.ts';

type Item = Record<string, unknown>;

export interface WriteLimits {
  /** When every write must have ended (Date.now() ms). Default: 60 s from the call. */
  readonly deadline?: number;
  /** Writes in flight at once. Default 8. */
  readonly concurrency?: number;
  /** First backoff ceiling; it doubles each retry up to maxBackoffMs. Default 50 ms. */
  readonly baseBackoffMs?: number;
  /** Default 5 s. */
  readonly maxBackoffMs?: number;
  /** Uniform in [0, 1): the jitter. Tests pass their own. */
  readonly random?: () => number;
}

export interface PutOptions extends WriteLimits {
  /** Write even over a status that ranks higher (npm run import --force). */
  readonly force?: boolean;
  /** Hears each item's fate as it is known. */
  readonly onItem?: (item: Item, fate: 'written' | 'stale') => void;
}

export interface PutOutcome {
  readonly written: number;
  /** Write capacity units the puts consumed (as DynamoDB reports them). */
  readonly writeUnits: number;
  /** Items the table refused because its status ranks higher: left as they are. */
  readonly stale: readonly Item[];
  /** Items not written: the store failed or the deadline passed. */
  readonly unwritten: readonly Item[];
  /** Why items are unwritten; undefined when none are. */
  readonly error?: unknown;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

type Attempt = 'done' | 'refused';

/**
 * Runs `send` for each of `items`, a few at once, retrying what is worth a retry until the
 * deadline; the first failure that is not stops the rest. Answers each item's fate.
 */
const eachWithRetries = async <T>(
  items: readonly T[],
  send: (item: T) => Promise<void>,
  limits: WriteLimits,
  fate: (item: T, outcome: Attempt) => void,
): Promise<{ undone: T[]; error?: unknown }> => {
  const {
    deadline = Date.now() + 60_000,
    concurrency = 8,
    baseBackoffMs = 50,
    maxBackoffMs = 5000,
    random = Math.random,
  } = limits;
  const undone: T[] = [];
  let error: unknown;
  let next = 0;
  const attempt = async (item: T): Promise<void> => {
    if (Date.now() >= deadline) throw new DeadlineError("the writes' deadline passed before this one began");
    for (let retry = 0; ; retry++) {
      try {
        await send(item);
        return fate(item, 'done');
      } catch (failure) {
        if (isConditionFailure(failure)) return fate(item, 'refused');
        // Throttled or unreachable even after the SDK's own retries: worth another try later.
        // Anything else (no such table, access denied, a malformed item) would fail again.
        if (!isUnavailable(failure)) throw failure;
        const delay = random() * Math.min(maxBackoffMs, baseBackoffMs * 2 ** retry);
        if (Date.now() + delay >= deadline) {
          const reason = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
          throw new DeadlineError(`still failing at the writes' deadline: ${reason}`, { cause: failure });
        }
        await sleep(delay);
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (error === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await attempt(item);
      } catch (failure) {
        error ??= failure;
        undone.push(item);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  undone.push(...items.slice(next));
  return error === undefined ? { undone } : { undone, error };
};

const requireWrappedNumbers = (client: DynamoDBDocumentClient): void => {
  if (client.config.translateConfig?.unmarshallOptions?.wrapNumbers !== true) {
    throw new TypeError('restore writes need a document client with unmarshallOptions.wrapNumbers');
  }
};

/**
 * Puts each restore item (a whole-item replace), on condition that its status does not move
 * the stored restore backwards, unless `force`. Items must have distinct ids.
 */
export const putRestores = async (
  client: DynamoDBDocumentClient,
  table: string,
  items: readonly Item[],
  options: PutOptions = {},
): Promise<PutOutcome> => {
  requireWrappedNumbers(client);
  let written = 0;
  let writeUnits = 0;
  const stale: Item[] = [];
  const { undone, error } = await eachWithRetries(
    items,
    async (Item) => {
      const condition = options.force ? undefined : forwardOnly(Item['status']);
      const { ConsumedCapacity } = await client.send(
        new PutCommand({ TableName: table, Item, ReturnConsumedCapacity: 'TOTAL', ...condition }),
      );
      writeUnits += ConsumedCapacity?.CapacityUnits ?? 0;
    },
    options,
    (item, outcome) => {
      if (outcome === 'done') written++;
      else stale.push(item);
      options.onItem?.(item, outcome === 'done' ? 'written' : 'stale');
    },
  );
  const outcome = { written, writeUnits, stale, unwritten: undone };
  return error === undefined ? outcome : { ...outcome, error };
};

export interface DeleteOutcome {
  readonly deleted: number;
  readonly writeUnits: number;
  /** Keys whose item no longer belonged to the console (rewritten meanwhile): left in place. */
  readonly kept: number;
  readonly undone: number;
  readonly error?: unknown;
}

/** Deletes the items under `ids` (Numbers, as decimal text) that the console at `origin` still holds. */
export const deleteConsoleRestores = async (
  client: DynamoDBDocumentClient,
  table: string,
  ids: readonly string[],
  origin: string,
  limits: WriteLimits = {},
): Promise<DeleteOutcome> => {
  let deleted = 0;
  let kept = 0;
  let writeUnits = 0;
  const { undone, error } = await eachWithRetries(
    ids,
    async (id) => {
      const { ConsumedCapacity } = await client.send(
        new DeleteCommand({
          TableName: table,
          Key: { id: new NumberValue(id) },
          ConditionExpression: '#console = :origin',
          ExpressionAttributeNames: { '#console': 'console' },
          ExpressionAttributeValues: { ':origin': origin },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      writeUnits += ConsumedCapacity?.CapacityUnits ?? 0;
    },
    limits,
    (_, outcome) => {
      if (outcome === 'done') deleted++;
      else kept++;
    },
  );
  const outcome = { deleted, writeUnits, kept, undone: undone.length };
  return error === undefined ? outcome : { ...outcome, error };
};
