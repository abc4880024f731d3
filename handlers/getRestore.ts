// GET /api/backup_and_restore/restores/{id}, for HTTP callers and direct invocations alike.
// event → eventShape → authorize → acceptJson → parseId → parseSelection
//       → read → check → project → response

import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { authorize } from '../lib/auth.ts';
import { readConfig } from '../lib/config.ts';
import { internalError, restoreNotFound } from '../lib/errors.ts';
import type { RestoreEvent } from '../lib/event.ts';
import { acceptJson, eventShape, parseId, parseSelection } from '../lib/middleware.ts';
import { project } from '../lib/projection.ts';
import { checkRestore, RESTORE_SHAPE } from '../lib/restore.ts';
import { createDocumentClient, readItem } from '../lib/store.ts';

const config = readConfig(process.env);
const client = createDocumentClient(config);

const getRestore = async (event: RestoreEvent): Promise<unknown> => {
  const { id, selection, signal } = event;
  if (id === undefined || selection === undefined) throw new Error('id and fields middleware did not run');
  const item = await readItem(client, {
    table: config.restoresTable,
    key: { id },
    attributes: selection.map((field) => field.name),
    signal,
  });
  if (item === undefined) throw restoreNotFound(id);
  try {
    return project(checkRestore(item), selection);
  } catch (error) {
    throw internalError(error);
  }
};

const chain = middy<RestoreEvent, unknown>()
  .use([
    eventShape(),
    authorize({ client, table: config.authorizedServicesTable }),
    acceptJson(),
    parseId(),
    parseSelection(RESTORE_SHAPE),
  ])
  .handler(getRestore);

/**
 * Takes an API Gateway payload 1.0 or 2.0 event, or a direct invocation's payload. The chain
 * is typed by the event eventShape() makes of it, hence the one cast.
 */
export const handler = chain as unknown as (event: unknown, context: Context) => Promise<unknown>;
