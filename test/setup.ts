import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeEach, onTestFailed, vi } from 'vitest';
import { tableEnv } from '../lib/store/tables.ts';

// A handler reads its table names when imported, as a deployed one does at its cold start,
// and fails without them: every test file starts with the local runner's names. A file may
// stub other values (vi.stubEnv) before importing a handler; all are undone after the file.
for (const [name, value] of Object.entries(tableEnv())) vi.stubEnv(name, value);
afterAll(() => {
  vi.unstubAllEnvs();
});

// What a handler writes straight to stdout (its metrics line, local/harness/output.ts) is held
// while each test runs and shown only if it fails, as vitest shows console records
// (silent: 'passed-only'). A test that looks at those lines captures them itself.
beforeEach(() => {
  const write = process.stdout.write;
  const held: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (done) process.nextTick(done);
    return true;
  }) as typeof process.stdout.write;
  onTestFailed(() => {
    if (held.length) write.call(process.stdout, held.join(''));
  });
  return () => {
    process.stdout.write = write;
  };
});
