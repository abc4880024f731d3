// DynamoDB access: one client per container, bounded timeouts and retries, and the mapping of
// store faults onto the spec's 503 (throttled or unreachable) and 500 (anything else).

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { Config } from './config.ts';
import { internalError, storeUnavailable } from './errors.ts';

/**
 * Worst case per read: 3 attempts of (0.5 s connect + 1.5 s without a byte) plus backoff,
 * about 6.3 s, inside the function's 10 s timeout; the request deadline cuts it shorter.
 */
export const STORE_LIMITS = {
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
  /** Top-level attributes to read; all of them when undefined. */
  readonly attributes?: readonly string[];
  readonly signal?: AbortSignal | undefined;
}

/** An eventually consistent GetItem of only the named attributes; undefined on a miss. */
export const readItem = async (
  client: DynamoDBDocumentClient,
  { table, key, attributes, signal }: ItemRead,
): Promise<Record<string, unknown> | undefined> => {
  const projection =
    attributes === undefined
      ? {}
      : {
          // Placeholders for every name: several (status, name) are reserved words.
          ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
        };
  try {
    const { Item } = await client.send(
      new GetCommand({ TableName: table, Key: key, ConsistentRead: false, ...projection }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    return Item;
  } catch (error) {
    throw isUnavailable(error) ? storeUnavailable(error) : internalError(error);
  }
};
