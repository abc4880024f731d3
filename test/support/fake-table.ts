// A restores table in memory behind the SDK's whole stack (a stub request handler), answering
// BatchWriteItem and BatchGetItem, with faults injected per operation and call.

import { readConfig } from '../../lib/config.ts';
import { createDocumentClient } from '../../lib/store/read.ts';
import { tableEnv } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type Responder, type StubReply, StubRequestHandler } from '../../local/harness/stub-handler.ts';

type Put = { PutRequest: { Item: { id: { N: string } } & Record<string, unknown> } };
type Key = { id: { N: string } };

/**
 * `fault(operation, call)` goes first: a reply of its own, `unprocessed` (every item or key sent
 * back unprocessed), or undefined to let the table answer. Call numbers start at 0 per operation.
 */
export const fakeTable = (fault: (target: string, call: number) => StubReply | 'unprocessed' | undefined) => {
  const stored = new Map<string, Record<string, unknown>>();
  const calls: { target: string; ids: string[] }[] = [];
  const responder: Responder = ({ target, body }) => {
    const op = target.split('.')[1] ?? '';
    const call = calls.filter((c) => c.target === op).length;
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
