// Store faults through the real SDK stack, retries included: each answers with the contract's
// 503 (with Retry-After) or 500 inside the function's timeout, and the warm handler recovers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUnavailable } from '../../lib/store/read.ts';
import {
  type FaultResult,
  FUNCTION_TIMEOUT_MS,
  PROXY_FAULTS,
  runProxyFault,
  runStubFault,
  STUB_FAULTS,
  startFaultStore,
} from '../../local/harness/faults.ts';

let store: Awaited<ReturnType<typeof startFaultStore>>;

beforeAll(async () => {
  store = await startFaultStore();
});
afterAll(async () => {
  await store?.close();
});

const expectContract = (result: FaultResult, expectedStatus: number, attempts: number) => {
  expect(result.status).toBe(expectedStatus);
  expect(result.bodyCode).toBe(1000);
  expect(result.retryAfter).toBe(expectedStatus === 503 ? '1' : undefined);
  expect(result.leaked).toBe(false);
  expect(result.attempts).toBe(attempts);
  expect(result.ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
  expect(result.recoveredStatus).toBe(200);
};

describe('faults from a stub request handler', () => {
  it.each(STUB_FAULTS)('$fault: $expectedStatus', async (scenario) => {
    const result = await runStubFault(scenario);
    // Retryable faults use all 3 attempts; a missing table is not retried.
    expectContract(result, scenario.expectedStatus, scenario.expectedStatus === 503 ? 3 : 1);
  });
});

describe('faults from a proxy in front of dynalite', () => {
  it.each(PROXY_FAULTS)(
    '$fault: $expectedStatus',
    async (scenario) => {
      const result = await runProxyFault(scenario, store.upstream);
      expectContract(result, scenario.expectedStatus, 3);
    },
    FUNCTION_TIMEOUT_MS * 2,
  );
});

describe('the request deadline', () => {
  it('cuts a hung read short when the function has less time left than the read could take', async () => {
    const hang = PROXY_FAULTS.find((s) => s.mode === 'hang');
    if (!hang) throw new Error('no hang scenario');
    // 1.5 s left: the deadline (0.5 s before the end) fires after 1 s, before the SDK's own
    // limits (about 3 s for a hung socket) would have.
    const result = await runProxyFault(hang, store.upstream, 1500);
    expect(result.status).toBe(503);
    expect(result.ms).toBeGreaterThan(900);
    expect(result.ms).toBeLessThan(1500);
    expect(result.recoveredStatus).toBe(200);
  });
});

describe('isUnavailable', () => {
  it('tells transient faults from the rest', () => {
    const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });
    expect(isUnavailable(named('ThrottlingException'))).toBe(true);
    expect(isUnavailable(named('AbortError'))).toBe(true);
    expect(isUnavailable(named('Error', { code: 'ECONNRESET' }))).toBe(true);
    expect(isUnavailable(named('InternalServerError', { $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isUnavailable(named('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
    expect(isUnavailable(named('ValidationException', { $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isUnavailable('not an error')).toBe(false);
  });
});
