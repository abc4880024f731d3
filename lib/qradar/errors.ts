// QRadar's error bodies (contract section 5). Every failure the service reports is a QRadarError;
// anything else that escapes is turned into the 500 body at the edge.

const SEMANTIC = 'The request was well-formed but was unable to be followed due to semantic errors';
const RETRIEVE_FAILED = 'An error occurred during the attempt to retrieve the restore.';
/** QRadar's description of a failed list (contract section 13). */
const RETRIEVE_LIST_FAILED = 'An error occurred during the attempt to retrieve the restores.';
const ECHO_LIMIT = 100;

/** The error type AWS Lambda reports to direct callers (contract section 8). */
export type ErrorType = 'RestoreNotFound' | 'InvalidRequest' | 'StoreUnavailable' | 'InternalError';

/** QRadar's closing sentence of both Version errors. */
const SEE_DOCS_VERSIONS = 'Please refer to documentation for list of valid versions.';

export interface QRadarErrorBody {
  http_response: { code: number; message: string };
  code: number;
  message: string;
  description: string;
  details: Record<string, never>;
}

const httpMessages: Record<number, string> = {
  401: 'You are unauthorized to access the requested resource.',
  403: 'Your account is not authorized to access the requested resource.',
  404: 'We could not find the resource you requested.',
  405: 'This method type is not currently supported.',
  406: 'Acceptance header is invalid for this endpoint resource.',
  422: SEMANTIC,
  500: 'Unexpected internal server error',
  503: 'The server is currently unavailable.',
};

const errorTypes: Record<number, ErrorType> = {
  404: 'RestoreNotFound',
  503: 'StoreUnavailable',
  500: 'InternalError',
};

export class QRadarError extends Error {
  readonly status: number;
  readonly code: number;
  readonly description: string;

  constructor(status: number, code: number, message: string, description = '', options?: ErrorOptions) {
    super(message, options);
    this.name = errorTypes[status] ?? 'InvalidRequest';
    this.status = status;
    this.code = code;
    this.description = description;
  }

  toBody(): QRadarErrorBody {
    return {
      http_response: { code: this.status, message: httpMessages[this.status] ?? '' },
      code: this.code,
      message: this.message,
      description: this.description,
      details: {},
    };
  }
}

