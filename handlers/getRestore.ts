// GET /api/backup_and_restore/restores/{id}, for HTTP callers and direct invocations alike.
// event → eventShape → authorize → acceptJson → parseId → parseSelection
//       → read → check → project → response

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { authorize } from '../lib/auth.ts';
import { type Config, readConfig } from '../lib/config.ts';
import { internalError, restoreNotFound } from '../lib/errors.ts';
import type { RestoreEvent } from '../lib/event.ts';
import { acceptJson, eventShape, parseId, parseSelection } from '../lib/middleware.ts';
import { project } from '../lib/projection.ts';
import { checkRestore, RESTORE_SHAPE } from '../lib/restore.ts';
import { createDocumentClient, readItem } from '../lib/store.ts';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface Dependencies {
  readonly config: Config;
  readonly client: DynamoDBDocumentClient;
}

/** The handler over given dependencies; tests and benchmarks pass a client of their own. */
export const createHandler = ({ config, client }: Dependencies): Handler => {
  const getRestore = async (event: RestoreEvent): Promise<unknown> => {
    const { id, selection, deadline } = event;
    if (id === undefined || selection === undefined) throw new Error('id and fields middleware did not run');
    const item = await readItem(client, {
      table: config.restoresTable,
      key: { id },
      attributes: selection.map((field) => field.name),
      deadline,
    });
    if (item === undefined) throw restoreNotFound(id);
    try {
      return project(checkRestore(item), selection);
    } catch (error) {
      throw internalError(error);
    }
  };

  // middy's own early timeout is off: eventShape sets a deadline that covers every store call.
  const chain = middy<RestoreEvent, unknown>({ timeoutEarlyInMillis: 0 })
    .use([
      eventShape(),
      authorize({ client, table: config.authorizedServicesTable }),
      acceptJson(),
      parseId(),
      parseSelection(RESTORE_SHAPE),
    ])
    .handler(getRestore);

  // The chain is typed by the event eventShape() makes; callers pass any event, hence the cast.
  return chain as unknown as Handler;
};

/** Takes an API Gateway payload 1.0 or 2.0 event, or a direct invocation's payload. */
const config = readConfig(process.env);
export const handler = createHandler({ config, client: createDocumentClient(config) });
