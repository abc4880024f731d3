// A one-line progress bar on a terminal, redrawn at most ten times a second; nothing at all
// when the stream is not a terminal (a pipe, a log file, CI). Hand-written: it is one line
// of text, and the libraries for it bring more code and dependencies than it has.

const WIDTH = 30;
const REDRAW_MS = 100;

export interface Progress {
  /** `done` of `total` (same unit: bytes, restores); the line shows `restores` as counted. */
  update(done: number, total: number | undefined, restores: number): void;
  /** Takes the line away so that other output can be written; the next update redraws it. */
  clear(): void;
  /** Draws the final state and ends the line. */
  finish(): void;
}

const count = new Intl.NumberFormat('en-US');

export const progressBar = (stream: NodeJS.WriteStream, now: () => number = Date.now): Progress => {
  if (!stream.isTTY) return { update() {}, clear() {}, finish() {} };
  const started = now();
  let drawn = false;
  let lastDraw = 0;
  let state = { done: 0, total: undefined as number | undefined, restores: 0 };

  const draw = (): void => {
    const { done, total, restores } = state;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = `${count.format(Math.round(restores / seconds))}/s`;
    let bar = '';
    if (total !== undefined && total > 0) {
      const share = Math.min(1, done / total);
      const full = Math.round(share * WIDTH);
      bar = `[${'#'.repeat(full)}${'-'.repeat(WIDTH - full)}] ${String(Math.floor(share * 100)).padStart(3)}%  `;
    }
    stream.write(`\r\x1b[2K${bar}${count.format(restores)} restores  ${rate}`);
    drawn = true;
    lastDraw = now();
  };

  return {
    update(done, total, restores) {
      state = { done, total, restores };
      if (now() - lastDraw >= REDRAW_MS) draw();
    },
    clear() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
      lastDraw = 0;
    },
    finish() {
      draw();
      stream.write('\n');
      drawn = false;
    },
  };
};
