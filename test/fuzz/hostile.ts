// `npm run fuzz`: the hostile-event property of test/support/hostile.ts at 100,000 runs.

import fc from 'fast-check';
import { tableEnv } from '../../lib/store/tables.ts';

const runs = Number(process.env['FUZZ_RUNS'] || 100_000);
if (!Number.isSafeInteger(runs) || runs < 1) {
  console.error(
    `FUZZ_RUNS is not a positive whole number: ${process.env['FUZZ_RUNS']}\nusage: [FUZZ_RUNS=N] npm run fuzz`,
  );
  process.exit(2);
}
// The handler module reads its table names when imported, as at a cold start.
Object.assign(process.env, tableEnv());
const { checkAnswer, hostileEvents, hostileHandler } = await import('../support/hostile.ts');
const handler = await hostileHandler();
const started = performance.now();
await fc.assert(
  fc.asyncProperty(hostileEvents, (event) => checkAnswer(handler, event)),
  { numRuns: runs },
);
console.log(`hostile events: ${runs} runs passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
