// A typed client for other Lambda functions: invokes the restore function directly
// (contract section 8) and returns the restore with exact Longs, or throws RestoreServiceError.

import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { QRadarErrorBody } from './qradar/errors.ts';
import type { Restore } from './restore/fields.ts';
import { LONG_FIELDS } from './restore/fields.ts';

const longFields: ReadonlySet<string> = new Set(LONG_FIELDS);

/** The QRadar error a call ended in: status and code as section 5 gives them. */
export class RestoreServiceError extends Error {
  override readonly name = 'RestoreServiceError';
  readonly status: number;
  readonly code: number;
  readonly body: QRadarErrorBody;
  /** The errorType Lambda reported: RestoreNotFound, InvalidRequest, StoreUnavailable, InternalError. */
  readonly errorType: string;

  constructor(body: QRadarErrorBody, errorType: string) {
    super(body.message);
    this.status = body.http_response.code;
    this.code = body.code;
    this.body = body;
    this.errorType = errorType;
  }

  /** Worth another try later: the store was throttled or unreachable. */
  get retryable(): boolean {
    return this.status === 503;
  }
}

const isErrorBody = (value: unknown): value is QRadarErrorBody => {
  const body = value as Partial<QRadarErrorBody> | null;
  return (
    typeof body?.code === 'number' &&
    typeof body.message === 'string' &&
    typeof body.http_response?.code === 'number'
  );
};

/** A function error that is not the service's own (a crash, a timeout): a 500 to the caller. */
const unexpected = (errorType: string): QRadarErrorBody => ({
  http_response: { code: 500, message: 'Unexpected internal server error' },
  code: 1000,
  message: `The restore function failed with ${errorType}.`,
  description: 'An error occurred during the attempt to retrieve the restore.',
  details: {},
});

/** JSON.parse that reads Long fields from their source text, so no digit is lost. */
export const parseRestore = (text: string): Partial<Restore> =>
  JSON.parse(text, (key, value, context?: { source?: string }) =>
    longFields.has(key) && typeof value === 'number' && context?.source !== undefined
      ? BigInt(context.source)
      : value,
  ) as Partial<Restore>;

export interface GetRestoreOptions {
  /** The QRadar fields parameter, for example "id,status". */
  readonly fields?: string;
  readonly abortSignal?: AbortSignal;
}

/**
 * The restore function, called directly through Lambda's Invoke (IAM authorizes; no token).
 * Longs come back as `bigint`; a QRadar error is thrown as {@link RestoreServiceError}.
 *
 * @example
 * ```ts
 * import { LambdaClient } from '@aws-sdk/client-lambda';
 * import { createRestoreClient, RestoreServiceError } from './lib/client.ts';
 *
 * const restores = createRestoreClient(new LambdaClient({}), 'qradar-restores-prod-getRestore:live');
 * try {
 *   const { status, time_completed } = await restores.getRestore(42n, { fields: 'status,time_completed' });
 * } catch (error) {
 *   if (error instanceof RestoreServiceError && error.code === 1001) {
 *     // no such restore
 *   } else if (error instanceof RestoreServiceError && error.retryable) {
 *     // 503: the store was throttled or unreachable; try again later
 *   } else throw error;
 * }
 * ```
 */
export const createRestoreClient = (lambda: LambdaClient, functionName: string) => ({
  async getRestore(
    id: bigint | string,
    { fields, abortSignal }: GetRestoreOptions = {},
  ): Promise<Partial<Restore>> {
    const payload = JSON.stringify({ id: String(id), ...(fields === undefined ? {} : { fields }) });
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(payload) }),
      abortSignal === undefined ? {} : { abortSignal },
    );
    const text = new TextDecoder().decode(output.Payload);
    if (output.FunctionError === undefined) return parseRestore(text);
    const { errorType = 'Error', errorMessage } = JSON.parse(text) as {
      errorType?: string;
      errorMessage?: string;
    };
    let body: unknown;
    try {
      body = JSON.parse(errorMessage ?? '');
    } catch {
      body = undefined;
    }
    throw new RestoreServiceError(isErrorBody(body) ? body : unexpected(errorType), errorType);
  },
});

export type RestoreClient = ReturnType<typeof createRestoreClient>;
