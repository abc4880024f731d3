// One cold start, in a fresh process: the time to import a bundle, then the time of its first
// invocation (against the store in DYNAMODB_ENDPOINT), and the process's peak RSS.
// Prints one JSON line (the handler's own lines go to /dev/null). Run by bench/run.ts.

import { quietStdout } from './quiet-stdout.ts';

const loud = quietStdout();
const [bundle, eventJson] = process.argv.slice(2);
if (!bundle || !eventJson) throw new Error('usage: cold-child.ts BUNDLE EVENT_JSON');
const context = { awsRequestId: 'cold', getRemainingTimeInMillis: () => 10_000 };

const t0 = performance.now();
const { handler } = (await import(bundle)) as {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number }>;
};
const t1 = performance.now();
const response = await handler(JSON.parse(eventJson), context);
const t2 = performance.now();
if (response.statusCode !== 200) throw new Error(`first invocation answered ${response.statusCode}`);
loud();
console.log(JSON.stringify({ importMs: t1 - t0, firstMs: t2 - t1, rssKiB: process.resourceUsage().maxRSS }));
