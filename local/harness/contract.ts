// The OpenAPI document (docs/openapi.json) as a contract: every response the tests produce
// goes through here, so the document cannot drift from the code. The request's method and
// path find the responses that document it: the operation of a path template of the
// document, or, for a request no operation takes, the document's `x-other-requests`
// (`methods` for another method on an endpoint's path, `paths` for any other path). A
// response breaks the contract when its status is not documented there, a required header is
// missing, a documented header has a value its schema refuses, or the body does not match the
// status's schema (a response documented without a body, as HEAD's, must have none).

import { Ajv2020 } from 'ajv/dist/2020.js';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { apiSegments, readEvent } from '../../lib/http/event.ts';
import { deliveredPath } from '../edge.ts';

type Json = Record<string, unknown>;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'openapi');

/** What the check calls any path under /api that no template matches. */
const OTHER_PATH = '/api/{path}';

const token = (part: string): string => part.replaceAll('~', '~0').replaceAll('/', '~1');

/** The value at a JSON pointer (#/a/b) of the document, or undefined. */
const at = (pointer: string): Json | undefined => {
  let value: unknown = spec;
  for (const part of pointer.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    // Own keys only: a method named "__proto__" or "constructor" is no operation of the document.
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key)
        ? (value as Json)[key]
        : undefined;
  }
  return value as Json | undefined;
};

/** Follows $ref until the object itself: its pointer and value. */
const resolved = (pointer: string): { pointer: string; value: Json } | undefined => {
  let current = pointer;
  for (let hops = 0; hops < 8; hops++) {
    const value = at(current);
    if (value === undefined) return undefined;
    if (typeof value['$ref'] !== 'string') return { pointer: current, value };
    current = value['$ref'];
  }
  throw new Error(`${pointer}: $ref loop`);
};

const validate = (pointer: string, value: unknown, what: string): void => {
  const check = ajv.getSchema(`openapi${pointer}`);
  if (check === undefined) throw new Error(`no schema at ${pointer}`);
  if (!check(value)) {
    throw new Error(
      `${what} breaks docs/openapi.json: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value)}`,
    );
  }
};

const TEMPLATES = Object.keys(spec.paths).map((template) => ({
  template,
  parts: template.split('/').slice(2),
}));

/** The path template the segments below /api name: a literal matches itself, {name} one non-empty segment. */
const pathTemplate = (segments: readonly string[] | undefined): string => {
  if (segments === undefined) return OTHER_PATH;
  const found = TEMPLATES.find(
    ({ parts }) =>
      parts.length === segments.length &&
      parts.every((part, i) => (part.startsWith('{') ? segments[i] !== '' : part === segments[i])),
  );
  return found?.template ?? OTHER_PATH;
};

/**
 * The segments below /api of a path or URL as sent on the wire, read as an HTTP API (and the
 * local edge) reads it: the whole path decoded once, dot segments kept, then split at "/".
 */
const segmentsOf = (pathOrUrl: string): string[] | undefined => apiSegments(deliveredPath(pathOrUrl), false);

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What a request asked: its method and the path (or URL) it was sent to. */
export interface RequestLine {
  method: string;
  path: string;
}

/**
 * The pointer to the responses that document a method on a path: the operation's, or the
 * shared ones of `x-other-requests` when no operation of the document takes the request.
 */
const responsesOf = (template: string, method: string): string => {
  if (template !== OTHER_PATH) {
    const operation = `#/paths/${token(template)}/${method.toLowerCase()}`;
    if (at(operation) !== undefined) return `${operation}/responses`;
  }
  return `#/x-other-requests/${template === OTHER_PATH ? 'paths' : 'methods'}`;
};

