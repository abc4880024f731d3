// The api function: QRadar's help endpoints (contract 11.2 to 11.4) and 404 code 4 / 405 code 5
// for everything else under /api (11.5), through the whole chain, every answer contract-checked.

import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../../lib/auth/authenticate.ts';
import { ENDPOINTS } from '../../../lib/help/api-description.ts';
import { callableVersions, versionTableFrom } from '../../../lib/qradar/version.ts';
import { contractChecked } from '../../../local/harness/contract.ts';
import { httpV1Event, httpV2Event, lambdaContext } from '../../../local/harness/events.ts';
import { errorBody, expectResponse } from '../../support/responses.ts';

vi.stubEnv('RESTORES_TABLE', 'restores-help');
vi.stubEnv('AUTHORIZED_SERVICES_TABLE', 'services-help');
vi.stubEnv('AUTHORIZED_USERS_TABLE', 'users-help');
const api = await import('../../../handlers/api.ts');
const handler = contractChecked(api.handler);
vi.unstubAllEnvs();

const dynamo = mockClient(DynamoDBDocumentClient);
const VERSIONS = callableVersions(versionTableFrom({}));

beforeEach(() => {
  dynamo.reset();
  dynamo.on(GetCommand, { TableName: 'services-help' }).resolves({});
  dynamo
    .on(GetCommand, { TableName: 'services-help', Key: { token_hash: hashToken('reader') } })
    .resolves({ Item: { name: 'reader', capabilities: ['ASSETS'] } });
  dynamo
    .on(GetCommand, { TableName: 'services-help', Key: { token_hash: hashToken('backup') } })
    .resolves({ Item: { name: 'backup', capabilities: ['BACKUP'] } });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

interface Call {
  readonly path: string;
  readonly method?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
}

const call = async ({ path, method = 'GET', query, headers = {} }: Call) => {
  const base = httpV2Event({ headers: { SEC: 'reader', ...headers } });
  const event = {
    ...base,
    rawPath: path,
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method } },
  };
  return (await handler(event, lambdaContext())) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
};
const bodyOf = (response: { body: string }) => JSON.parse(response.body) as Record<string, unknown>[];

