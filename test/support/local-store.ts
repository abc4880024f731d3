// A dynalite server per test file, with the tables of infra/ and the handler's environment
// pointed at it. Import the handler only after startStore() has run: it reads the
// environment once, at import.

import { type AttributeValue, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import {
  createTable,
  type EmbeddedStore,
  LOCAL_CREDENTIALS,
  localClient,
  registerService,
  startDynalite,
} from '../../scripts/local-store.ts';
import { LOCAL_TABLES, tableEnv } from '../../scripts/local-tables.ts';

/** A service with the BACKUP capability, registered in every test store. */
export const TEST_TOKEN = 'integration-test-token';

export interface TestStore {
  readonly endpoint: string;
  readonly restoresTable: string;
  /** Writes an item exactly as given, in DynamoDB's own attribute-value form. */
  putRaw(item: Record<string, AttributeValue>): Promise<void>;
  close(): Promise<void>;
}

export const startStore = async (): Promise<TestStore> => {
  const server: EmbeddedStore = await startDynalite(0);
  const { restoresTable, authorizedServicesTable } = LOCAL_TABLES;
  const client = localClient(server.endpoint);
  await createTable(client, 'RestoresTable', restoresTable);
  await createTable(client, 'AuthorizedServicesTable', authorizedServicesTable);
  await registerService(client, authorizedServicesTable, {
    name: 'tests',
    capabilities: ['BACKUP'],
    token: TEST_TOKEN,
  });
  client.destroy();

  const env = {
    ...tableEnv(),
    DYNAMODB_ENDPOINT: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);

  const raw = new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    endpoint: server.endpoint,
    restoresTable,
    putRaw: async (item) => {
      await raw.send(new PutItemCommand({ TableName: restoresTable, Item: item }));
    },
    close: async () => {
      raw.destroy();
      await server.close();
    },
  };
};
