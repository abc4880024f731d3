// The middy middlewares every function under /api shares. Each does one job; the handlers
// (handlers/getRestore.ts, handlers/api.ts) list them in the order a request meets them,
// which is the precedence of spec section 5.

import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { acceptsJson } from './accept.ts';
import { preflight as preflightAnswer } from './cors.ts';
import {
  forbidden,
  internalError,
  invalidFields,
  methodNotAllowed,
  notAcceptable,
  QRadarError,
  unknownEndpoint,
} from './errors.ts';
import { type ApiEvent, readEvent } from './event.ts';
import { parseFields } from './fields.ts';
import { httpAnswer } from './http.ts';
import { readId } from './id.ts';
import { toWire } from './json.ts';
import { allFields, checkSelection, type Shape } from './projection.ts';
import { matchRoute, type Route } from './routes.ts';
import { resolveVersion, type VersionTable } from './version.ts';

export type Middleware = MiddlewareObj<ApiEvent, unknown, Error, Context>;

/** Store calls stop this long before the function's timeout, leaving time to answer. */
export const DEADLINE_MARGIN_MS = 500;

/** The error a direct caller receives: Lambda reports its name as errorType (spec section 8). */
const invokeError = (error: QRadarError): Error => {
  const thrown = new Error(JSON.stringify(error.toBody()));
  thrown.name = error.name;
  // The stack would reach the caller in the invoke response's trace: keep only the first line.
  thrown.stack = `${thrown.name}: ${thrown.message}`;
  return thrown;
};

/**
 * Reads any event into an ApiEvent, and writes the answer (or the error) back in the
 * caller's shape: an HTTP response with section 7's headers, or for a direct invocation the
 * bare result or a thrown, typed error.
 */
export const eventShape = (allowedOrigins: ReadonlySet<string>): Middleware => ({
  before: (request) => {
    const remaining = request.context.getRemainingTimeInMillis?.();
    request.event = readEvent(
      request.event,
      remaining === undefined ? undefined : Date.now() + remaining - DEADLINE_MARGIN_MS,
    );
  },
  after: (request) => {
    const { event } = request;
    event.outcome = { status: 200 };
    request.response =
      event.caller === 'http'
        ? httpAnswer(event, 200, request.response, allowedOrigins)
        : toWire(request.response);
  },
  onError: (request) => {
    const { error, event } = request;
    if (error instanceof EarlyAnswer) {
      event.outcome = { status: error.response.statusCode };
      request.response = error.response;
      return;
    }
    const failure = error instanceof QRadarError ? error : internalError(error);
    event.outcome = { status: failure.status, code: failure.code, error: failure.cause ?? failure };
    if (event.caller === 'http') {
      request.response = httpAnswer(event, failure.status, failure.toBody(), allowedOrigins);
    } else {
      // Left unanswered, middy throws request.error once every onError has run (observe's too).
      request.error = invokeError(failure);
    }
  },
});

/**
 * An answer that ends a request before its endpoint's work. It travels as an error, not as
 * middy's early return, so that the answer goes out through eventShape and observe counts it
 * like any other (middy runs no `after` on an early return).
 */
export class EarlyAnswer extends Error {
  readonly response: { readonly statusCode: number; readonly headers: Record<string, string> };

  constructor(response: EarlyAnswer['response']) {
    super('answered before the endpoint');
    this.response = response;
  }
}

/**
 * A CORS preflight from an allowed origin to a path under /api (a path segment) is answered
 * before anything else (spec 11.6); elsewhere (`/`, `/apix`, `/api_doc`) it is an ordinary request.
 */
export const preflight = (allowedOrigins: ReadonlySet<string>): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http' || event.apiSegments === undefined) return;
    const answer = preflightAnswer(event.method, event.headers, allowedOrigins);
    if (answer !== undefined) throw new EarlyAnswer(answer);
  },
});

/**
 * Finds the endpoint the path and method name, and refuses (403) a caller whose capabilities
 * do not reach it. A path or method that names no endpoint is refused later, by requireRoute,
 * after Version and Accept (spec section 5's order).
 */
export const authorize = (routes: readonly Route[]): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http') return;
    const match = matchRoute(routes, event.method, event.apiSegments);
    event.route = match;
    const needed = match.kind === 'endpoint' ? match.route.capabilities : undefined;
    const held = event.principal?.capabilities ?? new Set<string>();
    if (needed !== undefined && ![...held].some((capability) => needed.has(capability))) throw forbidden();
  },
});

/** The Version header (spec 11.1): 422 code 2 or 3, and `Deprecated: true` where it is. */
export const negotiateVersion = (table: VersionTable): Middleware => ({
  before: ({ event }) => {
    if (event.caller !== 'http') return;
    const { version, deprecated } = resolveVersion(event.headers['version'], table);
    event.version = version;
    if (deprecated) event.answerHeaders['Deprecated'] = 'true';
  },
});

export const acceptJson = (): Middleware => ({
  before: ({ event }) => {
    if (event.caller === 'http' && !acceptsJson(event.headers['accept'])) throw notAcceptable();
  },
});

/**
 * The path after /api, as QRadar's code 4 message names it: built from the segments decoded
 * once, so every event source names a path alike; the whole path outside /api.
 */
const relativePath = ({ apiSegments, path }: ApiEvent): string =>
  apiSegments === undefined ? path : apiSegments.map((segment) => `/${segment}`).join('');

/** 404 code 4 or 405 code 5 for what authorize found no endpoint for (spec 11.5). */
export const requireRoute = (): Middleware => ({
  before: ({ event }) => {
    const match = event.route;
    if (event.caller !== 'http' || match === undefined || match.kind === 'endpoint') return;
    if (match.kind === 'wrongMethod') throw methodNotAllowed(event.method, match.route.path);
    throw unknownEndpoint(relativePath(event));
  },
});

/** The restore id: the route's {id} for HTTP callers, the payload's id for direct ones. */
export const parseId = (): Middleware => ({
  before: ({ event }) => {
    event.id = readId(event.route?.kind === 'endpoint' ? event.route.params['id'] : event.rawId);
  },
});

export const parseSelection = (shape: Shape): Middleware => {
  const everyField = allFields(shape);
  return {
    before: ({ event }) => {
      const raw = event.rawFields;
      if (raw !== undefined && raw !== null && typeof raw !== 'string') {
        throw invalidFields(raw, 'The value must be a string.');
      }
      const selection = (raw && parseFields(raw)) || everyField;
      checkSelection(selection, shape);
      event.selection = selection;
    },
  };
};
