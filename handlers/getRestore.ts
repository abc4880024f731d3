// GET /api/backup_and_restore/restores/{id}, for HTTP callers and direct invocations alike:
// the chain's front (lib/front.ts), then id → fields → store read (or the container's cache of
// checked restores, when the stage sets a TTL) → record check → projection.

import middy from '@middy/core';
import { readConfig } from '../lib/config.ts';
import { type Dependencies, front, type Handler } from '../lib/front.ts';
import type { ApiEvent } from '../lib/http/event.ts';
import { parseSelection } from '../lib/http/parseSelection.ts';
import { RESTORE_ROUTE } from '../lib/http/routes.ts';
import { internalError, restoreNotFound } from '../lib/qradar/errors.ts';
import { project } from '../lib/qradar/projection.ts';
import type { Restore } from '../lib/restore/fields.ts';
import { parseId } from '../lib/restore/parseId.ts';
import { checkRestore, RESTORE_SHAPE } from '../lib/restore/restore.ts';
import { createItemCache } from '../lib/store/item-cache.ts';
import { createDocumentClient, readItem } from '../lib/store/read.ts';

/** A checked restore, frozen since every hit shares it, or null: none with that id. */
type Found = Readonly<Partial<Restore>> | null;

export const createHandler = (dependencies: Dependencies): Handler => {
  const { config, client } = dependencies;
  // Keyed by id and the attributes read: each entry holds exactly what its GetItem projected.
  const cache = createItemCache<Found>({ ttlMs: config.restoreCacheTtlMs });
  const getRestore = async (event: ApiEvent): Promise<unknown> => {
    const { id, selection, deadline, store: stats } = event;
    if (id === undefined || selection === undefined) throw new Error('id and fields middleware did not run');
    const attributes = selection.map((field) => field.name);
    const load = async (): Promise<Found> => {
      const item = await readItem(client, {
        table: config.restoresTable,
        key: { id },
        attributes,
        deadline,
        stats,
      });
      if (item === undefined) return null;
      try {
        const restore = checkRestore(item);
        if (Array.isArray(restore.groups)) Object.freeze(restore.groups);
        return Object.freeze(restore);
      } catch (error) {
        throw internalError(error);
      }
    };
    const restore =
      cache === undefined
        ? await load()
        : await cache.read(`${id} ${attributes.join(',')}`, load, () => {
            stats.cacheHits = (stats.cacheHits ?? 0) + 1;
          });
    if (restore === null) throw restoreNotFound(id);
    try {
      return project(restore, selection);
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
