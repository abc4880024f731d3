// A dynalite server per test file, with the tables of infra/ and the handler's environment
// pointed at it (through vi.stubEnv, undone after the file). Import the handler only after
// startStore() has run: it reads the environment once, at import.

import { type AttributeValue, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { vi } from 'vitest';
import { DEFAULT_REGION } from '../../lib/config.ts';
import { LOCAL_TABLES, tableEnv } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { startLocalStore } from '../../local/dynalite.ts';

/** A service with the BACKUP capability, registered in every test store. */
export const TEST_TOKEN = 'integration-test-token';

export interface TestStore {
  readonly endpoint: string;
  /** Writes an item exactly as given, in DynamoDB's own attribute-value form. */
  putRaw(item: Record<string, AttributeValue>): Promise<void>;
  close(): Promise<void>;
}

export const startStore = async (): Promise<TestStore> => {
  const server = await startLocalStore(0, {
    services: [{ name: 'tests', capabilities: ['BACKUP'], token: TEST_TOKEN }],
  });
  const env = {
    ...tableEnv(),
    DYNAMODB_ENDPOINT: server.endpoint,
    AWS_REGION: DEFAULT_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);

  const raw = new DynamoDBClient({
    endpoint: server.endpoint,
    region: DEFAULT_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  return {
    endpoint: server.endpoint,
    putRaw: async (item) => {
      await raw.send(new PutItemCommand({ TableName: LOCAL_TABLES.restoresTable, Item: item }));
    },
    close: async () => {
      raw.destroy();
      await server.close();
    },
  };
};
