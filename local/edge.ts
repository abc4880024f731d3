// The local HTTP edge (contract 11.7): what API Gateway's HTTP API does in front of the functions
// on AWS, on this machine. It routes each request by serverless.yml's httpApi routes, builds
// the payload 2.0 event an HTTP API delivers (path decoded once, repeated headers and query
// parameters joined with ","), invokes the function through serverless offline's Lambda
// endpoint, and writes back exactly what the function answered: no route listing, no Range
// handling, no CORS of its own. Like the HTTP API it refuses a body over 10 MB before reading
// it; what it answers itself when something fails carries the section 7 headers and a
// QRadar-shaped body, as every answer under /api/ does.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import yaml from 'js-yaml';
import { CFN_SCHEMA } from '../infra/serverless-file.ts';
import { RESPONSE_HEADERS } from '../lib/http/answer.ts';

export interface EdgeRoute {
  /** Upper-case method, or ANY. */
  readonly method: string;
  /** Segments of the route path; `{name}` matches one non-empty segment, `{name+}` the rest. */
  readonly segments: readonly string[];
  /** "$default" for the catch-all route. */
  readonly routeKey: string;
  readonly functionName: string;
}

interface ServerlessFile {
  service: string;
  functions: Record<string, { events?: { httpApi?: string | { method: string; path: string } }[] }>;
}

/** The HTTP API routes serverless.yml declares, for the functions of `stage`. */
export const readRoutes = async (file: string, stage: string): Promise<EdgeRoute[]> => {
  const { service, functions } = yaml.load(await readFile(file, 'utf8'), {
    schema: CFN_SCHEMA,
  }) as ServerlessFile;
  return Object.entries(functions).flatMap(([name, { events = [] }]) =>
    events.flatMap(({ httpApi }) => {
      if (httpApi === undefined) return [];
      const functionName = `${service}-${stage}-${name}`;
      if (httpApi === '*') return [{ method: 'ANY', segments: [], routeKey: '$default', functionName }];
      // serverless's short form: "GET /path".
      const [given, path] =
        typeof httpApi === 'string' ? httpApi.trim().split(/\s+/, 2) : [httpApi.method, httpApi.path];
      if (given === undefined || path === undefined || !path.startsWith('/')) {
        throw new Error(`httpApi route ${JSON.stringify(httpApi)} of ${name}: not METHOD /path`);
      }
      const method = given === '*' ? 'ANY' : given.toUpperCase();
      return [{ method, segments: path.split('/').slice(1), routeKey: `${method} ${path}`, functionName }];
    }),
  );
};

interface Selected {
  readonly route: EdgeRoute;
  readonly pathParameters: Record<string, string> | undefined;
}

const matchSegments = (route: EdgeRoute, segments: readonly string[]): Record<string, string> | undefined => {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const part = route.segments[i] as string;
    const segment = segments[i];
    if (part.endsWith('+}')) {
      if (segment === undefined || segment === '') return undefined;
      params[part.slice(1, -2)] = segments.slice(i).join('/');
      return params;
    }
    if (segment === undefined) return undefined;
    if (part.startsWith('{')) {
      if (segment === '') return undefined;
      params[part.slice(1, -1)] = segment;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return route.segments.length === segments.length ? params : undefined;
};

/** A route's rank: literal segments beat parameters, which beat a greedy tail. */
const specificity = (route: EdgeRoute): number[] =>
  route.segments.map((part) => (part.endsWith('+}') ? 0 : part.startsWith('{') ? 1 : 2));

const moreSpecific = (a: EdgeRoute, b: EdgeRoute): boolean => {
  const [x, y] = [specificity(a), specificity(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) > (y[i] ?? -1);
  }
  return a.method !== 'ANY' && b.method === 'ANY';
};

/**
 * HTTP API's route selection: the most specific matching route, then $default. One trailing
 * "/" is not part of the match (`/api_doc/` takes `GET /api_doc`, whose route key cannot end
 * in "/"); the function still gets the path as sent.
 */
export const selectRoute = (
  routes: readonly EdgeRoute[],
  method: string,
  path: string,
): Selected | undefined => {
  const segments = path.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  let best: Selected | undefined;
  for (const route of routes) {
    if (route.routeKey === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params = matchSegments(route, segments);
    if (params === undefined) continue;
    if (best === undefined || moreSpecific(route, best.route)) {
      best = { route, pathParameters: Object.keys(params).length ? params : undefined };
    }
  }
  const fallback = routes.find((route) => route.routeKey === '$default');
  return best ?? (fallback && { route: fallback, pathParameters: undefined });
};

/**
 * The path of the request line as sent: the target cut at "?", without the scheme and host
 * of an absolute form. Unlike `new URL()`, it keeps dot segments (`/api/x/../help`) and
 * repeated slashes: the function sees the path the caller sent, and answers it (404 code 4).
 */
const requestPath = (target: string): string => {
  const path = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split('?', 1)[0] as string;
  return path === '' ? '/' : path;
};

/**
 * The `rawPath` an HTTP API delivers for a request target: its path decoded once, an encoded
 * "/" included; left as sent when it is not valid percent-encoding.
 */
export const deliveredPath = (target: string): string => {
  const path = requestPath(target);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/** Repeated values joined with ",", as payload 2.0 delivers them. */
const joined = (pairs: Iterable<[string, string]>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = name in out ? `${out[name]},${value}` : value;
  return out;
};

/** The most an HTTP API takes in a request body (its quota: 10 MB). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** True when the request says, before its body, that the body is over the cap. */
const declaredTooLarge = (request: IncomingMessage): boolean =>
  Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES;

/**
 * The request's body, or undefined once it passes MAX_BODY_BYTES: reading stops there (the
 * stream is paused, what was read is dropped), so a huge body costs at most the cap.
 */
const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData).pause();
      chunks.length = 0;
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    // Closed before its end: the caller went away (a no-op once resolved).
    request.once('close', () => reject(new Error('the request closed before its body ended')));
  });

