// List calls in a fresh process, as one warm Lambda container makes them: the bundle, one
// event, warm-up calls, then measured calls. Per call: the latency, DynamoDB's read units and
// what else the function's own "restores listed" line says, and the most heap the call added
// over what a full collection left before it. Prints one JSON line. Run by bench/list.ts.

import { quietStdout } from './quiet-stdout.ts';

const loud = quietStdout();
const [bundle, eventJson, countText, warmText, timeoutText] = process.argv.slice(2);
if (!bundle || !eventJson || !countText || !warmText || !timeoutText) {
  throw new Error('usage: list-child.ts BUNDLE EVENT_JSON COUNT WARM TIMEOUT_MS (with --expose-gc)');
}
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

interface Cost {
  readonly readUnits: number;
  readonly scanned: number;
  readonly matched: number;
  readonly requests: number;
  readonly returned: number;
  readonly total: number;
}
const costs: Cost[] = [];
// The function's lines: only its cost line is kept; the access line is dropped.
console.info = (...args: unknown[]) => {
  const text = String(args[0]);
  if (text.includes('"restores listed"')) costs.push(JSON.parse(text) as Cost);
};

const { handler } = (await import(bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
};
/** The function's timeout: the request's deadline is half a second before it. */
const TIMEOUT_MS = Number(timeoutText);
const call = async () => {
  const deadline = Date.now() + TIMEOUT_MS;
  const context = {
    awsRequestId: 'bench',
    functionName: 'listRestores',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  const response = await handler(JSON.parse(eventJson), context);
  if (response.statusCode !== 200)
    throw new Error(`answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
};

for (let i = 0; i < Number(warmText); i++) await call();
costs.length = 0;
const ms: number[] = [];
const heapMiB: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  gc();
  const before = process.memoryUsage().heapUsed;
  let most = before;
  const sampler = setInterval(() => {
    most = Math.max(most, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  await call();
  ms.push(performance.now() - started);
  clearInterval(sampler);
  most = Math.max(most, process.memoryUsage().heapUsed);
  heapMiB.push((most - before) / 2 ** 20);
}
loud();
console.log(JSON.stringify({ ms, heapMiB, costs, rssKiB: process.resourceUsage().maxRSS }));
