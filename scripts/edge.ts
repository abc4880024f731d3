// The local HTTP edge (spec 11.7): what API Gateway's HTTP API does in front of the functions
// on AWS, on this machine. It routes each request by serverless.yml's httpApi routes, builds
// the payload 2.0 event an HTTP API delivers (path decoded once, repeated headers and query
// parameters joined with ","), invokes the function through serverless offline's Lambda
// endpoint, and writes back exactly what the function answered: no route listing, no Range
// handling, no CORS of its own.

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import yaml from 'js-yaml';

export interface EdgeRoute {
  /** Upper-case method, or ANY. */
  readonly method: string;
  /** Segments of the route path; `{name}` matches one non-empty segment, `{name+}` the rest. */
  readonly segments: readonly string[];
  /** "$default" for the catch-all route. */
  readonly routeKey: string;
  readonly functionName: string;
}

// CloudFormation's short tags (!GetAtt, !Ref, ...) only need to parse, not to mean anything here.
const CFN_TAGS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Select', 'Split', 'Condition'];
export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CFN_TAGS.flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [tag]: data }) }),
    ),
  ),
);

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

const readBody = async (request: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

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

/** API Gateway's own answer when the function failed (it has no other). */
const GATEWAY_ERROR = Buffer.from('{"message":"Internal Server Error"}');

export interface EdgeOptions {
  readonly port: number;
  readonly lambdaUrl: string;
  readonly routes: readonly EdgeRoute[];
}

export const startEdge = async ({ port, lambdaUrl, routes }: EdgeOptions): Promise<Server> => {
  const server = createServer(async (request, response) => {
    const head = request.method === 'HEAD';
    try {
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
      const event = httpApiEvent(request, await readBody(request), selected, path);
      const invoked = await fetch(
        `${lambdaUrl}/2015-03-31/functions/${encodeURIComponent(selected.route.functionName)}/invocations`,
        { method: 'POST', body: JSON.stringify(event) },
      );
      const text = await invoked.text();
      if (
        !invoked.ok ||
        invoked.headers.has('x-amz-function-error') ||
        invoked.headers.has('x-amzn-errortype')
      ) {
        console.error(`edge: ${selected.route.functionName} failed: ${text.slice(0, 500)}`);
        send(response, 500, { 'Content-Type': 'application/json' }, GATEWAY_ERROR, head);
        return;
      }
      const answer = JSON.parse(text) as FunctionAnswer;
      const body = Buffer.from(answer.body ?? '', answer.isBase64Encoded ? 'base64' : 'utf8');
      send(response, answer.statusCode ?? 200, answer.headers ?? {}, body, head);
    } catch (error) {
      console.error(`edge: ${String(error)}`);
      if (!response.headersSent)
        send(response, 500, { 'Content-Type': 'application/json' }, GATEWAY_ERROR, head);
    }
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
};

export const edgePort = (server: Server): number => (server.address() as AddressInfo).port;
