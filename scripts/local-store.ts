// The local DynamoDB side: an embedded dynalite server, the tables of infra/tables.json,
// restores and services in them. Used by `npm start`, the tests and the benchmark.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import infraTables from '../infra/tables.json' with { type: 'json' };
import { hashToken } from '../lib/auth.ts';
import { hashPassword } from '../lib/password.ts';
import { writeItems } from './batches.ts';
import { LOCAL_TABLES, type TableNames } from './local-tables.ts';
import { restoreToItem } from './restore-item.ts';

/** Any credentials do for a local store; the SDK only insists there are some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export interface EmbeddedStore {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** An in-memory dynalite on 127.0.0.1; port 0 picks a free port. */
export const startDynalite = async (port: number): Promise<EmbeddedStore> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/**
 * A client for setting up a store. It signs with the environment's credentials when there
 * are some, as the functions will (DynamoDB Local keeps one database per access key), and
 * with any otherwise.
 */
export const localClient = (endpoint: string): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: process.env['AWS_REGION'] ?? LOCAL_REGION,
      ...(process.env['AWS_ACCESS_KEY_ID'] ? {} : { credentials: LOCAL_CREDENTIALS }),
    }),
    // Numbers wrapped: what comes back (an unprocessed item too) keeps every digit.
    { marshallOptions: { removeUndefinedValues: true }, unmarshallOptions: { wrapNumbers: true } },
  );

type TableResource = keyof typeof infraTables.Resources;

/** Creates the table as infra/ defines it, under `name`; false when it already existed. */
export const createTable = async (
  client: DynamoDBDocumentClient,
  resource: TableResource,
  name: string,
): Promise<boolean> => {
  const { AttributeDefinitions, KeySchema, BillingMode } = infraTables.Resources[resource].Properties;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: AttributeDefinitions as CreateTableCommand['input']['AttributeDefinitions'],
        KeySchema: KeySchema as CreateTableCommand['input']['KeySchema'],
        BillingMode: BillingMode as CreateTableCommand['input']['BillingMode'],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
};

/**
 * Writes QRadar restore objects (Longs as bigint) as the import does: mapped to items by
 * restoreToItem, put by the retrying batch writer. Throws when one is not a restore or was
 * left unwritten.
 */
export const putRestores = async (
  client: DynamoDBDocumentClient,
  table: string,
  restores: readonly unknown[],
): Promise<void> => {
  const { unwritten, error } = await writeItems(client, table, restores.map(restoreToItem));
  if (unwritten.length > 0) throw new Error(`${unwritten.length} restores left unwritten`, { cause: error });
};

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

/** Which name of TableNames each table of infra/tables.json goes by. */
const NAME_OF: Readonly<Record<string, keyof TableNames>> = {
  RestoresTable: 'restoresTable',
  AuthorizedServicesTable: 'authorizedServicesTable',
  AuthorizedUsersTable: 'authorizedUsersTable',
};

export interface StoreContents {
  /** The names to create the tables under; the local runner's by default. */
  readonly tables?: TableNames;
  /** QRadar restore objects (Longs as bigint) for the restores table, written only when this call creates it. */
  readonly restores?: readonly unknown[];
  /** Services to register in the authorized services table. */
  readonly services?: readonly ServiceRegistration[];
}

/**
 * Creates each table of infra/tables.json that `endpoint` lacks, writes `restores` into a
 * restores table made just now (never over someone's items) and registers `services`.
 * Resolves with the names of the tables it created.
 */
export const prepareStore = async (
  endpoint: string,
  { tables = LOCAL_TABLES, restores = [], services = [] }: StoreContents = {},
): Promise<ReadonlySet<keyof TableNames>> => {
  const client = localClient(endpoint);
  try {
    const created = new Set<keyof TableNames>();
    for (const resource of Object.keys(infraTables.Resources) as TableResource[]) {
      const name = NAME_OF[resource];
      if (name === undefined) throw new Error(`infra/tables.json: no table name for ${resource}`);
      if (await createTable(client, resource, tables[name])) created.add(name);
    }
    if (created.has('restoresTable')) await putRestores(client, tables.restoresTable, restores);
    for (const service of services) await registerService(client, tables.authorizedServicesTable, service);
    return created;
  } finally {
    client.destroy();
  }
};

/** An embedded dynalite (port 0: a free one) with the tables and contents of prepareStore. */
export const startLocalStore = async (port: number, contents: StoreContents = {}): Promise<EmbeddedStore> => {
  const store = await startDynalite(port);
  try {
    await prepareStore(store.endpoint, contents);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
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
