// The front of every function's middy chain under /api: the steps each request meets before
// its endpoint's own, in the precedence of contract section 5. Each step is one middleware.

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { authenticate } from './auth/authenticate.ts';
import type { Config } from './config.ts';
import { acceptJson } from './http/acceptJson.ts';
import { authorize } from './http/authorize.ts';
import type { Middleware } from './http/event.ts';
import { eventShape } from './http/eventShape.ts';
import { negotiateVersion } from './http/negotiateVersion.ts';
import { preflight } from './http/preflight.ts';
import { requireRoute } from './http/requireRoute.ts';
import type { Route } from './http/routes.ts';
import { observe } from './observability/observe.ts';

/** A Lambda entry point: callers pass any event (HTTP payload 1.0 or 2.0, or an invoke). */
export type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** What a handler is built over; tests and benchmarks pass a client of their own. */
export interface Dependencies {
  readonly config: Config;
  readonly client: DynamoDBDocumentClient;
}

export const front = ({ config, client }: Dependencies, routes: readonly Route[]): Middleware[] => [
  observe(), // the access line and metrics, once the answer is known
  eventShape(config.allowedOrigins), // any event in; the answer out in the caller's shape
  preflight(config.allowedOrigins), // CORS preflight from an allowed origin: 204
  authenticate({
    client,
    servicesTable: config.authorizedServicesTable,
    usersTable: config.authorizedUsersTable,
  }), // 401 code 18
  authorize(routes), // 403 code 26 where the endpoint needs a capability
  negotiateVersion(config.versions), // 422 code 2 / 3
  acceptJson(), // 406 code 1
  requireRoute(), // 404 code 4 / 405 code 5
];
