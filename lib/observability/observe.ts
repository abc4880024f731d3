// The first middleware of every chain: one line per request once the answer is known, the
// access record (INFO; ERROR with the cause for a 5xx) with the request's metrics in
// embedded metric format, written so that no application log level drops it (logKept).
// It reads only what the other middlewares put on the event (caller, principal name, id,
// outcome, store calls), so nothing secret can reach the log: no token, password, hash or
// header.

import type { Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ApiEvent, Middleware } from '../http/event.ts';
import { describeError, logKept } from './log.ts';
import { metricMembers } from './metrics.ts';

// One container serves one invocation at a time; its first is the cold start.
let coldStart = true;

interface Timing {
  readonly started: number;
  readonly coldStart: boolean;
}

const statusClass = (status: number): string => `${Math.floor(status / 100)}xx`;

const record = (request: Request<ApiEvent, unknown, Error, Context>, timing: Timing): void => {
  const { event, context } = request;
  const outcome = event.outcome ?? { status: 500, error: request.error };
  const { status } = outcome;
  const store = event.store;
  const functionName = process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? context.functionName;
  const now = Date.now();
  const metrics = metricMembers(
    functionName,
    {
      statusClass: statusClass(status),
      storeUnavailable: status === 503,
      internalError: status === 500,
      authFailure: status === 401 || status === 403,
      coldStart: timing.coldStart,
      storeLatencyMs: store === undefined || store.calls === 0 ? undefined : Math.round(store.ms),
    },
    now,
  );
  // The cold start is the ColdStart metric's member (1 or 0); the function, its Function.
  const access = {
    // The runtime adds the Lambda request id to its own JSON lines, not to this one.
    requestId: context.awsRequestId,
    apiRequestId: event.apiRequestId,
    functionVersion: process.env['AWS_LAMBDA_FUNCTION_VERSION'] ?? context.functionVersion,
    caller: event.caller,
    ...(event.principal === undefined
      ? {}
      : { principalKind: event.principal.kind, principal: event.principal.name }),
    ...(event.caller === 'http' ? { method: event.method.slice(0, 20), path: event.path.slice(0, 200) } : {}),
    ...(event.id === undefined ? {} : { restoreId: event.id }),
    status,
    ...(outcome.code === undefined ? {} : { code: outcome.code }),
    durationMs: Math.round(performance.now() - timing.started),
    storeCalls: store?.calls ?? 0,
    storeAttempts: store?.attempts ?? 0,
    ...(store?.cacheHits === undefined ? {} : { cacheHits: store.cacheHits }),
    ...(status >= 500 ? describeError(outcome.error) : {}),
  };
  logKept(
    status >= 500 ? 'ERROR' : 'INFO',
    status >= 500 ? 'request failed' : 'request',
    access,
    metrics,
    now,
  );
};

export const observe = (): Middleware => {
  // Keyed by the request: serverless offline may run invocations side by side in process.
  const timings = new WeakMap<object, Timing>();
  const done = (request: Request<ApiEvent, unknown, Error, Context>): void => {
    const timing = timings.get(request);
    if (timing !== undefined) record(request, timing);
  };
  return {
    before: (request) => {
      timings.set(request, { started: performance.now(), coldStart });
      coldStart = false;
    },
    after: done,
    onError: done,
  };
};
