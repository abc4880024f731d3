// The first middleware of every chain: one access line per request (INFO; ERROR with the
// cause for a 5xx) and one line of metrics, once the answer is known. It reads only what
// the other middlewares put on the event (caller, principal name, id, outcome, store
// calls), so nothing secret can reach the log: no token, password, hash or header.

import type { Request } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { ApiEvent, Middleware } from '../http/event.ts';
import { describeError, log } from './log.ts';
import { putMetrics } from './metrics.ts';

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
  log(status >= 500 ? 'ERROR' : 'INFO', status >= 500 ? 'request failed' : 'request', {
    // The runtime adds the Lambda request id to its own JSON lines; local lines need it here.
    requestId: context.awsRequestId,
    apiRequestId: event.apiRequestId,
    functionVersion: process.env['AWS_LAMBDA_FUNCTION_VERSION'] ?? context.functionVersion,
    coldStart: timing.coldStart,
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
    ...(status >= 500 ? describeError(outcome.error) : {}),
  });
  putMetrics(functionName, {
    statusClass: statusClass(status),
    storeUnavailable: status === 503,
    internalError: status === 500,
    authFailure: status === 401 || status === 403,
    coldStart: timing.coldStart,
    storeLatencyMs: store === undefined || store.calls === 0 ? undefined : Math.round(store.ms),
  });
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
