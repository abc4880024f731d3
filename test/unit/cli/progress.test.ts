import { describe, expect, it } from 'vitest';
import { progressBar } from '../../../cli/import/progress.ts';

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