const checkAt = (method: string, segments: readonly string[] | undefined, response: HttpResponse): void => {
  const template = pathTemplate(segments);
  const responses = responsesOf(template, method);
  const where = `${method.toUpperCase()} ${template}`;
  if (at(responses) === undefined) throw new Error(`${where} is not in docs/openapi.json`);
  const documented = resolved(`${responses}/${response.statusCode}`);
  if (documented === undefined) {
    throw new Error(`status ${response.statusCode} of ${where} is not in docs/openapi.json`);
  }
  const headers = new Map(
    Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  for (const name of Object.keys((documented.value['headers'] ?? {}) as Json)) {
    const header = resolved(`${documented.pointer}/headers/${token(name)}`);
    if (header === undefined) throw new Error(`header ${name}: no definition`);
    const value = headers.get(name.toLowerCase());
    if (value === undefined) {
      if (header.value['required'] === true)
        throw new Error(`header ${name}: missing, breaks docs/openapi.json`);
      continue;
    }
    validate(`${header.pointer}/schema`, value, `header ${name}: ${value}`);
  }
  const body = response.body ?? '';
  // HEAD has no body, whatever answers it (a 404 of another path too).
  if (method.toUpperCase() === 'HEAD' || documented.value['content'] === undefined) {
    if (body !== '')
      throw new Error(`the ${response.statusCode} of ${method} has a body: ${body.slice(0, 200)}`);
    return;
  }
  validate(
    `${documented.pointer}/content/application~1json/schema`,
    JSON.parse(body),
    `the ${response.statusCode} body of ${where}`,
  );
};

/** Checks an HTTP response (API Gateway's shape, or a fetch Response read into this form). */
export const checkHttpResponse = (request: RequestLine, response: HttpResponse): void =>
  checkAt(request.method, segmentsOf(request.path), response);

const STATUS_OF_ERROR_TYPE: Record<string, number | undefined> = {
  RestoreNotFound: 404,
  InvalidRequest: 422,
  StoreUnavailable: 503,
  InternalError: 500,
};

/** Direct invocations answer as their function's GET does: the restore's (contract section 8) or the list's (13). */
const INVOKED = {
  getRestore: `#/paths/${token('/api/backup_and_restore/restores/{id}')}/get`,
  listRestores: `#/paths/${token('/api/backup_and_restore/restores')}/get`,
} as const;

/** The function a direct invocation calls. */
export type Invoked = keyof typeof INVOKED;

const checkInvokeBody = (operation: string, status: number, body: unknown): void => {
  const documented = resolved(`${operation}/responses/${status}`);
  if (documented === undefined) throw new Error(`status ${status} is not in docs/openapi.json`);
  validate(`${documented.pointer}/content/application~1json/schema`, body, `the ${status} body`);
};

/**
 * Checks what a direct invocation returned or threw (a typed error): getRestore's result is
 * the restore; listRestores' is `{items, total}`, the items as the list's 200 body.
 */
export const checkInvokeOutcome = (
  outcome: { result: unknown } | { error: unknown },
  invoked: Invoked = 'getRestore',
): void => {
  const operation = INVOKED[invoked];
  if ('result' in outcome) {
    const result = JSON.parse(JSON.stringify(outcome.result)) as unknown;
    if (invoked === 'getRestore') {
      checkInvokeBody(operation, 200, result);
      return;
    }
    const { items, total, ...rest } = result as { items?: unknown; total?: unknown };
    if (!Number.isSafeInteger(total) || Object.keys(rest).length > 0) {
      throw new Error(`a list result is {items, total}: ${JSON.stringify(result).slice(0, 200)}`);
    }
    checkInvokeBody(operation, 200, items);
    return;
  }
  const { name, message } = outcome.error as Error;
  const body = JSON.parse(message) as { http_response: { code: number } };
  const status = STATUS_OF_ERROR_TYPE[name];
  if (status === undefined || status !== body.http_response.code)
    throw new Error(`${name} does not name a ${body.http_response.code}`);
  checkInvokeBody(operation, status, body);
};

type Handler = (event: unknown, context: never) => Promise<unknown>;

/**
 * The handler, with every answer it gives checked against the contract: HTTP events by the
 * method and path they carry (read as the service reads them), direct invocations as the
 * function `invoked` answers them.
 */
export const contractChecked = <H extends Handler>(handler: H, invoked: Invoked = 'getRestore'): H =>
  (async (event: unknown, context: never) => {
    let result: unknown;
    try {
      result = await handler(event, context);
    } catch (error) {
      checkInvokeOutcome({ error }, invoked);
      throw error;
    }
    const request = readEvent(event);
    if (
      request.caller === 'http' &&
      typeof result === 'object' &&
      result !== null &&
      'statusCode' in result
    ) {
      checkAt(request.method, request.apiSegments, result as HttpResponse);
    } else {
      checkInvokeOutcome({ result }, invoked);
    }
    return result;
  }) as H;

/** fetch, with the response checked against the contract; the body comes back as text. */
export const fetchChecked = async (url: string, init?: RequestInit) => {
  const response = await fetch(url, init);
  const body = await response.text();
  checkHttpResponse(
    // What fetch sends: the URL with its dot segments resolved.
    { method: init?.method ?? 'GET', path: new URL(url).href },
    { statusCode: response.status, headers: Object.fromEntries(response.headers), body },
  );
  return {
    status: response.status,
    headers: response.headers,
    body,
    json: () => JSON.parse(body) as unknown,
  };
};
