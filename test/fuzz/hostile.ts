// `npm run fuzz`: the hostile-event property of test/support/hostile.ts at 100,000 runs.

import fc from 'fast-check';
import { checkAnswer, hostileEvents, hostileHandler } from '../support/hostile.ts';

const runs = Number(process.env['FUZZ_RUNS'] ?? 100_000);
const handler = hostileHandler();
const started = performance.now();
await fc.assert(
  fc.asyncProperty(hostileEvents, (event) => checkAnswer(handler, event)),
  { numRuns: runs },
);
console.log(`hostile events: ${runs} runs passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
