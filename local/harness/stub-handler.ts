// A request handler for the SDK that answers DynamoDB's JSON protocol in process. The SDK's
// whole middleware stack (serializers, signing, retries, deserializers) still runs; only
// the socket is replaced. Used for fault injection and for the CPU-only benchmark.

import { Readable } from 'node:stream';
import { DEFAULT_REGION, readConfig } from '../../lib/config.ts';
import type { Dependencies } from '../../lib/front.ts';
import { createDocumentClient } from '../../lib/store/read.ts';
import { tableEnv } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';

export interface StubRequest {
  /** The operation, from X-Amz-Target (DynamoDB_20120810.GetItem). */
  readonly target: string;
  readonly body: Record<string, unknown>;
}

/** A reply: an HTTP status and JSON body, or a thrown network error by its code. */
export type StubReply = { status: number; body: unknown } | { networkError: string };

export type Responder = (request: StubRequest) => StubReply;

/** What the SDK sends, decoded: the operation (X-Amz-Target) and the JSON body. */
export const decodeRequest = (request: { headers: Record<string, string>; body?: unknown }): StubRequest => {
  const sent =
    request.body instanceof Uint8Array
      ? new TextDecoder().decode(request.body)
      : String(request.body ?? '{}');
  return { target: request.headers['x-amz-target'] ?? '', body: JSON.parse(sent) as Record<string, unknown> };
};

/** The HTTP response the SDK reads for `reply`; a network error is thrown. */
export const replyResponse = (reply: StubReply) => {
  if ('networkError' in reply) {
    throw Object.assign(new Error(`connect ${reply.networkError} stub`), { code: reply.networkError });
  }
  const text = JSON.stringify(reply.body);
  return {
    response: {
      statusCode: reply.status,
      reason: '',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': String(Buffer.byteLength(text)),
      },
      body: Readable.from([Buffer.from(text)]),
    },
  };
};

export class StubRequestHandler {
  responder: Responder;

  constructor(responder: Responder) {
    this.responder = responder;
  }

  async handle(request: { headers: Record<string, string>; body?: unknown }) {
    return replyResponse(this.responder(decodeRequest(request)));
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}
}

/** DynamoDB's error body: the SDK reads the exception name from __type. */
export const dynamoError = (status: number, name: string, message = name): StubReply => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${name}`, message },
});

/** A GetItem answer holding `item` (attribute values in DynamoDB's own form), or a miss. */
export const getItemReply = (item?: Record<string, unknown>): StubReply => ({
  status: 200,
  body: item === undefined ? {} : { Item: item },
});

/** A handler's dependencies with the store answered by `responder` (the local table names). */
export const stubDependencies = (responder: Responder): Dependencies => {
  const config = readConfig({ AWS_REGION: DEFAULT_REGION, ...tableEnv() });
  const requestHandler = new StubRequestHandler(responder);
  return { config, client: createDocumentClient(config, { requestHandler, credentials: LOCAL_CREDENTIALS }) };
};
