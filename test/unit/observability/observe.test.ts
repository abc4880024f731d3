// observe(): reads what the other middlewares left on the event (caller, principal, id,
// outcome, store calls) and writes one line per request, the access record carrying the
// request's metrics, on success and on error, without touching the answer. The lines real
// requests produce through whole handlers, in both log formats, are
// test/unit/observability/logs.test.ts's.

import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../../lib/http/event.ts';
import { httpV2Event, lambdaContext } from '../../../local/harness/events.ts';
import { captureOutput, type Output } from '../../../local/harness/output.ts';
import { readAccessLine } from '../../support/emf.ts';
import { type BareHandler, bareChain, httpApiEvent, invokeApiEvent } from '../../support/middleware.ts';

// The cold-start flag belongs to the module, as to a container: each test loads its own.
const freshObserve = async () => {
  vi.resetModules();
  return (await import('../../../lib/observability/observe.ts')).observe;
};

afterEach(() => {
  vi.unstubAllEnvs();
});

type Observe = Awaited<ReturnType<typeof freshObserve>>;

/** One request through observe() and `handler`: what it answered and the one line it wrote. */
const observed = async (observe: Observe, event: ApiEvent, handler?: BareHandler) => {
  const chain = bareChain(observe(), handler);
  return written(await captureOutput(() => chain(event)));
};

const written = (output: Output<unknown>) => {
  expect(output.stdout).toEqual([]);
  expect(output.console).toHaveLength(1);
  const [record] = output.console;
  expect(record?.args).toHaveLength(1);
  return { outcome: output.outcome, level: record?.level, ...readAccessLine(String(record?.args[0])) };
};

const served = (set: Partial<ApiEvent> = {}) =>
  httpApiEvent(
    { id: '42', headers: { SEC: 'token-that-must-not-be-logged' } },
    {
      principal: { kind: 'service', name: 'backup-service', capabilities: new Set(['BACKUP']) },
      id: 42n,
      outcome: { status: 200 },
      ...set,
    },
  );

/** A request no middleware answered: eventShape, which sets the outcome, is not in the chain. */
const unanswered = () => {
  const event = served();
  delete event.outcome;
  return event;
};

