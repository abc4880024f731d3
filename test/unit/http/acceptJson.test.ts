// acceptJson(): an HTTP caller whose Accept admits no JSON gets 406 code 1 before the
// handler runs; anything else passes. Which headers admit JSON is test/unit/http/accept.test.ts's.

import { describe, expect, it } from 'vitest';
import { acceptJson } from '../../../lib/http/acceptJson.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

const chain = bareChain(acceptJson(), async () => 'handler');

describe('acceptJson()', () => {
  it('passes a request whose Accept admits JSON, or that sends none', async () => {
    for (const headers of [{}, { Accept: 'application/json' }, { Accept: 'text/html, */*;q=0.1' }]) {
      expect(await chain(httpApiEvent({ headers }))).toBe('handler');
    }
  });

  it('refuses with 406 code 1 a request whose Accept admits no JSON', async () => {
    for (const Accept of ['text/html', 'application/json;q=0']) {
      expect(await qradarRejectionOf(chain(httpApiEvent({ headers: { Accept } })))).toMatchObject({
        status: 406,
        code: 1,
      });
    }
  });

  it('passes a direct invocation, which has no headers', async () => {
    expect(await chain(invokeApiEvent({ id: '1' }))).toBe('handler');
  });
});
