// eventShape(): any event in, as an ApiEvent with a deadline; the answer or the error out in
// the caller's shape, with the outcome left on the event for observe().

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent, Middleware, Outcome } from '../../../lib/http/event.ts';
import { DEADLINE_MARGIN_MS, eventShape } from '../../../lib/http/eventShape.ts';
import { internalError, QRadarError, restoreNotFound, unauthorized } from '../../../lib/qradar/errors.ts';
import { httpV1Event, httpV2Event, lambdaContext } from '../../../local/harness/events.ts';
import { type BareHandler, bareChain } from '../../support/middleware.ts';
import { errorBody, expectResponse, SECURITY_HEADERS } from '../../support/responses.ts';

const ORIGIN = 'https://console.example';

/** What observe() would read: the outcome eventShape left on the event, on success or error. */
const outcomes: (Outcome | undefined)[] = [];
const recorder: Middleware = {
  after: ({ event }) => void outcomes.push(event.outcome),
  onError: ({ event }) => void outcomes.push(event.outcome),
};

const shaped = (handler?: BareHandler) => bareChain([recorder, eventShape(new Set([ORIGIN]))], handler);

afterEach(() => {
  outcomes.length = 0;
  vi.restoreAllMocks();
});

describe('before', () => {
  it('hands the handler an ApiEvent with a deadline DEADLINE_MARGIN_MS before the function’s timeout', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_800_000_000_000);
    let seen: ApiEvent | undefined;
    await shaped(async (event) => {
      seen = event;
      return {};
    })(httpV1Event({ id: '7', method: 'head', headers: { SEC: 't' } }), {
      ...lambdaContext(),
      getRemainingTimeInMillis: () => 3000,
    });
    expect(seen).toMatchObject({
      caller: 'http',
      method: 'HEAD',
      apiSegments: ['backup_and_restore', 'restores', '7'],
      headers: { sec: 't' },
      deadline: 1_800_000_000_000 + 3000 - DEADLINE_MARGIN_MS,
    });
  });

  it('sets no deadline when the context cannot tell the time left', async () => {
    const { getRemainingTimeInMillis: _, ...timeless } = lambdaContext();
    const event = (await shaped()({ id: '1' }, timeless as never)) as ApiEvent;
    expect(event.caller).toBe('invoke');
    expect(event.deadline).toBeUndefined();
  });
});

describe('after', () => {
  it('answers an HTTP caller 200 with the section 7 headers, those the request earned, and exact Longs', async () => {
    const response = await shaped(async (event) => {
      event.answerHeaders['Deprecated'] = 'true';
      return { id: 9223372036854775807n };
    })(httpV2Event({ id: '1', headers: { Origin: ORIGIN } }));
    expect(response).toEqual({
      statusCode: 200,
      headers: expect.objectContaining({
        ...SECURITY_HEADERS,
        Deprecated: 'true',
        'Access-Control-Allow-Origin': ORIGIN,
      }),
      body: '{"id":9223372036854775807}',
    });
    expect(outcomes).toEqual([{ status: 200 }]);
  });

  it('answers HEAD without a body', async () => {
    const response = await shaped(async () => ({ id: 1 }))(httpV2Event({ id: '1', method: 'HEAD' }));
    expect(response).toMatchObject({ statusCode: 200, body: '' });
  });

  it('gives a direct caller the bare value, its Longs written with every digit', async () => {
    const result = await shaped(async () => ({ id: 9007199254740993n, groups: ['A'] }))({ id: '1' });
    expect(result).not.toHaveProperty('statusCode');
    expect(JSON.stringify(result)).toBe('{"id":9007199254740993,"groups":["A"]}');
    expect(outcomes).toEqual([{ status: 200 }]);
  });
});

describe('onError', () => {
  it('answers an HTTP caller with a QRadarError’s status and body, and records its code', async () => {
    const failure = unauthorized('no credentials');
    const response = await shaped(() => Promise.reject(failure))(httpV2Event({ id: '1' }));
    expectResponse(response, 401, errorBody(401, 18, 'no credentials'));
    expect(outcomes).toEqual([{ status: 401, code: 18, error: failure }]);
  });

  it('records the cause of a QRadarError, not the error that wraps it, for the log', async () => {
    const cause = new Error('ResourceNotFoundException: table restores');
    const response = await shaped(() => Promise.reject(internalError(cause)))(httpV2Event({ id: '1' }));
    expectResponse(response, 500, errorBody(500, 1000));
    expect(outcomes).toEqual([{ status: 500, code: 1000, error: cause }]);
  });

  it('answers any other throw as the 500 body, with nothing of the error in it', async () => {
    const bug = new TypeError('Cannot read properties of undefined (reading "secretTable")');
    const response = (await shaped(() => Promise.reject(bug))(httpV2Event({ id: '1' }))) as { body: string };
    expectResponse(response, 500, errorBody(500, 1000, 'The restore could not be retrieved.'));
    expect(response.body).not.toMatch(/TypeError|secretTable|undefined/);
    expect(outcomes).toEqual([{ status: 500, code: 1000, error: bug }]);
  });

  it('throws to a direct caller an error of the spec’s type, its body as message, with no stack trace', async () => {
    const failure = restoreNotFound(5n);
    const thrown = await shaped(() => Promise.reject(failure))({ id: '5' }).then(
      () => expect.unreachable('a direct caller’s error must be thrown'),
      (error: unknown) => error as Error,
    );
    expect(thrown).not.toBeInstanceOf(QRadarError);
    expect(thrown.name).toBe('RestoreNotFound');
    expect(JSON.parse(thrown.message)).toEqual(failure.toBody());
    expect(thrown.stack).toBe(`RestoreNotFound: ${thrown.message}`);
    expect(outcomes).toEqual([{ status: 404, code: 1001, error: failure }]);
  });

  it('throws a direct caller’s bug as InternalError with the 500 body', async () => {
    const thrown = await shaped(() => Promise.reject(new Error('bug')))({ id: '5' }).catch(
      (error: unknown) => error as Error,
    );
    expect(thrown).toMatchObject({ name: 'InternalError' });
    expect(JSON.parse((thrown as Error).message)).toMatchObject({ code: 1000, http_response: { code: 500 } });
  });
});