describe('the access line', () => {
  it('holds exactly the request, the caller, the outcome and the store counts, and nothing else', async () => {
    const event = served();
    Object.assign(event.store, { calls: 2, attempts: 3, ms: 12.6 });
    const { level, access } = await observed(await freshObserve(), event);
    expect(level).toBe('info');
    expect(access).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'INFO',
      message: 'request',
      requestId: 'test-request',
      apiRequestId: 'request',
      functionVersion: '$LATEST',
      caller: 'http',
      principalKind: 'service',
      principal: 'backup-service',
      method: 'GET',
      path: '/api/backup_and_restore/restores/42',
      restoreId: '42',
      status: 200,
      durationMs: expect.any(Number),
      storeCalls: 2,
      storeAttempts: 3,
    });
    expect(new Date(access['timestamp'] as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('says how many reads the restore cache answered, and only when it answered one', async () => {
    const hit = served();
    Object.assign(hit.store, { calls: 1, attempts: 1, ms: 2, cacheHits: 1 });
    expect((await observed(await freshObserve(), hit)).access).toMatchObject({ storeCalls: 1, cacheHits: 1 });
    expect((await observed(await freshObserve(), served())).access).not.toHaveProperty('cacheHits');
  });

  it('leaves out what the request did not reach: principal, id, code, and the HTTP fields of an invoke', async () => {
    const { access } = await observed(await freshObserve(), invokeApiEvent({}, { outcome: { status: 200 } }));
    expect(access).not.toHaveProperty('apiRequestId');
    for (const field of ['principal', 'principalKind', 'restoreId', 'code', 'method', 'path']) {
      expect(access).not.toHaveProperty(field);
    }
    expect(access).toMatchObject({ caller: 'invoke', status: 200, storeCalls: 0, storeAttempts: 0 });
  });

  it('cuts the logged path to 200 characters', async () => {
    const path = `/api/${'p'.repeat(5000)}`;
    const { access } = await observed(
      await freshObserve(),
      httpApiEvent({ path }, { outcome: { status: 404 } }),
    );
    expect(access['path']).toBe(path.slice(0, 200));
  });

  it('takes the function version from the runtime environment before the context', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_VERSION', '17');
    const { access } = await observed(await freshObserve(), served());
    expect(access['functionVersion']).toBe('17');
  });

  it('times the request from its first middleware to its answer', async () => {
    const { access } = await observed(await freshObserve(), served(), async (event) => {
      await sleep(40);
      return event;
    });
    expect(access['durationMs']).toBeGreaterThanOrEqual(35);
    expect(access['durationMs']).toBeLessThan(10_000);
  });

  it('times side-by-side requests each on its own', async () => {
    const chain = bareChain((await freshObserve())(), async (event) => {
      await sleep(event.id === 1n ? 80 : 0);
      return event;
    });
    const output = await captureOutput(() =>
      Promise.all([chain(served({ id: 1n })), chain(served({ id: 2n }))]),
    );
    const lines = output.console.map(({ args }) => JSON.parse(String(args[0])) as Record<string, number>);
    const slow = lines.find((line) => line['restoreId'] === ('1' as unknown));
    const fast = lines.find((line) => line['restoreId'] === ('2' as unknown));
    expect(slow?.['durationMs']).toBeGreaterThanOrEqual(75);
    expect(fast?.['durationMs']).toBeLessThan(slow?.['durationMs'] ?? 0);
  });

  it('marks the first request a module serves as the cold start, and no later one, from any chain', async () => {
    const observe = await freshObserve();
    expect((await observed(observe, served())).metrics['ColdStart']).toBe(1);
    expect((await observed(observe, served())).metrics['ColdStart']).toBe(0);
    expect((await observed(observe, served())).metrics['ColdStart']).toBe(0);
  });
});

describe('levels', () => {
  it('writes a 4xx at INFO with its code and without the error behind it', async () => {
    const event = served({ outcome: { status: 404, code: 1001, error: new Error('not found here') } });
    const { level, access } = await observed(await freshObserve(), event);
    expect(level).toBe('info');
    expect(access).toMatchObject({ level: 'INFO', message: 'request', status: 404, code: 1001 });
    for (const field of ['error', 'reason', 'stack', 'cause']) expect(access).not.toHaveProperty(field);
  });

  it('writes a 5xx at ERROR with the error, the SDK status and attempts, a readable stack and the cause', async () => {
    const cause = new TypeError('socket hang up');
    const error = Object.assign(new Error('Service unavailable', { cause }), {
      name: 'ServiceUnavailable',
      $metadata: { httpStatusCode: 503, attempts: 3 },
    });
    const { level, access } = await observed(
      await freshObserve(),
      served({ outcome: { status: 503, code: 1000, error } }),
    );
    expect(level).toBe('error');
    expect(access).toMatchObject({
      level: 'ERROR',
      message: 'request failed',
      status: 503,
      code: 1000,
      error: 'ServiceUnavailable',
      reason: 'Service unavailable',
      httpStatus: 503,
      attempts: 3,
      cause: { error: 'TypeError', reason: 'socket hang up' },
    });
    const stack = access['stack'] as string[];
    expect(stack[0]).toBe('ServiceUnavailable: Service unavailable');
    expect(stack.some((line) => /at .*observe\.test\.ts:\d+:\d+/.test(line))).toBe(true);
    expect((access['cause'] as { stack: string[] }).stack[0]).toBe('TypeError: socket hang up');
  });

  it('writes a throw no middleware answered as a 500 at ERROR, and lets it through unchanged', async () => {
    const thrown = new RangeError('bug');
    const { outcome, access } = await observed(await freshObserve(), unanswered(), () =>
      Promise.reject(thrown),
    );
    expect(outcome).toEqual({ status: 'rejected', reason: thrown });
    expect(access).toMatchObject({ level: 'ERROR', status: 500, error: 'RangeError', reason: 'bug' });
    expect(access).not.toHaveProperty('code');
  });

  it('writes a thrown value that is no Error as its text', async () => {
    const { access } = await observed(await freshObserve(), unanswered(), () => Promise.reject('a string'));
    expect(access).toMatchObject({ status: 500, error: 'a string' });
  });
});

describe('the level Lambda filters by, under its JSON log format', () => {
  // Lambda drops a line below the function's application log level, and the line holds the
  // metrics: its level is its own, or the application level when that is higher.
  it.each([
    ['DEBUG', 'INFO', 'ERROR'],
    ['INFO', 'INFO', 'ERROR'],
    ['warn', 'WARN', 'ERROR'],
    ['ERROR', 'ERROR', 'ERROR'],
    ['FATAL', 'FATAL', 'FATAL'],
    ['NOT-A-LEVEL', 'INFO', 'ERROR'],
  ])(
    'application level %s: a 2xx at %s, a 5xx at %s, each one line on stdout',
    async (setting, ok, failed) => {
      vi.stubEnv('AWS_LAMBDA_LOG_FORMAT', 'JSON');
      vi.stubEnv('AWS_LAMBDA_LOG_LEVEL', setting);
      const observe = await freshObserve();
      const levels: unknown[] = [];
      for (const outcome of [{ status: 200 }, { status: 503, code: 1000, error: new Error('down') }]) {
        const output = await captureOutput(() => bareChain(observe())(served({ outcome })));
        expect(output.console).toEqual([]);
        expect(output.stdout).toHaveLength(1);
        const { access } = readAccessLine(output.stdout[0] ?? '');
        expect(access['message']).toBe(outcome.status === 200 ? 'request' : 'request failed');
        levels.push(access['level']);
      }
      expect(levels).toEqual([ok, failed]);
    },
  );
});

describe('under Lambda’s text log format', () => {
  it('still writes the line to stdout itself, where no runtime prefix hides the metrics', async () => {
    vi.stubEnv('AWS_LAMBDA_RUNTIME_API', '127.0.0.1:9001');
    const output = await captureOutput(async () => bareChain((await freshObserve())())(served()));
    expect(output.console).toEqual([]);
    expect(output.stdout).toHaveLength(1);
    const { access, metrics } = readAccessLine(output.stdout[0] ?? '');
    expect(access).toMatchObject({ level: 'INFO', message: 'request', status: 200 });
    expect(metrics).toMatchObject({ Requests: 1, StatusClass: '2xx' });
  });
});

describe('the metrics it carries', () => {
  it('are stamped with the line’s own time', async () => {
    const { access, metrics } = await observed(await freshObserve(), served());
    expect(metrics._aws.Timestamp).toBe(Date.parse(access['timestamp'] as string));
  });

  it('names the function from the runtime environment before the context, with the status class', async () => {
    const local = await observed(await freshObserve(), served());
    expect(local.metrics).toMatchObject({ Function: lambdaContext().functionName, StatusClass: '2xx' });
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'qradar-restores-prod-getRestore');
    const { metrics } = await observed(await freshObserve(), served({ outcome: { status: 422, code: 11 } }));
    expect(metrics).toMatchObject({ Function: 'qradar-restores-prod-getRestore', StatusClass: '4xx' });
  });

  it('gives the store latency only for a request that called the store', async () => {
    const called = served();
    Object.assign(called.store, { calls: 1, attempts: 1, ms: 7.4 });
    const { metrics } = await observed(await freshObserve(), called);
    expect(metrics['StoreLatency']).toBe(7);
    expect(metrics._aws.CloudWatchMetrics.flatMap((d) => d.Metrics.map((m) => m.Name))).toContain(
      'StoreLatency',
    );
    const idle = await observed(await freshObserve(), served());
    expect(idle.metrics).not.toHaveProperty('StoreLatency');
    expect(JSON.stringify(idle.metrics._aws)).not.toContain('StoreLatency');
  });
});

