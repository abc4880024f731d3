import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, vi } from 'vitest';
import { tableEnv } from '../lib/store/tables.ts';

// A handler reads its table names when imported, as a deployed one does at its cold start,
// and fails without them: every test file starts with the local runner's names. A file may
// stub other values (vi.stubEnv) before importing a handler; all are undone after the file.
for (const [name, value] of Object.entries(tableEnv())) vi.stubEnv(name, value);
afterAll(() => {
  vi.unstubAllEnvs();
});