/** A caller's value as text, cut to at most 100 characters without splitting a surrogate pair. */
export const echo = (raw: unknown): string => {
  const value = typeof raw === 'string' ? raw : describe(raw);
  if (value.length <= ECHO_LIMIT) return value;
  let cut = value.slice(0, ECHO_LIMIT);
  const last = cut.charCodeAt(ECHO_LIMIT - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
};

const describe = (raw: unknown): string => {
  if (typeof raw !== 'object' || raw === null) return String(raw);
  try {
    return JSON.stringify(raw);
  } catch {
    return String(raw);
  }
};

export const restoreNotFound = (id: bigint): QRadarError =>
  new QRadarError(404, 1001, `No restore was found with the id ${id}.`, 'The restore does not exist.');

export const missingId = (): QRadarError => new QRadarError(422, 8, 'Missing required parameter "id"');

export const invalidId = (value: unknown): QRadarError =>
  new QRadarError(
    422,
    11,
    `Failed to transform user path parameter "id" with a content type of "TEXT_PLAIN". Could not convert from ${echo(value)} to Long`,
  );

export const unknownField = (name: string): QRadarError =>
  new QRadarError(
    422,
    30,
    `Specified field "${echo(name)}" is not recognized by this endpoint for media type "application/json"`,
  );

/** Code 31: `reason` completes the sentence and must not echo more than 100 characters. */
export const invalidFields = (raw: unknown, reason: string): QRadarError =>
  new QRadarError(422, 31, `fields parameter value "${echo(raw)}" was invalid. ${reason}`);

export const notAcceptable = (): QRadarError =>
  new QRadarError(
    406,
    1,
    'The Accept header admits no media type this endpoint can produce: application/json.',
  );

export const unauthorized = (message: string): QRadarError => new QRadarError(401, 18, message);

export const forbidden = (): QRadarError =>
  new QRadarError(403, 26, 'User has insufficient capabilities to access this endpoint resource');

export const storeUnavailable = (cause?: unknown): QRadarError =>
  new QRadarError(503, 1000, 'The restore store is unavailable. Try again later.', RETRIEVE_FAILED, {
    cause,
  });

export const internalError = (cause?: unknown): QRadarError =>
  new QRadarError(500, 1000, 'The restore could not be retrieved.', RETRIEVE_FAILED, { cause });

/** Version header (contract 11.1): a well-formed version whose major QRadar has removed. */
export const versionRemoved = (raw: string): QRadarError =>
  new QRadarError(
    422,
    2,
    `Version (${echo(raw)}) from header parameter (Version) has been removed and is no longer valid. ${SEE_DOCS_VERSIONS}`,
  );

/** Version header (contract 11.1): malformed, above the latest, or unknown. */
export const versionInvalid = (raw: string): QRadarError =>
  new QRadarError(
    422,
    3,
    `Version (${echo(raw)}) from header parameter (Version) is not a valid version. ${SEE_DOCS_VERSIONS}`,
  );

/** Spec 11.5: a path under /api that names no endpoint; `path` is the part after /api. */
export const unknownEndpoint = (path: string): QRadarError =>
  new QRadarError(
    404,
    4,
    `Relative path (${echo(path)}) is not a known endpoint resource. Please refer to documentation for list of endpoint resources.`,
  );

/** Spec 11.5: an endpoint's path with a method it does not serve. */
export const methodNotAllowed = (method: string, path: string): QRadarError =>
  new QRadarError(
    405,
    5,
    `Method (${echo(method)}) is not supported by the endpoint resource (${echo(path)}).`,
  );

/** Spec 11.2: a help object id that names nothing; `description` is the endpoint's own. */
export const helpObjectNotFound = (message: string, description: string): QRadarError =>
  new QRadarError(404, 1002, message, description);

/** Code 11 for a path parameter other than the restore id (a help object id). */
export const invalidPathParameter = (name: string, value: unknown): QRadarError =>
  new QRadarError(
    422,
    11,
    `Failed to transform user path parameter "${echo(name)}" with a content type of "TEXT_PLAIN". Could not convert from ${echo(value)} to Integer`,
  );

/** Code 12 (contract 11.3): `reason` completes the sentence and must not echo more than 100 characters. */
export const invalidFilter = (raw: string, reason: string): QRadarError =>
  new QRadarError(422, 12, `filter parameter value "${echo(raw)}" was invalid. ${reason}`);

/** Code 36 (contract 11.4): the Range header does not match items=x-y. */
export const malformedRange = (): QRadarError =>
  new QRadarError(
    422,
    36,
    'Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y',
  );

/** Code 36 (contract 11.4): y below x. */
export const negativeRange = (): QRadarError =>
  new QRadarError(
    422,
    36,
    'Range of pages specified in "Range" header is negative. Non-negative page range must be specified.',
  );

/** Code 1018 (contract 13): QRadar's own message, naming the fields the endpoint sorts by. */
export const invalidSort = (sortable: readonly string[]): QRadarError =>
  new QRadarError(422, 1018, `The sort field must be one of the following fields: [${sortable.join(', ')}].`);

/** Code 37 (contract 13): a list whose answer without Range would pass the size bound. */
export const listTooLarge = (total: number): QRadarError =>
  new QRadarError(
    422,
    37,
    `The list holds ${total} restores, too many for one response; page through it with the Range header, e.g. Range: items=0-999.`,
  );

/** A payload a direct invocation of the list cannot take (contract 13, as section 8's code 8). */
export const invalidListPayload = (reason: string): QRadarError =>
  new QRadarError(422, 8, `The payload was invalid. ${reason}`);

/** The list's 503 (contract 13): QRadar's description for the restores. */
export const listStoreUnavailable = (cause?: unknown): QRadarError =>
  new QRadarError(503, 1000, 'The restore store is unavailable. Try again later.', RETRIEVE_LIST_FAILED, {
    cause,
  });

/** The list's 500 (contract 13): QRadar's description for the restores. */
export const listInternalError = (cause?: unknown): QRadarError =>
  new QRadarError(500, 1000, 'The restores could not be retrieved.', RETRIEVE_LIST_FAILED, { cause });
