import { expect } from 'vitest';
import type { HttpResponse } from '../../lib/http/answer.ts';

export const SECURITY_HEADERS = {
  'Content-Type': 'application/json;charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
};

const SEMANTIC = 'The request was well-formed but was unable to be followed due to semantic errors';

/** The section 5 body for a status and code; a message left out may be any string. */
export const errorBody = (status: number, code: number, message?: string | RegExp, helpDescription = '') => {
  const http: Record<number, [string, string]> = {
    401: ['You are unauthorized to access the requested resource.', ''],
    403: ['Your account is not authorized to access the requested resource.', ''],
    404: [
      'We could not find the resource you requested.',
      code === 1001 ? 'The restore does not exist.' : code === 1002 ? helpDescription : '',
    ],
    405: ['This method type is not currently supported.', ''],
    406: ['Acceptance header is invalid for this endpoint resource.', ''],
    422: [SEMANTIC, ''],
    500: [
      'Unexpected internal server error',
      'An error occurred during the attempt to retrieve the restore.',
    ],
    503: [
      'The server is currently unavailable.',
      'An error occurred during the attempt to retrieve the restore.',
    ],
  };
  const [httpMessage, description] = http[status] ?? ['', ''];
  return {
    http_response: { code: status, message: httpMessage },
    code,
    message:
      typeof message === 'string' ? message : message ? expect.stringMatching(message) : expect.any(String),
    description,
    details: {},
  };
};

/** Asserts an HTTP response: status (if given), every section 7 header, and the parsed body. */
export const expectResponse = (response: unknown, status: number | undefined, body: unknown): void => {
  const { statusCode, headers, body: text } = response as HttpResponse;
  if (status !== undefined) expect(statusCode).toBe(status);
  expect(headers).toMatchObject(SECURITY_HEADERS);
  expect(JSON.parse(text)).toEqual(body);
};
