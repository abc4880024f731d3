// A restores table in memory behind the SDK's whole stack (a stub request handler), answering
// BatchWriteItem, BatchGetItem, PutItem (with the forward-only condition of
// lib/restore/lifecycle.ts), DeleteItem (on `#console = :origin`) and Scan, with faults
// injected per operation and call.

import { readConfig } from '../../lib/config.ts';
import { createDocumentClient } from '../../lib/store/read.ts';
import { tableEnv } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import {
  dynamoError,
  type Responder,
  type StubReply,
  StubRequestHandler,
} from '../../local/harness/stub-handler.ts';

type Stored = { id: { N: string } } & Record<string, unknown>;
type Put = { PutRequest: { Item: Stored } };
type Key = { id: { N: string } };
type Values = Record<string, { S?: string }>;

const conditionFailed = dynamoError(400, 'ConditionalCheckFailedException', 'The conditional request failed');

/** True when the stored item passes a put's forward-only condition (no condition: always). */
const forwardOnlyHolds = (stored: Stored | undefined, condition: string | undefined, values: Values) => {
  if (condition === undefined) return true;
  if (!condition.startsWith('NOT (#status IN ('))
    throw new Error(`fake table: no such condition: ${condition}`);
  const above = new Set(Object.values(values).map((v) => v.S));
  const status = (stored?.['status'] as { S?: string } | undefined)?.S;
  return !(status !== undefined && above.has(status));
};

/**
 * `fault(operation, call)` goes first: a reply of its own, `unprocessed` (every item or key sent
 * back unprocessed), or undefined to let the table answer. Call numbers start at 0 per operation.
 */
export const fakeTable = (fault: (target: string, call: number) => StubReply | 'unprocessed' | undefined) => {
  const stored = new Map<string, Stored>();
  const calls: { target: string; ids: string[] }[] = [];
  const responder: Responder = ({ target, body }) => {
    const op = target.split('.')[1] ?? '';
    const call = calls.filter((c) => c.target === op).length;
    if (op === 'PutItem' || op === 'DeleteItem') {
      const key = ((body['Item'] ?? body['Key']) as Stored).id.N;
      calls.push({ target: op, ids: [key] });
      const injected = fault(op, call);
      if (injected !== undefined && injected !== 'unprocessed') return injected;
      const condition = body['ConditionExpression'] as string | undefined;
      const values = (body['ExpressionAttributeValues'] ?? {}) as Values;
      if (op === 'PutItem') {
        if (!forwardOnlyHolds(stored.get(key), condition, values)) return conditionFailed;
        stored.set(key, body['Item'] as Stored);
      } else {
        const owner = (stored.get(key)?.['console'] as { S?: string } | undefined)?.S;
        if (owner === undefined || owner !== values[':origin']?.S) return conditionFailed;
        stored.delete(key);
      }
      return { status: 200, body: {} };
    }
    if (op === 'Scan') {
      calls.push({ target: op, ids: [] });
      const injected = fault(op, call);
      if (injected !== undefined && injected !== 'unprocessed') return injected;
      return { status: 200, body: { Items: [...stored.values()], Count: stored.size } };
    }
    const requests = (body['RequestItems'] as Record<string, unknown>)['restores'];
    if (op === 'BatchWriteItem') {
      const puts = requests as Put[];
      calls.push({ target: op, ids: puts.map((p) => p.PutRequest.Item.id.N) });
      const injected = fault(op, call);
      if (injected === 'unprocessed') return { status: 200, body: { UnprocessedItems: { restores: puts } } };
      if (injected !== undefined) return injected;
      for (const { PutRequest } of puts) stored.set(PutRequest.Item.id.N, PutRequest.Item);
      return { status: 200, body: { UnprocessedItems: {} } };
    }
    const { Keys } = requests as { Keys: Key[] };
    calls.push({ target: op, ids: Keys.map((k) => k.id.N) });
    if (fault(op, call) === 'unprocessed') {
      return { status: 200, body: { Responses: { restores: [] }, UnprocessedKeys: { restores: { Keys } } } };
    }
    const found = Keys.flatMap((k) => stored.get(k.id.N) ?? []);
    return { status: 200, body: { Responses: { restores: found }, UnprocessedKeys: {} } };
  };
  const client = createDocumentClient(readConfig({ AWS_REGION: 'us-east-1', ...tableEnv() }), {
    requestHandler: new StubRequestHandler(responder),
    credentials: LOCAL_CREDENTIALS,
    // Only our own retries: the SDK's would hide the failures these tests inject.
    maxAttempts: 1,
  });
  return { stored, calls, client };
};
