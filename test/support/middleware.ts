// One middleware (or a few) in a bare middy chain, as middy's own packages test theirs: a
// crafted event and context in, and the handler, when it is reached, answers with the event
// it was handed, so a test sees what the middlewares before it read and set.

import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Middleware } from '../../lib/http/event.ts';
import { type ApiEvent, readEvent } from '../../lib/http/event.ts';
import { type HttpRequest, httpV2Event, lambdaContext } from '../../local/harness/events.ts';

export type BareHandler = (event: ApiEvent, context: Context) => Promise<unknown>;

const echoEvent: BareHandler = async (event) => event;

/** A chain of `middlewares` before `handler` (by default: answer with the event). */
export const bareChain = (middlewares: Middleware | Middleware[], handler: BareHandler = echoEvent) => {
  const chain = middy<ApiEvent, unknown>({ timeoutEarlyInMillis: 0 }).use(middlewares).handler(handler);
  return (event: unknown, context: Context = lambdaContext()): Promise<unknown> =>
    chain(event as ApiEvent, context);
};

/** The event eventShape hands on for an HTTP API request, with `set` as earlier middlewares left it. */
export const httpApiEvent = (request: HttpRequest = {}, set: Partial<ApiEvent> = {}): ApiEvent =>
  Object.assign(readEvent(httpV2Event(request)), set);

/** The event eventShape hands on for a direct invocation with `payload`. */
export const invokeApiEvent = (payload: unknown, set: Partial<ApiEvent> = {}): ApiEvent =>
  Object.assign(readEvent(payload), set);
