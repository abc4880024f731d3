// negotiateVersion(): resolves the Version header against the table it is given, sets the
// version on the event and `Deprecated: true` on the answer, or throws 422 code 2 or 3. The
// resolution rules are test/unit/qradar/version.test.ts's.

import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../lib/http/event.ts';
import { negotiateVersion } from '../../../lib/http/negotiateVersion.ts';
import { readVersionTable } from '../../../lib/qradar/version.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

// A table of its own: the middleware must read the one it is given, not the bundled one.
const chain = bareChain(negotiateVersion(readVersionTable({ current: ['5.0', '6.0'], deprecated: ['4.1'] })));
const negotiated = async (headers: Record<string, string>) =>
  (await chain(httpApiEvent({ headers }))) as ApiEvent;

describe('negotiateVersion()', () => {
  it('sets the latest version when the header is absent, with no Deprecated header', async () => {
    const event = await negotiated({});
    expect(event.version).toBe('6.0');
    expect(event.answerHeaders).toEqual({});
  });

  it('sets the version a header resolves to', async () => {
    expect((await negotiated({ Version: '5' })).version).toBe('5.0');
    expect((await negotiated({ Version: ' 5.7 ' })).version).toBe('5.0');
  });

  it('marks the answer Deprecated for a deprecated version, and still serves it', async () => {
    const event = await negotiated({ Version: '4.9' });
    expect(event.version).toBe('4.1');
    expect(event.answerHeaders).toEqual({ Deprecated: 'true' });
  });

  it('throws 422 code 2 for a version below the table, code 3 for one that is not valid', async () => {
    expect(await qradarRejectionOf(chain(httpApiEvent({ headers: { Version: '4.0' } })))).toMatchObject({
      status: 422,
      code: 2,
    });
    for (const Version of ['6.1', '7', 'latest', '5,6']) {
      expect((await qradarRejectionOf(chain(httpApiEvent({ headers: { Version } })))).code).toBe(3);
    }
  });

  it('sets no version for a direct invocation', async () => {
    expect(((await chain(invokeApiEvent({ id: '1' }))) as ApiEvent).version).toBeUndefined();
  });
});
