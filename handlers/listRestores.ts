// GET /api/backup_and_restore/restores (contract section 13), for HTTP callers and direct
// invocations alike: the chain's front (lib/front.ts), then fields → filter → sort → Range,
// the list's read (lib/restore/list.ts) and Content-Range. A function of its own, so the
// single restore's bundle and cold start carry none of it.

import middy from '@middy/core';
import { readConfig } from '../lib/config.ts';
import { type Dependencies, front, type Handler } from '../lib/front.ts';
import type { ApiEvent } from '../lib/http/event.ts';
import { keepPayload } from '../lib/http/keepPayload.ts';
import { listFailures } from '../lib/http/listFailures.ts';
import { parseListQuery } from '../lib/http/parseListQuery.ts';
import { LIST_ROUTE } from '../lib/http/routes.ts';
import { log } from '../lib/observability/log.ts';
import { SORTABLE_FIELDS } from '../lib/restore/fields.ts';
import { listRestores, RESTORE_FILTER_SHAPE } from '../lib/restore/list.ts';
import { RESTORE_SHAPE } from '../lib/restore/restore.ts';
import { createDocumentClient } from '../lib/store/read.ts';
import { LIST_CLIENT_LIMITS } from '../lib/store/scan.ts';

export const createHandler = (dependencies: Dependencies): Handler => {
  const { config, client } = dependencies;
  const list = async (event: ApiEvent): Promise<unknown> => {
    const { selection, list: parameters, deadline, store: stats } = event;
    if (selection === undefined || parameters === undefined)
      throw new Error('the list parameters were not read');
    const answer = await listRestores(
      client,
      { ...parameters, selection },
      { table: config.restoresTable, deadline, stats },
    );
    // What the list cost: DynamoDB's own read units, for the bill and the benchmark.
    log('INFO', 'restores listed', {
      total: answer.total,
      returned: answer.items.length,
      ...answer.cost,
    });
    if (event.caller !== 'http') return { items: answer.items, total: answer.total };
    event.answerHeaders['Content-Range'] = answer.contentRange;
    return answer.items;
  };

  // middy's own early timeout is off: eventShape sets a deadline that covers every store call.
  const chain = middy<ApiEvent, unknown>({ timeoutEarlyInMillis: 0 })
    .use([
      keepPayload(), // the invoke payload as sent, for parseListQuery
      ...front(dependencies, [LIST_ROUTE]),
      listFailures(), // a 5xx says "the restores"
      parseListQuery(RESTORE_SHAPE, RESTORE_FILTER_SHAPE, SORTABLE_FIELDS), // 422 codes 8, 31, 30, 12, 1018, 36
    ])
    .handler(list);

  // The chain is typed by the event eventShape() makes; callers pass any event, hence the cast.
  return chain as unknown as Handler;
};

const config = readConfig(process.env);
export const handler = createHandler({ config, client: createDocumentClient(config, LIST_CLIENT_LIMITS) });
