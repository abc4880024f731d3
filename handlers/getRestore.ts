// GET /api/backup_and_restore/restores/{id}, for HTTP callers and direct invocations alike:
// the chain's front (lib/front.ts), then id → fields → store read → record check → projection.

import middy from '@middy/core';
import { readConfig } from '../lib/config.ts';
import { type Dependencies, front, type Handler } from '../lib/front.ts';
import type { ApiEvent } from '../lib/http/event.ts';
import { parseSelection } from '../lib/http/parseSelection.ts';
import { RESTORE_ROUTE } from '../lib/http/routes.ts';
import { internalError, restoreNotFound } from '../lib/qradar/errors.ts';
import { project } from '../lib/qradar/projection.ts';
import { parseId } from '../lib/restore/parseId.ts';
import { checkRestore, RESTORE_SHAPE } from '../lib/restore/restore.ts';
import { createDocumentClient, readItem } from '../lib/store/read.ts';

export const createHandler = (dependencies: Dependencies): Handler => {
  const { config, client } = dependencies;
  const getRestore = async (event: ApiEvent): Promise<unknown> => {
    const { id, selection, deadline, store: stats } = event;
    if (id === undefined || selection === undefined) throw new Error('id and fields middleware did not run');
    const item = await readItem(client, {
      table: config.restoresTable,
      key: { id },
      attributes: selection.map((field) => field.name),
      deadline,
      stats,
    });
    if (item === undefined) throw restoreNotFound(id);
    try {
      return project(checkRestore(item), selection);
    } catch (error) {
      throw internalError(error);
    }
  };

  // middy's own early timeout is off: eventShape sets a deadline that covers every store call.
  const chain = middy<ApiEvent, unknown>({ timeoutEarlyInMillis: 0 })
    .use([
      ...front(dependencies, [RESTORE_ROUTE]),
      parseId(), // 422 code 8 / 11
      parseSelection(RESTORE_SHAPE), // 422 code 31, then 30
    ])
    .handler(getRestore);

  // The chain is typed by the event eventShape() makes; callers pass any event, hence the cast.
  return chain as unknown as Handler;
};

const config = readConfig(process.env);
export const handler = createHandler({ config, client: createDocumentClient(config) });
