// The consumer's reader against the publisher's writer: every detail the publisher can write
// reads back equal, Longs digit for digit at both ends of the range; anything else is a reason.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../../lib/events/announce.ts';
import type { StatusChangeDetail } from '../../../lib/events/status-change.ts';
import { readStatusChangeEvent } from '../../../lib/events/status-event.ts';
import { LONG_MAX, LONG_MIN } from '../../../lib/qradar/long.ts';
import { RESTORE_STATUSES } from '../../../lib/restore/fields.ts';
import { deliveredEvent } from '../../support/status-events.ts';

const long = fc
  .oneof(
    fc.bigInt({ min: LONG_MIN, max: LONG_MIN + 2n ** 16n }),
    fc.bigInt({ min: LONG_MAX - 2n ** 16n, max: LONG_MAX }),
    fc.bigInt({ min: LONG_MIN, max: LONG_MAX }),
  )
  .map(String);
const status = fc.constantFrom(...RESTORE_STATUSES);
const detail: fc.Arbitrary<StatusChangeDetail> = fc.record({
  id: long,
  status,
  previous_status: fc.option(status, { nil: null }),
  time_completed: fc.option(long, { nil: null }),
  change_id: fc.stringMatching(/^[0-9a-f]{32}$/),
});

describe('readStatusChangeEvent', () => {
  it('reads back every detail the publisher writes, exactly', () => {
    fc.assert(
      fc.property(detail, (written) => {
        const entry = entryOf(
          { kind: 'change', sequenceNumber: '1', detail: written, time: undefined },
          'default',
        );
        expect(readStatusChangeEvent(JSON.stringify(deliveredEvent(entry)))).toEqual({ detail: written });
      }),
      { numRuns: 300 },
    );
  });

  it('reads anything at all without throwing: a detail or a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string()), (body) => {
        const read = readStatusChangeEvent(typeof body === 'string' ? body : JSON.stringify(body));
        expect('detail' in read || typeof read.reason === 'string').toBe(true);
      }),
    );
  });
});
