// Warm latency in a fresh process: 2,000 invocations to warm up, then COUNT timed one by one against
// the store in DYNAMODB_ENDPOINT. Prints the sorted latencies (ms) and peak RSS as JSON.

import { quietStdout } from './quiet-stdout.ts';

const loud = quietStdout();
const [bundle, eventJson, countText = '2000'] = process.argv.slice(2);
if (!bundle || !eventJson) throw new Error('usage: warm-child.ts BUNDLE EVENT_JSON [COUNT]');
const context = { awsRequestId: 'warm', getRemainingTimeInMillis: () => 10_000 };
const { handler } = (await import(bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
};
const event = JSON.parse(eventJson) as unknown;

// Long enough for the optimizing compiler to settle on both sides.
for (let i = 0; i < 2000; i++) await handler(event, context);
const count = Number(countText);
const latencies: number[] = [];
const started = performance.now();
for (let i = 0; i < count; i++) {
  const t = performance.now();
  const response = await handler(event, context);
  latencies.push(performance.now() - t);
  if (response.statusCode !== 200) throw new Error(`answered ${response.statusCode}`);
}
const seconds = (performance.now() - started) / 1000;
loud();
console.log(
  JSON.stringify({ latencies, perSecond: count / seconds, rssKiB: process.resourceUsage().maxRSS }),
);
