// A typed client for other Lambda functions: invokes the restore function directly (contract
// section 8) and the list function (section 13), and returns restores with exact Longs, or
// throws RestoreServiceError.

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

export interface ListRestoresOptions {
  /** QRadar's filter, for example `status in (PENDING, IN_PROGRESS)`. */
  readonly filter?: string;
  /** QRadar's sort, for example `-time_initiated`. Without it, by id. */
  readonly sort?: string;
  /** The QRadar fields parameter, applied to every restore. */
  readonly fields?: string;
  /** Restores asked for per invocation (each page's Range). Default 1,000. */
  readonly pageSize?: number;
  readonly abortSignal?: AbortSignal;
}

/** One page of the list: its restores, where it starts, and how many the filter selects. */
export interface RestorePage {
  readonly items: Partial<Restore>[];
  /** The index of the page's first restore in the whole list. */
  readonly first: number;
  readonly total: number;
}

const DEFAULT_PAGE_SIZE = 1000;

/** Restores and the list's envelope ({"items", "total"}), Long fields read from their source text. */
const parseList = (text: string): { items: Partial<Restore>[]; total: number } => {
  const list = parseRestore(text) as unknown as { items?: unknown; total?: unknown };
  if (!Array.isArray(list.items) || !Number.isSafeInteger(list.total)) {
    throw new RestoreServiceError(unexpected('a result that is not a list'), 'InvalidResult');
  }
  return { items: list.items as Partial<Restore>[], total: list.total as number };
};

/**
 * A client of the restore function and, when its name is given, of the list function (their
 * `live` aliases on AWS, e.g. `qradar-restores-prod-getRestore:live`).
 *
 * @example
 * ```ts
 * const restores = createRestoreClient(new LambdaClient({}), 'qradar-restores-prod-getRestore:live',
 *   'qradar-restores-prod-listRestores:live');
 * const one = await restores.getRestore(42n, { fields: 'id,status' });
 * for await (const page of restores.pages({ filter: 'status = FAILED', sort: '-time_initiated' })) {
 *   for (const restore of page.items) console.log(restore.id, restore.status); // id is a bigint
 * }
 * const all = await restores.listRestores({ filter: 'status in (PENDING, IN_PROGRESS)', fields: 'id' });
 * ```
 */
export const createRestoreClient = (
  lambda: LambdaClient,
  functionName: string,
  listFunctionName?: string,
) => {
  /** The function's result as text, or its QRadar error thrown as RestoreServiceError. */
  const invoke = async (
    name: string,
    payload: unknown,
    abortSignal: AbortSignal | undefined,
  ): Promise<string> => {
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode(JSON.stringify(payload)) }),
      abortSignal === undefined ? {} : { abortSignal },
    );
    const text = new TextDecoder().decode(output.Payload);
    if (output.FunctionError === undefined) return text;
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
  };

  /**
   * The pages of the list, in order, each asked for with a Range of `pageSize` restores from
   * where the last one ended (a page the service cut to its 5 MiB bound is shorter: the next
   * one starts after it), until the filter's total is reached.
   */
  async function* pages(options: ListRestoresOptions = {}): AsyncGenerator<RestorePage> {
    if (listFunctionName === undefined) throw new TypeError('createRestoreClient was given no list function');
    const { filter, sort, fields, pageSize = DEFAULT_PAGE_SIZE, abortSignal } = options;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1)
      throw new RangeError('pageSize must be a positive integer');
    let first = 0;
    for (;;) {
      const payload = {
        ...(filter === undefined ? {} : { filter }),
        ...(sort === undefined ? {} : { sort }),
        ...(fields === undefined ? {} : { fields }),
        range: `items=${first}-${first + pageSize - 1}`,
      };
      const { items, total } = parseList(await invoke(listFunctionName, payload, abortSignal));
      if (items.length === 0) return;
      yield { items, first, total };
      first += items.length;
      if (first >= total) return;
    }
  }

  return {
    async getRestore(
      id: bigint | string,
      { fields, abortSignal }: GetRestoreOptions = {},
    ): Promise<Partial<Restore>> {
      const payload = { id: String(id), ...(fields === undefined ? {} : { fields }) };
      return parseRestore(await invoke(functionName, payload, abortSignal));
    },

    pages,

    /** Every restore the filter selects, in sort order, read page by page. */
    async listRestores(options: ListRestoresOptions = {}): Promise<Partial<Restore>[]> {
      const all: Partial<Restore>[] = [];
      for await (const page of pages(options)) all.push(...page.items);
      return all;
    },
  };
};

export type RestoreClient = ReturnType<typeof createRestoreClient>;
