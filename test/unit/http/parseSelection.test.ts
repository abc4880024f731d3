// parseSelection(): the `fields` value (the query parameter, or a direct caller's payload
// field) as a selection of the shape it is given, on the event; 422 code 31 for a malformed
// value, then 30 for a field the shape lacks. The grammar is test/unit/qradar/fields.test.ts's.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../lib/http/event.ts';
import { parseSelection } from '../../../lib/http/parseSelection.ts';
import { QRadarError } from '../../../lib/qradar/errors.ts';
import { bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';
import { qradarRejectionOf } from '../../support/thrown.ts';

// A shape of its own: the middleware must check against the one it is given.
const chain = bareChain(parseSelection({ name: null, owner: { id: null, email: null } }));
const selectionOf = async (event: ApiEvent) => ((await chain(event)) as ApiEvent).selection;

describe('parseSelection()', () => {
  it('selects every top-level field when fields is absent, empty or null', async () => {
    const every = [{ name: 'name' }, { name: 'owner' }];
    expect(await selectionOf(httpApiEvent({}))).toEqual(every);
    expect(await selectionOf(httpApiEvent({ fields: '' }))).toEqual(every);
    expect(await selectionOf(invokeApiEvent({ fields: null }))).toEqual(every);
  });

  it('sets the selection the caller wrote, in its order, subfields included', async () => {
    expect(await selectionOf(httpApiEvent({ fields: 'owner(email), name' }))).toEqual([
      { name: 'owner', children: [{ name: 'email' }] },
      { name: 'name' },
    ]);
    expect(await selectionOf(invokeApiEvent({ fields: 'name' }))).toEqual([{ name: 'name' }]);
  });

  it('throws 422 code 31 for a direct caller’s fields that is not a string', async () => {
    for (const fields of [1, ['name'], { name: true }, false]) {
      const failure = await qradarRejectionOf(chain(invokeApiEvent({ fields })));
      expect(failure).toMatchObject({ status: 422, code: 31 });
      expect(failure.message).toMatch(/The value must be a string\.$/);
    }
  });

  it('throws 31 for a malformed value before 30 for an unknown field, and 30 for a subfield the shape lacks', async () => {
    const code = async (fields: string) => (await qradarRejectionOf(chain(httpApiEvent({ fields })))).code;
    expect(await code('nope,,name')).toBe(31);
    expect(await code('nope')).toBe(30);
    expect(await code('name(x)')).toBe(30);
    expect(await code('owner(phone)')).toBe(30);
  });

  it('gives any fields value, of any JSON type, a selection or a 422, never another throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.jsonValue()), async (fields) => {
        try {
          await chain(invokeApiEvent({ fields }));
        } catch (error) {
          if (!(error instanceof QRadarError) || error.status !== 422 || ![30, 31].includes(error.code))
            throw error;
        }
      }),
      { numRuns: 500 },
    );
  });
});
