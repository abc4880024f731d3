// The service `npm start` registers: local-dev, capability ADMIN, the token in SEC_TOKEN
// (contract section 6). In the embedded store it is registered plainly: the store ends with the
// runner. A store the runner did not create (DYNAMODB_ENDPOINT) must keep no credential of
// it: the registration is a lease that expires LEASE_MS ahead, is renewed while the runner
// runs and is deleted when it stops, so even a runner killed outright leaves nothing that
// lasts. A token registered there already is left exactly as it is.

import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { hashToken } from '../lib/auth/authenticate.ts';
import { registerService } from '../lib/auth/registry.ts';

/** The public default token: only ever registered in the embedded store. */
export const DEFAULT_SEC_TOKEN = 'local-dev-token';
export const DEV_SERVICE = { name: 'local-dev', capabilities: ['ADMIN'] } as const;
export const LEASE_MS = 60 * 60_000;

export interface Lease {
  /** False when the token was registered already; that registration is left alone. */
  readonly registered: boolean;
  /** Stops renewing and deletes the registration this lease made. */
  release(): Promise<void>;
}

/** Registers local-dev for `token` in `table` for `leaseMs`, renewed every third of it. */
export const leaseService = async (
  client: DynamoDBDocumentClient,
  table: string,
  token: string,
  leaseMs = LEASE_MS,
): Promise<Lease> => {
  const registered = await registerService(
    client,
    table,
    { ...DEV_SERVICE, token, expiresAt: Date.now() + leaseMs },
    { onlyIfNew: true },
  );
  if (!registered) return { registered, release: async () => {} };

  // Only ever the item this lease wrote: same hash, and still named local-dev.
  const ours = {
    TableName: table,
    Key: { token_hash: hashToken(token) },
    ConditionExpression: '#name = :name',
    ExpressionAttributeNames: { '#name': 'name' },
  };
  const renewal = setInterval(() => {
    client
      .send(
        new UpdateCommand({
          ...ours,
          UpdateExpression: 'SET expires_at = :expires',
          ExpressionAttributeValues: { ':name': DEV_SERVICE.name, ':expires': Date.now() + leaseMs },
        }),
      )
      .catch((error: unknown) =>
        console.error(`Service local-dev: not renewed (${(error as Error).name}); it lapses on its own`),
      );
  }, leaseMs / 3);
  renewal.unref();
  return {
    registered,
    release: async () => {
      clearInterval(renewal);
      await client.send(
        new DeleteCommand({ ...ours, ExpressionAttributeValues: { ':name': DEV_SERVICE.name } }),
      );
    },
  };
};
