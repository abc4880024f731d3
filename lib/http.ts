// HTTP responses in the shape API Gateway (payload 1.0 and 2.0) and Function URLs take.

import { toJsonText } from './json.ts';

/** Sent on every response, success or error (spec section 7). */
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

export const jsonResponse = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers:
    statusCode === 503
      ? { ...RESPONSE_HEADERS, 'Retry-After': String(RETRY_AFTER_SECONDS) }
      : { ...RESPONSE_HEADERS },
  body: toJsonText(body),
});
