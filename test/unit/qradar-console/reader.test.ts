import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentRange } from '../../../lib/qradar-console/reader.ts';

describe('parseContentRange', () => {
  it('reads a page, a page past the end, and nothing else', () => {
    expect(parseContentRange('items 0-499/1234')).toEqual({ first: 0, last: 499, total: 1234 });
    expect(parseContentRange('items */7')).toEqual({ total: 7 });
    expect(parseContentRange(' items 5-5/6 ')).toEqual({ first: 5, last: 5, total: 6 });
    for (const header of [undefined, '', 'bytes 0-1/2', 'items 0-1', 'items 0-1/x', 'items -1-2/3']) {
      expect(parseContentRange(header)).toBeUndefined();
    }
  });

  it('answers any header with a range of safe integers or undefined, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^items [0-9*]{1,20}(-[0-9]{1,20})?\/[0-9]{1,20}$/)),
        (header) => {
          const range = parseContentRange(header);
          if (range !== undefined) {
            for (const n of [range.first ?? 0, range.last ?? 0, range.total])
              expect(Number.isSafeInteger(n)).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
