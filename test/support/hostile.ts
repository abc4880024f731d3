// Whole events as a hostile caller could send them, to the functions as API Gateway routes
// them (the restore path, any method, and direct invocations to getRestore; the list path and
// direct invocations of the list to listRestores; every other request to api), and the property every answer must keep: a 2xx or one of the contract's 4xx
// bodies (never a 5xx, never a stray throw), checked against the contract, no caller value
// echoed beyond 100 characters, and no credential in any line the request logged. Run by
// test/unit/hostile.test.ts (a few thousand cases) and by `npm run fuzz` (100,000).

import fc from 'fast-check';
import { createHandler as createApi } from '../../handlers/api.ts';
import { createHandler as createRestore } from '../../handlers/getRestore.ts';
import { createHandler as createList } from '../../handlers/listRestores.ts';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { hashPassword, parseBasic } from '../../lib/auth/password.ts';
import type { Handler } from '../../lib/front.ts';
import { readEvent } from '../../lib/http/event.ts';
import { LIST_ROUTE, matchRoute, RESTORE_ROUTE } from '../../lib/http/routes.ts';
import { LOCAL_TABLES } from '../../lib/store/tables.ts';
import { contractChecked } from '../../local/harness/contract.ts';
import { type HttpRequest, httpV1Event, httpV2Event, lambdaContext } from '../../local/harness/events.ts';
import { captureOutput, outputLines } from '../../local/harness/output.ts';
import {
  getItemReply,
  type Responder,
  type StubReply,
  stubDependencies,
} from '../../local/harness/stub-handler.ts';

const TOKEN = 'fuzz-token';
/** Any user name but this one exists, with PASSWORD: random names reach the password check. */
const UNKNOWN_USER = 'nobody';
const USER = 'fuzz-user';
const PASSWORD = 'fuzz-password';
const ORIGIN = 'https://console.example';
const RESTORE = {
  id: { N: '1' },
  status: { S: 'PENDING' },
  host_id: { N: '9223372036854775807' },
  groups: { L: [{ S: 'USERS_CONFIG' }] },
  time_completed: { NULL: true },
};

/** The table the list reads: the restore above and others, Longs at the edges, nulls, unicode. */
const TABLE: readonly Record<string, unknown>[] = [
  RESTORE,
  {
    id: { N: '-9223372036854775808' },
    status: { S: 'SUCCESS' },
    initiated_by: { S: 'é😀' },
    time_initiated: { N: '9007199254740993' },
  },
  {
    id: { N: '9007199254740993' },
    status: { S: 'FAILED' },
    initiated_by: { S: '\ue000' },
    is_cross_deployment_restore: { BOOL: true },
  },
  {
    id: { N: '7' },
    backup_name: { S: 'a"b\\c' },
    time_completed: { N: '9223372036854775807' },
    groups: { NULL: true },
  },
];

/** Scan: the whole table from segment 0 (the stub ignores projections and filters); BatchGetItem: the keys asked for. */
const listReply = (target: string, body: Record<string, unknown>): StubReply => {
  if (target.endsWith('.Scan')) {
    const items = body['Segment'] === undefined || body['Segment'] === 0 ? TABLE : [];
    return { status: 200, body: { Items: items, Count: items.length, ScannedCount: items.length } };
  }
  const requests = body['RequestItems'] as Record<string, { Keys: { id: { N: string } }[] }>;
  const [[table, { Keys }] = ['', { Keys: [] }]] = Object.entries(requests);
  const wanted = new Set(Keys.map((key) => key.id.N));
  return {
    status: 200,
    body: { Responses: { [table]: TABLE.filter((item) => wanted.has((item['id'] as { N: string }).N)) } },
  };
};

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

type Key = Record<string, { S?: string; N?: string }>;

const storeOf = (passwordHash: string): Responder => {
  const tokenHash = hashToken(TOKEN);
  return ({ target, body }) => {
    if (target.endsWith('.Scan') || target.endsWith('.BatchGetItem')) return listReply(target, body);
    const key = body['Key'] as Key;
    switch (body['TableName']) {
      case LOCAL_TABLES.authorizedServicesTable:
        return getItemReply(
          key['token_hash']?.S === tokenHash
            ? { name: { S: 'fuzz' }, capabilities: { SS: ['BACKUP'] } }
            : undefined,
        );
      case LOCAL_TABLES.authorizedUsersTable:
        return getItemReply(
          key['username']?.S === UNKNOWN_USER
            ? undefined
            : { password_hash: { S: passwordHash }, capabilities: { SS: ['ASSETS'] } },
        );
      default:
        return getItemReply(key['id']?.N === '1' ? RESTORE : undefined);
    }
  };
};

