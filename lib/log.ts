// One JSON line per error, for CloudWatch. Only what helps diagnosis: never tokens or hashes.

const describe = (error: unknown): Record<string, unknown> => {
  if (!(error instanceof Error)) return { error: String(error) };
  const { $metadata, code } = error as {
    $metadata?: { httpStatusCode?: number; attempts?: number };
    code?: unknown;
  };
  return {
    error: error.name,
    reason: error.message,
    ...(code === undefined ? {} : { code }),
    ...($metadata === undefined
      ? {}
      : { httpStatus: $metadata.httpStatusCode, attempts: $metadata.attempts }),
    ...(error.cause === undefined ? {} : { cause: describe(error.cause) }),
  };
};

export const logError = (
  message: string,
  requestId: string | undefined,
  error: unknown,
  extra?: Record<string, unknown>,
): void => {
  console.error(JSON.stringify({ level: 'ERROR', message, requestId, ...extra, ...describe(error) }));
};
