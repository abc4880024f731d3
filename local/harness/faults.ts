// Store faults, each injected between a healthy request and another in one warm handler:
// the fault must give the contract's 503 or 500 inside the function's timeout, and the next
// request must succeed. Run by test/integration/faults.test.ts (asserting) and by
// `npm run faults` (writing the table in docs/RELIABILITY.md).

import { createHandler } from '../../handlers/getRestore.ts';
import { DEFAULT_REGION, readConfig } from '../../lib/config.ts';
import type { Handler } from '../../lib/front.ts';
import { createDocumentClient } from '../../lib/store/read.ts';
import { LOCAL_TABLES, tableEnv } from '../../lib/store/tables.ts';
import { LOCAL_CREDENTIALS } from '../../lib/store/tool-client.ts';
import { type EmbeddedStore, startLocalStore } from '../dynalite.ts';
import { contractChecked } from './contract.ts';
import { httpV2Event, lambdaContext } from './events.ts';
import { FaultProxy, type ProxyMode } from './fault-proxy.ts';
import { captureOutput, settledValue } from './output.ts';
import { dynamoError, getItemReply, type StubReply, stubDependencies } from './stub-handler.ts';

export const FUNCTION_TIMEOUT_MS = 10_000;
const TOKEN = 'fault-token';

export interface FaultResult {
  readonly fault: string;
  readonly injectedBy: 'stub handler' | 'proxy';
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly attempts: number | undefined;
  readonly ms: number;
  readonly bodyCode: number;
  readonly leaked: boolean;
  readonly recoveredStatus: number;
}

export interface Scenario {
  readonly fault: string;
  readonly expectedStatus: 500 | 503;
}

export const STUB_FAULTS: readonly (Scenario & { reply: StubReply })[] = [
  {
    fault: 'ProvisionedThroughputExceededException',
    expectedStatus: 503,
    reply: dynamoError(400, 'ProvisionedThroughputExceededException'),
  },
  { fault: 'ThrottlingException', expectedStatus: 503, reply: dynamoError(400, 'ThrottlingException') },
  { fault: 'RequestLimitExceeded', expectedStatus: 503, reply: dynamoError(400, 'RequestLimitExceeded') },
  {
    fault: 'HTTP 500 InternalServerError',
    expectedStatus: 503,
    reply: dynamoError(500, 'InternalServerError'),
  },
  {
    fault: 'HTTP 503 ServiceUnavailable',
    expectedStatus: 503,
    reply: dynamoError(503, 'ServiceUnavailable'),
  },
  {
    fault: 'connection refused (ECONNREFUSED)',
    expectedStatus: 503,
    reply: { networkError: 'ECONNREFUSED' },
  },
  {
    fault: 'missing table (ResourceNotFoundException)',
    expectedStatus: 500,
    reply: dynamoError(400, 'ResourceNotFoundException', 'Requested resource not found'),
  },
];

export const PROXY_FAULTS: readonly (Scenario & { mode: ProxyMode })[] = [
  { fault: 'connection refused (listener closed)', expectedStatus: 503, mode: 'refuse' },
  { fault: 'connection reset mid-response', expectedStatus: 503, mode: 'reset' },
  { fault: 'hung socket (no byte back)', expectedStatus: 503, mode: 'hang' },
];

// One restore and one service: as the stub answers them, in DynamoDB's attribute values, and
// as startFaultStore writes them.
const RESTORE = { id: { N: '1' }, status: { S: 'SUCCESS' } };
const SERVICE = { name: { S: 'faults' }, capabilities: { SS: ['BACKUP'] } };
const STORED_RESTORE = { id: 1n, status: 'SUCCESS' };
const STORED_SERVICE = { name: 'faults', capabilities: ['BACKUP'], token: TOKEN };

/** Calls the handler as API Gateway would, timing it and reading what it logged. */
const call = async (handler: Handler, remainingMs = FUNCTION_TIMEOUT_MS) => {
  const started = performance.now();
  const output = await captureOutput(() =>
    handler(httpV2Event({ id: '1', headers: { SEC: TOKEN } }), lambdaContext(remainingMs)),
  );
  const ms = performance.now() - started;
  const response = settledValue(output) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  // The access line of a 5xx counts the store attempts the request made.
  const attempts = output.console
    .filter(({ level }) => level === 'error')
    .map(({ args }) => (JSON.parse(String(args[0])) as { storeAttempts?: number }).storeAttempts)
    .find(Boolean);
  return { response, ms, attempts };
};

const LEAKS = /Exception|ServiceUnavailable|InternalServerError|ECONN|socket|restores|dynamo|arn:|at /i;

const measure = async (
  handler: Handler,
  scenario: Scenario,
  injectedBy: FaultResult['injectedBy'],
  inject: () => Promise<void> | void,
  clear: () => Promise<void> | void,
  remainingMs = FUNCTION_TIMEOUT_MS,
): Promise<FaultResult> => {
  const warm = await call(handler); // warms the container and the SEC lookup cache
  if (warm.response.statusCode !== 200) throw new Error(`warm-up answered ${warm.response.statusCode}`);
  await inject();
  const { response, ms, attempts } = await call(handler, remainingMs);
  await clear();
  const recovered = await call(handler);
  return {
    fault: scenario.fault,
    injectedBy,
    status: response.statusCode,
    retryAfter: response.headers['Retry-After'],
    attempts,
    ms,
    bodyCode: (JSON.parse(response.body) as { code: number }).code,
    leaked: LEAKS.test(response.body),
    recoveredStatus: recovered.response.statusCode,
  };
};

export const runStubFault = async (scenario: (typeof STUB_FAULTS)[number]): Promise<FaultResult> => {
  let faulty = false;
  const dependencies = stubDependencies(({ body }) => {
    if (body['TableName'] === LOCAL_TABLES.authorizedServicesTable) return getItemReply(SERVICE);
    return faulty ? scenario.reply : getItemReply(RESTORE);
  });
  return measure(
    contractChecked(createHandler(dependencies)),
    scenario,
    'stub handler',
    () => {
      faulty = true;
    },
    () => {
      faulty = false;
    },
  );
};

/** Runs a proxy fault against dynalite at `upstream`, which must hold RESTORE and SERVICE. */
export const runProxyFault = async (
  scenario: (typeof PROXY_FAULTS)[number],
  upstream: { host: string; port: number },
  remainingMs = FUNCTION_TIMEOUT_MS,
): Promise<FaultResult> => {
  const proxy = new FaultProxy(upstream);
  await proxy.start();
  const config = readConfig({ AWS_REGION: DEFAULT_REGION, DYNAMODB_ENDPOINT: proxy.endpoint, ...tableEnv() });
  const client = createDocumentClient(config, { credentials: LOCAL_CREDENTIALS });
  try {
    return await measure(
      contractChecked(createHandler({ config, client })),
      scenario,
      'proxy',
      () => proxy.setMode(scenario.mode),
      () => proxy.setMode('pass'),
      remainingMs,
    );
  } finally {
    client.destroy();
    await proxy.stop();
  }
};

/** dynalite holding what the proxy scenarios read: one restore and the service's token. */
export const startFaultStore = async (): Promise<
  EmbeddedStore & { upstream: { host: string; port: number } }
> => {
  const store = await startLocalStore(0, {
    restores: [STORED_RESTORE],
    services: [STORED_SERVICE],
  });
  const { hostname, port } = new URL(store.endpoint);
  return { ...store, upstream: { host: hostname, port: Number(port) } };
};
