// One logger for every function: a JSON line per record. On Lambda with `logFormat: JSON`
// the runtime writes the line itself (timestamp, level, requestId, and our record as
// `message`) and drops levels below the function's application log level, so this costs
// no bundle bytes beyond these few lines. Elsewhere (serverless offline, tests) the same
// fields are written as one JSON line. Records never carry tokens, passwords, hashes or
// credential headers: callers pass only what they mean to log.
//
// One record a request must never be dropped: the access line, which carries the request's
// metrics (logKept). Under the JSON format it goes to stdout as a line of its own, members at
// the top level as embedded metric format needs, with a `level` Lambda reads to filter it:
// its own level, or the application log level when that is higher.

import { readableStack } from './stack-trace.ts';

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const WRITERS: Readonly<Record<Level, (...data: unknown[]) => void>> = {
  DEBUG: (...data) => console.debug(...data),
  INFO: (...data) => console.info(...data),
  WARN: (...data) => console.warn(...data),
  ERROR: (...data) => console.error(...data),
};

const structured = process.env['AWS_LAMBDA_LOG_FORMAT'] === 'JSON';
/**
 * Where logKept writes its line to stdout itself: on Lambda, whose runtime would wrap a
 * console line (in a JSON record, or behind a text prefix) where CloudWatch reads no metrics.
 */
const ownLine = structured || process.env['AWS_LAMBDA_RUNTIME_API'] !== undefined;

/** Lambda's application log levels, lowest first (the runtime's own order). */
const PRIORITY = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 } as const;
type LambdaLevel = keyof typeof PRIORITY;

/** The application log level Lambda sets with the JSON format; anything else keeps every level, as the runtime does. */
const threshold = ((): LambdaLevel => {
  const level = structured ? process.env['AWS_LAMBDA_LOG_LEVEL']?.toUpperCase() : undefined;
  return level !== undefined && Object.hasOwn(PRIORITY, level) ? (level as LambdaLevel) : 'TRACE';
})();

/** `level`, or the application log level when that is higher: a level Lambda keeps. */
export const keptLevel = (level: Level): LambdaLevel =>
  PRIORITY[threshold] > PRIORITY[level] ? threshold : level;

/** Top-level bigints (ids and Longs) as decimal text: JSON has none, and a double would round one. */
const textBigints = (record: Record<string, unknown>): void => {
  // No replacer: it would slow every line's stringify.
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'bigint') record[key] = value.toString();
  }
};

export const log = (level: Level, message: string, fields: Readonly<Record<string, unknown>> = {}): void => {
  const record: Record<string, unknown> = structured
    ? { message, ...fields }
    : { timestamp: new Date().toISOString(), level, message, ...fields };
  textBigints(record);
  // With `logFormat: JSON` the runtime writes the record itself, with time, level and id.
  WRITERS[level](structured ? record : JSON.stringify(record));
};

/**
 * A record no application log level drops, as one JSON line whatever the format: time,
 * level (keptLevel), message, `fields`, then `members`, JSON text without braces that the
 * caller vouches for (the metrics: lib/observability/metrics.ts). On Lambda it goes to stdout
 * itself: through console the runtime would nest it under `message` (JSON format) or prefix it
 * (text format), where CloudWatch reads no metrics, and drop it below the level. Locally it
 * goes where log() writes.
 */
export const logKept = (
  level: Level,
  message: string,
  fields: Readonly<Record<string, unknown>>,
  members = '',
  now = Date.now(),
): void => {
  const record: Record<string, unknown> = {
    timestamp: new Date(now).toISOString(),
    level: keptLevel(level),
    message,
    ...fields,
  };
  textBigints(record);
  const json = JSON.stringify(record);
  const line = members === '' ? json : `${json.slice(0, -1)},${members}}`;
  if (ownLine) process.stdout.write(`${line}\n`);
  else WRITERS[level](line);
};

/** What an error tells an operator: name, message, SDK status and attempts, cause, stack. */
export const describeError = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { error: String(error) };
  const { $metadata, code } = error as {
    $metadata?: { httpStatusCode?: number; attempts?: number };
    code?: unknown;
  };
  return {
    error: error.name,
    reason: error.message,
    ...(typeof code === 'string' ? { errorCode: code } : {}),
    ...($metadata === undefined
      ? {}
      : { httpStatus: $metadata.httpStatusCode, attempts: $metadata.attempts }),
    ...(error.stack === undefined ? {} : { stack: readableStack(error.stack) }),
    ...(error.cause === undefined ? {} : { cause: describeError(error.cause) }),
  };
};