/** What no line a request logs may hold, whatever the request: the known credentials and their hashes. */
let knownSecrets: readonly string[] = [];

/** Both functions over one stubbed store, each answer contract-checked, routed as API Gateway routes. */
export const hostileHandler = async (): Promise<Handler> => {
  // The cheapest scrypt cost: the fuzz run checks a password on most Basic requests.
  const passwordHash = await hashPassword(PASSWORD, { N: 2, r: 1, p: 1 });
  knownSecrets = [TOKEN, hashToken(TOKEN), PASSWORD, passwordHash, basic(USER, PASSWORD)];
  const base = stubDependencies(storeOf(passwordHash));
  const dependencies = { ...base, config: { ...base.config, allowedOrigins: new Set([ORIGIN]) } };
  const restore = contractChecked(createRestore(dependencies));
  const list = contractChecked(createList(dependencies), 'listRestores');
  const api = contractChecked(createApi(dependencies));
  return (event, context) => {
    const request = readEvent(event);
    if (request.caller === 'invoke') return (isListPayload(event) ? list : restore)(event, context);
    if (matchRoute([LIST_ROUTE], 'GET', request.apiSegments).kind === 'endpoint') return list(event, context);
    const toRestore = matchRoute([RESTORE_ROUTE], 'GET', request.apiSegments).kind === 'endpoint';
    return (toRestore ? restore : api)(event, context);
  };
};

const huge = (unit: fc.Arbitrary<string>) => fc.string({ unit, minLength: 101, maxLength: 5000 });
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\u001f', '\u007f', '\r', '\n', '\t', '%', '"', '\\', '\ud800', '\udfff'),
  }),
  huge(fc.constantFrom('a', '(', ',', '%', '9', ' ', '😀')),
);
/** Text as a client would put it in a URL: percent-encoded where it can be. */
const escaped = text.map((s) => (s.isWellFormed() ? encodeURIComponent(s) : s));
const absent = fc.constant(undefined);

/**
 * Mostly a value the service accepts, sometimes a hostile one: a request with one or two
 * hostile parts gets past the others, so every check, the store read and the help answers
 * (filter, fields, Range) are reached, not only the first refusal.
 */
const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostile });

