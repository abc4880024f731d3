import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    // A green run prints no log line: what a test's code hands to console is shown only for a
    // test that fails (test/setup.ts does the same for lines written straight to stdout).
    silent: 'passed-only',
    // The JSON report lets .ci/run print a one-line summary any CI can read.
    reporters: ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]],
    // Each file owns its servers and ports; two cores are enough to run two at once.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
