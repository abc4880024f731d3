// DynamoDB access: one client per container, bounded timeouts and retries, and the mapping of
// store faults onto the contract's 503 (throttled or unreachable) and 500 (anything else).

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { Config } from '../config.ts';
import type { StoreStats } from '../http/event.ts';
import { internalError, storeUnavailable } from '../qradar/errors.ts';

/** Each attempt: 0.5 s to connect, 1.5 s for the whole answer; at most 3 attempts. */
const STORE_LIMITS = {
  maxAttempts: 3,
  connectionTimeout: 500,
  requestTimeout: 1500,
} as const;

export const createDocumentClient = (
  config: Config,
  overrides: DynamoDBClientConfig = {},
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: config.region,
      ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
      maxAttempts: STORE_LIMITS.maxAttempts,
      requestHandler: {
        connectionTimeout: STORE_LIMITS.connectionTimeout,
        requestTimeout: STORE_LIMITS.requestTimeout,
        // Without it a request past requestTimeout only logs a warning and hangs on.
        throwOnRequestTimeout: true,
      },
      ...overrides,
    }),
    // Numbers stay as their decimal text, so a Long never passes through a double.
    { unmarshallOptions: { wrapNumbers: true } },
  );

/**
 * Throttled, unreachable, timed out (our deadline included) or a 5xx from the service: worth
 * a retry later. The SDK's own classification, so ours agrees with what its retries did.
 */
export const isUnavailable = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  return (
    error.name === 'AbortError' ||
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError)
  );
};

export interface ItemRead {
  readonly table: string;
  readonly key: Record<string, unknown>;
  /** The top-level attributes to read. */
  readonly attributes: readonly string[];
  /** When the read must have ended (Date.now() ms); none: the SDK's own limits only. */
  readonly deadline?: number | undefined;
  /** Where the read's attempts and time are added up, for the access line and metrics. */
  readonly stats?: StoreStats | undefined;
}

type Projection = { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> };

// Requests ask for the same few selections again and again: build each expression once.
const projections = new Map<string, Projection>();
const PROJECTIONS_KEPT = 256;

/** Placeholders for every name, since several (status, name) are DynamoDB reserved words. */
export const projectionOf = (attributes: readonly string[]): Projection => {
  const key = attributes.join(',');
  let projection = projections.get(key);
  if (projection === undefined) {
    // Frozen: every request shares it, so nothing may write to it.
    projection = Object.freeze({
      ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.freeze(
        Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
      ),
    });
    if (projections.size >= PROJECTIONS_KEPT) projections.clear();
    projections.set(key, projection);
  }
  return projection;
};

/**
 * The longest one read can take within the SDK's own limits: every attempt timing out
 * (connect + request) plus the longest backoffs (throttling: up to 1 s, then 2 s).
 */
export const STORE_WORST_CASE_MS =
  STORE_LIMITS.maxAttempts * (STORE_LIMITS.connectionTimeout + STORE_LIMITS.requestTimeout) + 3000;

/**
 * An abort signal for a read that could outlive the deadline, and none otherwise: the
 * SDK's handling of a signal costs tens of microseconds a request, and a read that starts
 * with more time left than its worst case needs no help to end in time.
 */
export const abortBefore = (deadline: number | undefined): { abortSignal?: AbortSignal } => {
  if (deadline === undefined) return {};
  const remaining = deadline - Date.now();
  return remaining > STORE_WORST_CASE_MS ? {} : { abortSignal: AbortSignal.timeout(Math.max(0, remaining)) };
};

/** An eventually consistent GetItem of only the named attributes; undefined on a miss. */
export const readItem = async (
  client: DynamoDBDocumentClient,
  { table, key, attributes, deadline, stats }: ItemRead,
): Promise<Record<string, unknown> | undefined> => {
  const started = performance.now();
  let attempts = 1;
  try {
    const { Item, $metadata } = await client.send(
      new GetCommand({ TableName: table, Key: key, ConsistentRead: false, ...projectionOf(attributes) }),
      abortBefore(deadline),
    );
    attempts = $metadata?.attempts ?? 1;
    return Item;
  } catch (error) {
    attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? attempts;
    throw isUnavailable(error) ? storeUnavailable(error) : internalError(error);
  } finally {
    if (stats !== undefined) {
      stats.calls += 1;
      stats.attempts += attempts;
      stats.ms += performance.now() - started;
    }
  }
};