const ids = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('1', '+1', '-0', '0001', '%2B1', '%31', '%', '%E0%A4%A', '1%00', '9223372036854775807'),
  text,
  escaped,
);
const fields = fc.oneof(
  fc.constantFrom('id', 'id,status', ' id , groups ', 'status(x)', 'id,id', '()', 'a'.repeat(3000)),
  fc.nat(40).map((depth) => `${'id('.repeat(depth)}id${')'.repeat(depth)}`),
  fc
    .array(fc.constantFrom('id', 'status', 'nope', ',', '(', ')', ' ', '\t', 'groups', 'version'), {
      maxLength: 30,
    })
    .map((p) => p.join('')),
  text,
);
const filters = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        ...['id', 'version', 'deprecated', 'path', 'http_method', '=', '!=', '<>', '^=', '<', '<=', '>='],
        ...['in', 'not', 'between', 'and', 'or', 'is', 'null', '(', ')', ',', '"26.0"', '"\\""', '1'],
        ...['-1', '1.5', 'true', 'FALSE', '9223372036854775808', 'CLOSED', ' '],
      ),
      { maxLength: 40 },
    )
    .map((p) => p.join(' ')),
  fc.nat(40).map((depth) => `${'('.repeat(depth)}id = 1${')'.repeat(depth)}`),
  text,
);
const restoreFilters = fc.oneof(
  fc
    .array(
      fc.constantFrom(
        ...[
          'id',
          'status',
          'time_initiated',
          'initiated_by',
          'groups',
          'is_cross_deployment_restore',
          '=',
          '!=',
          '<',
        ],
        ...[
          '>=',
          'in',
          'not',
          'between',
          'and',
          'or',
          'is',
          'null',
          '(',
          ')',
          ',',
          '"é😀"',
          '"\ue000"',
          'PENDING',
        ],
        ...['9223372036854775807', '-9223372036854775809', '9007199254740993', '1.5', 'true', ' ', '1e5'],
      ),
      { maxLength: 40 },
    )
    .map((p) => p.join(' ')),
  text,
);
const sorts = fc.oneof(
  fc.constantFrom(
    'id',
    '-time_initiated',
    '+backup_name,-id',
    ' initiated_by',
    'status',
    'id,id',
    '+',
    '-',
    ',',
    '',
  ),
  fc
    .array(
      fc.constantFrom(
        'id',
        'time_completed',
        'is_cross_deployment_restore',
        'groups',
        ',',
        '+',
        '-',
        ' ',
        '\t',
      ),
      {
        maxLength: 20,
      },
    )
    .map((p) => p.join('')),
  text,
);
const ranges = fc.oneof(
  fc.constantFrom('items=1-0', 'items=0-', 'items=-1-2', 'items=99999999999999999999-1', 'bytes=0-1'),
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]) => `items=${from}-${to}`),
  text,
);
const versions = fc.oneof(fc.constantFrom('3.0', '11.9', '26.5', '13, 14', '0', 'latest'), text);
const authorizations = fc.oneof(
  fc.constantFrom(basic(UNKNOWN_USER, PASSWORD), 'Basic', 'Basic !!!', 'Bearer x'),
  fc
    .record({ user: fc.oneof(fc.constant(USER), text), password: fc.oneof(fc.constant(PASSWORD), text) })
    .map(({ user, password }) => basic(user, password)),
  text.map((t) => `Basic ${t}`),
  text,
);
const accepts = fc.oneof(fc.constantFrom('*/*', 'text/html', 'application/json;q=0', ''), text);
const methods = fc.oneof(fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'get'), text);
const segments = fc.oneof(
  fc.constantFrom('api', 'help', 'versions', 'resources', 'endpoints', 'backup_and_restore', 'restores'),
  fc.constantFrom('1', '0', '-1', '007', '99999999999999999999', '', '.', '..', '%2F', '%', '%E0%A4%A'),
  text,
  escaped,
);
const HELP_LISTS = ['/api/help/versions', '/api/help/resources', '/api/help/endpoints'];
/** The paths of the endpoints: the restore's with any id, the help lists and their objects. */
const LIST_PATH = '/api/backup_and_restore/restores';
const endpointPaths = fc.oneof(
  fc.constant(LIST_PATH),
  mostly(fc.constantFrom('1', '2'), ids).map((id) => `/api/backup_and_restore/restores/${id}`),
  fc.constantFrom(...HELP_LISTS),
  fc
    .tuple(fc.constantFrom(...HELP_LISTS), fc.oneof(fc.nat(12).map(String), ids))
    .map(([list, id]) => `${list}/${id}`),
);
const paths = fc.oneof(
  fc.constantFrom(
    '/api/help',
    '/api',
    '/api/',
    '/api/help/versions/',
    '/API/help/versions',
    '/api//help/versions',
    '/',
    '',
  ),
  fc.array(segments, { maxLength: 6 }).map((parts) => `/api/${parts.join('/')}`),
  text,
);

/** Any request under /api (and beyond): method, path, query and headers, each part mostly valid. */
const httpRequests = fc
  .record({
    method: mostly(fc.constantFrom('GET', 'HEAD'), methods),
    path: mostly(endpointPaths, paths),
    fields: mostly(fc.constantFrom(undefined, 'id', 'id,version', 'parameters(parameter_name),id'), fields),
    filter: mostly(
      fc.constantFrom(
        undefined,
        'version >= "25"',
        'id in (1, 2)',
        'deprecated = false',
        'status != SUCCESS',
      ),
      fc.oneof(filters, restoreFilters),
    ),
    sort: mostly(fc.constantFrom(undefined, '-time_initiated', 'initiated_by,-id'), sorts),
    unknown: mostly(absent, text),
    SEC: mostly(fc.constantFrom(TOKEN, ` ${TOKEN} `), fc.oneof(absent, text)),
    Authorization: mostly(absent, fc.oneof(fc.constant(basic(USER, PASSWORD)), authorizations)),
    Accept: mostly(fc.constantFrom(undefined, 'application/json'), accepts),
    Version: mostly(fc.constantFrom(undefined, '26.0', '26', '12', '12.05', ' 13 ', '027.0'), versions),
    Range: mostly(fc.constantFrom(undefined, 'items=0-1', 'items=5-9'), ranges),
    Origin: mostly(absent, fc.oneof(fc.constantFrom(ORIGIN, 'https://evil.example'), text)),
    'Access-Control-Request-Method': mostly(absent, fc.constantFrom('GET', 'DELETE', '')),
  })
  .map(
    ({ method, path, fields, filter, sort, unknown, ...headers }): HttpRequest => ({
      method,
      path,
      ...(fields === undefined ? {} : { fields }),
      query: defined({ filter, sort, unknown }),
      headers: defined(headers),
    }),
  );

