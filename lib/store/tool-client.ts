// The one DynamoDB client of the tools that work on the tables (`npm run import`, `sync`,
// `token`, `user`) and of the local stack's set-up. Where a tool writes is cli/target.ts's rule.

import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Any credentials do for a store on this machine; the SDK only insists there are some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export const isLoopback = (endpoint: string): boolean =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(URL.parse(endpoint)?.hostname ?? '');

/** `overrides` replace any of the settings below (tests pass their own request handler). */
export const tableClient = (
  target: { readonly endpoint: string | undefined; readonly region: string },
  overrides: DynamoDBClientConfig = {},
  env: NodeJS.ProcessEnv = process.env,
): DynamoDBDocumentClient => {
  const { endpoint, region } = target;
  // A store on this machine takes any credentials, but the SDK insists on some; a remote
  // one gets the caller's own (environment, profile, SSO), untouched.
  const local = endpoint !== undefined && isLoopback(endpoint) && !env['AWS_ACCESS_KEY_ID'];
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
      region,
      // A script waits for an answer, but not for ever; a local stack that is not running
      // is said at once, not after retries.
      requestHandler: { connectionTimeout: 5000, requestTimeout: 30_000, throwOnRequestTimeout: true },
      ...overrides,
    }),
    // Numbers stay as their decimal text, so a Long never passes through a double.
    { marshallOptions: { removeUndefinedValues: true }, unmarshallOptions: { wrapNumbers: true } },
  );
};
