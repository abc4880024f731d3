// The event shapes the function is called with (spec sections 1 and 8), read into one form.
//   API Gateway REST API (payload 1.0), HTTP API and Function URLs (payload 2.0): HTTP callers.
//   Anything else: a direct invocation whose payload is {"id": ..., "fields": ...}.

import type { FieldList } from './fields.ts';

export interface RestoreEvent {
  readonly caller: 'http' | 'invoke';
  /** The id as the caller sent it: a path segment, or any JSON value from a payload. */
  readonly rawId: unknown;
  /** The fields parameter as the caller sent it. */
  readonly rawFields: unknown;
  /** Request headers by lower-case name; repeated headers joined with ", ". Empty for invokes. */
  readonly headers: Readonly<Record<string, string>>;
  /** When store calls must have ended (Date.now() ms): shortly before the function's timeout. */
  readonly deadline: number | undefined;
  /** Set by the id middleware. */
  id?: bigint;
  /** Set by the fields middleware: the checked selection, every field when none was asked. */
  selection?: FieldList;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringMap = (value: unknown): Record<string, unknown> => (isObject(value) ? value : {});

/** Header values by lower-case name, from a single-value map and a multi-value map. */
const readHeaders = (single: unknown, multi: unknown): Record<string, string> => {
  const headers: Record<string, string[]> = Object.create(null);
  const add = (name: string, value: unknown): void => {
    if (typeof value !== 'string') return;
    const key = name.toLowerCase();
    headers[key] = [...(headers[key] ?? []), value];
  };
  const multiValues = stringMap(multi);
  for (const [name, values] of Object.entries(multiValues)) {
    if (Array.isArray(values)) for (const value of values) add(name, value);
  }
  for (const [name, value] of Object.entries(stringMap(single))) {
    if (!Object.hasOwn(multiValues, name)) add(name, value);
  }
  const joined: Record<string, string> = Object.create(null);
  for (const [key, values] of Object.entries(headers)) joined[key] = values.join(', ');
  return joined;
};

/** A path parameter, percent-decoded once where the gateway left escapes in it. */
const pathParameter = (params: unknown, name: string): string | undefined => {
  const value = stringMap(params)[name];
  if (typeof value !== 'string') return undefined;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** The fields query parameter; repeats are joined with "," as payload 2.0 does. */
const fieldsParameter = (single: unknown, multi: unknown): string | undefined => {
  const values = stringMap(multi)['fields'];
  if (Array.isArray(values) && values.every((v) => typeof v === 'string')) return values.join(',');
  const value = stringMap(single)['fields'];
  return typeof value === 'string' ? value : undefined;
};

const isHttpV2 = (event: Json): boolean =>
  event['version'] === '2.0' &&
  isObject(event['requestContext']) &&
  isObject(event['requestContext']['http']);

const isHttpV1 = (event: Json): boolean =>
  typeof event['httpMethod'] === 'string' && isObject(event['requestContext']);

const RESTORE_PATH = /^\/api\/backup_and_restore\/restores\/([^/]*)\/?$/;

/**
 * The id of an HTTP request: the route's path parameter, or, where the route has none (a
 * Function URL, a catch-all route), the last segment of the restore path. An HTTP request
 * always names an id, so none at all reads as an empty one (code 11, not 8).
 */
const httpId = (params: unknown, path: unknown): string => {
  const fromRoute = pathParameter(params, 'id');
  if (fromRoute !== undefined) return fromRoute;
  const segment = typeof path === 'string' ? RESTORE_PATH.exec(path)?.[1] : undefined;
  return segment === undefined ? '' : (pathParameter({ id: segment }, 'id') ?? '');
};

export const readEvent = (event: unknown, deadline?: number): RestoreEvent => {
  if (isObject(event) && isHttpV2(event)) {
    return {
      caller: 'http',
      rawId: httpId(event['pathParameters'], event['rawPath']),
      rawFields: fieldsParameter(event['queryStringParameters'], undefined),
      headers: readHeaders(event['headers'], undefined),
      deadline,
    };
  }
  if (isObject(event) && isHttpV1(event)) {
    return {
      caller: 'http',
      rawId: httpId(event['pathParameters'], event['path']),
      rawFields: fieldsParameter(event['queryStringParameters'], event['multiValueQueryStringParameters']),
      headers: readHeaders(event['headers'], event['multiValueHeaders']),
      deadline,
    };
  }
  const payload = isObject(event) ? event : {};
  return {
    caller: 'invoke',
    rawId: payload['id'],
    rawFields: payload['fields'],
    headers: {},
    deadline,
  };
};
