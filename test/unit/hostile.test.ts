import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Handler } from '../../lib/chain.ts';
import { checkAnswer, hostileEvents, hostileHandler } from '../support/hostile.ts';
import { errorBody } from '../support/responses.ts';

const handler = hostileHandler();

describe('hostile events', () => {
  it('get a 200 or a spec 4xx, never a 500 or a stray throw, and no echo beyond 100 characters', async () => {
    await fc.assert(
      fc.asyncProperty(hostileEvents, (event) => checkAnswer(handler, event)),
      { numRuns: 3000 },
    );
  }, 120_000);
});

describe('the check of a thrown invoke error', () => {
  const throwing =
    (name: string, message: string, stack = `${name}: ${message}`): Handler =>
    async () => {
      throw Object.assign(new Error(message), { name, stack });
    };
  const body = (status: number, code: number) => JSON.stringify(errorBody(status, code, 'x'));

  it('passes the errors of section 8, each with its own status in its body', async () => {
    await expect(checkAnswer(throwing('InvalidRequest', body(422, 11)), {})).resolves.toBeUndefined();
    await expect(checkAnswer(throwing('RestoreNotFound', body(404, 1001)), {})).resolves.toBeUndefined();
  });

  it.each([
    ['another error type', throwing('InternalError', body(500, 1000))],
    ['a body of another status', throwing('InvalidRequest', body(404, 1001))],
    ['a body that is no QRadar error', throwing('RestoreNotFound', '{"http_response":{"code":404}}')],
    ['no JSON body', throwing('InvalidRequest', 'id is bad')],
    ['a stack trace', throwing('InvalidRequest', body(422, 11), `InvalidRequest: x\n    at f (/a/b.ts:1:1)`)],
  ])('fails one with %s', async (_, thrower) => {
    await expect(checkAnswer(thrower, {})).rejects.toThrow();
  });
});
