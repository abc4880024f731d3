// Stand-ins for the two Lambda APIs a deployed function meets: the Runtime API its runtime
// client polls (one per function, as each sandbox has its own) and the Invoke API that a
// caller such as the restore watcher calls, which hands the event to the named function's
// Runtime API. Loopback only; raw bytes both ways, so nothing is reparsed on the way.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const BASE = '/2018-06-01/runtime';

/** What the runtime posted for one invocation: the result, or the error it reported. */
export interface Outcome {
  readonly kind: 'response' | 'error';
  readonly body: Buffer;
  readonly headers: IncomingHttpHeaders;
  readonly requestId: string;
}

export interface InvokeOptions {
  readonly requestId?: string;
  /** Milliseconds the invocation may run: Lambda-Runtime-Deadline-Ms is now plus this. */
  readonly timeoutMs?: number;
}

export interface RuntimeApi {
  /** host:port, for AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  /** Queues one invocation with the event's JSON text; resolves when the runtime answers it. */
  invoke(eventJson: string, options?: InvokeOptions): Promise<Outcome>;
  /** Resolves at the runtime's first request for an invocation: its init is done. */
  readonly polled: Promise<void>;
  /** Bodies the runtime posted to /init/error. */
  readonly initErrors: Buffer[];
  /** Rejects every invocation still waiting (the runtime died, say). */
  fail(reason: Error): void;
  close(): Promise<void>;
}

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const listen = async (server: ReturnType<typeof createServer>): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const closeServer = (server: ReturnType<typeof createServer>): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

interface Pending {
  readonly requestId: string;
  readonly eventJson: string;
  readonly deadline: number;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: Error) => void;
}

/** A Runtime API for the function `functionArn`, on a free loopback port. */
export const startRuntimeApi = async (functionArn: string): Promise<RuntimeApi> => {
  const queued: Pending[] = [];
  const inFlight = new Map<string, Pending>();
  const initErrors: Buffer[] = [];
  let waiting: ServerResponse | undefined;
  const { promise: polled, resolve: firstPoll } = Promise.withResolvers<void>();

  const hand = (response: ServerResponse, pending: Pending): void => {
    inFlight.set(pending.requestId, pending);
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Aws-Request-Id': pending.requestId,
      'Lambda-Runtime-Deadline-Ms': String(pending.deadline),
      'Lambda-Runtime-Invoked-Function-Arn': functionArn,
      // Active tracing: Lambda hands the runtime the invocation's trace header.
      'Lambda-Runtime-Trace-Id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)};Parent=${randomUUID().replaceAll('-', '').slice(0, 16)};Sampled=1`,
    });
    response.end(pending.eventJson);
  };

  const server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const body = await readBody(request);
    if (request.method === 'GET' && path === `${BASE}/invocation/next`) {
      firstPoll();
      const next = queued.shift();
      if (next === undefined) waiting = response;
      else hand(response, next);
      return;
    }
    const posted = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (request.method === 'POST' && posted !== null) {
      const requestId = decodeURIComponent(posted[1] ?? '');
      const pending = inFlight.get(requestId);
      if (pending === undefined) {
        response.writeHead(400).end('{"errorMessage":"unknown request id"}');
        return;
      }
      inFlight.delete(requestId);
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      pending.resolve({
        kind: posted[2] === 'error' ? 'error' : 'response',
        body,
        headers: request.headers,
        requestId,
      });
      return;
    }
    if (request.method === 'POST' && path === `${BASE}/init/error`) {
      initErrors.push(body);
      response.writeHead(202, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    response.writeHead(404).end();
  });
  const address = await listen(server);

  const fail = (reason: Error): void => {
    for (const pending of [...queued.splice(0), ...inFlight.values()]) pending.reject(reason);
    inFlight.clear();
  };

  return {
    address,
    polled,
    initErrors,
    invoke: (eventJson, { requestId = randomUUID(), timeoutMs = 10_000 } = {}) =>
      new Promise<Outcome>((resolve, reject) => {
        const pending = { requestId, eventJson, deadline: Date.now() + timeoutMs, resolve, reject };
        if (waiting === undefined) {
          queued.push(pending);
        } else {
          const response = waiting;
          waiting = undefined;
          hand(response, pending);
        }
      }),
    fail,
    close: async () => {
      fail(new Error('the Runtime API was closed'));
      await closeServer(server);
    },
  };
};

export interface InvokeApi {
  /** http://host:port, for a Lambda client's endpoint (LAMBDA_ENDPOINT). */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations) for the functions named
 * in `functions`; a name may carry a qualifier (`name:live`). A function error is reported as
 * Lambda reports it: 200, X-Amz-Function-Error: Unhandled, the runtime's error document.
 */
export const startInvokeApi = async (functions: ReadonlyMap<string, RuntimeApi>): Promise<InvokeApi> => {
  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/.exec(request.url ?? '');
    const name = decodeURIComponent(match?.[1] ?? '').replace(/:[^:]+$/, '');
    const runtime = functions.get(name);
    if (request.method !== 'POST' || runtime === undefined) {
      response
        .writeHead(404, {
          'Content-Type': 'application/json',
          'X-Amzn-ErrorType': 'ResourceNotFoundException',
        })
        .end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await runtime.invoke(body.length === 0 ? '{}' : body.toString('utf8'));
    } catch (error) {
      response.writeHead(502, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ Type: 'Service', message: String(error) }));
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '1',
      ...(outcome.kind === 'error' ? { 'X-Amz-Function-Error': 'Unhandled' } : {}),
    });
    response.end(outcome.body);
  });
  const address = await listen(server);
  return { endpoint: `http://${address}`, close: () => closeServer(server) };
};
