// requireRoute(): refuses what authorize() found no endpoint for: 405 code 5 for another
// method on an endpoint's path, 404 code 4 for a path that names none. It reads only the
// route on the event, so each test sets one as authorize() would.

import { describe, expect, it } from 'vitest';
import { requireRoute } from '../../../lib/http/requireRoute.ts';
import type { RouteMatch } from '../../../lib/http/routes.ts';
import { RESTORE_ROUTE } from '../../../lib/http/routes.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

const chain = bareChain(requireRoute(), async () => 'handler');
const NO_ENDPOINT: RouteMatch = { kind: 'noEndpoint' };

describe('requireRoute()', () => {
  it('passes an endpoint match', async () => {
    const route: RouteMatch = { kind: 'endpoint', route: RESTORE_ROUTE, params: { id: '1' } };
    expect(await chain(httpApiEvent({ id: '1' }, { route }))).toBe('handler');
  });

  it('refuses another method with 405 code 5, naming the method and the endpoint’s path', async () => {
    const event = httpApiEvent(
      { id: '1', method: 'DELETE' },
      { route: { kind: 'wrongMethod', route: RESTORE_ROUTE } },
    );
    expect(await qradarRejectionOf(chain(event))).toMatchObject({
      status: 405,
      code: 5,
      message:
        'Method (DELETE) is not supported by the endpoint resource (/backup_and_restore/restores/{id}).',
    });
  });

  it('refuses a path that names no endpoint with 404 code 4, naming the path after /api', async () => {
    const failure = await qradarRejectionOf(
      chain(httpApiEvent({ path: '/api/help/nothing' }, { route: NO_ENDPOINT })),
    );
    expect(failure).toMatchObject({ status: 404, code: 4 });
    expect(failure.message).toMatch(/^Relative path \(\/help\/nothing\) is not a known endpoint resource\./);
  });

  it('names the whole path when it is not under /api, and cuts it to 100 characters', async () => {
    const outside = await qradarRejectionOf(chain(httpApiEvent({ path: '/apis/x' }, { route: NO_ENDPOINT })));
    expect(outside.message).toMatch(/^Relative path \(\/apis\/x\)/);
    const long = await qradarRejectionOf(
      chain(httpApiEvent({ path: `/api/${'x'.repeat(300)}` }, { route: NO_ENDPOINT })),
    );
    expect(long.message).toContain(`(/${'x'.repeat(99)})`);
  });

  it('passes a request nothing routed: a direct invocation, or a chain without authorize()', async () => {
    expect(await chain(invokeApiEvent({ id: '1' }))).toBe('handler');
    expect(await chain(httpApiEvent({ path: '/api/nowhere' }))).toBe('handler');
  });
});
