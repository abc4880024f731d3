// The local DynamoDB side: an embedded dynalite server, the tables of infra/tables.json,
// restores and services in them. Used by `npm start`, the tests and the benchmark.

import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import infraTables from '../infra/tables.json' with { type: 'json' };
import { registerService, type ServiceRegistration } from '../lib/auth/registry.ts';
import { DEFAULT_REGION } from '../lib/config.ts';
import { restoreToItem } from '../lib/restore/item.ts';
import { writeItems } from '../lib/store/batches.ts';
import { LOCAL_TABLES, type TableNames } from '../lib/store/tables.ts';
import { tableClient } from '../lib/store/tool-client.ts';

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

/** A client for setting up a store at `endpoint`: the table tools' client, pointed there. */
export const localClient = (endpoint: string): DynamoDBDocumentClient =>
  tableClient({ endpoint, region: process.env['AWS_REGION'] || DEFAULT_REGION });

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