describe('the answer', () => {
  it('is the handler’s own: observe changes neither the value nor the event’s outcome', async () => {
    const event = served();
    const { outcome } = await observed(await freshObserve(), event, async () => ({ id: 42n }));
    expect(outcome).toEqual({ status: 'fulfilled', value: { id: 42n } });
    expect(event.outcome).toEqual({ status: 200 });
  });
});

describe('observe() with the answer written early', () => {
  it('counts a CORS preflight like any other request: one line with its metrics, 204', async () => {
    const observe = await freshObserve();
    const { eventShape } = await import('../../../lib/http/eventShape.ts');
    const { preflight } = await import('../../../lib/http/preflight.ts');
    const origins = new Set(['https://console.example']);
    const chain = bareChain([observe(), eventShape(origins), preflight(origins)]);
    const base = httpV2Event({
      headers: { Origin: 'https://console.example', 'Access-Control-Request-Method': 'GET' },
    });
    const event = {
      ...base,
      rawPath: '/api/help/versions',
      requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method: 'OPTIONS' } },
    };
    const { outcome, access, metrics } = written(await captureOutput(() => chain(event)));
    expect(outcome).toMatchObject({ value: { statusCode: 204 } });
    expect(access).toMatchObject({ message: 'request', method: 'OPTIONS', status: 204 });
    expect(metrics).toMatchObject({ StatusClass: '2xx', Requests: 1, ColdStart: 1 });
  });
});
