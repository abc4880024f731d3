// DynamoDB Streams for dynalite, which has none: an HTTP proxy in front of it that turns each
// write on one table into the stream record DynamoDB would write with NEW_AND_OLD_IMAGES.
// The images are the item read (consistently) just before and just after the write, and the
// writes on that table pass one at a time so no other write falls between the three. Like
// DynamoDB, it writes no record for a write that changed nothing. It stands in for the
// stream's content, not for its delivery (shards, retention, ordering across items).

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AttributeValue, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';

type Item = Record<string, AttributeValue>;

export interface StreamRecord {
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly eventVersion: '1.1';
  readonly eventSource: 'aws:dynamodb';
  readonly awsRegion: string;
  readonly eventSourceARN: string;
  readonly dynamodb: {
    readonly ApproximateCreationDateTime: number;
    readonly Keys: Item;
    readonly NewImage?: Item;
    readonly OldImage?: Item;
    readonly SequenceNumber: string;
    readonly SizeBytes: number;
    readonly StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

export interface StreamRecorder {
  /** Where writers send their requests instead of the store. */
  readonly endpoint: string;
  /** The records written since the last take, oldest first; they are then forgotten. */
  take(): StreamRecord[];
  close(): Promise<void>;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

interface WriteRequest {
  TableName?: string;
  Item?: Item;
  Key?: Item;
  RequestItems?: Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>;
  TransactItems?: Record<string, { TableName?: string; Item?: Item; Key?: Item }>[];
}

/** The keys of `table`'s items that one write request may change. */
const keysWritten = (operation: string, body: WriteRequest, table: string, keyName: string): Item[] => {
  const keyOf = (item: Item | undefined): Item[] => {
    const value = item?.[keyName];
    return value === undefined ? [] : [{ [keyName]: value }];
  };
  switch (operation) {
    case 'PutItem':
      return body.TableName === table ? keyOf(body.Item) : [];
    case 'UpdateItem':
    case 'DeleteItem':
      return body.TableName === table ? keyOf(body.Key) : [];
    case 'BatchWriteItem':
      return (body.RequestItems?.[table] ?? []).flatMap((w) =>
        keyOf(w.PutRequest?.Item ?? w.DeleteRequest?.Key),
      );
    default:
      return (body.TransactItems ?? []).flatMap((t) =>
        Object.values(t).flatMap((op) => (op.TableName === table ? keyOf(op.Item ?? op.Key) : [])),
      );
  }
};

/** JSON with object keys sorted: two items equal as DynamoDB compares them (attribute order aside). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const readBody = async (message: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export const startStreamRecorder = async (
  upstream: string,
  { table, keyName = 'id', region = 'us-east-1' }: { table: string; keyName?: string; region?: string },
): Promise<StreamRecorder> => {
  const target = new URL(upstream);
  const store = new DynamoDBClient({ endpoint: upstream, region, credentials: LOCAL_CREDENTIALS });
  const records: StreamRecord[] = [];
  let sequence = 0n;
  // One write on the table at a time: its before and after images are its own.
  let writing: Promise<unknown> = Promise.resolve();

  const imageOf = async (key: Item): Promise<Item | undefined> =>
    (await store.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

  /** Sends the request on to the store and hands back its answer, unread by anyone else. */
  const pass = (incoming: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const out = forward(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          readBody(answer).then(
            (text) => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: text }),
            reject,
          );
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const record = (key: Item, before: Item | undefined, after: Item | undefined): void => {
    if (canonical(before) === canonical(after)) return;
    sequence += 1n;
    records.push({
      eventID: randomBytes(16).toString('hex'),
      eventName: before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      eventSourceARN: `arn:aws:dynamodb:${region}:000000000000:table/${table}/stream/2026-01-01T00:00:00.000`,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: key,
        ...(after === undefined ? {} : { NewImage: after }),
        ...(before === undefined ? {} : { OldImage: before }),
        // DynamoDB's are decimal and increasing within a shard, 21 digits and more.
        SequenceNumber: (10n ** 20n + sequence).toString(),
        SizeBytes: Buffer.byteLength(canonical([key, before, after])),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const operation = String(incoming.headers['x-amz-target'] ?? '').replace(/^DynamoDB_\d+\./, '');
    const keys = WRITES.has(operation)
      ? keysWritten(operation, JSON.parse(body.toString('utf8')) as WriteRequest, table, keyName)
      : [];
    let answer: Awaited<ReturnType<typeof pass>>;
    if (keys.length === 0) answer = await pass(incoming, body);
    else {
      const turn = writing.then(async () => {
        const before = await Promise.all(keys.map(imageOf));
        const passed = await pass(incoming, body);
        const after = await Promise.all(keys.map(imageOf));
        keys.forEach((key, i) => {
          record(key, before[i], after[i]);
        });
        return passed;
      });
      writing = turn.catch(() => undefined);
      answer = await turn;
    }
    response.writeHead(answer.status, answer.headers);
    response.end(answer.body);
  };

  const server: Server = createServer((incoming, response) => {
    handle(incoming, response).catch((error: unknown) => {
      response.writeHead(500, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'InternalServerError', message: String(error) }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    take: () => records.splice(0),
    close: async () => {
      store.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
