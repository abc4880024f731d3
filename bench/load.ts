// `npm run load`: a bounded load run against the local stack (loopback only). It mixes
// valid ids, unknown ids, bad ids and bad fields at 64 connections for 20,000 requests and
// checks every body against what that request must return; then prints p50/p99 latency and
// throughput, and with `npm run load -- --record` writes them into docs/RELIABILITY.md.

import autocannon from 'autocannon';
import { startLocalStack } from '../local/harness/local-stack.ts';
import { machine, table, writeSection } from './report.ts';

const CONNECTIONS = 64;
const AMOUNT = 20_000;
const SEC = { SEC: 'local-dev-token' };
const base = '/api/backup_and_restore/restores/';

/** Each kind of request, with the status and QRadar code it must answer with. */
const MIX = [
  { path: `${base}1`, status: 200 },
  { path: `${base}6?fields=id,status,groups`, status: 200 },
  { path: `${base}9007199254740993?fields=id,host_id,backup_id`, status: 200 },
  { path: `${base}424242`, status: 404, code: 1001 },
  { path: `${base}-9223372036854775808`, status: 404, code: 1001 },
  { path: `${base}12x`, status: 422, code: 11 },
  { path: `${base}99999999999999999999`, status: 422, code: 11 },
  { path: `${base}1?fields=id,,status`, status: 422, code: 31 },
  { path: `${base}1?fields=id,nope`, status: 422, code: 30 },
] as const;

// The stack's output is dropped once it is ready: keeping its log lines would hold up the run.
const stack = await startLocalStack({}, process.env, { keepOutput: false });
try {
  // The expected body of each request, read one at a time and checked against the spec.
  const expected = new Map<string, { status: number; body: string }>();
  for (const request of MIX) {
    const response = await fetch(`${stack.httpUrl}${request.path}`, { headers: SEC });
    const body = await response.text();
    const code = response.status === 200 ? undefined : (JSON.parse(body) as { code: number }).code;
    if (response.status !== request.status || code !== ('code' in request ? request.code : undefined)) {
      throw new Error(`${request.path} answered ${response.status} ${body}`);
    }
    expected.set(request.path, { status: response.status, body });
  }
  expected.set(`${base}9007199254740993?fields=id,host_id,backup_id`, {
    status: 200,
    body: '{"id":9007199254740993,"host_id":9223372036854775807,"backup_id":-9223372036854775808}',
  });

  let wrong = 0;
  const result = await autocannon({
    url: stack.httpUrl,
    connections: CONNECTIONS,
    amount: AMOUNT,
    timeout: 10,
    requests: MIX.map(({ path }) => ({
      method: 'GET',
      path,
      headers: SEC,
      onResponse: (status: number, body: string) => {
        const want = expected.get(path);
        if (status !== want?.status || body !== want.body) wrong++;
      },
    })),
  });
  const answered = result.requests.total;
  const rows = [
    ['requests', `${answered} at ${CONNECTIONS} connections (${MIX.length} kinds, round robin)`],
    ['wrong answers', wrong],
    ['errors / timeouts / resets', `${result.errors} / ${result.timeouts} / ${result.resets}`],
    ['throughput', `${Math.round(result.requests.average)} req/s`],
    ['latency p50 / p99 / max', `${result.latency.p50} / ${result.latency.p99} / ${result.latency.max} ms`],
  ];
  const report = `Measured by \`npm run load\` on ${machine()}, ${new Date().toISOString().slice(0, 10)}: the
local stack (the local edge, serverless offline's invoke endpoint, in-process handler,
dynalite) on loopback, so the figures are this machine's, not API Gateway's.

${table(['measure', 'value'], rows)}`;
  console.log(report);
  if (wrong !== 0 || result.errors !== 0 || result.timeouts !== 0 || answered < AMOUNT) {
    process.exitCode = 1;
    console.error('the load run broke the contract');
  } else {
    await writeSection(new URL('../docs/RELIABILITY.md', import.meta.url), 'load', report);
  }
} finally {
  await stack.stop();
}
