// parseId(): the restore id as a Long on the event, from the route's {id} for HTTP callers
// and from the payload for direct ones; 422 code 8 without one, code 11 for one that is not
// a Long. What reads as a Long is test/unit/qradar/long.test.ts's and test/unit/restore/id.test.ts's.

import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../lib/http/event.ts';
import { RESTORE_ROUTE, type RouteMatch } from '../../../lib/http/routes.ts';
import { parseId } from '../../../lib/restore/parseId.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

const chain = bareChain(parseId());
const idOf = async (event: ApiEvent) => ((await chain(event)) as ApiEvent).id;
const routed = (id: string): RouteMatch => ({ kind: 'endpoint', route: RESTORE_ROUTE, params: { id } });

describe('parseId()', () => {
  it('reads an HTTP caller’s id from the route, not from the path or the payload fields', async () => {
    expect(await idOf(httpApiEvent({ id: '1' }, { route: routed('-0009223372036854775808') }))).toBe(
      -9223372036854775808n,
    );
  });

  it('reads a direct caller’s id from the payload, as text or as a safe JSON number', async () => {
    expect(await idOf(invokeApiEvent({ id: '9223372036854775807' }))).toBe(9223372036854775807n);
    expect(await idOf(invokeApiEvent({ id: 42 }))).toBe(42n);
  });

  it('throws 422 code 8 when there is no id: none in the payload, or an HTTP route without one', async () => {
    for (const event of [invokeApiEvent({}), invokeApiEvent({ id: null }), httpApiEvent({ id: '1' })]) {
      expect(await qradarRejectionOf(chain(event))).toMatchObject({ status: 422, code: 8 });
    }
  });

  it('throws 422 code 11 for an id that is not a Long, naming it', async () => {
    const failure = await qradarRejectionOf(
      chain(httpApiEvent({}, { route: routed('9223372036854775808') })),
    );
    expect(failure).toMatchObject({ status: 422, code: 11 });
    expect(failure.message).toMatch(/Could not convert from 9223372036854775808 to Long$/);
    for (const id of [2 ** 53, 1.5, true, ['1']]) {
      expect((await qradarRejectionOf(chain(invokeApiEvent({ id })))).code).toBe(11);
    }
  });
});
