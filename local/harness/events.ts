// Events as API Gateway and direct callers send them, and a Lambda context.

import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface HttpRequest {
  id?: string;
  fields?: string;
  headers?: Record<string, string>;
  /** GET unless given. */
  method?: string;
  /** The path as delivered; the restore path of `id` unless given. */
  path?: string;
  /** Query parameters besides `fields`. */
  query?: Record<string, string>;
}

const restorePath = (id: string | undefined): string => `/api/backup_and_restore/restores/${id ?? ''}`;

/** The query parameters, `fields` among them; undefined when there are none. */
const queryOf = ({ fields, query = {} }: HttpRequest): Record<string, string> | undefined => {
  const all = { ...query, ...(fields === undefined ? {} : { fields }) };
  return Object.keys(all).length === 0 ? undefined : all;
};

const encoded = (text: string): string => (text.isWellFormed() ? encodeURIComponent(text) : text);

/** HTTP API / Function URL, payload 2.0: headers lower-case, query values joined with ",". */
export const httpV2Event = (request: HttpRequest = {}): APIGatewayProxyEventV2 => {
  const { id, headers = {}, method = 'GET', path = restorePath(id) } = request;
  const query = queryOf(request);
  return {
    version: '2.0',
    routeKey: 'GET /api/backup_and_restore/restores/{id}',
    rawPath: path,
    rawQueryString: Object.entries(query ?? {})
      .map(([name, value]) => `${encoded(name)}=${encoded(value)}`)
      .join('&'),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    ...(query === undefined ? {} : { queryStringParameters: query }),
    ...(id === undefined ? {} : { pathParameters: { id } }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.com',
      domainPrefix: 'example',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'request',
      routeKey: 'GET /api/backup_and_restore/restores/{id}',
      stage: '$default',
      time: '27/Nov/2026:08:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
};

/** REST API proxy, payload 1.0: headers as sent, plus the multi-value maps. */
export const httpV1Event = (request: HttpRequest = {}): APIGatewayProxyEvent => {
  const { id, headers = {}, method = 'GET', path = restorePath(id) } = request;
  const query = queryOf(request);
  return {
    resource: '/api/backup_and_restore/restores/{id}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query ?? null,
    multiValueQueryStringParameters:
      query === undefined
        ? null
        : Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
    pathParameters: id === undefined ? null : { id },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
};

export const lambdaContext = (remainingMs = 10_000): Context => {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'getRestore',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:getRestore',
    memoryLimitInMB: '512',
    awsRequestId: 'test-request',
    logGroupName: '/aws/lambda/getRestore',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};
