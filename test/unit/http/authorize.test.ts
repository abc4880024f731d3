// authorize(): finds the route the method and path name, sets it on the event, and refuses
// (403 code 26) a principal whose capabilities do not reach an endpoint that asks for some.
// A path or method that names no endpoint is left to requireRoute(). The matching rules are
// test/unit/http/routes.test.ts's.

import { describe, expect, it } from 'vitest';
import { authorize } from '../../../lib/http/authorize.ts';
import type { ApiEvent, Principal } from '../../../lib/http/event.ts';
import { HELP_ROUTES, RESTORE_ROUTE } from '../../../lib/http/routes.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

const chain = bareChain(authorize([RESTORE_ROUTE, ...HELP_ROUTES]));
const holding = (...capabilities: string[]): Principal => ({
  kind: 'service',
  name: 'caller',
  capabilities: new Set(capabilities),
});
const routeOf = async (event: ApiEvent) => ((await chain(event)) as ApiEvent).route;

describe('authorize()', () => {
  it('sets the endpoint and its path parameters for a caller holding one of its capabilities', async () => {
    for (const capability of ['BACKUP', 'ADMIN']) {
      const event = httpApiEvent({ id: '42' }, { principal: holding('ASSETS', capability) });
      expect(await routeOf(event)).toEqual({ kind: 'endpoint', route: RESTORE_ROUTE, params: { id: '42' } });
    }
  });

  it('refuses with 403 code 26 a caller holding none of them, or no principal at all', async () => {
    for (const principal of [holding('ASSETS'), holding()]) {
      const failure = await qradarRejectionOf(chain(httpApiEvent({ id: '42' }, { principal })));
      expect(failure).toMatchObject({ status: 403, code: 26 });
    }
    const anonymous = await qradarRejectionOf(chain(httpApiEvent({ id: '42' })));
    expect(anonymous.code).toBe(26);
  });

  it('lets any principal reach an endpoint that asks for no capability', async () => {
    const event = httpApiEvent({ path: '/api/help/versions/3' }, { principal: holding() });
    expect(await routeOf(event)).toMatchObject({ kind: 'endpoint', params: { id: '3' } });
  });

  it('leaves another method and an unknown path unrefused, with what it found for requireRoute', async () => {
    const principal = holding();
    expect(await routeOf(httpApiEvent({ id: '42', method: 'DELETE' }, { principal }))).toEqual({
      kind: 'wrongMethod',
      route: RESTORE_ROUTE,
    });
    expect(await routeOf(httpApiEvent({ path: '/api/nowhere' }, { principal }))).toEqual({
      kind: 'noEndpoint',
    });
    expect(await routeOf(httpApiEvent({ path: '/elsewhere' }, { principal }))).toEqual({
      kind: 'noEndpoint',
    });
  });

  it('neither routes nor refuses a direct invocation, which IAM authorized', async () => {
    expect(await routeOf(invokeApiEvent({ id: '42' }))).toBeUndefined();
  });
});
