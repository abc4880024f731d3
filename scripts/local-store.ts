// The local DynamoDB side: an embedded dynalite server, the tables of infra/tables.json, and
// sample restores. Used by `npm start` and by the integration and end-to-end tests.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import tables from '../infra/tables.json' with { type: 'json' };
import { hashToken } from '../lib/auth.ts';
import { restoreToItem } from '../lib/restore-item.ts';
import { writeItems } from './batches.ts';

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

type TableResource = keyof typeof tables.Resources;

/** Creates the table as infra/ defines it, under `name`; false when it already existed. */
export const createTable = async (
  client: DynamoDBDocumentClient,
  resource: TableResource,
  name: string,
): Promise<boolean> => {
  const { AttributeDefinitions, KeySchema, BillingMode } = tables.Resources[resource].Properties;
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

export interface ServiceRegistration {
  readonly name: string;
  readonly capabilities: readonly string[];
  readonly token: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt?: number;
}

/** Stores a service under the SHA-256 of its token; the token itself is never written. */
export const registerService = async (
  client: DynamoDBDocumentClient,
  table: string,
  { name, capabilities, token, expiresAt }: ServiceRegistration,
): Promise<void> => {
  await client.send(
    new PutCommand({
      TableName: table,
      Item: {
        token_hash: hashToken(token),
        name,
        capabilities: new Set(capabilities),
        ...(expiresAt === undefined ? {} : { expires_at: expiresAt }),
      },
    }),
  );
};
