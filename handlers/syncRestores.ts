// syncRestores: one sync pass (lib/sync/pass.ts) per scheduled invocation, keeping the
// restores table current from the stage's console (contract section 14). The console's token (and
// CA bundle) are read from Secrets Manager at cold start and kept; a console that refuses
// them (401/403) has them read again before the next pass, so a rotated token is picked up.
// One JSON log line and one line of metrics per pass; a failed pass throws SyncFailed, whose
// message is the summary (no stack), after both are written.

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { log } from '../lib/observability/log.ts';
import { putSyncMetrics } from '../lib/observability/metrics.ts';
import { readSyncConfig, syncTableClient } from '../lib/sync/function-config.ts';
import { runPass, type Summary, summaryLine } from '../lib/sync/pass.ts';
import { type ConsoleSecrets, readConsoleSecrets } from '../lib/sync/secrets.ts';

/** Kept for the log line, the metrics and the answer: a pass ends this long before the timeout. */
const MARGIN_MS = 3000;

const config = readSyncConfig(process.env);
const client = syncTableClient(config);
const secretsClient = new SecretsManagerClient({
  region: config.region,
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 3000, throwOnRequestTimeout: true },
});

const readSecrets = (): Promise<ConsoleSecrets> => {
  const reading = readConsoleSecrets(secretsClient, config.tokenSecretArn, config.caSecretArn);
  // Awaited by the first pass; a failure at cold start must not be an unhandled rejection.
  reading.catch(() => undefined);
  return reading;
};
// Read at cold start, during init, while the runtime is not yet billing a pass.
let secrets = readSecrets();

class SyncFailed extends Error {
  override readonly name = 'SyncFailed';
  constructor(message: string) {
    super(message);
    // The runtime would report the stack as the invocation's error trace: the message is enough.
    this.stack = `${this.name}: ${message}`;
  }
}

/** The summary without anything a secret could hide in: counts and reasons (already escaped). */
const scrub = (summary: Summary, token: string | undefined): Summary =>
  token === undefined
    ? summary
    : { ...summary, reasons: summary.reasons.map((reason) => reason.replaceAll(token, '[token]')) };

const failedBeforePass = (reason: string, started: number): Summary => ({
  origin: config.origin,
  read: 0,
  written: 0,
  unchanged: 0,
  stale: 0,
  rejected: 0,
  deleted: 0,
  deletionsRefused: 0,
  durationMs: Date.now() - started,
  ok: false,
  reasons: [reason],
  dryRun: false,
  wouldWrite: 0,
  wouldDelete: 0,
  consoleRequests: 0,
  readUnits: 0,
  writeUnits: 0,
});

const pass = async (dryRun: boolean, context: Context): Promise<{ summary: Summary; token?: string }> => {
  const started = Date.now();
  let held: ConsoleSecrets;
  try {
    held = await secrets;
  } catch (error) {
    secrets = readSecrets();
    return { summary: failedBeforePass(error instanceof Error ? error.message : String(error), started) };
  }
  const summary = await runPass({
    console: {
      origin: config.origin,
      credentials: { sec: held.token },
      version: config.apiVersion,
      pageSize: config.pageSize,
      caHint: 'consoleCaSecretArn (a CA bundle in Secrets Manager)',
      ...(held.ca === undefined ? {} : { ca: held.ca }),
    },
    client,
    table: config.table,
    deadline: started + context.getRemainingTimeInMillis() - MARGIN_MS,
    dryRun,
  });
  if (summary.consoleStatus === 401 || summary.consoleStatus === 403) secrets = readSecrets();
  return { summary, token: held.token };
};

/**
 * A scheduled event, or a direct invocation: `{"dryRun": true}` plans without writing.
 * Answers the pass's summary; throws SyncFailed when the pass failed.
 */
export const handler = async (event: unknown, context: Context): Promise<Summary> => {
  const dryRun = (event as { dryRun?: unknown } | null)?.dryRun === true;
  const { summary: raw, token } = await pass(dryRun, context);
  const summary = scrub(raw, token);
  const { reasons, ok, ...counts } = summary;
  log(ok ? 'INFO' : 'ERROR', ok ? 'sync pass' : 'sync pass failed', {
    requestId: context.awsRequestId,
    ...counts,
    ok,
    ...(ok ? {} : { reason: reasons.join('; ') }),
  });
  putSyncMetrics(process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? context.functionName, summary);
  if (!ok) throw new SyncFailed(`${summaryLine(summary)}: ${reasons.join('; ')}`);
  return summary;
};
