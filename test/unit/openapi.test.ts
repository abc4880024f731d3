// docs/openapi.json: it is what scripts/openapi.ts writes from lib/help/api-description.ts, its
// examples obey its schemas, it names what the code knows, and the contract check that every
// other test runs finds each request's operation and rejects what the document does not allow.

import { readFile } from 'node:fs/promises';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import spec from '../../docs/openapi.json' with { type: 'json' };
import { NO_CREDENTIALS } from '../../lib/auth/authenticate.ts';
import { ENDPOINTS } from '../../lib/help/api-description.ts';
import { answerHelp } from '../../lib/help/help.ts';
import { RESPONSE_HEADERS } from '../../lib/http/answer.ts';
import { readEvent } from '../../lib/http/event.ts';
import { ALLOW_HEADER, HELP_ROUTES } from '../../lib/http/routes.ts';
import { methodNotAllowed, QRadarError, unauthorized, unknownEndpoint } from '../../lib/qradar/errors.ts';
import { callableVersions, versionTableFrom } from '../../lib/qradar/version.ts';
import { RESTORE_FIELDS, RESTORE_GROUPS, RESTORE_STATUSES } from '../../lib/restore/fields.ts';
import { checkHttpResponse, checkInvokeOutcome, contractChecked } from '../../local/harness/contract.ts';
import { httpV2Event } from '../../local/harness/events.ts';
import { SAMPLE_RESTORES } from '../../local/sample-restores.ts';
import { openApiText } from '../../scripts/openapi.ts';
import { errorBody } from '../support/responses.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test walks the document by key; the contract check types what matters.
type Json = Record<string, any>;
const document = spec as Json;

/** Follows a $ref of the document. */
const deref = (value: Json): Json =>
  typeof value['$ref'] === 'string'
    ? deref(
        (value['$ref'] as string)
          .slice(2)
          .split('/')
          .reduce((object: Json, key) => object[key.replaceAll('~1', '/')], document),
      )
    : value;

const LIST_HEADERS = { 'Content-Range': 'items 0-0/1' };

/** The headers a response of `status` carries, as the service sends them. */
const headersFor = (status: number, extra: Record<string, string> = {}) => ({
  ...RESPONSE_HEADERS,
  ...(status === 503 ? { 'Retry-After': '1' } : {}),
  ...(status === 405 ? { Allow: ALLOW_HEADER } : {}),
  ...extra,
});
const response = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = headersFor(statusCode),
) => ({
  statusCode,
  headers,
  body: JSON.stringify(body),
});
const get = (path: string) => ({ method: 'GET', path });

/** A path that matches a template: `{id}` → 1, `{path}` → siem. */
const concrete = (template: string) => template.replace('{id}', '1').replace('{path}', 'siem');

/**
 * Every set of responses the document holds, with a request it documents: each operation's,
 * and the shared ones of `x-other-requests` (another method on a path, another path).
 */
const operations = function* () {
  for (const [template, item] of Object.entries(document['paths'] as Record<string, Json>)) {
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) {
      if (item[method] !== undefined) yield { template, method, operation: item[method] as Json };
    }
  }
  const other = document['x-other-requests'];
  yield { template: '/api/help/versions', method: 'put', operation: { responses: other.methods } };
  yield { template: '/api/siem/offenses', method: 'get', operation: { responses: other.paths } };
};

