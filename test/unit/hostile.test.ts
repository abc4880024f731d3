import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkAnswer, hostileEvents, hostileHandler } from '../support/hostile.ts';

const handler = hostileHandler();

describe('hostile events', () => {
  it('get a 200 or a spec 4xx, never a 500 or a stray throw, and no echo beyond 100 characters', async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvents, (event) => checkAnswer(handler, event)),
      { numRuns: 3000 },
    );
  }, 120_000);
});
