import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import type { Handler } from '../../lib/front.ts';
import { RESPONSE_HEADERS } from '../../lib/http/answer.ts';
import { httpV2Event } from '../../local/harness/events.ts';
import { checkAnswer, hostileEvents, hostileHandler } from '../support/hostile.ts';
import { errorBody } from '../support/responses.ts';

const handler = await hostileHandler();

describe('hostile events', () => {
  it('get a 2xx or a spec 4xx, never a 5xx or a stray throw, no echo beyond 100 characters, no credential logged', async () => {
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

describe('the check of what a request logged', () => {
  const TOKEN = 'a-sent-token-of-some-length';
  const AUTHORIZATION = `Basic ${btoa('someone:a-password-of-some-length')}`;
  const event = httpV2Event({
    path: '/api/help/where-the-caller-wrote-a-token-of-some-length',
    headers: { SEC: TOKEN, Authorization: AUTHORIZATION },
  });
  /** A handler that answers a proper 401 after `log` ran. */
  const logging =
    (log: () => void): Handler =>
    async () => {
      log();
      return {
        statusCode: 401,
        headers: { ...RESPONSE_HEADERS },
        body: JSON.stringify(errorBody(401, 18, 'x')),
      };
    };

  it('passes what the log may hold: the path, whatever it holds, and the user name', async () => {
    await expect(
      checkAnswer(
        logging(() => console.info(JSON.stringify({ path: event.rawPath, principal: 'someone' }))),
        event,
      ),
    ).resolves.toBeUndefined();
  });

  it.each([
    ['the SEC value', () => console.info(JSON.stringify({ sec: TOKEN }))],
    ['the SEC value cut short', () => console.info(JSON.stringify({ sec: TOKEN.slice(0, 15) }))],
    ['the hash of the token', () => console.error({ key: hashToken(TOKEN) })],
    ['the Authorization value', () => console.warn(AUTHORIZATION)],
    ['the password inside it', () => console.info(JSON.stringify({ p: 'a-password-of-some-length' }))],
    ['a credential on stdout', () => process.stdout.write(`{"x":"${TOKEN}"}\n`)],
  ])('fails one that logged %s', async (_, log) => {
    await expect(checkAnswer(logging(log), event)).rejects.toThrow('logged a credential');
  });
});