describe('docs/openapi.json', () => {
  it('is exactly what npm run openapi writes', async () => {
    const committed = await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(committed === openApiText(), 'docs/openapi.json is stale: run npm run openapi').toBe(true);
  });

  it('documents every endpoint of lib/help/api-description.ts, with every status and QRadar code it lists', () => {
    for (const endpoint of ENDPOINTS) {
      const operation = document['paths'][`/api${endpoint.route.path}`]?.get as Json;
      expect(operation?.['operationId']).toBe(endpoint.route.name);
      expect(operation['summary']).toBe(endpoint.summary);
      const ok = operation['responses']['200'];
      expect(ok.content['application/json'].schema).toEqual({
        $ref: `#/components/schemas/${endpoint.responseSchema}`,
      });
      expect(Object.hasOwn(ok.headers, 'Content-Range')).toBe(endpoint.list);
      for (const error of endpoint.errors) {
        const documented = operation['responses'][String(error.status)];
        expect(documented?.description, `${endpoint.route.name} ${error.status}`).toContain(
          error.description,
        );
        const examples = Object.values(documented.content['application/json'].examples as Json);
        expect(
          examples.some((example) => example.value.code === error.code),
          `${endpoint.route.name}: ${error.status} code ${error.code}`,
        ).toBe(true);
      }
      const parameters = [
        ...((document['paths'][`/api${endpoint.route.path}`].parameters ?? []) as Json[]),
        ...(operation['parameters'] as Json[]),
      ].map((p) => deref(p)['name']);
      expect(parameters).toEqual(
        expect.arrayContaining([...endpoint.parameters.map((p) => p.name), 'Version', 'Accept']),
      );
    }
  });

  it('holds examples that obey their own schemas, each under the operation that documents it', () => {
    let checked = 0;
    for (const { template, method, operation } of operations()) {
      for (const [status, documented] of Object.entries(operation['responses'] as Json)) {
        const { content, headers } = deref(documented);
        const extra = headers['Content-Range'] === undefined ? {} : LIST_HEADERS;
        if (content === undefined) continue;
        const examples = Object.values(content['application/json'].examples as Json);
        expect(examples.length, `${method} ${template} ${status}`).toBeGreaterThan(0);
        for (const { value } of examples) {
          const request = { method, path: concrete(template) };
          expect(() =>
            checkHttpResponse(request, response(Number(status), value, headersFor(Number(status), extra))),
          ).not.toThrow();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('lists the operations that exist, GET and HEAD of each endpoint, and nothing else', () => {
    expect(Object.keys(document['paths'])).toEqual(ENDPOINTS.map((e) => `/api${e.route.path}`));
    for (const [template, item] of Object.entries(document['paths'] as Record<string, Json>)) {
      const methods = Object.keys(item).filter((key) => key !== 'parameters');
      expect(methods, template).toEqual(['get', 'head']);
      const { get, head } = item as { get: Json; head: Json };
      expect(head['operationId']).toBe(`${get['operationId']}_head`);
      expect(head['parameters']).toEqual(get['parameters']);
      // The same statuses and headers, never a body.
      expect(Object.keys(head['responses'])).toEqual(Object.keys(get['responses']));
      for (const [status, response] of Object.entries(head['responses'] as Record<string, Json>)) {
        expect(response['content'], `${template} HEAD ${status}`).toBeUndefined();
        expect(response['headers']).toEqual(deref(get['responses'][status])['headers']);
      }
    }
  });

  it('says once what every other request answers: 405 code 5 for another method, 404 code 4 elsewhere', () => {
    const description = document['info'].description as string;
    expect(description).toContain('405 code 5');
    expect(description).toContain('404 code 4');
    const other = document['x-other-requests'] as { methods: Json; paths: Json };
    expect(Object.keys(other.methods)).toContain('405');
    expect(Object.keys(other.methods)).not.toContain('404');
    expect(Object.keys(other.paths)).toContain('404');
    expect(Object.keys(other.paths)).not.toContain('405');
    for (const responses of [other.methods, other.paths]) {
      expect(Object.keys(responses)).not.toContain('200');
      expect(deref(responses['405'] ?? responses['404'])['content']).toBeDefined();
    }
    const refused = deref(other.methods['405']);
    expect(Object.keys(refused['headers'])).toContain('Allow');
    // Each refusal's example obeys its own schema, as the check reads it.
    for (const { value } of Object.values(refused['content']['application/json'].examples as Json)) {
      expect(value.code).toBe(5);
      expect(() =>
        checkHttpResponse({ method: 'PUT', path: '/api/help/versions' }, response(405, value)),
      ).not.toThrow();
    }
  });

  it('pre-fills ids that exist: a restore npm start loads, help objects the help endpoints have', () => {
    const [restoreEndpoint, ...help] = ENDPOINTS;
    const example = (path: string): string =>
      document['paths'][path].parameters[0].examples.sample.value as string;
    const restoreId = example('/api/backup_and_restore/restores/{id}');
    const restore = SAMPLE_RESTORES.find(({ id }) => String(id) === restoreId);
    expect(restore, `sample restore ${restoreId}`).toBeDefined();
    // The documented answer is that restore, as the API writes it.
    const asJson = JSON.parse(JSON.stringify(restore, (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
    expect(JSON.parse(restoreEndpoint?.sample ?? '')).toEqual(asJson);

    const event = readEvent(httpV2Event({}));
    event.principal = { kind: 'service', name: 'test', capabilities: new Set(['ADMIN']) };
    for (const endpoint of help.filter(({ route }) => route.path.endsWith('{id}'))) {
      const id = example(`/api${endpoint.route.path}`);
      expect(() =>
        answerHelp(event, endpoint.route.name, { id }, { version: '26.0', versions: versionTableFrom({}) }),
      ).not.toThrow();
    }
  });

  it('names the fields, statuses, groups, versions and credentials the code knows', () => {
    const restore = spec.components.schemas.Restore;
    expect(Object.keys(restore.properties)).toEqual(RESTORE_FIELDS);
    expect(restore.properties.status.enum).toEqual([...RESTORE_STATUSES, null]);
    expect(restore.properties.groups.items.enum).toEqual([...RESTORE_GROUPS]);
    expect(Object.keys(spec.components.securitySchemes)).toEqual(['SEC', 'Basic']);
    expect(spec.security).toEqual([{ SEC: [] }, { Basic: [] }]);
    expect(spec.info.version).toBe(callableVersions(versionTableFrom({})).at(-1)?.version);
  });

  it('describes the help objects exactly as lib/help/help.ts builds them', () => {
    const versions = versionTableFrom({});
    const event = readEvent(httpV2Event({}));
    event.principal = { kind: 'service', name: 'test', capabilities: new Set(['ADMIN']) };
    const keysOf = (name: string) => Object.keys(document['components'].schemas[name].properties);
    for (const route of HELP_ROUTES) {
      const single = route.path.endsWith('{id}');
      const path = `/api${route.path}`;
      const { body, headers } = answerHelp(event, route.name, single ? { id: '1' } : {}, {
        version: '26.0',
        versions,
      });
      expect(() =>
        checkHttpResponse(get(concrete(path)), response(200, body, headersFor(200, headers))),
      ).not.toThrow();
      const schema = document['paths'][path].get.responses['200'].content['application/json'].schema.$ref
        .split('/')
        .at(-1);
      const object = (single ? body : (body as unknown[])[0]) as Json;
      expect(Object.keys(object).sort()).toEqual(keysOf(schema.replace(/List$/, '')).sort());
      if (schema === 'EndpointDoc') {
        expect(Object.keys(object['parameters'][0]).sort()).toEqual(keysOf('EndpointParameterDoc').sort());
        expect(Object.keys(object['parameters'][0].mime_types[0]).sort()).toEqual(
          keysOf('EndpointParameterMimeTypeDoc').sort(),
        );
        expect(Object.keys(object['success_responses'][0]).sort()).toEqual(
          keysOf('EndpointSuccessResponseDoc').sort(),
        );
        expect(Object.keys(object['error_responses'][0]).sort()).toEqual(
          keysOf('EndpointErrorResponseDoc').sort(),
        );
        expect(Object.keys(object['response_mime_types'][0]).sort()).toEqual(
          keysOf('EndpointResponseMimeTypeDoc').sort(),
        );
      }
      if (single) {
        let thrown: unknown;
        try {
          answerHelp(event, route.name, { id: '999' }, { version: '26.0', versions });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(QRadarError);
        const notFound = response(404, (thrown as QRadarError).toBody());
        expect(() => checkHttpResponse(get(concrete(path)), notFound)).not.toThrow();
      }
    }
  });
});

describe('the contract check', () => {
  const notFound = errorBody(404, 1001, 'No restore was found with the id 1.');
  const restore = get('/api/backup_and_restore/restores/1');

  it('passes a documented response', () => {
    expect(() => checkHttpResponse(restore, response(404, notFound))).not.toThrow();
    expect(() => checkHttpResponse(restore, response(200, { id: 1, status: 'PENDING' }))).not.toThrow();
    const deprecated = headersFor(200, { Deprecated: 'true' });
    expect(() => checkHttpResponse(restore, response(200, { id: 1 }, deprecated))).not.toThrow();
  });

  it('rejects an undocumented status, a missing or wrong header, and a body its status does not allow', () => {
    expect(() => checkHttpResponse(restore, response(400, notFound))).toThrow(/not in docs/);
    const { 'X-Frame-Options': _, ...missing } = RESPONSE_HEADERS;
    expect(() => checkHttpResponse(restore, response(404, notFound, missing))).toThrow(/X-Frame-Options/);
    expect(() =>
      checkHttpResponse(restore, response(404, notFound, headersFor(404, { Deprecated: 'yes' }))),
    ).toThrow(/Deprecated/);
    expect(() =>
      checkHttpResponse(restore, response(503, errorBody(503, 1000, 'x'), RESPONSE_HEADERS)),
    ).toThrow(/Retry-After/);
    expect(() => checkHttpResponse(restore, response(404, { ...notFound, code: 1002 }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(restore, response(200, { id: 1, secret: 'x' }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(restore, response(200, { status: 'DONE' }))).toThrow(/breaks/);
    expect(() => checkHttpResponse(restore, response(422, errorBody(422, 12, 'x')))).toThrow(/breaks/);
    expect(() => checkHttpResponse(restore, response(404, unknownEndpoint('/x').toBody()))).toThrow(/breaks/);
  });

  it('finds the operation by method and path', () => {
    const versions = '/api/help/versions';
    const refused = methodNotAllowed('POST', '/help/versions').toBody();
    const wrongMethod = response(405, refused);
    expect(() => checkHttpResponse({ method: 'POST', path: versions }, wrongMethod)).not.toThrow();
    expect(() => checkHttpResponse(get(versions), wrongMethod)).toThrow(/status 405 of GET/);
    const { Allow: _, ...noAllow } = headersFor(405);
    expect(() =>
      checkHttpResponse({ method: 'DELETE', path: versions }, response(405, refused, noAllow)),
    ).toThrow(/Allow/);
    const noEndpoint = response(404, unknownEndpoint('/help/versions/1/x').toBody());
    for (const path of [
      '/api/help/versions/1/x',
      '/api',
      '/api/backup_and_restore/restores/',
      '/elsewhere',
    ]) {
      expect(() => checkHttpResponse(get(path), noEndpoint), path).not.toThrow();
      expect(() => checkHttpResponse({ method: 'PATCH', path }, noEndpoint), path).not.toThrow();
      // A method named like an Object property is no operation of the document either.
      for (const method of ['__proto__', 'constructor']) {
        expect(() => checkHttpResponse({ method, path }, noEndpoint), `${method} ${path}`).not.toThrow();
      }
    }
    // A method the document does not list answers as the unserved ones it lists.
    for (const method of ['TRACE', 'PROPFIND', '']) {
      expect(() => checkHttpResponse({ method, path: versions }, wrongMethod)).not.toThrow();
      expect(() => checkHttpResponse({ method, path: versions }, response(200, [{ id: 1 }]))).toThrow(
        /status 200/,
      );
    }
    // A CORS preflight from an allowed origin: CORS headers instead of section 7's, no body.
    const preflight = {
      statusCode: 204,
      headers: {
        'Access-Control-Allow-Origin': 'https://console.example',
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'SEC, Version, Range, Authorization, Accept',
      },
      body: '',
    };
    expect(() => checkHttpResponse({ method: 'OPTIONS', path: versions }, preflight)).not.toThrow();
    expect(() => checkHttpResponse({ method: 'OPTIONS', path: '/api/nowhere' }, preflight)).not.toThrow();
    expect(() =>
      checkHttpResponse({ method: 'OPTIONS', path: versions }, { ...preflight, body: '{}' }),
    ).toThrow(/has a body/);
    expect(() => checkHttpResponse({ method: 'GET', path: versions }, preflight)).toThrow(
      /status 204 of GET/,
    );
    // A list answers with Content-Range; HEAD answers as GET, with no body.
    const list = response(200, [{ id: 1 }], headersFor(200, LIST_HEADERS));
    expect(() => checkHttpResponse(get(versions), list)).not.toThrow();
    expect(() => checkHttpResponse(get(versions), response(200, [{ id: 1 }]))).toThrow(/Content-Range/);
    expect(() => checkHttpResponse({ method: 'HEAD', path: versions }, { ...list, body: '' })).not.toThrow();
    expect(() => checkHttpResponse({ method: 'HEAD', path: versions }, list)).toThrow(/has a body/);
    expect(() =>
      checkHttpResponse(get('/api/help/versions/1?fields=id'), response(200, { id: 1, version: '26.0' })),
    ).not.toThrow();
  });

  it('checks a direct invocation: the restore, or an error whose type names its status', () => {
    expect(() => checkInvokeOutcome({ result: { id: JSON.rawJSON('9007199254740993') } })).not.toThrow();
    const thrown = Object.assign(new Error(JSON.stringify(notFound)), { name: 'RestoreNotFound' });
    expect(() => checkInvokeOutcome({ error: thrown })).not.toThrow();
    expect(() => checkInvokeOutcome({ error: Object.assign(thrown, { name: 'InternalError' }) })).toThrow(
      /does not name/,
    );
  });

  it('checks a handler by the method and path its event carries', async () => {
    const answer = response(405, methodNotAllowed('POST', '/backup_and_restore/restores/{id}').toBody());
    const handler = contractChecked(async (_event: unknown, _context: never) => answer);
    const event = (method: string): APIGatewayProxyEventV2 => {
      const base = httpV2Event({ id: '1' });
      return {
        ...base,
        requestContext: { ...base.requestContext, http: { ...base.requestContext.http, method } },
      };
    };
    await expect(handler(event('POST'), undefined as never)).resolves.toBe(answer);
    await expect(handler(event('GET'), undefined as never)).rejects.toThrow(/status 405 of GET/);
    const unauthorizedAnswer = response(401, unauthorized(NO_CREDENTIALS).toBody());
    const anyPath = contractChecked(async (_event: unknown, _context: never) => unauthorizedAnswer);
    await expect(
      anyPath({ ...event('DELETE'), rawPath: '/api/siem/offenses' }, undefined as never),
    ).resolves.toBe(unauthorizedAnswer);
  });
});
