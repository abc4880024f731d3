// The writers of the credential tables (contract section 6): services by the SHA-256 of their token,
// users by name with the scrypt hash of their password. The secrets themselves are never written.
// Used by `npm run token`/`npm run user` and the local stack; no function bundles them.

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
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

/**
 * Deletes every token of the service `name` (the table is keyed by token hash, so the items
 * are found by a consistent scan for the name). Resolves with how many were deleted.
 */
export const revokeService = async (
  client: DynamoDBDocumentClient,
  table: string,
  name: string,
): Promise<number> => {
  const hashes: string[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: table,
      ConsistentRead: true,
      FilterExpression: '#name = :name',
      ProjectionExpression: 'token_hash',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':name': name },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      if (typeof item['token_hash'] === 'string') hashes.push(item['token_hash']);
    }
  }
  for (const hash of hashes) {
    await client.send(new DeleteCommand({ TableName: table, Key: { token_hash: hash } }));
  }
  return hashes.length;
};

/** Deletes a Basic user; resolves false when there was none of that name. */
export const deleteUser = async (
  client: DynamoDBDocumentClient,
  table: string,
  username: string,
): Promise<boolean> => {
  try {
    // Conditional, so that the answer says whether there was one without reading its hash.
    await client.send(
      new DeleteCommand({
        TableName: table,
        Key: { username },
        ConditionExpression: 'attribute_exists(username)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};
