// The first step of every chain: any event in, the answer out in the caller's shape.

import { internalError, QRadarError } from '../qradar/errors.ts';
import { toWire } from '../qradar/json.ts';
import { Answer, EarlyAnswer, httpAnswer } from './answer.ts';
import { type Middleware, readEvent } from './event.ts';

/** Store calls stop this long before the function's timeout, leaving time to answer. */
export const DEADLINE_MARGIN_MS = 500;

/** The error a direct caller receives: Lambda reports its name as errorType (contract section 8). */
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
    const { event, response } = request;
    event.outcome = { status: 200 };
    const { body, headers } = response instanceof Answer ? response : { body: response, headers: {} };
    request.response =
      event.caller === 'http' ? httpAnswer(event, 200, body, allowedOrigins, headers) : toWire(body);
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
