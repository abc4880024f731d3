// HTTP responses in the shape API Gateway (payload 1.0 and 2.0) and Function URLs take.

import { toJsonText } from '../qradar/json.ts';
import { corsHeaders } from './cors.ts';
import type { ApiEvent } from './event.ts';
import { ALLOW_HEADER } from './routes.ts';

/** Sent on every response under /api, success or error (contract section 7). */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json;charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

/** Seconds a client should wait after a 503 before trying again. */
const RETRY_AFTER_SECONDS = 1;

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that belong to a status: Retry-After on a 503, Allow on a 405. */
const statusHeaders = (statusCode: number): Record<string, string> =>
  statusCode === 503
    ? { 'Retry-After': String(RETRY_AFTER_SECONDS) }
    : statusCode === 405
      ? { Allow: ALLOW_HEADER }
      : {};

/**
 * The answer to an HTTP request: the JSON body (none for HEAD, which answers as GET), the
 * section 7 headers, the status's own, those the request earned on the way (Deprecated,
 * Content-Range) and, for an allowed origin, CORS's.
 */
export const httpAnswer = (
  event: ApiEvent,
  statusCode: number,
  body: unknown,
  allowedOrigins: ReadonlySet<string>,
  endpointHeaders: Readonly<Record<string, string>> = {},
): HttpResponse => ({
  statusCode,
  headers: {
    ...RESPONSE_HEADERS,
    ...statusHeaders(statusCode),
    ...event.answerHeaders,
    ...endpointHeaders,
    ...corsHeaders(event.headers['origin'], allowedOrigins),
  },
  body: event.method === 'HEAD' ? '' : toJsonText(body),
});

/** An endpoint's result with response headers of its own (a list's Content-Range). */
export class Answer {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(body: unknown, headers: Readonly<Record<string, string>>) {
    this.body = body;
    this.headers = headers;
  }
}

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
