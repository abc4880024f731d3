// preflight(): a CORS preflight from an allowed origin is answered at once (204), before any
// later middleware and the handler; everything else passes on untouched. Which requests are
// preflights and what the answer holds is test/unit/http/cors.test.ts's.

import { describe, expect, it } from 'vitest';
import { EarlyAnswer } from '../../../lib/http/answer.ts';
import type { Middleware } from '../../../lib/http/event.ts';
import { preflight } from '../../../lib/http/preflight.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';

const ORIGIN = 'https://console.example';
const PREFLIGHT = { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' };

/** Stands for credentials and everything after them: a preflight must never reach it. */
const later: Middleware = {
  before: () => {
    throw new Error('reached the middleware after preflight');
  },
};
const chain = bareChain([preflight(new Set([ORIGIN])), later], async () => 'handler');

describe('preflight()', () => {
  it('ends a preflight from an allowed origin with a 204, before anything after it runs', async () => {
    // The answer travels as an EarlyAnswer, which eventShape writes (and observe counts).
    const thrown = await chain(
      httpApiEvent({ method: 'OPTIONS', path: '/api/help/versions', headers: PREFLIGHT }),
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(EarlyAnswer);
    const answer = (thrown as EarlyAnswer).response;
    expect(answer).toMatchObject({
      statusCode: 204,
      headers: { 'Access-Control-Allow-Origin': ORIGIN, 'Access-Control-Allow-Credentials': 'true' },
    });
    expect(answer).not.toHaveProperty('body');
  });

  it.each([
    ['another origin', { method: 'OPTIONS', headers: { ...PREFLIGHT, Origin: 'https://evil.example' } }],
    ['no requested method', { method: 'OPTIONS', headers: { Origin: ORIGIN } }],
    ['a GET from the allowed origin', { method: 'GET', headers: PREFLIGHT }],
  ])('passes on %s to the next middleware', async (_, request) => {
    await expect(chain(httpApiEvent(request))).rejects.toThrow('reached the middleware after preflight');
  });

  it.each(['/', '/apix', '/api_doc', '/api_doc/', '/apis/help/versions', '/x/api/help'])(
    'passes on a preflight from the allowed origin to %s, outside /api/',
    async (path) => {
      await expect(chain(httpApiEvent({ method: 'OPTIONS', path, headers: PREFLIGHT }))).rejects.toThrow(
        'reached the middleware after preflight',
      );
    },
  );

  it.each(['/api', '/api/', '/api/nothing', '/api/help/versions'])(
    'answers a preflight from the allowed origin to %s, under /api',
    async (path) => {
      const thrown = await chain(httpApiEvent({ method: 'OPTIONS', path, headers: PREFLIGHT })).catch(
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(EarlyAnswer);
    },
  );

  it('passes on a direct invocation', async () => {
    await expect(chain(invokeApiEvent({ id: '1' }))).rejects.toThrow(
      'reached the middleware after preflight',
    );
  });

  it('lets the handler answer what it passes on', async () => {
    const open = bareChain(preflight(new Set()), async () => 'handler');
    expect(await open(httpApiEvent({ method: 'OPTIONS', headers: PREFLIGHT }))).toBe('handler');
  });
});
