// Events as API Gateway and direct callers send them, and a Lambda context.

import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface HttpRequest {
  id?: string;
  fields?: string;
  headers?: Record<string, string>;
}

/** HTTP API / Function URL, payload 2.0: headers lower-case, query values joined with ",". */
export const httpV2Event = ({ id, fields, headers = {} }: HttpRequest = {}): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'GET /api/backup_and_restore/restores/{id}',
  rawPath: `/api/backup_and_restore/restores/${id ?? ''}`,
  rawQueryString:
    fields === undefined ? '' : `fields=${fields.isWellFormed() ? encodeURIComponent(fields) : fields}`,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
  ...(fields === undefined ? {} : { queryStringParameters: { fields } }),
  ...(id === undefined ? {} : { pathParameters: { id } }),
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'example.com',
    domainPrefix: 'example',
    http: {
      method: 'GET',
      path: '/api',
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
});

/** REST API proxy, payload 1.0: headers as sent, plus the multi-value maps. */
export const httpV1Event = ({ id, fields, headers = {} }: HttpRequest = {}): APIGatewayProxyEvent => ({
  resource: '/api/backup_and_restore/restores/{id}',
  path: `/api/backup_and_restore/restores/${id ?? ''}`,
  httpMethod: 'GET',
  headers,
  multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
  queryStringParameters: fields === undefined ? null : { fields },
  multiValueQueryStringParameters: fields === undefined ? null : { fields: [fields] },
  pathParameters: id === undefined ? null : { id },
  stageVariables: null,
  body: null,
  isBase64Encoded: false,
  requestContext: {} as APIGatewayProxyEvent['requestContext'],
});

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
