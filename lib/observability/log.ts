// One logger for every function: a JSON line per record. On Lambda with `logFormat: JSON`
// the runtime writes the line itself (timestamp, level, requestId, and our record as
// `message`) and drops levels below the function's application log level, so this costs
// no bundle bytes beyond these few lines. Elsewhere (serverless offline, tests) the same
// fields are written as one JSON line. Records never carry tokens, passwords, hashes or
// credential headers: callers pass only what they mean to log.

import { readableStack } from './stack-trace.ts';

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const WRITERS: Readonly<Record<Level, (...data: unknown[]) => void>> = {
  DEBUG: (...data) => console.debug(...data),
  INFO: (...data) => console.info(...data),
  WARN: (...data) => console.warn(...data),
  ERROR: (...data) => console.error(...data),
};

const structured = process.env['AWS_LAMBDA_LOG_FORMAT'] === 'JSON';

export const log = (level: Level, message: string, fields: Readonly<Record<string, unknown>> = {}): void => {
  const record: Record<string, unknown> = structured
    ? { message, ...fields }
    : { timestamp: new Date().toISOString(), level, message, ...fields };
  // JSON has no bigint, and a double would round one: ids and Longs, which records hold at
  // the top level, go as decimal text (no replacer: it would slow every line's stringify).
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'bigint') record[key] = value.toString();
  }
  // With `logFormat: JSON` the runtime writes the record itself, with time, level and id.
  WRITERS[level](structured ? record : JSON.stringify(record));
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
