// The benchmarks' way with the handler's own lines (the access line and the metrics line of
// every request): to /dev/null, one write each, as on Lambda, where a separate process reads
// them. On a terminal they would cost more than the handler; on the pipe to bench/run.ts
// they would compete with the store, which runs in that process.

import { openSync, writeSync } from 'node:fs';

/** Sends stdout to /dev/null until the returned function puts it back. */
export const quietStdout = (): (() => void) => {
  const devNull = openSync('/dev/null', 'w');
  const stdoutWrite = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    writeSync(devNull, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return true;
  }) as typeof process.stdout.write;
  return () => {
    process.stdout.write = stdoutWrite;
  };
};
