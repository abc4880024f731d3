// Every other request under /api (the HTTP API's $default route): QRadar's help endpoints
// (contract 11.2), and QRadar-shaped 404 code 4 / 405 code 5 for paths and methods that name no
// endpoint (11.5). The chain's front (lib/front.ts) checks credentials, Version and Accept
// first, as on every endpoint; help needs valid credentials of any capability.

import middy from '@middy/core';
import { readConfig } from '../lib/config.ts';
import { type Dependencies, front, type Handler } from '../lib/front.ts';
import { answerHelp } from '../lib/help/help.ts';
import type { ApiEvent } from '../lib/http/event.ts';
import { HELP_ROUTES } from '../lib/http/routes.ts';
import { unknownEndpoint } from '../lib/qradar/errors.ts';
import { createDocumentClient } from '../lib/store/read.ts';

export const createHandler = (dependencies: Dependencies): Handler => {
  const { versions } = dependencies.config;
  const help = async (event: ApiEvent): Promise<unknown> => {
    // Only HTTP requests name an endpoint here: a direct invocation names none.
    if (event.caller !== 'http') throw unknownEndpoint('');
    const match = event.route;
    if (match?.kind !== 'endpoint' || event.version === undefined) throw new Error('the front did not run');
    return answerHelp(event, match.route.name, match.params, { version: event.version, versions });
  };
  const chain = middy<ApiEvent, unknown>({ timeoutEarlyInMillis: 0 })
    .use(front(dependencies, HELP_ROUTES))
    .handler(help);
  return chain as unknown as Handler;
};

const config = readConfig(process.env);
export const handler = createHandler({ config, client: createDocumentClient(config) });
