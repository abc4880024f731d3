// Stand-in so that serverless.yml's `api` function packages: QRadar's 404 for every path.

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { unknownEndpoint } from '../lib/errors.ts';
import { type HttpResponse, jsonResponse } from '../lib/http.ts';

export const handler = async (event: APIGatewayProxyEventV2): Promise<HttpResponse> => {
  const error = unknownEndpoint(event.rawPath.replace(/^\/api/, ''));
  return jsonResponse(error.status, error.toBody());
};
