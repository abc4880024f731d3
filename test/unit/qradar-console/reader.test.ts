import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../cli/import/progress.ts';
import { parseContentRange } from '../../../cli/import/qradar-console.ts';

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

describe('progressBar', () => {
  const terminal = (isTTY: boolean) => {
    const written: string[] = [];
    const stream = { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
    return { stream, written };
  };

  it('draws nothing when the stream is not a terminal', () => {
    const { stream, written } = terminal(false);
    const bar = progressBar(stream);
    bar.update(50, 100, 10);
    bar.clear();
    bar.finish();
    expect(written).toEqual([]);
  });

  it('draws the share done, the restores and their rate, at most every 100 ms, on one line', () => {
    const { stream, written } = terminal(true);
    let now = 0;
    const bar = progressBar(stream, () => now);
    now = 1000;
    bar.update(50, 100, 2000);
    bar.update(60, 100, 2400); // within 100 ms of the last draw: not drawn
    now = 2000;
    bar.update(100, 100, 4000);
    bar.clear();
    bar.finish();
    expect(written).toEqual([
      `\r\x1b[2K[${'#'.repeat(15)}${'-'.repeat(15)}]  50%  2,000 restores  2,000/s`,
      `\r\x1b[2K[${'#'.repeat(30)}] 100%  4,000 restores  2,000/s`,
      '\r\x1b[2K',
      `\r\x1b[2K[${'#'.repeat(30)}] 100%  4,000 restores  2,000/s`,
      '\n',
    ]);
  });

  it('shows a count alone while the total is unknown', () => {
    const { stream, written } = terminal(true);
    let now = 0;
    const bar = progressBar(stream, () => now);
    now = 1000;
    bar.update(3, undefined, 3);
    expect(written).toEqual(['\r\x1b[2K3 restores  3/s']);
  });
});
