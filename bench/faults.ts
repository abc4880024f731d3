// `npm run faults [-- --record]`: injects every store fault of local/harness/faults.ts once
// more and prints what happened (attempts, time to answer, status); with --record, writes it
// into docs/RELIABILITY.md too.

import { tableEnv } from '../lib/store/tables.ts';
import type { FaultResult } from '../local/harness/faults.ts';
import { machine, table, writeSection } from './report.ts';

// The handler module reads its table names when imported, as at a cold start.
Object.assign(process.env, tableEnv());
const { PROXY_FAULTS, runProxyFault, runStubFault, STUB_FAULTS, startFaultStore } = await import(
  '../local/harness/faults.ts'
);

const store = await startFaultStore();

const results: FaultResult[] = [];
for (const scenario of STUB_FAULTS) results.push(await runStubFault(scenario));
for (const scenario of PROXY_FAULTS) results.push(await runProxyFault(scenario, store.upstream));
await store.close();

const rows = results.map((r) => [
  r.fault,
  r.injectedBy,
  r.attempts ?? '-',
  `${Math.round(r.ms)} ms`,
  `${r.status} (code ${r.bodyCode})${r.retryAfter ? `, Retry-After: ${r.retryAfter}` : ''}`,
  r.recoveredStatus,
]);
const report = `Measured by \`npm run faults\` on ${machine()}, ${new Date().toISOString().slice(0, 10)}.

${table(['fault', 'injected by', 'attempts', 'time to answer', 'status returned', 'next request'], rows)}`;
console.log(report);
await writeSection(new URL('../docs/RELIABILITY.md', import.meta.url), 'faults', report);
