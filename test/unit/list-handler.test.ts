// The list function (contract section 13) over a mocked DocumentClient: what it asks DynamoDB
// and what it answers, every answer checked against docs/openapi.json.

import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  DynamoDBDocumentClient,
  GetCommand,
  NumberValue,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../lib/auth/authenticate.ts';
import { MAX_BODY_BYTES } from '../../lib/http/body-size.ts';
import { contractChecked } from '../../local/harness/contract.ts';
import { type HttpRequest, httpV2Event, lambdaContext } from '../../local/harness/events.ts';
import { errorBody, expectResponse } from '../support/responses.ts';

vi.stubEnv('RESTORES_TABLE', 'restores-unit');
vi.stubEnv('AUTHORIZED_SERVICES_TABLE', 'services-unit');
const { handler: bare } = await import('../../handlers/listRestores.ts');
const handler = contractChecked(bare, 'listRestores');

const dynamo = mockClient(DynamoDBDocumentClient);
const n = (text: string) => new NumberValue(text);
const PATH = '/api/backup_and_restore/restores';
const TOKEN = 'unit-test-token';
const LIST_FAILED = 'An error occurred during the attempt to retrieve the restores.';

type Item = Record<string, unknown>;

const restore = (id: string, extra: Item = {}): Item => ({
  id: n(id),
  initiated_by: 'admin',
  host_id: n('9223372036854775807'),
  time_initiated: n(String(1_767_225_600_000 + Number(id))),
  time_completed: null,
  status: 'IN_PROGRESS',
  is_cross_deployment_restore: false,
  backup_id: n('9007199254740993'),
  backup_name: `backup ${id}`,
  backup_version: '7.5.0',
  backup_type: 'CONFIG',
  backup_filename: 'backup.tgz',
  groups: ['USERS_CONFIG'],
  ...extra,
});

/** The projection of `item` to the attributes a request's ProjectionExpression names. */
const projected = (
  item: Item,
  input: {
    ProjectionExpression?: string | undefined;
    ExpressionAttributeNames?: Record<string, string> | undefined;
  },
) => {
  const names = (input.ProjectionExpression ?? '')
    .split(', ')
    .map((p) => input.ExpressionAttributeNames?.[p] ?? p);
  return Object.fromEntries(names.filter((name) => name in item).map((name) => [name, item[name]]));
};

/**
 * The table: Scan answers segment 0 with `items` (projected, in pages of `pageSize`), the other
 * segments with nothing; BatchGetItem answers the keys it holds (projected).
 */
const table = (items: readonly Item[], pageSize = 1000) => {
  dynamo.on(ScanCommand, { TableName: 'restores-unit' }).callsFake((input: ScanCommandInput) => {
    if ((input.Segment ?? 0) !== 0)
      return { Items: [], ScannedCount: 0, ConsumedCapacity: { CapacityUnits: 0.5 } };
    const start = Number((input.ExclusiveStartKey?.['id'] as NumberValue | undefined)?.value ?? -1);
    const from = items.findIndex((item) => Number((item['id'] as NumberValue).value) > start);
    const page = from < 0 ? [] : items.slice(from, from + pageSize);
    const last = page.at(-1);
    return {
      Items: page.map((item) => projected(item, input)),
      ScannedCount: page.length,
      ConsumedCapacity: { CapacityUnits: 1.5 },
      ...(from >= 0 && from + pageSize < items.length && last
        ? { LastEvaluatedKey: { id: last['id'] } }
        : {}),
    };
  });
  dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const request = input.RequestItems?.['restores-unit'];
    const wanted = new Set((request?.Keys ?? []).map((key) => String(key['id'])));
    return {
      Responses: {
        'restores-unit': items
          .filter((item) => wanted.has((item['id'] as NumberValue).value))
          .map((item) => projected(item, request ?? {})),
      },
      ConsumedCapacity: [{ TableName: 'restores-unit', CapacityUnits: 0.5 * wanted.size }],
    };
  });
};

const list = (request: HttpRequest = {}) =>
  handler(
    httpV2Event({ path: PATH, ...request, headers: { SEC: TOKEN, ...request.headers } }),
    lambdaContext(),
  ) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
const query = (query: Record<string, string>, headers: Record<string, string> = {}) =>
  list({ query, headers });
const invoke = (payload: unknown) => handler(payload, lambdaContext());
const ids = (body: string) => (JSON.parse(body) as { id: number }[]).map((item) => item.id);

/** Services by token: the capabilities each holds. Lookups are cached: each test uses its own token. */
const SERVICES: Record<string, string[]> = { [TOKEN]: ['BACKUP'], 'assets-only-token': ['ASSETS'] };
const UNREACHABLE_TOKEN = 'a-token-whose-lookup-fails';