/** CORS preflights, from the allowed origin and another, to any of those requests' paths. */
const preflights = fc
  .tuple(httpRequests, fc.constantFrom(ORIGIN, 'https://evil.example'), fc.constantFrom('GET', 'DELETE'))
  .map(([request, Origin, method]) => ({
    ...request,
    method: 'OPTIONS',
    headers: { ...request.headers, Origin, 'Access-Control-Request-Method': method },
  }));

/** The entries of `values` that are set. */
const defined = (values: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

/** An HTTP request as each source delivers it (contract 11.7): decoded by an HTTP API, still encoded otherwise. */
const delivered = fc
  .tuple(
    fc.oneof({ weight: 9, arbitrary: httpRequests }, { weight: 1, arbitrary: preflights }),
    fc.constantFrom('httpApi', 'functionUrl', 'restApi', 'httpApiV1'),
  )
  .map(([request, source]) => {
    if (source === 'restApi') return httpV1Event(request);
    if (source === 'httpApiV1') return { ...httpV1Event(request), version: '1.0' };
    const event = httpV2Event(request);
    if (source === 'httpApi') return event;
    const requestContext = { ...event.requestContext, domainName: 'abc123.lambda-url.us-east-1.on.aws' };
    return { ...event, requestContext };
  });

/** A direct invocation of the list: its four parameters, mostly strings, sometimes anything. */
const listPayloads = fc.record(
  {
    filter: mostly(fc.constantFrom('status = PENDING', 'id > 1'), fc.oneof(restoreFilters, fc.jsonValue())),
    sort: mostly(fc.constantFrom('-id', 'time_initiated'), fc.oneof(sorts, fc.jsonValue())),
    range: mostly(fc.constantFrom('items=0-1', 'items=2-9'), fc.oneof(ranges, fc.jsonValue())),
    fields: mostly(fc.constantFrom('id', 'id,status'), fc.oneof(fields, fc.jsonValue())),
    id: fc.oneof(ids, fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/** Routing for direct invocations: a payload naming a list parameter goes to the list function. */
const isListPayload = (event: unknown): boolean =>
  typeof event === 'object' &&
  event !== null &&
  ['filter', 'sort', 'range'].some((key) => Object.hasOwn(event, key));

export const hostileEvents = fc.oneof(
  { weight: 6, arbitrary: delivered },
  {
    weight: 2,
    arbitrary: fc.record(
      { id: fc.oneof(ids, fc.jsonValue(), fc.double()), fields: fc.oneof(fields, fc.jsonValue()) },
      { requiredKeys: [] },
    ),
  },
  { weight: 2, arbitrary: listPayloads },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.anything() },
);

/** The statuses of the contract's answers other than 5xx: 204 answers a CORS preflight. */
const ALLOWED: ReadonlySet<number> = new Set([200, 204, 401, 403, 404, 405, 406, 422]);
/** The errors a direct invocation may throw here, and the status their body must carry. */
const INVOKE_ERRORS: ReadonlyMap<string, number> = new Map([
  ['InvalidRequest', 422],
  ['RestoreNotFound', 404],
]);

interface Answer {
  readonly statusCode?: number;
  readonly body?: string;
  /** Undefined for a direct invocation's thrown error, which has none. */
  readonly headers?: Record<string, string>;
}

/** A thrown error as the direct caller receives it (contract section 8), or why it may not be thrown. */
const invokeAnswer = (error: unknown): Answer => {
  const { name, message, stack = '' } = error as Error;
  const status = INVOKE_ERRORS.get(name);
  if (status === undefined) throw new Error(`threw ${name}: ${message}`);
  // Lambda hands the stack to the caller as its trace: file paths must not be in it.
  if (/\n\s*at /.test(stack)) throw new Error(`threw ${name} with a stack trace`);
  let body: { http_response?: { code?: unknown } } | null;
  try {
    body = JSON.parse(message) as typeof body;
  } catch {
    throw new Error(`threw ${name} without a JSON error body: ${message}`);
  }
  if (body?.http_response?.code !== status) throw new Error(`threw ${name} with the body of another status`);
  return { statusCode: status, body: message };
};

/** Strings in the event longer than 100 characters: none may reach the answer whole. */
const longStrings = (value: unknown, out: string[] = [], depth = 0): string[] => {
  if (depth > 20) return out;
  if (typeof value === 'string' && value.length > 100) out.push(value);
  else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) longStrings(inner, out, depth + 1);
  return out;
};

/** Throws, with the reason, when an answer breaks the contract or echoes too much of `event`. */
const checkResponse = (event: unknown, response: Answer, thrown: boolean): void => {
  if (response.statusCode === undefined) return; // a direct invocation's restore object
  if (!ALLOWED.has(response.statusCode)) throw new Error(`answered ${response.statusCode}: ${response.body}`);
  // A preflight carries the CORS headers instead of section 7's, and no body.
  if (response.statusCode === 204) return;
  if (!thrown && response.headers?.['X-Content-Type-Options'] !== 'nosniff') {
    throw new Error('missing security headers');
  }
  if (!response.body) return; // HEAD: the contract check has made sure it is empty
  const body = JSON.parse(response.body) as { code?: number; message?: string };
  if (response.statusCode !== 200 && (typeof body.code !== 'number' || typeof body.message !== 'string')) {
    throw new Error(`not a QRadar error body: ${response.body}`);
  }
  for (const value of longStrings(event)) {
    // 110, not 101: the text after an echo (" to Long", a quote) may by chance continue it.
    if (value.length >= 110 && response.body.includes(JSON.stringify(value.slice(0, 110)).slice(1, -1))) {
      throw new Error('echoed more than 100 characters of a caller value');
    }
  }
};

// Shorter sent text is left out: it occurs in ordinary log text by chance.
const SECRET_MIN_LENGTH = 12;

/** A value, and its head, middle and tail: a log that cut a credential would still hold one. */
const withPieces = (value: string): string[] => {
  const n = SECRET_MIN_LENGTH;
  const middle = Math.max(0, Math.floor((value.length - n) / 2));
  return [value, value.slice(0, n), value.slice(middle, middle + n), value.slice(-n)];
};

/**
 * What the request's log lines must not hold: the known credentials, the SEC and
 * Authorization values sent (trimmed or not, whole or cut), the password inside Basic, and
 * the hashes a lookup is keyed by. Sent text is left out where the log may rightly hold it:
 * inside the path, the method, the API request id or the user name that was logged.
 */
const secretsOf = (event: unknown): string[] => {
  const request = readEvent(event);
  const sent = [request.headers['sec'], request.headers['authorization']].flatMap((value) =>
    value === undefined ? [] : [value, value.trim()],
  );
  const credentials = parseBasic(request.headers['authorization']);
  const basicParts = typeof credentials === 'object' ? credentials : undefined;
  const loggable = [request.path, request.method, request.apiRequestId ?? '', basicParts?.user ?? ''];
  const chosen = [...sent, basicParts?.password ?? '']
    .filter((value) => value.length >= SECRET_MIN_LENGTH)
    .flatMap(withPieces)
    .filter((piece) => !loggable.some((text) => text.includes(piece)));
  return [...new Set([...knownSecrets, ...sent.map(hashToken), ...chosen])];
};

const checkLogged = (event: unknown, lines: readonly string[]): void => {
  for (const secret of secretsOf(event)) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (lines.some((line) => line.includes(secret) || line.includes(escaped))) {
      throw new Error(`logged a credential: ${secret.slice(0, 40)}`);
    }
  }
};

/** Throws, with the reason, when the answer to `event` or what it logged breaks the property. */
export const checkAnswer = async (handler: Handler, event: unknown): Promise<void> => {
  const output = await captureOutput(() => handler(event, lambdaContext()));
  const thrown = output.outcome.status === 'rejected';
  const response =
    output.outcome.status === 'rejected'
      ? invokeAnswer(output.outcome.reason)
      : (output.outcome.value as Answer);
  checkResponse(event, response, thrown);
  checkLogged(event, outputLines(output));
};
