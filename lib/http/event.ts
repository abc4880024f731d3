// The event shapes the functions are called with (contract sections 1, 8 and 11.7), read into one
// form: API Gateway REST API (payload 1.0), HTTP API (1.0 and 2.0) and Function URLs (2.0)
// are HTTP callers; anything else is a direct invocation whose payload is {"id", "fields"}.

import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { FieldList } from '../qradar/fields.ts';
import type { Filter } from '../qradar/filter.ts';
import type { ItemRange } from '../qradar/range.ts';
import type { SortKey } from '../qradar/sort.ts';
import type { RouteMatch } from './routes.ts';

/** Who the credentials name (contract section 6); never the token, password or hash. */
export interface Principal {
  readonly kind: 'service' | 'user';
  readonly name: string;
  readonly capabilities: ReadonlySet<string>;
}

export interface ApiEvent {
  readonly caller: 'http' | 'invoke';
  /** Upper-case HTTP method; GET for direct invocations. */
  readonly method: string;
  /** The request path as delivered; empty for direct invocations. */
  readonly path: string;
  /** Path segments below /api, each decoded exactly once; undefined outside /api. */
  readonly apiSegments: readonly string[] | undefined;
  /** Query parameters; repeats joined with "," as payload 2.0 does. */
  readonly query: Readonly<Record<string, string>>;
  /** Request headers by lower-case name; repeats joined with ",". Empty for invokes. */
  readonly headers: Readonly<Record<string, string>>;
  /** A direct invocation's id and fields as sent (any JSON value); HTTP ids come from the route. */
  readonly rawId: unknown;
  readonly rawFields: unknown;
  /** When store calls must have ended (Date.now() ms): shortly before the function's timeout. */
  readonly deadline: number | undefined;
  /** Headers the answer carries beyond section 7's (Deprecated, Content-Range). */
  readonly answerHeaders: Record<string, string>;
  /** API Gateway's request id, for the logs; undefined for direct invocations. */
  readonly apiRequestId: string | undefined;
  /** Store calls this request made, for the access line and metrics. */
  readonly store: StoreStats;
  /** How the request ended, set where the answer is written (eventShape). */
  outcome?: Outcome;
  /** Set by the middlewares, in the order they run. */
  principal?: Principal;
  route?: RouteMatch;
  /** The API version the request resolved to (contract 11.1). */
  version?: string;
  id?: bigint;
  selection?: FieldList;
  /** A list's filter, sort and Range (contract 11.3, 11.4, 13). */
  list?: ListParameters;
}

export interface ListParameters {
  readonly filter: Filter | undefined;
  readonly sort: SortKey[] | undefined;
  readonly range: ItemRange | undefined;
}

/** Store calls of one request: how many, SDK attempts in all, and milliseconds spent. */
export interface StoreStats {
  calls: number;
  attempts: number;
  ms: number;
  /** Reads answered from the container's restore cache instead (lib/store/item-cache.ts). */
  cacheHits?: number;
}

export interface Outcome {
  readonly status: number;
  /** The QRadar code of an error answer. */
  readonly code?: number;
  /** What went wrong, for the log of a 5xx; never sent to the caller. */
  readonly error?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objectOr = (value: unknown): Json => (isObject(value) ? value : {});

/**
 * One string per lower-cased (or, for query parameters, exact) name, from a single-value map
 * and an optional multi-value map; repeats joined with ",". Non-string values are ignored.
 */
const joinValues = (single: unknown, multi: unknown, lowerCase: boolean): Record<string, string> => {
  const values: Record<string, string[]> = Object.create(null);
  const add = (name: string, value: unknown): void => {
    if (typeof value !== 'string') return;
    const key = lowerCase ? name.toLowerCase() : name;
    const list = values[key];
    if (list === undefined) values[key] = [value];
    else list.push(value);
  };
  const multiValues = objectOr(multi);
  for (const [name, list] of Object.entries(multiValues)) {
    if (Array.isArray(list)) for (const value of list) add(name, value);
  }
  for (const [name, value] of Object.entries(objectOr(single))) {
    if (!Object.hasOwn(multiValues, name)) add(name, value);
  }
  const joined: Record<string, string> = Object.create(null);
  for (const [key, list] of Object.entries(values)) joined[key] = list.join(',');
  return joined;
};

const decodeOnce = (segment: string): string => {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * The segments below /api. An HTTP API delivers the path already decoded; a REST API and a
 * Function URL deliver it still percent-encoded (docs/CONTRACT.md, "Paths"), so only those
 * are decoded here, segment by segment, so that an encoded "/" stays inside its segment.
 */
export const apiSegments = (path: string, encoded: boolean): string[] | undefined => {
  if (path !== '/api' && !path.startsWith('/api/')) return undefined;
  const segments = path.slice('/api'.length).split('/').slice(1);
  return encoded ? segments.map(decodeOnce) : segments;
};

const newStats = (): StoreStats => ({ calls: 0, attempts: 0, ms: 0 });

const httpEvent = (
  requestId: unknown,
  method: unknown,
  path: unknown,
  encoded: boolean,
  query: Record<string, string>,
  headers: Record<string, string>,
  deadline: number | undefined,
): ApiEvent => {
  const delivered = typeof path === 'string' ? path : '';
  return {
    caller: 'http',
    method: typeof method === 'string' ? method.toUpperCase() : '',
    path: delivered,
    apiSegments: apiSegments(delivered, encoded),
    query,
    headers,
    rawId: undefined,
    rawFields: query['fields'],
    deadline,
    answerHeaders: {},
    apiRequestId: typeof requestId === 'string' ? requestId : undefined,
    store: newStats(),
  };
};

export const readEvent = (event: unknown, deadline?: number): ApiEvent => {
  const payload = objectOr(event);
  const context = objectOr(payload['requestContext']);
  if (payload['version'] === '2.0' && isObject(context['http'])) {
    // A Function URL's domain is <url-id>.lambda-url.<region>.on.aws.
    const domain = context['domainName'];
    const encoded = typeof domain === 'string' && domain.includes('.lambda-url.');
    return httpEvent(
      context['requestId'],
      context['http']['method'],
      payload['rawPath'],
      encoded,
      joinValues(payload['queryStringParameters'], undefined, false),
      joinValues(payload['headers'], undefined, true),
      deadline,
    );
  }
  if (typeof payload['httpMethod'] === 'string' && isObject(payload['requestContext'])) {
    // Payload 1.0 from an HTTP API says version "1.0" and carries a decoded path; a REST
    // API's events have no version and an encoded path.
    return httpEvent(
      context['requestId'],
      payload['httpMethod'],
      payload['path'],
      payload['version'] !== '1.0',
      joinValues(payload['queryStringParameters'], payload['multiValueQueryStringParameters'], false),
      joinValues(payload['headers'], payload['multiValueHeaders'], true),
      deadline,
    );
  }
  return {
    caller: 'invoke',
    method: 'GET',
    path: '',
    apiSegments: undefined,
    query: {},
    headers: {},
    rawId: payload['id'],
    rawFields: payload['fields'],
    deadline,
    answerHeaders: {},
    apiRequestId: undefined,
    store: newStats(),
  };
};

/** A step of a function's middy chain over the ApiEvent. */
export type Middleware = MiddlewareObj<ApiEvent, unknown, Error, Context>;
