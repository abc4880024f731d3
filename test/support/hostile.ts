// Whole events as a hostile caller could send them, and the property every answer must keep:
// a 200 or one of the spec's 4xx bodies (never a 500, never a stray throw), and no caller
// value echoed beyond 100 characters. Run by test/unit/hostile.test.ts (a few thousand
// cases) and by `npm run fuzz` (100,000).

import fc from 'fast-check';
import { createHandler } from '../../handlers/getRestore.ts';
import { hashToken } from '../../lib/auth.ts';
import type { Handler } from '../../lib/chain.ts';
import { LOCAL_TABLES } from '../../scripts/local-tables.ts';
import { contractChecked } from './contract.ts';
import { httpV1Event, httpV2Event, lambdaContext } from './events.ts';
import { getItemReply, stubDependencies } from './stub-handler.ts';

const TOKEN = 'fuzz-token';
const RESTORE = {
  id: { N: '1' },
  status: { S: 'PENDING' },
  host_id: { N: '9223372036854775807' },
  groups: { L: [{ S: 'USERS_CONFIG' }] },
  time_completed: { NULL: true },
};

export const hostileHandler = (): Handler => {
  const hash = hashToken(TOKEN);
  return contractChecked(
    createHandler(
      stubDependencies(({ body }) => {
        const key = body['Key'] as Record<string, { S?: string; N?: string }>;
        if (body['TableName'] === LOCAL_TABLES.authorizedServicesTable) {
          return getItemReply(
            key['token_hash']?.S === hash
              ? { name: { S: 'fuzz' }, capabilities: { SS: ['BACKUP'] } }
              : undefined,
          );
        }
        return getItemReply(key['id']?.N === '1' ? RESTORE : undefined);
      }),
    ),
  );
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
const ids = fc.oneof(
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('1', '+1', '-0', '0001', '%2B1', '%31', '%', '%E0%A4%A', '1%00', '9223372036854775807'),
  text,
  text.map((s) => (s.isWellFormed() ? encodeURIComponent(s) : s)),
);
const fields = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('id', 'id,status', ' id , groups ', 'status(x)', 'id,id', '()', 'a'.repeat(3000)),
  fc.nat(40).map((depth) => `${'id('.repeat(depth)}id${')'.repeat(depth)}`),
  fc
    .array(fc.constantFrom('id', 'status', 'nope', ',', '(', ')', ' ', '\t', 'groups'), { maxLength: 30 })
    .map((p) => p.join('')),
  text,
);
const headers = fc.record(
  {
    SEC: fc.oneof(fc.constant(TOKEN), text),
    Accept: fc.oneof(
      fc.constantFrom('application/json', '*/*', 'text/html', 'application/json;q=0', ''),
      text,
    ),
    Version: text,
  },
  { requiredKeys: [] },
);

export const hostileEvents = fc.oneof(
  fc
    .record({ id: ids, fields, headers })
    .map(({ id, fields, headers }) =>
      httpV2Event({ id, headers, ...(fields === undefined ? {} : { fields }) }),
    ),
  fc
    .record({ id: ids, fields, headers })
    .map(({ id, fields, headers }) =>
      httpV1Event({ id, headers, ...(fields === undefined ? {} : { fields }) }),
    ),
  fc.record(
    { id: fc.oneof(ids, fc.jsonValue(), fc.double()), fields: fc.oneof(fields, fc.jsonValue()) },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
  fc.anything(),
);

const ALLOWED: ReadonlySet<number> = new Set([200, 401, 403, 404, 406, 422]);
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

/** A thrown error as the direct caller receives it (spec section 8), or why it may not be thrown. */
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

/** Throws, with the reason, when the answer to `event` breaks the contract. */
export const checkAnswer = async (handler: Handler, event: unknown): Promise<void> => {
  let response: Answer;
  let thrown = false;
  try {
    response = (await handler(event, lambdaContext())) as Answer;
  } catch (error) {
    response = invokeAnswer(error);
    thrown = true;
  }
  if (response.statusCode === undefined) return; // a direct invocation's restore object
  if (!ALLOWED.has(response.statusCode)) throw new Error(`answered ${response.statusCode}: ${response.body}`);
  if (!thrown && response.headers?.['X-Content-Type-Options'] !== 'nosniff') {
    throw new Error('missing security headers');
  }
  const body = JSON.parse(response.body ?? '') as { code?: number; message?: string };
  if (response.statusCode !== 200 && (typeof body.code !== 'number' || typeof body.message !== 'string')) {
    throw new Error(`not a QRadar error body: ${response.body}`);
  }
  for (const value of longStrings(event)) {
    // 110, not 101: the text after an echo (" to Long", a quote) may by chance continue it.
    if (value.length >= 110 && response.body?.includes(JSON.stringify(value.slice(0, 110)).slice(1, -1))) {
      throw new Error('echoed more than 100 characters of a caller value');
    }
  }
};
