// The list's reads (contract sections 9 and 13): a paged, eventually consistent Scan in parallel
// segments, and BatchGetItem of a slice's records by key. Both count the read units DynamoDB
// reports, stop at the request's deadline, and map store faults onto the list's 503 and 500.

import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreStats } from '../http/event.ts';
import { listInternalError, listStoreUnavailable, QRadarError } from '../qradar/errors.ts';
import { AttributeNames, type PushedFilter } from './filter-expression.ts';
import { isUnavailable } from './read.ts';

/**
 * The list's client settings: a Scan page reads up to 1 MB, far more than a GetItem, so each
 * attempt may take 5 s (the restore's client allows 1.5 s); the whole call still ends at the
 * request's deadline, which every call carries as an abort signal.
 */
export const LIST_CLIENT_LIMITS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 500, requestTimeout: 5000, throwOnRequestTimeout: true },
} as const;

/** An abort signal for the time left before the deadline (a list's calls are few and long). */
const untilDeadline = (deadline: number | undefined): { abortSignal?: AbortSignal } =>
  deadline === undefined ? {} : { abortSignal: AbortSignal.timeout(Math.max(0, deadline - Date.now())) };

type Item = Record<string, unknown>;

/** What the list's reads cost: DynamoDB's ConsumedCapacity, summed. */
export interface ReadCost {
  /** Read request units (0.5 per 4 KB read, eventually consistent). */
  readUnits: number;
  /** Items DynamoDB read, before its filter. */
  scanned: number;
  /** Scan pages and BatchGetItem calls. */
  requests: number;
}

export const newReadCost = (): ReadCost => ({ readUnits: 0, scanned: 0, requests: 0 });

interface Call {
  readonly deadline?: number | undefined;
  readonly stats?: StoreStats | undefined;
  readonly cost: ReadCost;
}

const failure = (error: unknown): QRadarError =>
  error instanceof QRadarError
    ? error
    : isUnavailable(error)
      ? listStoreUnavailable(error)
      : listInternalError(error);

/** One store call: counted, timed, and its error mapped. */
const send = async <T extends { $metadata?: { attempts?: number } }>(
  { stats, cost }: Call,
  call: () => Promise<T>,
): Promise<T> => {
  const started = performance.now();
  let attempts = 1;
  try {
    const output = await call();
    attempts = output.$metadata?.attempts ?? 1;
    return output;
  } catch (error) {
    attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? attempts;
    throw failure(error);
  } finally {
    cost.requests += 1;
    if (stats !== undefined) {
      stats.calls += 1;
      stats.attempts += attempts;
      stats.ms += performance.now() - started;
    }
  }
};

export interface ScanRequest extends Call {
  readonly table: string;
  /** The attributes to read, by name; their placeholders go into `names`. */
  readonly attributes: readonly string[];
  readonly names: AttributeNames;
  readonly filter: PushedFilter;
  /** Segments scanned side by side: DynamoDB reads each at its own pace. */
  readonly segments: number;
}

/**
 * Every item the pushed-down filter keeps, projected to `attributes`, handed to `onItem` as
 * each page arrives (numbers wrapped: exact text). Pages are dropped once handed over, so the
 * caller decides what stays in memory.
 */
export const scanItems = async (
  request: ScanRequest,
  client: DynamoDBDocumentClient,
  onItem: (item: Item) => void,
) => {
  const { table, attributes, names, filter, segments, deadline } = request;
  const projection = attributes.map((name) => names.of(name)).join(', ');
  let failed = false;
  const segment = async (index: number): Promise<void> => {
    let start: Item | undefined;
    do {
      const page = await send(request, () =>
        client.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: false,
            ProjectionExpression: projection,
            ExpressionAttributeNames: names.map,
            ...(filter.expression === undefined
              ? {}
              : { FilterExpression: filter.expression, ExpressionAttributeValues: filter.values }),
            ReturnConsumedCapacity: 'TOTAL',
            ...(segments > 1 ? { Segment: index, TotalSegments: segments } : {}),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
          untilDeadline(deadline),
        ),
      );
      // Another segment failed: its error answers; this one stops reading.
      if (failed) return;
      request.cost.readUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
      request.cost.scanned += page.ScannedCount ?? 0;
      for (const item of page.Items ?? []) onItem(item);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  };
  try {
    await Promise.all(Array.from({ length: segments }, (_, i) => segment(i)));
  } catch (error) {
    failed = true;
    throw failure(error);
  }
};

/** BatchGetItem's limit of keys per call. */
export const BATCH_KEYS = 100;
/** Backoff between retries of unprocessed keys: full jitter, doubling from 25 ms up to 400 ms. */
const FIRST_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 400;

export interface GetRequest extends Call {
  readonly table: string;
  /** The ids, at most BATCH_KEYS. */
  readonly ids: readonly bigint[];
  /** The attributes to read; `id` is always read too, to match items to their keys. */
  readonly attributes: readonly string[];
}

/**
 * The items of up to 100 ids, by the decimal text of their id; an id with no item is
 * missing from the map. Unprocessed keys are asked for again, after a backoff, until the
 * deadline: past it the list is a 503.
 */
export const getItems = async (
  request: GetRequest,
  client: DynamoDBDocumentClient,
): Promise<Map<string, Item>> => {
  const { table, ids, deadline } = request;
  if (ids.length > BATCH_KEYS) throw new Error(`at most ${BATCH_KEYS} keys per call`);
  const attributes = request.attributes.includes('id') ? request.attributes : ['id', ...request.attributes];
  const names = new AttributeNames();
  const projection = attributes.map((name) => names.of(name)).join(', ');
  const found = new Map<string, Item>();
  let keys: Item[] = ids.map((id) => ({ id }));
  for (let retry = 0; keys.length > 0; retry++) {
    if (retry > 0) {
      const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (retry - 1));
      const wait = Math.random() * ceiling;
      if (deadline !== undefined && Date.now() + wait >= deadline) {
        throw listStoreUnavailable(new Error(`${keys.length} keys still unprocessed at the deadline`));
      }
      await sleep(wait);
    }
    const output = await send(request, () =>
      client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: keys,
              ConsistentRead: false,
              ProjectionExpression: projection,
              ExpressionAttributeNames: names.map,
            },
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
        untilDeadline(deadline),
      ),
    );
    for (const consumed of output.ConsumedCapacity ?? [])
      request.cost.readUnits += consumed.CapacityUnits ?? 0;
    for (const item of output.Responses?.[table] ?? []) {
      const id = item['id'] as { value?: unknown } | undefined;
      if (typeof id?.value === 'string') found.set(id.value, item);
    }
    keys = (output.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
  }
  return found;
};