beforeEach(() => {
  dynamo.reset();
  dynamo
    .on(GetCommand, { TableName: 'services-unit' })
    .callsFake((input: { Key: { token_hash: string } }) => {
      if (input.Key.token_hash === hashToken(UNREACHABLE_TOKEN)) {
        throw new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
      }
      const found = Object.entries(SERVICES).find(([token]) => hashToken(token) === input.Key.token_hash);
      return found === undefined ? {} : { Item: { name: 'unit', capabilities: new Set(found[1]) } };
    });
  for (const level of ['info', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('200', () => {
  it('answers every restore by id ascending, Longs exact, with Content-Range, from an eventually consistent Scan', async () => {
    table([restore('3'), restore('1'), restore('2')]);
    const response = await list();
    expectResponse(response, 200, expect.any(Array));
    expect(ids(response.body)).toEqual([1, 2, 3]);
    expect(response.body).toContain('"host_id":9223372036854775807');
    expect(response.body).toContain('"backup_id":9007199254740993');
    expect(response.headers['Content-Range']).toBe('items 0-2/3');
    const scans = dynamo.commandCalls(ScanCommand);
    expect(scans.map((call) => call.args[0].input.Segment).sort()).toEqual([0, 1, 2, 3]);
    expect(scans[0]?.args[0].input).toMatchObject({
      TableName: 'restores-unit',
      ConsistentRead: false,
      ReturnConsumedCapacity: 'TOTAL',
      TotalSegments: 4,
      ProjectionExpression: '#a0',
      ExpressionAttributeNames: { '#a0': 'id' },
    });
    expect(scans[0]?.args[0].input.FilterExpression).toBeUndefined();
  });

  it('pushes the filter down, and filters again what DynamoDB returns', async () => {
    // The mock ignores the FilterExpression: what passes is the function's own doing.
    table([restore('1', { status: 'PENDING' }), restore('2', { status: 'SUCCESS' }), restore('3')]);
    const response = await query({ filter: 'status in (PENDING, SUCCESS)' });
    expect(ids(response.body)).toEqual([1, 2]);
    expect(response.headers['Content-Range']).toBe('items 0-1/2');
    expect(dynamo.commandCalls(ScanCommand)[0]?.args[0].input).toMatchObject({
      FilterExpression: '(#a0 = :v0 OR #a0 = :v1)',
      ExpressionAttributeValues: { ':v0': 'PENDING', ':v1': 'SUCCESS' },
      ExpressionAttributeNames: { '#a0': 'status', '#a1': 'id' },
      ProjectionExpression: '#a1, #a0',
    });
  });

  it('sorts, ties by id, cuts to the Range, and reads only the slice by key', async () => {
    table(['5', '4', '3', '2', '1'].map((id) => restore(id, { initiated_by: Number(id) % 2 ? 'b' : 'a' })));
    const response = await query({ sort: '-initiated_by', fields: 'id' }, { Range: 'items=1-3' });
    // b: 1, 3, 5; a: 2, 4 — ties by id ascending.
    expect(ids(response.body)).toEqual([3, 5, 2]);
    expect(response.headers['Content-Range']).toBe('items 1-3/5');
    // The sort values are in the rows, but the answer's field is too: no read by key.
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
    const fetched = await query({ sort: '-initiated_by', fields: 'status' }, { Range: 'items=1-3' });
    expect(JSON.parse(fetched.body)).toEqual([
      { status: 'IN_PROGRESS' },
      { status: 'IN_PROGRESS' },
      { status: 'IN_PROGRESS' },
    ]);
    const [batch] = dynamo.commandCalls(BatchGetCommand);
    expect(batch?.args[0].input).toMatchObject({
      RequestItems: {
        'restores-unit': {
          Keys: [{ id: 3n }, { id: 5n }, { id: 2n }],
          ConsistentRead: false,
          ProjectionExpression: '#a0, #a1',
          ExpressionAttributeNames: { '#a0': 'id', '#a1': 'status' },
        },
      },
      ReturnConsumedCapacity: 'TOTAL',
    });
  });

  it('sorts nulls first ascending and last descending, Longs exactly', async () => {
    table([
      restore('1', { time_completed: n('9007199254740993') }),
      restore('2', { time_completed: null }),
      restore('3', { time_completed: n('9007199254740992') }),
    ]);
    expect(ids((await query({ sort: 'time_completed', fields: 'id' })).body)).toEqual([2, 3, 1]);
    expect(ids((await query({ sort: '-time_completed', fields: 'id' })).body)).toEqual([1, 3, 2]);
  });

  it('reads every page of the Scan', async () => {
    table(
      Array.from({ length: 7 }, (_, i) => restore(String(i + 1))),
      3,
    );
    const response = await query({ fields: 'id' });
    expect(ids(response.body)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const starts = dynamo
      .commandCalls(ScanCommand)
      .filter((call) => call.args[0].input.Segment === 0)
      .map((call) => (call.args[0].input.ExclusiveStartKey?.['id'] as NumberValue | undefined)?.value);
    expect(starts).toEqual([undefined, '3', '6']);
  });

  it('answers [] and items */0 when nothing matches, and items */TOTAL past the end', async () => {
    table([restore('1')]);
    const none = await query({ filter: 'status = SUCCESS' });
    expectResponse(none, 200, []);
    expect(none.headers['Content-Range']).toBe('items */0');
    const past = await query({}, { Range: 'items=5-9' });
    expectResponse(past, 200, []);
    expect(past.headers['Content-Range']).toBe('items */1');
  });

  it('answers HEAD as GET without a body', async () => {
    table([restore('1'), restore('2')]);
    const response = await list({ method: 'HEAD' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers['Content-Range']).toBe('items 0-1/2');
  });

  it('skips a restore deleted between the scan and the read by key, and counts without it', async () => {
    const items = [restore('1'), restore('2'), restore('3')];
    table(items);
    dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      const request = input.RequestItems?.['restores-unit'];
      const wanted = new Set((request?.Keys ?? []).map((key) => String(key['id'])));
      wanted.delete('2');
      return {
        Responses: {
          'restores-unit': items.filter((item) => wanted.has((item['id'] as NumberValue).value)),
        },
      };
    });
    const response = await query({ fields: 'id,status' }, { Range: 'items=0-1' });
    expect(ids(response.body)).toEqual([1, 3]);
    expect(response.headers['Content-Range']).toBe('items 0-1/2');
  });

  it('asks again for unprocessed keys', async () => {
    const items = [restore('1'), restore('2')];
    table(items);
    let first = true;
    dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
      const request = input.RequestItems?.['restores-unit'];
      const keys = request?.Keys ?? [];
      const [now, later] = first ? [keys.slice(0, 1), keys.slice(1)] : [keys, []];
      first = false;
      const wanted = new Set(now.map((key) => String(key['id'])));
      return {
        Responses: { 'restores-unit': items.filter((item) => wanted.has((item['id'] as NumberValue).value)) },
        ...(later.length > 0 ? { UnprocessedKeys: { 'restores-unit': { ...request, Keys: later } } } : {}),
      };
    });
    const response = await query({ fields: 'id,status' });
    expect(ids(response.body)).toEqual([1, 2]);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(
      dynamo.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.['restores-unit']?.Keys,
    ).toEqual([{ id: 2n }]);
  });
});

describe('the size bound', () => {
  // DynamoDB holds 400 KB an item; the mock lets the test reach 5 MiB with few of them.
  const big = (id: string) => restore(id, { backup_name: 'x'.repeat(1_000_000) });

  it('is 422 code 37 without Range, naming the filtered total', async () => {
    table(['1', '2', '3', '4', '5', '6'].map(big));
    expectResponse(
      await list(),
      422,
      errorBody(
        422,
        37,
        'The list holds 6 restores, too many for one response; page through it with the Range header, e.g. Range: items=0-999.',
      ),
    );
  });

  it('says so without reading any record when even the smallest restores could not fit', async () => {
    table(Array.from({ length: 30_000 }, (_, i) => restore(String(i + 1))));
    // Every field: at least 234 bytes each, so 30,000 pass 5 MiB whatever they hold.
    const response = await list();
    expectResponse(response, 422, errorBody(422, 37, /^The list holds 30000 restores/));
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('cuts a Range slice to the leading items that fit, with a truthful Content-Range', async () => {
    table(['1', '2', '3', '4', '5', '6'].map(big));
    const response = await query({ fields: 'id,backup_name' }, { Range: 'items=1-5' });
    expect(response.statusCode).toBe(200);
    expect(ids(response.body)).toEqual([2, 3, 4, 5, 6].slice(0, 5));
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(response.headers['Content-Range']).toBe(`items 1-5/6`);
    const four = await query({}, { Range: 'items=0-5' });
    expect(ids(four.body)).toEqual([1, 2, 3, 4, 5]);
    expect(four.headers['Content-Range']).toBe('items 0-4/6');
  });
});

describe('errors', () => {
  it('405 code 5 with Allow: GET, HEAD for another method, after credentials', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await list({ method });
      expectResponse(response, 405, errorBody(405, 5));
      expect(response.headers['Allow']).toBe('GET, HEAD');
    }
    expectResponse(await list({ method: 'POST', headers: { SEC: 'unknown' } }), 401, errorBody(401, 18));
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('403 code 26 without BACKUP or ADMIN', async () => {
    expectResponse(await list({ headers: { SEC: 'assets-only-token' } }), 403, errorBody(403, 26));
  });

  it('checks fields (31, 30), filter (12), sort (1018), then Range (36), before reading anything', async () => {
    table([restore('1')]);
    const cases: [Record<string, string>, Record<string, string>, number][] = [
      [{ fields: 'id,,x', filter: 'x', sort: 'x' }, { Range: 'x' }, 31],
      [{ fields: 'nope', filter: 'x', sort: 'x' }, { Range: 'x' }, 30],
      [{ filter: 'groups = 1', sort: 'status' }, { Range: 'x' }, 12],
      [{ filter: 'status = PENDING', sort: 'status' }, { Range: 'x' }, 1018],
      [{ sort: 'id,id' }, { Range: 'items=2-1' }, 1018],
      [{ sort: '-id' }, { Range: 'items=2-1' }, 36],
    ];
    for (const [parameters, headers, code] of cases) {
      expectResponse(await query(parameters, headers), 422, errorBody(422, code));
    }
    expect(dynamo.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('is a 500 for a record in the slice that breaks section 3, logged with its id; not for one outside it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    table([restore('1'), restore('2', { status: 'FINISHED' })]);
    const response = await list();
    expectResponse(response, 500, { ...errorBody(500, 1000), description: LIST_FAILED });
    expect(response.body).not.toMatch(/FINISHED|RecordError|restore 2/);
    expect(JSON.stringify(error.mock.calls)).toMatch(/restore 2: status is not one of its enum values/);
    // Outside the slice, or not selected by the filter: no harm done.
    expect((await list({ headers: { Range: 'items=0-0' } })).statusCode).toBe(200);
    expect((await query({ filter: 'id = 1' })).statusCode).toBe(200);
  });

  it('is a 500 when the filter selects a record whose sort attribute cannot be ordered, not when it leaves it out', async () => {
    table([restore('1'), restore('2', { time_initiated: 'yesterday' })]);
    const response = await query({ sort: 'time_initiated', fields: 'id' });
    expectResponse(response, 500, { ...errorBody(500, 1000), description: LIST_FAILED });
    // A value of the wrong type never matches a comparison: the filter leaves it out.
    expect(
      (await query({ sort: 'time_initiated', filter: 'time_initiated > 0', fields: 'id' })).statusCode,
    ).toBe(200);
  });

  it("is a 503 with Retry-After when the store is throttled, its description the list's", async () => {
    dynamo
      .on(ScanCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const response = await list();
    expectResponse(response, 503, { ...errorBody(503, 1000), description: LIST_FAILED });
    expect(response.headers['Retry-After']).toBe('1');
  });

  it("gives the list's description to a 503 of the credential lookup too", async () => {
    expectResponse(await list({ headers: { SEC: UNREACHABLE_TOKEN } }), 503, {
      ...errorBody(503, 1000),
      description: LIST_FAILED,
    });
  });
});

describe('direct invocation', () => {
  it('answers {items, total} with exact Longs for {filter, sort, range, fields}', async () => {
    table([restore('1'), restore('2', { status: 'PENDING' }), restore('3', { status: 'PENDING' })]);
    const result = await invoke({
      filter: 'status = PENDING',
      sort: '-id',
      range: 'items=0-0',
      fields: 'id,backup_id',
    });
    expect(JSON.stringify(result)).toBe('{"items":[{"id":3,"backup_id":9007199254740993}],"total":2}');
    expect(JSON.stringify(await invoke({}))).toMatch(/^\{"items":\[\{"id":1,.*"total":3\}$/);
    expect(JSON.stringify(await invoke(null))).toMatch(/"total":3\}$/);
    expect(JSON.stringify(await invoke({ filter: null, sort: null }))).toMatch(/"total":3\}$/);
  });

  it.each([
    ['a payload that is not an object', 'status = PENDING', 8],
    ['an array', ['id'], 8],
    ["getRestore's payload", { id: '1' }, 8],
    ['a parameter the list does not take', { filter: 'id = 1', limit: 5 }, 8],
    ['fields that are not a string', { fields: 5 }, 31],
    ['a filter that is not a string', { filter: { status: 'PENDING' } }, 12],
    ['a sort that is not a string', { sort: ['id'] }, 1018],
    ['a range that is not a string', { range: 5 }, 36],
  ])('throws InvalidRequest for %s', async (_, payload, code) => {
    const error = await invoke(payload).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.name).toBe('InvalidRequest');
    expect(JSON.parse(error?.message ?? '{}')).toMatchObject({ code, http_response: { code: 422 } });
    expect(error?.stack).not.toMatch(/\n\s+at /);
  });

  it('throws StoreUnavailable with the list description', async () => {
    dynamo
      .on(ScanCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    const error = await invoke({}).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error?.name).toBe('StoreUnavailable');
    expect(JSON.parse(error?.message ?? '{}')).toMatchObject({ code: 1000, description: LIST_FAILED });
  });
});
