// Imported first by the benchmark's child processes: the handler's own lines (the access line
// and the metrics line of every request) go to /dev/null, one write each, as on Lambda, where
// a separate process reads them. Left on the pipe to bench/run.ts they would compete with the
// store, which runs in that process, and the benchmark would time its reading of them.
// `report` writes the child's figures, its one line of output.

import { openSync, writeSync } from 'node:fs';

const devNull = openSync('/dev/null', 'w');
const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array) => {
  writeSync(devNull, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return true;
}) as typeof process.stdout.write;

export const report = (figures: unknown): void => {
  stdoutWrite(`${JSON.stringify(figures)}\n`);
};
