// A stand-in EventBridge endpoint on 127.0.0.1 that speaks PutEvents as the service does
// (AWS JSON 1.1: POST /, `X-Amz-Target: AWSEvents.PutEvents`), keeps each request as it
// arrived, and accepts or refuses entries one by one as a test decides. Point the SDK at it
// with AWS_ENDPOINT_URL_EVENTBRIDGE.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Time?: number;
}

export interface ReceivedCall {
  readonly headers: IncomingHttpHeaders;
  /** The request body exactly as the client sent it. */
  readonly body: string;
  readonly entries: readonly PutEventsEntry[];
}

/** An error code for an entry to refuse it, undefined to accept it. */
export type Refusal = (entry: PutEventsEntry, call: number) => string | undefined;

export interface StandInEventBridge {
  readonly endpoint: string;
  /** Every PutEvents call, in order of arrival. */
  readonly calls: ReceivedCall[];
  /** The entries accepted so far, in order. */
  readonly accepted: PutEventsEntry[];
  /** Decides each entry from now on; the default accepts all. */
  refuse(refusal: Refusal): void;
  close(): Promise<void>;
}

const JSON_1_1 = 'application/x-amz-json-1.1';

export const startEventBridge = async (): Promise<StandInEventBridge> => {
  const calls: ReceivedCall[] = [];
  const accepted: PutEventsEntry[] = [];
  let refusal: Refusal = () => undefined;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = (status: number, value: unknown) => {
        response.writeHead(status, { 'Content-Type': JSON_1_1, 'x-amzn-RequestId': randomUUID() });
        response.end(JSON.stringify(value));
      };
      if (request.method !== 'POST' || request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
        answer(400, { __type: 'UnknownOperationException', message: 'only PutEvents here' });
        return;
      }
      const entries = (JSON.parse(body) as { Entries: PutEventsEntry[] }).Entries;
      const call = calls.push({ headers: request.headers, body, entries });
      const results = entries.map((entry) => {
        const code = refusal(entry, call);
        if (code !== undefined) return { ErrorCode: code, ErrorMessage: `refused by the stand-in: ${code}` };
        accepted.push(entry);
        return { EventId: randomUUID() };
      });
      answer(200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    accepted,
    refuse: (next) => {
      refusal = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
