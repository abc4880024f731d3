// `npm run bench:logs`: the CloudWatch Logs bytes one request writes, and what they cost a
// month. getRestore runs in process over a stub store as prod configures it on Lambda (JSON
// log format, application level INFO), with console formatted as the Node runtime
// (aws-lambda-ric) formats it: {"timestamp","level","requestId","message"} per call. Lines the
// function writes to stdout itself count as written. API Gateway's access line is the
// `provider.logs.httpApi.format` of serverless.yml filled with a typical request's values.
// Lambda's own system lines (START, REPORT) are left out: nothing here changes them.

import { readFile } from 'node:fs/promises';
import { hashToken } from '../lib/auth/authenticate.ts';
import { tableEnv } from '../lib/store/tables.ts';
import { httpV2Event } from '../local/harness/events.ts';
import {
  dynamoError,
  getItemReply,
  type Responder,
  stubDependencies,
} from '../local/harness/stub-handler.ts';

const TOKEN = 'log-bytes-token-0123456789abcdef';
const FUNCTION_NAME = 'qradar-restores-prod-getRestore';
Object.assign(process.env, tableEnv(), {
  AWS_LAMBDA_LOG_FORMAT: 'JSON',
  AWS_LAMBDA_LOG_LEVEL: 'INFO',
  AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
  AWS_LAMBDA_FUNCTION_VERSION: '7',
});
const { createHandler } = await import('../handlers/getRestore.ts');

/** Every field of a restore in flight, as a console's sync stores it. */
const RESTORE = {
  id: { N: '1042' },
  initiated_by: { S: 'admin' },
  host_id: { N: '53' },
  time_initiated: { N: '1767225600000' },
  time_completed: { NULL: true },
  status: { S: 'IN_PROGRESS' },
  is_cross_deployment_restore: { BOOL: false },
  backup_id: { N: '311' },
  backup_name: { S: 'nightly-2026-11-27' },
  backup_version: { S: '7.5.0' },
  backup_type: { S: 'CONFIG' },
  backup_filename: { S: 'backup.nightly.2026_11_27.config.1767225600000.tgz' },
  groups: { L: [{ S: 'USERS_CONFIG' }, { S: 'DEPLOYMENT_CONFIG' }] },
};
const respond: Responder = ({ body }) => {
  const key = body['Key'] as Record<string, { S?: string; N?: string }>;
  if (key['token_hash'] !== undefined)
    return getItemReply(
      key['token_hash'].S === hashToken(TOKEN)
        ? { name: { S: 'qradar-console' }, capabilities: { SS: ['BACKUP'] } }
        : undefined,
    );
  if (key['id']?.N === '1042') return getItemReply(RESTORE);
  if (key['id']?.N === '13') return dynamoError(503, 'ServiceUnavailable', 'Service unavailable');
  return getItemReply();
};
const handler = createHandler(stubDependencies(respond)) as (
  event: unknown,
  context: unknown,
) => Promise<unknown>;

/** Bytes of the lines one call writes, console formatted as the runtime formats it. */
const linesOf = async (event: unknown, requestId: string): Promise<string[]> => {
  const lines: string[] = [];
  const levels = { debug: 'DEBUG', info: 'INFO', log: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  const saved = Object.keys(levels).map((name) => [name, console[name as keyof typeof levels]] as const);
  const write = process.stdout.write;
  for (const [name, level] of Object.entries(levels))
    console[name as keyof typeof levels] = (message: unknown) => {
      lines.push(JSON.stringify({ timestamp: new Date().toISOString(), level, requestId, message }));
    };
  process.stdout.write = ((chunk: string) => {
    lines.push(...chunk.split('\n').filter((line) => line !== ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    await handler(event, {
      awsRequestId: requestId,
      functionName: FUNCTION_NAME,
      functionVersion: '7',
      getRemainingTimeInMillis: () => 10_000,
    }).catch(() => undefined);
  } finally {
    for (const [name, original] of saved) console[name as keyof typeof levels] = original;
    process.stdout.write = write;
  }
  return lines;
};

const request = (id: string) => {
  const event = httpV2Event({ id, headers: { SEC: TOKEN } });
  event.requestContext.requestId = 'JhXo4gHqIAMEVjw=';
  return event;
};
const bytes = (lines: readonly string[]) => lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);

await linesOf(request('1042'), '00000000-0000-4000-8000-000000000000'); // the cold start
const requestId = '8f6c2b1e-3d4a-4f5b-9c7d-0e1f2a3b4c5d';
const kinds = [
  ['200 (a polled restore)', '1042'],
  ['404', '77'],
  ['503 (with its stack)', '13'],
] as const;
const measured = [];
for (const [kind, id] of kinds) {
  const lines = await linesOf(request(id), requestId);
  measured.push({ kind, lines: lines.length, bytes: bytes(lines) });
}

// API Gateway's access line: its format with a typical request's values ("-" where empty).
// The format is one single-quoted line under provider.logs.httpApi (none when the stage logs none).
const serverless = await readFile(new URL('../serverless.yml', import.meta.url), 'utf8');
const format = /^ {4}httpApi:\n(?: *#.*\n)* {6}format: '([^']*)'$/m.exec(serverless)?.[1];
const TYPICAL: Record<string, string> = {
  requestId: 'JhXo4gHqIAMEVjw=',
  awsEndpointRequestId: requestId,
  'identity.sourceIp': '203.0.113.10',
  'identity.userAgent': 'python-requests/2.32.3',
  requestTime: '28/Nov/2026:10:00:00 +0000',
  httpMethod: 'GET',
  path: '/api/backup_and_restore/restores/1042',
  routeKey: 'ANY /api/backup_and_restore/restores/{id}',
  status: '200',
  protocol: 'HTTP/1.1',
  responseLength: '412',
  responseLatency: '14',
  integrationLatency: '12',
  integrationStatus: '200',
};
const apiGatewayBytes =
  format === undefined
    ? 0
    : Buffer.byteLength(format.replace(/\$context\.([\w.]+)/g, (_, name: string) => TYPICAL[name] ?? '-')) +
      1;

// A month of 30 days; CloudWatch Logs ingestion $0.50 per GB (2^30 bytes).
const MONTH_S = 30 * 24 * 3600;
const perMonth = (bytesPerRequest: number, perSecond: number) =>
  ((bytesPerRequest * perSecond * MONTH_S) / 2 ** 30) * 0.5;
const [typical] = measured;
const total = (typical?.bytes ?? 0) + apiGatewayBytes;
console.log(
  JSON.stringify(
    {
      function: measured,
      apiGatewayAccessLine: apiGatewayBytes,
      perRequest200: total,
      logsPerMonthUsd: { at100: perMonth(total, 100), at1000: perMonth(total, 1000) },
    },
    null,
    2,
  ),
);