describe('GET /api/help/versions', () => {
  it('lists every callable version with Content-Range, for any valid credentials', async () => {
    const response = await call({ path: '/api/help/versions' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Range']).toBe(`items 0-${VERSIONS.length - 1}/${VERSIONS.length}`);
    const versions = bodyOf(response);
    expect(versions.map((v) => v['version'])).toEqual(VERSIONS.map((v) => v.version));
    expect(versions.at(-1)).toEqual({
      id: VERSIONS.length,
      version: '26.0',
      deprecated: false,
      removed: false,
      root_resource_ids: [1, 4],
    });
    expect(versions.find((v) => v['version'] === '12.0')).toMatchObject({ deprecated: true, removed: false });
  });

  it('takes filter, Range and fields together', async () => {
    const response = await call({
      path: '/api/help/versions',
      query: { filter: 'deprecated = false and version >= "25"', fields: 'version' },
      headers: { Range: 'items=1-5' },
    });
    expect(bodyOf(response)).toEqual([{ version: '26.0' }]);
    expect(response.headers['Content-Range']).toBe('items 1-1/2');
  });

  it('answers a Range past the end with [] and items */TOTAL', async () => {
    const response = await call({ path: '/api/help/versions', headers: { Range: 'items=100-200' } });
    expect(bodyOf(response)).toEqual([]);
    expect(response.headers['Content-Range']).toBe(`items */${VERSIONS.length}`);
  });

  it('gets one version by id, and 404 code 1002 for an unknown id, 422 code 11 for a non-number', async () => {
    expect(bodyOf(await call({ path: '/api/help/versions/1', query: { fields: 'id,version' } }))).toEqual({
      id: 1,
      version: VERSIONS[0]?.version,
    });
    expectResponse(
      await call({ path: '/api/help/versions/999' }),
      404,
      errorBody(
        404,
        1002,
        undefined,
        'No version documentation object was found for the provided version id.',
      ),
    );
    expectResponse(await call({ path: '/api/help/versions/abc' }), 422, errorBody(422, 11, /"id"/));
  });

  it('ignores Range on a single object', async () => {
    const response = await call({ path: '/api/help/versions/1', headers: { Range: 'garbage' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['Content-Range']).toBeUndefined();
  });
});

describe('GET /api/help/resources and /api/help/endpoints', () => {
  it('describes the resource tree of this API', async () => {
    const resources = bodyOf(
      await call({
        path: '/api/help/resources',
        query: { fields: 'id,path,parent_resource_id,child_resource_ids,endpoint_ids' },
      }),
    );
    expect(resources).toContainEqual({
      id: 3,
      path: '/backup_and_restore/restores/{id}',
      parent_resource_id: 2,
      child_resource_ids: [],
      endpoint_ids: [1],
    });
    expect(resources).toContainEqual({
      id: 4,
      path: '/help',
      parent_resource_id: null,
      child_resource_ids: [5, 7, 9],
      endpoint_ids: [],
    });
  });

  it('lists every endpoint from the one API description, with the caller access and the request version', async () => {
    const endpoints = bodyOf(
      await call({
        path: '/api/help/endpoints',
        query: { fields: 'id,path,version,caller_has_access,error_responses(unique_code)' },
        headers: { Version: '20' },
      }),
    );
    expect(endpoints.map((e) => e['path'])).toEqual(ENDPOINTS.map((e) => e.route.path));
    expect(endpoints[0]).toMatchObject({ id: 1, version: '20.0', caller_has_access: false });
    expect(endpoints[1]).toMatchObject({ caller_has_access: true });
    const errors = (endpoints[0]?.['error_responses'] ?? []) as { unique_code: number }[];
    expect(errors.map((e) => e.unique_code)).toEqual(
      expect.arrayContaining([18, 26, 11, 30, 31, 1001, 1000]),
    );
    expect(Object.keys(errors[0] ?? {})).toEqual(['unique_code']);
  });

  it('says a BACKUP caller may read restores', async () => {
    const [restore] = bodyOf(
      await call({
        path: '/api/help/endpoints',
        query: { filter: 'path = "/backup_and_restore/restores/{id}"', fields: 'caller_has_access' },
        headers: { SEC: 'backup' },
      }),
    );
    expect(restore).toEqual({ caller_has_access: true });
  });

  it('takes is null and is not null on the list fields of each help object', async () => {
    const withEndpoints = bodyOf(
      await call({
        path: '/api/help/resources',
        query: { filter: 'endpoint_ids is not null', fields: 'id' },
      }),
    );
    expect(withEndpoints.length).toBeGreaterThan(0);
    for (const [path, filter] of [
      ['/api/help/versions', 'root_resource_ids is null'],
      ['/api/help/resources', 'child_resource_ids is null'],
      ['/api/help/endpoints', 'error_responses is null'],
    ] as const) {
      expect(bodyOf(await call({ path, query: { filter } })), filter).toEqual([]);
    }
  });

  it('answers the list errors in order: fields 31, then 30, filter 12, Range 36', async () => {
    const list = (query: Record<string, string>, range?: string) =>
      call({ path: '/api/help/endpoints', query, headers: range ? { Range: range } : {} });
    expectResponse(await list({ fields: 'id,,x', filter: '(' }, 'bad'), 422, errorBody(422, 31));
    expectResponse(await list({ fields: 'nope', filter: '(' }, 'bad'), 422, errorBody(422, 30));
    expectResponse(await list({ fields: 'parameters(nope)' }), 422, errorBody(422, 30));
    expectResponse(await list({ filter: 'parameters = 1' }, 'bad'), 422, errorBody(422, 12));
    expectResponse(await list({ filter: 'id = "x"' }), 422, errorBody(422, 12));
    expectResponse(
      await list({}, 'items=5'),
      422,
      errorBody(
        422,
        36,
        'Failed to parse Range header. The syntax of the Range header must follow this pattern: items=x-y',
      ),
    );
    expectResponse(
      await list({}, 'items=5-1'),
      422,
      errorBody(
        422,
        36,
        'Range of pages specified in "Range" header is negative. Non-negative page range must be specified.',
      ),
    );
  });
});

describe('help object ids (contract 5: only a non-number is code 11)', () => {
  it('reads an id as Java reads an Integer: sign and leading zeros; a number that names nothing is 1002', async () => {
    expect(bodyOf(await call({ path: '/api/help/versions/0000000001', query: { fields: 'id' } }))).toEqual({
      id: 1,
    });
    expect(bodyOf(await call({ path: '/api/help/versions/+1', query: { fields: 'id' } }))).toEqual({ id: 1 });
    for (const id of ['-1', '0', '2147483647']) {
      expect((await call({ path: `/api/help/endpoints/${id}` })).statusCode, id).toBe(404);
    }
    for (const id of ['2147483648', '1.0', '1e3', 'x']) {
      expectResponse(await call({ path: `/api/help/resources/${id}` }), 422, errorBody(422, 11));
    }
  });
});

describe('a direct invocation of the api function', () => {
  it('names no endpoint: a typed 404 code 4, not a 500', async () => {
    // Not through the contract check, which knows the restore function's invocations only.
    const thrown = await api.handler({ id: '1' }, lambdaContext()).catch((error: unknown) => error as Error);
    expect(thrown).toBeInstanceOf(Error);
    expect(JSON.parse((thrown as Error).message)).toMatchObject({ code: 4, http_response: { code: 404 } });
  });
});

describe('every other request under /api (contract 11.5)', () => {
  it('names the path decoded once, whatever the event source', async () => {
    const rest = {
      ...httpV1Event({ headers: { SEC: 'reader' } }),
      path: '/api/caf%C3%A9',
    };
    expectResponse(await handler(rest, lambdaContext()), 404, errorBody(404, 4, /^Relative path \(\/café\)/));
    expectResponse(await call({ path: '/api/café' }), 404, errorBody(404, 4, /^Relative path \(\/café\)/));
  });

  it('404 code 4 names the path after /api', async () => {
    expectResponse(
      await call({ path: '/api/backup_and_restore/backups' }),
      404,
      errorBody(
        404,
        4,
        'Relative path (/backup_and_restore/backups) is not a known endpoint resource. Please refer to documentation for list of endpoint resources.',
      ),
    );
    expectResponse(
      await call({ path: '/api/siem/offenses' }),
      404,
      errorBody(404, 4, /\(\/siem\/offenses\)/),
    );
  });

  it('405 code 5 with Allow for another method on a known path; HEAD answers as GET with no body', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const response = await call({ path: '/api/help/versions', method });
      expectResponse(response, 405, errorBody(405, 5));
      expect(response.headers['Allow']).toBe('GET, HEAD');
    }
    const head = await call({ path: '/api/help/versions', method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['Content-Range']).toMatch(/^items 0-/);
  });

  it('checks credentials, then Version, then Accept, before the route', async () => {
    expectResponse(await call({ path: '/api/nowhere', headers: { SEC: '' } }), 401, errorBody(401, 18));
    expectResponse(await call({ path: '/api/nowhere', headers: { Version: '3.0' } }), 422, errorBody(422, 2));
    expectResponse(
      await call({ path: '/api/nowhere', headers: { Version: '26.5' } }),
      422,
      errorBody(422, 3),
    );
    expectResponse(
      await call({ path: '/api/nowhere', headers: { Accept: 'text/html' } }),
      406,
      errorBody(406, 1),
    );
    expectResponse(
      await call({ path: '/api/nowhere', method: 'POST', headers: { Accept: 'text/html' } }),
      406,
      errorBody(406, 1),
    );
  });

  it('marks a deprecated version with Deprecated: true, on success and error alike', async () => {
    expect(
      (await call({ path: '/api/help/versions', headers: { Version: '13' } })).headers['Deprecated'],
    ).toBe('true');
    expect((await call({ path: '/api/nowhere', headers: { Version: '13.1' } })).headers['Deprecated']).toBe(
      'true',
    );
    expect((await call({ path: '/api/help/versions' })).headers['Deprecated']).toBeUndefined();
  });
});