/** The payload 2.0 event an HTTP API sends for this request. */
export const httpApiEvent = (request: IncomingMessage, body: Buffer, selected: Selected, path: string) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const rawHeaders = request.rawHeaders;
  const headerPairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    headerPairs.push([(rawHeaders[i] as string).toLowerCase(), rawHeaders[i + 1] as string]);
  }
  const headers = joined(headerPairs.filter(([name]) => name !== 'cookie'));
  const cookies = headerPairs.filter(([name]) => name === 'cookie').flatMap(([, value]) => value.split('; '));
  const query = joined(url.searchParams);
  const now = new Date();
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: selected.route.routeKey,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(selected.pathParameters ? { pathParameters: selected.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      // Fixed, as an HTTP API's own: the caller's Host could name a Function URL's domain,
      // which the function reads as "path still encoded" and would decode a second time.
      domainName: 'local.execute-api.localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: selected.route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
};

interface FunctionAnswer {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

const send = (
  response: ServerResponse,
  statusCode: number,
  headers: Record<string, string>,
  body: Buffer,
  head: boolean,
) => {
  // A 204 carries no Content-Length (RFC 9110, section 8.6).
  response.writeHead(
    statusCode,
    statusCode === 204 ? headers : { ...headers, 'Content-Length': String(body.length) },
  );
  response.end(head ? undefined : body);
};

/** A QRadar error body (contract section 5) for what the edge answers itself. */
const edgeError = (status: number, httpMessage: string, code: number, message: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      http_response: { code: status, message: httpMessage },
      code,
      message,
      description: '',
      details: {},
    }),
  );

/** A body over the cap, or one the function's invoke endpoint would not take. */
const TOO_LARGE = edgeError(
  413,
  'The request entity is larger than the server is willing or able to process.',
  413,
  `The request body is larger than the ${MAX_BODY_BYTES} bytes the API takes.`,
);

/** The function failed, or the edge could not reach it: nothing about why (the console has it). */
const EDGE_FAILURE = edgeError(
  500,
  'Unexpected internal server error',
  1000,
  'The request could not be completed.',
);

/** An answer of the edge's own, with the section 7 headers. */
const refuse = (response: ServerResponse, status: number, body: Buffer, head: boolean) => {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, status, RESPONSE_HEADERS, body, head);
};

/** How long a refused connection stays open, unread, for the caller to read the 413. */
const LINGER_MS = 1000;

/**
 * 413 for a body over the cap: nothing more of it is read (the socket is paused), and the
 * connection is cut a moment after the answer. Cut at once, the bytes the caller is still
 * sending would reset the connection under the answer before the caller had read it.
 */
const refuseTooLarge = (request: IncomingMessage, response: ServerResponse): void => {
  const { socket } = request;
  socket.pause();
  response.once('finish', () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
  refuse(response, 413, TOO_LARGE, request.method === 'HEAD');
};

export interface EdgeOptions {
  readonly port: number;
  readonly lambdaUrl: string;
  readonly routes: readonly EdgeRoute[];
}

export const startEdge = async ({ port, lambdaUrl, routes }: EdgeOptions): Promise<Server> => {
  const server = createServer(async (request, response) => {
    const head = request.method === 'HEAD';
    try {
      // Refused before a byte of it is read; the connection closes after the answer, so the
      // rest is never read either.
      if (declaredTooLarge(request)) {
        refuseTooLarge(request, response);
        return;
      }
      const path = deliveredPath(request.url ?? '/');
      const selected = selectRoute(routes, request.method ?? 'GET', path);
      if (selected === undefined) {
        send(
          response,
          404,
          { 'Content-Type': 'application/json' },
          Buffer.from('{"message":"Not Found"}'),
          head,
        );
        return;
      }
      const requestBody = await readBody(request);
      if (requestBody === undefined) {
        refuseTooLarge(request, response);
        return;
      }
      const event = httpApiEvent(request, requestBody, selected, path);
      const invoked = await fetch(
        `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(selected.route.functionName)}/invocations`,
        { method: 'POST', body: JSON.stringify(event) },
      );
      const text = await invoked.text();
      // Lambda takes at most 6 MB of event: a body of about 4.5 MB or more (base64) is refused.
      if (invoked.status === 413) {
        refuse(response, 413, TOO_LARGE, head);
        return;
      }
      if (
        !invoked.ok ||
        invoked.headers.has('x-amz-function-error') ||
        invoked.headers.has('x-amzn-errortype')
      ) {
        console.error(`edge: ${selected.route.functionName} failed: ${text.slice(0, 500)}`);
        refuse(response, 500, EDGE_FAILURE, head);
        return;
      }
      const answer = JSON.parse(text) as FunctionAnswer;
      const body = Buffer.from(answer.body ?? '', answer.isBase64Encoded ? 'base64' : 'utf8');
      send(response, answer.statusCode ?? 200, answer.headers ?? {}, body, head);
    } catch (error) {
      // A caller that went away mid-request is no failure of the edge's.
      if (request.socket.destroyed) return;
      console.error(`edge: ${String(error)}`);
      refuse(response, 500, EDGE_FAILURE, head);
    }
  });
  // A client that waits for "100 Continue" before sending a large body (curl does) is refused
  // without it, and so sends nothing.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (declaredTooLarge(request)) {
      refuseTooLarge(request, response);
      return;
    }
    response.writeContinue();
    server.emit('request', request, response);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export const edgePort = (server: Server): number => (server.address() as AddressInfo).port;
