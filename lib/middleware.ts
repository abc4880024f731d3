// The middy middlewares of the restore endpoint, in the order a request meets them:
//   eventShape  reads any event shape in, and writes the response (or error) out in it
//   authorize   (HTTP only) the SEC token, in lib/auth.ts              401 / 403
//   acceptJson  (HTTP only) the Accept header                          406
//   parseId     the id                                                 422 code 8 / 11
//   parseSelection  the fields parameter                               422 code 31 / 30

import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { acceptsJson } from './accept.ts';
import { internalError, invalidFields, notAcceptable, QRadarError } from './errors.ts';
import { type RestoreEvent, readEvent } from './event.ts';
import { parseFields } from './fields.ts';
import { jsonResponse } from './http.ts';
import { readId } from './id.ts';
import { toWire } from './json.ts';
import { logError } from './log.ts';
import { allFields, checkSelection, type Shape } from './projection.ts';

type Middleware = MiddlewareObj<RestoreEvent, unknown, Error, Context>;

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

export const eventShape = (): Middleware => ({
  before: (request) => {
    const remaining = request.context.getRemainingTimeInMillis?.();
    request.event = readEvent(
      request.event,
      remaining === undefined ? undefined : Date.now() + remaining - DEADLINE_MARGIN_MS,
    );
  },
  after: (request) => {
    request.response =
      request.event.caller === 'http' ? jsonResponse(200, request.response) : toWire(request.response);
  },
  onError: (request) => {
    const { error, event, context } = request;
    const failure = error instanceof QRadarError ? error : internalError(error);
    if (failure.status >= 500) {
      logError('restore request failed', context.awsRequestId, failure, {
        id: event.id?.toString(),
      });
    }
    if (event.caller !== 'http') throw invokeError(failure);
    request.response = jsonResponse(failure.status, failure.toBody());
  },
});

export const acceptJson = (): Middleware => ({
  before: ({ event }) => {
    if (event.caller === 'http' && !acceptsJson(event.headers['accept'])) throw notAcceptable();
  },
});

export const parseId = (): Middleware => ({
  before: ({ event }) => {
    event.id = readId(event.rawId);
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
