// The writers of the credential tables (contract section 6): services by the SHA-256 of their token,
// users by name with the scrypt hash of their password. The secrets themselves are never written.
// Used by `npm run token`/`npm run user` and the local stack; no function bundles them.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { hashToken } from './authenticate.ts';
import { hashPassword } from './password.ts';

/** A service's or user's item: its key and secret's hash, capabilities, and expiry if any. */
const putCredential = async (
  client: DynamoDBDocumentClient,
  table: string,
  identity: Record<string, string>,
  capabilities: readonly string[],
  expiresAt: number | undefined,
  condition: { ConditionExpression?: string } = {},
): Promise<void> => {
  await client.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...identity,
        capabilities: new Set(capabilities),
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      },
      ...condition,
    }),
  );
};

interface Registration {
  readonly capabilities: readonly string[];
  /** Milliseconds since the epoch. */
  readonly expiresAt?: number;
}

export interface ServiceRegistration extends Registration {
  readonly name: string;
  readonly token: string;
}

/**
 * Stores a service under the SHA-256 of its token; the token itself is never written. With
 * `onlyIfNew`, a token registered already is left as it is, and the call resolves false.
 */
export const registerService = async (
  client: DynamoDBDocumentClient,
  table: string,
  { name, capabilities, token, expiresAt }: ServiceRegistration,
  { onlyIfNew = false }: { readonly onlyIfNew?: boolean } = {},
): Promise<boolean> => {
  try {
    await putCredential(client, table, { token_hash: hashToken(token), name }, capabilities, expiresAt, {
      ...(onlyIfNew ? { ConditionExpression: 'attribute_not_exists(token_hash)' } : {}),
    });
    return true;
  } catch (error) {
    if (onlyIfNew && error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

export interface UserRegistration extends Registration {
  readonly username: string;
  readonly password: string;
}

/** Stores a user for HTTP Basic with the scrypt hash of the password; the password itself is never written. */
export const registerUser = async (
  client: DynamoDBDocumentClient,
  table: string,
  { username, capabilities, password, expiresAt }: UserRegistration,
): Promise<void> => {
  await putCredential(
    client,
    table,
    { username, password_hash: await hashPassword(password) },
    capabilities,
    expiresAt,
  );
};
